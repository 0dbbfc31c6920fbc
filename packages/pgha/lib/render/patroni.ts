import YAML from "yaml";
import { type HbaRule, type NodeSettings, resolvedTiming } from "../config";
import { replicaFromBackupMethod, restoreCommand, stanzaName } from "./backupCommands";
import { type NodeFile, PATHS, type PatroniNodeModel, pgBinDir, pgDataDir, tlsFiles } from "./model";
import { pgbouncerAuthQuerySql } from "./pgbouncer";
import { archiveParameters, normalizeParameters, type ParameterSet, tlsParameters } from "./postgresParameters";

/**
 * patroni.yml for Patroni >= 4 (Debian 13 ships 4.0.7; pgha's floor, see DESIGN.md). Key names
 * follow Patroni's "YAML Configuration Settings"; where Patroni's own code decides (validator,
 * ctl, etcd3), it was read to confirm them. Serialised as YAML 1.1 because Patroni reads it with PyYAML: strings
 * such as "on"/"off" get quoted instead of turning into booleans.
 */
export const PATRONI_REST_USER = "patroni";
export const PATRONI_NAMESPACE = "/service/";

type Yaml = Record<string, unknown>;

export function renderPatroniYaml(m: PatroniNodeModel): string {
  return YAML.stringify(patroniConfig(m), { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false });
}

export function patroniConfig(m: PatroniNodeModel): Yaml {
  const index = nodeIndex(m);
  const settings: Partial<NodeSettings> = m.cluster.nodeSettings[index] ?? {};
  const tags: Partial<NodeSettings["tags"]> = settings.tags ?? {};
  const watchdog = m.cluster.patroni.watchdog;
  return {
    scope: m.cluster.name,
    namespace: PATRONI_NAMESPACE,
    name: m.node.name,
    log: { level: "INFO" },
    restapi: restapiSection(m),
    ...(m.tls.restApi ? { ctl: ctlSection() } : {}),
    // Always etcd3: etcd >= 3.4 serves no v2 API, and Patroni's `etcd:` (v2) would wait forever.
    etcd3: etcdSection(m),
    bootstrap: bootstrapSection(m),
    postgresql: postgresqlSection(m, settings.parameters ?? {}),
    tags: {
      nofailover: tags.nofailover ?? false,
      noloadbalance: tags.noloadbalance ?? false,
      clonefrom: tags.clonefrom ?? false,
      nosync: tags.nosync ?? false,
      ...(tags.replicatefrom ? { replicatefrom: tags.replicatefrom } : {}),
    },
    watchdog: { mode: watchdog.mode, device: watchdog.device, safety_margin: watchdog.safety_margin },
  };
}

function nodeIndex(m: PatroniNodeModel): number {
  const i = m.members.findIndex((x) => x.name === m.node.name);
  if (i < 0) throw new Error(`node '${m.node.name}' is not among the members of cluster '${m.cluster.name}'`);
  return i;
}

function restapiSection(m: PatroniNodeModel): Yaml {
  const address = `${m.node.ip}:${m.cluster.patroni.restApiPort}`;
  const tls = tlsFiles("patroni");
  return {
    listen: address,
    connect_address: address,
    // Health checks (GET) stay open to load balancers; unsafe endpoints need basic auth.
    authentication: { username: PATRONI_REST_USER, password: m.passwords.restApi },
    ...(m.tls.restApi ? { certfile: tls.certFile, keyfile: tls.keyFile, cafile: tls.caFile } : {}),
  };
}

/** patronictl on the node verifies the members' REST certificates (IP SANs) against our CA. */
function ctlSection(): Yaml {
  const tls = tlsFiles("patroni");
  return { insecure: false, cacert: tls.caFile, certfile: tls.certFile, keyfile: tls.keyFile };
}

function etcdSection(m: PatroniNodeModel): Yaml {
  if (m.etcd.hosts.length === 0) throw new Error(`cluster '${m.cluster.name}': no etcd hosts`);
  const client = tlsFiles("etcd-client");
  return {
    hosts: m.etcd.hosts,
    protocol: m.etcd.tls ? "https" : "http",
    ...(m.etcd.tls ? { cacert: client.caFile, cert: client.certFile, key: client.keyFile } : {}),
  };
}

/** The cluster-wide parameters Patroni keeps in the DCS: model parameters over derived TLS/archive settings, user overrides last. */
export function dcsParameters(m: PatroniNodeModel): ParameterSet {
  return normalizeParameters({
    ...(m.tls.postgres ? tlsParameters() : {}),
    ...(m.backups ? archiveParameters(m.backups, m.cluster.name) : {}),
    ...m.parameters,
    ...m.cluster.postgres.parameters,
  });
}

function bootstrapSection(m: PatroniNodeModel): Yaml {
  const dcs = m.cluster.patroni.dcs;
  const timing = resolvedTiming(dcs);
  const hba = renderPgHba(m);
  return {
    dcs: {
      ttl: timing.ttl,
      loop_wait: timing.loop_wait,
      retry_timeout: timing.retry_timeout,
      maximum_lag_on_failover: dcs.maximum_lag_on_failover,
      // true or "quorum" (Patroni >= 4.0). Patroni 4.0.7 runs quorum, but its --validate-config
      // still calls it "not a boolean" (patroni/patroni#3606, fixed after the 4.1.4 release).
      synchronous_mode: dcs.synchronous_mode,
      synchronous_mode_strict: dcs.synchronous_mode_strict,
      synchronous_node_count: dcs.synchronous_node_count,
      // With etcd unreachable, a leader that can still reach every member keeps its role instead of demoting.
      failsafe_mode: dcs.failsafe_mode,
      postgresql: {
        use_pg_rewind: dcs.use_pg_rewind,
        use_slots: dcs.use_slots,
        parameters: dcsParameters(m),
      },
      ...(Object.keys(m.permanentSlots).length > 0 ? { slots: m.permanentSlots } : {}),
      ...(m.standby ? { standby_cluster: standbyClusterSection(m) } : {}),
    },
    // A list: options with values are maps, switches are bare items (`data-checksums: true` breaks initdb).
    initdb: [{ encoding: "UTF8" }, { locale: "C.UTF-8" }, "data-checksums"],
    // Ignored while postgresql.pg_hba is set (it is); Patroni 3.0's --validate-config required the key.
    pg_hba: hba,
    post_bootstrap: `/bin/sh ${PATHS.patroniPostBootstrap}`,
  };
}

function standbyClusterSection(m: PatroniNodeModel): Yaml {
  const s = m.standby;
  if (!s) throw new Error("standbyClusterSection without a standby source");
  const source = m.cluster.standby?.source;
  return {
    host: s.host,
    port: s.port,
    primary_slot_name: s.primarySlotName,
    create_replica_methods: ["basebackup"],
    ...(s.sourceBackups && source ? { restore_command: restoreCommand(s.sourceBackups, source, true) } : {}),
  };
}

function postgresqlSection(m: PatroniNodeModel, nodeParameters: Record<string, string | number | boolean>): Yaml {
  const { cluster } = m;
  const pg = cluster.postgres;
  const users = pg.users;
  const tls = tlsFiles("postgres");
  // Replicas and pg_rewind reach other members over TLS and check their certificate's CA.
  const remoteSsl = { sslmode: "verify-ca", sslrootcert: tls.caFile };
  const methods = replicaMethods(m);
  const restore = recoveryRestoreCommand(m);
  const callbacks = Object.fromEntries(Object.entries(cluster.patroni.callbacks).filter(([, v]) => v !== undefined));
  return {
    listen: `${m.node.ip},127.0.0.1:${pg.port}`,
    connect_address: `${m.node.ip}:${pg.port}`,
    data_dir: pgDataDir(pg.major),
    bin_dir: pgBinDir(pg.major),
    pgpass: PATHS.patroniPgpass,
    // Patroni's own connections use the socket, so `local` peer/scram rules cover them.
    use_unix_socket: true,
    use_unix_socket_repl: true,
    authentication: {
      superuser: { username: users.superuser, password: m.passwords.superuser },
      replication: { username: users.replication, password: m.passwords.replication, ...remoteSsl },
      rewind: { username: users.rewind, password: m.passwords.rewind, ...remoteSsl },
    },
    parameters: normalizeParameters({ unix_socket_directories: PATHS.runPostgres, ...nodeParameters }),
    pg_hba: renderPgHba(m),
    create_replica_methods: methods,
    ...Object.fromEntries(methods.map((name) => [name, replicaMethodSection(m, name)])),
    ...(restore ? { recovery_conf: { restore_command: restore } } : {}),
    ...(Object.keys(callbacks).length > 0 ? { callbacks } : {}),
  };
}

type ReplicaMethod = "basebackup" | "walg" | "pgbackrest";

/** The spec's order, or: clone from the latest backup first (spares the leader), then pg_basebackup. */
export function replicaMethods(m: PatroniNodeModel): ReplicaMethod[] {
  const explicit = m.cluster.patroni.create_replica_methods;
  if (explicit) return [...explicit];
  return m.backups ? [m.backups.spec.tool, "basebackup"] : ["basebackup"];
}

function replicaMethodSection(m: PatroniNodeModel, name: ReplicaMethod): Yaml {
  // An immediate checkpoint: a new replica should not wait for checkpoint_timeout (15min).
  if (name === "basebackup") return { checkpoint: "fast" };
  if (!m.backups || m.backups.spec.tool !== name)
    throw new Error(`cluster '${m.cluster.name}': replica method '${name}' needs backups with tool ${name}`);
  return replicaFromBackupMethod(m.backups, m.cluster.name, m.cluster.postgres.major);
}

/** Replicas fall back to the archive when the leader no longer has a WAL segment. */
function recoveryRestoreCommand(m: PatroniNodeModel): string | undefined {
  if (m.backups) return restoreCommand(m.backups, m.cluster.name);
  const source = m.cluster.standby?.source;
  if (m.standby?.sourceBackups && source) return restoreCommand(m.standby.sourceBackups, source, true);
  return undefined;
}

function hbaLine(type: HbaRule["type"], database: string, user: string, address: string | undefined, method: string): string {
  const cols = [type.padEnd(9), database.padEnd(12), user.padEnd(16)];
  if (type !== "local") cols.push((address ?? "").padEnd(18));
  cols.push(method);
  return cols.join(" ").trimEnd();
}

/**
 * pg_hba.conf in full, first match wins. No `trust` anywhere in pgha's rules. Every rule that
 * admits a TCP login is `hostssl`, loopback included (PgBouncer reaches PostgreSQL over TLS too),
 * so a plaintext connection only ever meets `reject` rules; `host` appears only with reject.
 */
export function renderPgHba(m: PatroniNodeModel): string[] {
  if (!m.tls.postgres) throw new Error(`cluster '${m.cluster.name}': pgha requires PostgreSQL TLS (tls.postgres)`);
  const { users } = m.cluster.postgres;
  const remote = "hostssl";
  const scram = "scram-sha-256";
  const lines: string[] = [];
  const add = (type: HbaRule["type"], db: string, user: string, address: string | undefined, method: string) =>
    lines.push(hbaLine(type, db, user, address, method));

  for (const r of m.cluster.postgres.hba) add(r.type, r.database, r.user, r.address, r.method);

  // The OS user postgres (Patroni, backup tools, an operator on the node) as role postgres.
  add("local", "all", "postgres", undefined, "peer");
  add("local", "all", "all", undefined, scram);
  add("local", "replication", users.replication, undefined, scram);
  if (m.cluster.pgbouncer.enabled) {
    // The auth_query role can read password hashes: only its own node's PgBouncer may use it.
    const authUser = m.cluster.pgbouncer.authUser;
    add(remote, "all", authUser, "127.0.0.1/32", scram);
    add("host", "all", authUser, "0.0.0.0/0", "reject");
  }
  // Clients through the node's PgBouncer.
  add(remote, "all", "all", "127.0.0.1/32", scram);
  add(remote, "replication", users.replication, "127.0.0.1/32", scram);
  for (const c of m.clusterCidrs) add(remote, "replication", users.replication, c, scram);
  for (const c of m.standbyCidrs) add(remote, "replication", users.replication, c, scram);
  // pg_rewind on a former leader reads the new leader's files through this role.
  for (const c of m.clusterCidrs) add(remote, "all", users.rewind, c, scram);
  // The superuser only from the cluster's own subnets (operators on a member), never from clients.
  for (const c of m.clusterCidrs) add(remote, "all", users.superuser, c, scram);
  add("host", "all", users.superuser, "0.0.0.0/0", "reject");
  // Clients through HAProxy arrive from the cluster's subnets; LBs that keep source IPs, from clientCidrs.
  for (const c of m.clusterCidrs) add(remote, "all", "all", c, scram);
  for (const c of m.clientCidrs) add(remote, "all", "all", c, scram);
  for (const address of ["0.0.0.0/0", "::/0"]) {
    add("host", "all", "all", address, "reject");
    add("host", "replication", "all", address, "reject");
  }
  return lines;
}

/** A PostgreSQL string literal (standard_conforming_strings is on). */
function literal(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function ident(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

function password(what: string, value: string | undefined): string {
  if (value === undefined || value === "") throw new Error(`post-bootstrap: no password for ${what}`);
  if (/[\n\r\0]/.test(value)) throw new Error(`post-bootstrap: the password for ${what} contains a line break or NUL`);
  return literal(value);
}

const SQL_END = "PGHA_SQL";

/**
 * Shell script for bootstrap.post_bootstrap. Patroni runs it once, on the node that ran initdb,
 * as `/bin/sh <script> <connection string>` after the superuser exists and before it creates
 * the replication and rewind roles itself (with pg_rewind's function grants). It creates the
 * application roles, the PgBouncer auth_query role and function, and the databases.
 *
 * It holds passwords, so it is written 0600 owned by postgres (see postBootstrapFile) and run
 * through /bin/sh: no execute bit needed. The SQL turns statement logging and
 * pg_stat_statements' utility tracking off, so no password reaches a log or a view.
 */
export function renderPostInitScript(m: PatroniNodeModel): string {
  const pg = m.cluster.postgres;
  const sql: string[] = [
    "SET log_statement = 'none';",
    "SET log_min_duration_statement = -1;",
    "SET log_min_error_statement = 'panic';",
    "SET pg_stat_statements.track_utility = off;",
  ];
  const role = (name: string, options: string[], secret: string) => {
    sql.push(
      `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${literal(name)}) ` +
        `THEN CREATE ROLE ${ident(name)}; END IF; END $$;`,
      `ALTER ROLE ${ident(name)} WITH ${["LOGIN", ...options].join(" ")} PASSWORD ${secret};`,
    );
  };
  for (const r of pg.roles) role(r.name, r.options, password(`role ${r.name}`, m.passwords.roles[r.name]));

  const bouncer = m.cluster.pgbouncer;
  if (bouncer.enabled) {
    role(bouncer.authUser, [], password(`PgBouncer auth user ${bouncer.authUser}`, m.passwords.pgbouncer));
    // pgbouncer.ts owns the auth_query function. template1 first, so every database created later carries it.
    const authSql = pgbouncerAuthQuerySql(bouncer.authUser, pg.users.superuser).trimEnd().split("\n");
    for (const db of ["template1", "postgres"]) sql.push(`\\connect ${db}`, ...authSql);
  }
  sql.push("\\connect postgres", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;");

  for (const d of pg.databases) {
    sql.push(
      `SELECT 'CREATE DATABASE ${ident(d.name)} OWNER ${ident(d.owner)}' WHERE NOT EXISTS ` +
        `(SELECT FROM pg_catalog.pg_database WHERE datname = ${literal(d.name)})\\gexec`,
    );
    if (d.extensions.length > 0) {
      sql.push(`\\connect ${ident(d.name)}`, ...d.extensions.map((e) => `CREATE EXTENSION IF NOT EXISTS ${ident(e)};`));
    }
  }

  return [
    "#!/bin/sh",
    "# pgha post-bootstrap: run once by Patroni after initdb with a libpq connection string as $1.",
    "# Holds passwords: keep it 0600, owner postgres.",
    "set -eu",
    `${pgBinDir(pg.major)}/psql "$1" --no-psqlrc --quiet --set ON_ERROR_STOP=1 <<'${SQL_END}'`,
    ...sql,
    SQL_END,
    ...stanzaCreate(m),
    "",
  ].join("\n");
}

/**
 * pgBackRest's archive_command fails until the stanza exists, and WAL then piles up in pg_wal,
 * so the stanza is created as soon as the new primary runs, not at the first scheduled backup.
 */
function stanzaCreate(m: PatroniNodeModel): string[] {
  if (m.backups?.spec.tool !== "pgbackrest") return [];
  return [`pgbackrest --config=${PATHS.pgbackrestConfig} --stanza=${stanzaName(m.cluster.name)} stanza-create`];
}

/** The post-bootstrap script as cloud-init writes it. */
export function postBootstrapFile(m: PatroniNodeModel): NodeFile {
  return { path: PATHS.patroniPostBootstrap, content: renderPostInitScript(m), owner: "postgres:postgres", permissions: "0600" };
}
