/**
 * Rules on what pgha creates inside PostgreSQL and how clients may log in: role names (application
 * roles against the roles Patroni and PgBouncer need), database names, and the stack's extra
 * pg_hba rules. A mistake here renders without complaint and breaks only on the nodes.
 */
import { isIPv6 } from "node:net";
import { parseIpv4 } from "./common";
import type { HbaRule } from "./postgres";
import type { ClusterSpec } from "./topology";

type Add = (path: string, message: string) => void;

/** Databases initdb creates in every cluster. */
const INITDB_DATABASES = ["postgres", "template0", "template1"];
/** PostgreSQL refuses CREATE ROLE for these names (role names starting with pg_ are reserved). */
const RESERVED_ROLE_PREFIX = "pg_";

export function postgresObjectRules(c: ClusterSpec, p: string, add: Add): void {
  systemRoleRules(c, p, add);
  applicationRoleRules(c, p, add);
  databaseRules(c, p, add);
  c.postgres.hba.forEach((rule, i) => hbaRules(rule, `${p}.postgres.hba[${i}]`, add));
}

const reservedPrefix = (name: string) =>
  `'${name}' starts with ${RESERVED_ROLE_PREFIX}, which PostgreSQL reserves for its predefined roles (CREATE ROLE refuses it)`;

/** superuser, replication and rewind (Patroni creates them) and PgBouncer's auth_query role (pgha creates it). */
function systemRoleRules(c: ClusterSpec, p: string, add: Add) {
  const users = c.postgres.users;
  const keys = ["superuser", "replication", "rewind"] as const;
  keys.forEach((key, i) => {
    const name = users[key];
    const path = `${p}.postgres.users.${key}`;
    if (name.startsWith(RESERVED_ROLE_PREFIX)) add(path, reservedPrefix(name));
    const same = keys.slice(0, i).find((k) => users[k] === name);
    if (same)
      add(
        path,
        `'${name}' is also postgres.users.${same}: Patroni creates each system role with its own password and ` +
          `privileges, so one would overwrite the other's; give them different names`,
      );
  });
  const bouncer = c.pgbouncer;
  if (!bouncer.enabled) return;
  if (bouncer.authUser.startsWith(RESERVED_ROLE_PREFIX)) add(`${p}.pgbouncer.authUser`, reservedPrefix(bouncer.authUser));
  const system = keys.find((k) => users[k] === bouncer.authUser);
  if (system)
    add(
      `${p}.pgbouncer.authUser`,
      `'${bouncer.authUser}' is postgres.users.${system}: pgha would ALTER that role with the auth_query password, ` +
        `and Patroni, which logs in as it with its own password, would be locked out`,
    );
}

/** Why an application role may not be named `name`, or undefined. */
function applicationRoleConflict(c: ClusterSpec, name: string): string | undefined {
  const users = c.postgres.users;
  if (name.startsWith(RESERVED_ROLE_PREFIX)) return `${reservedPrefix(name)}; grant such a role to an application role instead`;
  if (name === users.superuser)
    return (
      `'${name}' is the superuser (postgres.users.superuser): post_bootstrap would ALTER it with the application role's ` +
      `password, so Patroni, which logs in with the superuser password from patroni.yml, could no longer manage PostgreSQL`
    );
  if (name === users.replication)
    return (
      `'${name}' is the replication role (postgres.users.replication): post_bootstrap would ALTER it with a different ` +
      `password than patroni.yml's, so every replica fails to authenticate`
    );
  if (name === users.rewind)
    return (
      `'${name}' is the pg_rewind role (postgres.users.rewind): post_bootstrap would ALTER it with a different password ` +
      `than patroni.yml's, so after a failover the former primary cannot rewind and must be cloned anew`
    );
  if (c.pgbouncer.enabled && name === c.pgbouncer.authUser)
    return (
      `'${name}' is PgBouncer's auth_query role (pgbouncer.authUser), which pgha creates with its own password: ` +
      `one password would overwrite the other, and the application would be able to read every password hash`
    );
  if (name === "postgres")
    return (
      "'postgres' is the operating-system user Patroni and the backup tools run as; pg_hba lets it log in " +
      "as the role of that name by peer authentication, so it is kept for the superuser"
    );
  if (name === "pgbouncer")
    return (
      "'pgbouncer' is the default name of PgBouncer's auth_query role; " +
      "kept so that enabling PgBouncer never takes over an application role"
    );
  return undefined;
}

function applicationRoleRules(c: ClusterSpec, p: string, add: Add) {
  const names = c.postgres.roles.map((r) => r.name);
  names.forEach((name, i) => {
    const path = `${p}.postgres.roles[${i}].name`;
    const first = names.indexOf(name);
    const conflict = first !== i ? `duplicate role '${name}' (also postgres.roles[${first}])` : applicationRoleConflict(c, name);
    if (conflict) add(path, conflict);
  });
}

function databaseRules(c: ClusterSpec, p: string, add: Add) {
  const names = c.postgres.databases.map((d) => d.name);
  c.postgres.databases.forEach((d, i) => {
    const path = `${p}.postgres.databases[${i}].name`;
    const first = names.indexOf(d.name);
    if (first !== i) add(path, `duplicate database '${d.name}' (also postgres.databases[${first}])`);
    else if (INITDB_DATABASES.includes(d.name))
      add(
        path,
        `'${d.name}' already exists: initdb creates ${INITDB_DATABASES.join(", ")} in every cluster, so pgha would not ` +
          `create it and owner '${d.owner}' would never apply; give the application's database its own name`,
      );
  });
}

// ---------------------------------------------------------------------------------------------
// pg_hba

/** Address keywords pg_hba accepts besides a CIDR (hostnames are not accepted here: they depend on DNS). */
const HBA_ADDRESS_KEYWORDS = ["all", "samehost", "samenet"];

/** Why pg_hba would not read `address` as an address range, or undefined. */
export function hbaAddressProblem(address: string): string | undefined {
  if (HBA_ADDRESS_KEYWORDS.includes(address)) return undefined;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(address);
  if (!m) return "must be a CIDR (10.0.0.0/8, fd00::/8), all, samehost or samenet: pg_hba reads a bare address as needing a netmask";
  const [, ip, prefixText] = m;
  const prefix = Number(prefixText);
  if (parseIpv4(ip) !== undefined) return prefix <= 32 ? undefined : `IPv4 prefix /${prefix} must be /0 to /32`;
  if (isIpv6(ip)) return prefix <= 128 ? undefined : `IPv6 prefix /${prefix} must be /0 to /128`;
  return `'${ip}' is not an IPv4 or IPv6 address`;
}

/** Textual IPv6 as Node reads it (RFC 4291 2.2), without a zone index (`%eth0`), which pg_hba does not take. */
function isIpv6(s: string): boolean {
  return !s.includes("%") && isIPv6(s);
}

function hbaRules(r: HbaRule, at: string, add: Add) {
  if (r.type === "local") {
    if (r.address !== undefined)
      add(`${at}.address`, "a local rule matches Unix-socket connections and takes no address; remove it, or use type hostssl");
    return;
  }
  if (r.address === undefined) {
    add(`${at}.address`, `is required for a ${r.type} rule: the client range (e.g. 10.20.0.0/16), all, samehost or samenet`);
  } else {
    const problem = hbaAddressProblem(r.address);
    if (problem) add(`${at}.address`, `'${r.address}': ${problem}; pg_hba.conf would fail to load and PostgreSQL would not start`);
  }
  const from = r.address ?? "the network";
  if (r.method === "trust")
    add(
      `${at}.method`,
      `trust on a ${r.type} rule lets anyone who reaches the port from ${from} log in as ${r.user} with no password; ` +
        "use scram-sha-256 (or cert on hostssl)",
    );
  if (r.method === "peer")
    add(`${at}.method`, `peer works on local (Unix-socket) rules only: pg_hba.conf with peer on a ${r.type} rule fails to load`);
  if (r.method === "cert" && r.type !== "hostssl")
    add(`${at}.method`, `cert needs type hostssl (a client certificate exists only on a TLS connection): pg_hba.conf would fail to load`);
  // host and hostnossl rules that admit plaintext are tls.ts's (hbaTlsIssues): TLS is required on every client path.
}
