import { type NodeFile, PATHS, type PatroniNodeModel, tlsFiles } from "./model";
import { fillTemplate } from "./template";

/**
 * PgBouncer's runtime directory (socket and pid file), apart from PostgreSQL's /run/postgresql
 * so neither service's tmpfiles/RuntimeDirectory handling removes the other's socket.
 * The service must create it, owned by postgres (systemd: RuntimeDirectory=pgbouncer).
 */
export const PGBOUNCER_RUN_DIR = "/run/pgbouncer";
export const PGBOUNCER_PID_FILE = `${PGBOUNCER_RUN_DIR}/pgbouncer.pid`;
/** PgBouncer refuses to run as root; Debian's unit runs it as postgres, which owns the TLS key too. */
export const PGBOUNCER_USER = "postgres";

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

function ident(name: string, what: string): string {
  if (!IDENT.test(name)) throw new Error(`${what} '${name}' is not a plain lowercase SQL identifier`);
  return `"${name}"`;
}

function tlsSettings(m: PatroniNodeModel): string {
  if (!m.tls.postgres) throw new Error(`cluster '${m.cluster.name}': pgha requires PostgreSQL TLS, PgBouncer included (tls.postgres)`);
  const f = tlsFiles("postgres");
  return [
    ";; TLS required: a client that does not start TLS is refused before authentication.",
    "client_tls_sslmode = require",
    `client_tls_cert_file = ${f.certFile}`,
    `client_tls_key_file = ${f.keyFile}`,
    ";; The hop to PostgreSQL is TLS too (pg_hba admits only hostssl), verified against the cluster CA:",
    ";; the node's certificate names 127.0.0.1.",
    "server_tls_sslmode = verify-full",
    `server_tls_ca_file = ${f.caFile}`,
  ].join("\n");
}

/** /etc/pgbouncer/pgbouncer.ini for one Patroni node. */
export function renderPgbouncerIni(m: PatroniNodeModel): string {
  const b = m.cluster.pgbouncer;
  if (!b.enabled) throw new Error(`pgbouncer is disabled for cluster '${m.cluster.name}'`);
  return fillTemplate("pgbouncer.ini.tmpl", {
    nodeName: m.node.name,
    cluster: m.cluster.name,
    authUser: b.authUser,
    pgPort: m.cluster.postgres.port,
    // The node's own address for HAProxy and clients, loopback for local tools and checks.
    listenAddr: m.node.ip === "127.0.0.1" ? "127.0.0.1" : `${m.node.ip},127.0.0.1`,
    port: b.port,
    pgSocketDir: PATHS.runPostgres,
    socketDir: PGBOUNCER_RUN_DIR,
    pidFile: PGBOUNCER_PID_FILE,
    authFile: PATHS.pgbouncerUserlist,
    poolMode: b.poolMode,
    defaultPoolSize: b.defaultPoolSize,
    minPoolSize: b.minPoolSize,
    reservePoolSize: b.reservePoolSize,
    maxClientConn: b.maxClientConn,
    maxDbConnections: b.maxDbConnections,
    tlsSettings: tlsSettings(m),
  });
}

/**
 * /etc/pgbouncer/userlist.txt: only the auth_user, with its plain password. A SCRAM verifier
 * would not do: PgBouncer needs the password itself to log in to PostgreSQL as auth_user, and
 * computing a verifier needs a random salt, which a pure renderer must not draw.
 * A secret: mode 0600, owner postgres.
 */
export function renderPgbouncerUserlist(m: PatroniNodeModel): string {
  const user = m.cluster.pgbouncer.authUser;
  const password = m.passwords.pgbouncer;
  if (password.length === 0) throw new Error("pgbouncer: the auth_user password is empty");
  if ([...password].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    throw new Error("pgbouncer: the auth_user password contains control characters");
  // userlist.txt quotes with double quotes; a quote inside is written twice.
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return `${q(user)} ${q(password)}\n`;
}

/**
 * SQL behind auth_query, run as the superuser on the primary. PgBouncer runs auth_query in the
 * database the client asked for (PgBouncer < 1.19 has no auth_dbname), so it must be run in
 * template1 before any database is created, and in every database that already exists
 * (postgres, and any created before this step). Idempotent. Expects the auth role to exist.
 *
 * The function reads pg_shadow, which only a superuser may, hence SECURITY DEFINER owned by the
 * superuser, with a pinned search_path, and EXECUTE for the auth role only. It never returns
 * superusers, replication roles or expired passwords: those cannot log in through PgBouncer.
 */
export function pgbouncerAuthQuerySql(authUser = "pgbouncer", owner = "postgres"): string {
  const role = ident(authUser, "pgbouncer auth user");
  const superuser = ident(owner, "function owner");
  return `BEGIN;
CREATE SCHEMA IF NOT EXISTS pgbouncer AUTHORIZATION ${superuser};
REVOKE ALL ON SCHEMA pgbouncer FROM PUBLIC;
GRANT USAGE ON SCHEMA pgbouncer TO ${role};
CREATE OR REPLACE FUNCTION pgbouncer.get_auth(p_usename text)
  RETURNS TABLE (usename name, passwd text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT s.usename, s.passwd
    FROM pg_catalog.pg_shadow s
   WHERE s.usename = p_usename
     AND NOT s.usesuper
     AND NOT s.userepl
     AND (s.valuntil IS NULL OR s.valuntil > pg_catalog.now())
$fn$;
ALTER FUNCTION pgbouncer.get_auth(text) OWNER TO ${superuser};
REVOKE ALL ON FUNCTION pgbouncer.get_auth(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pgbouncer.get_auth(text) TO ${role};
COMMIT;
`;
}

/** Both PgBouncer files with the owner and mode cloud-init (and the lab) must give them. */
export function pgbouncerNodeFiles(m: PatroniNodeModel): NodeFile[] {
  return [
    { path: PATHS.pgbouncerIni, content: renderPgbouncerIni(m), owner: `${PGBOUNCER_USER}:${PGBOUNCER_USER}`, permissions: "0640" },
    {
      path: PATHS.pgbouncerUserlist,
      content: renderPgbouncerUserlist(m),
      owner: `${PGBOUNCER_USER}:${PGBOUNCER_USER}`,
      permissions: "0600",
    },
  ];
}
