/**
 * Rules between PostgreSQL parameters and what pgha builds around them: TLS, WAL archiving,
 * replication, the node's memory and PgBouncer's pools. A user's parameter always wins in the
 * rendered configuration (render/postgresParameters.ts), so a value that breaks one of these is
 * refused here, with the numbers, before anything exists.
 */
import { humanQuantity } from "./parameterValues";
import type { ClusterSpec, Topology } from "./topology";
import { maxConnections } from "./tuning";

type Add = (path: string, message: string) => void;
type Value = number | string | boolean;

/** One parameter map (the cluster's, or a node's), its values read as PostgreSQL reads them. */
export interface ParameterSource {
  path: string;
  values: ReadonlyMap<string, Value>;
  /** nodeSettings index; absent for the cluster's own parameters. */
  node?: number;
}

/** shared_buffers may take at most this share of a node's memory. */
export const SHARED_BUFFERS_MAX_SHARE = 0.75;
/** Connections Patroni keeps to its own PostgreSQL (its main one and the REST API's checks). */
export const PATRONI_CONNECTIONS = 2;
/** PostgreSQL's default superuser_reserved_connections. */
const DEFAULT_SUPERUSER_RESERVED = 3;

export function crossParameterRules(t: Topology, c: ClusterSpec, p: string, sources: ParameterSource[], add: Add): void {
  const cluster = sources[0];
  for (const s of sources) {
    tlsRules(t, s, add);
    if (s.values.get("password_encryption") === "md5")
      add(
        `${s.path}.password_encryption`,
        "password_encryption md5 stores role passwords as MD5 hashes, but pgha's pg_hba authenticates with scram-sha-256, " +
          "which cannot use them: replicas, pg_rewind, PgBouncer and applications would fail to log in; remove it",
      );
    archiveRules(c, p, s, s === cluster ? s : merged(cluster, s), add);
    memoryRules(c, p, s, add);
  }
  replicationRules(t, c, p, cluster, add);
  connectionRules(c, p, cluster, add);
}

/** A node's parameters over the cluster's: what that node's PostgreSQL runs with. */
function merged(cluster: ParameterSource, node: ParameterSource): ParameterSource {
  return { ...node, values: new Map([...cluster.values, ...node.values]) };
}

function tlsRules(t: Topology, s: ParameterSource, add: Add): void {
  if (!t.tls.postgres) return;
  if (s.values.get("ssl") === false)
    add(
      `${s.path}.ssl`,
      "ssl off contradicts tls.postgres: true: pgha's pg_hba admits remote clients only over TLS (hostssl), " +
        "so every replica and application connection would be refused; remove ssl",
    );
  for (const key of ["ssl_cert_file", "ssl_key_file", "ssl_ca_file"])
    if (s.values.has(key))
      add(`${s.path}.${key}`, `${key} is set by pgha to the node's own certificate files while tls.postgres is true; remove it`);
}

function archiveRules(c: ClusterSpec, p: string, s: ParameterSource, effective: ParameterSource, add: Add): void {
  const mode = s.values.get("archive_mode");
  if (c.backups) {
    if (mode === "off")
      add(
        `${s.path}.archive_mode`,
        `archive_mode off with ${p}.backups configured (${c.backups.tool}): no WAL would reach the backup storage, ` +
          "so nothing could be restored past the last full backup and replicas could not be rebuilt from it; " +
          "remove it (pgha sets on) or use always",
      );
    for (const key of ["archive_command", "archive_library"])
      if (s.values.has(key))
        add(
          `${s.path}.${key}`,
          `${key} is pgha's while ${p}.backups is configured: WAL is archived with ${c.backups.tool} to the backup storage; ` +
            "remove it (a different command would leave the backups without WAL)",
        );
    return;
  }
  const archives = ["archive_command", "archive_library"].some((k) => String(effective.values.get(k) ?? "") !== "");
  if ((mode === "on" || mode === "always") && !archives)
    add(
      `${s.path}.archive_mode`,
      `archive_mode ${mode} without ${p}.backups, archive_command or archive_library: ` +
        "PostgreSQL keeps every WAL segment waiting to be archived until the disk fills; configure backups or remove it",
    );
}

function memoryRules(c: ClusterSpec, p: string, s: ParameterSource, add: Add): void {
  const blocks = s.values.get("shared_buffers");
  if (typeof blocks !== "number") return;
  const ramKb = c.hardware.ramGb * 1024 * 1024;
  const kb = blocks * 8;
  if (kb > ramKb * SHARED_BUFFERS_MAX_SHARE)
    add(
      `${s.path}.shared_buffers`,
      `shared_buffers ${humanQuantity(blocks, "8kB")} exceeds ${SHARED_BUFFERS_MAX_SHARE * 100}% of the node's ` +
        `${c.hardware.ramGb} GB of memory (${p}.hardware.ramGb): the OS, each backend's work_mem and the page cache need the rest, ` +
        "or PostgreSQL fails to start or is killed for lack of memory",
    );
}

function replicationRules(t: Topology, c: ClusterSpec, p: string, s: ParameterSource, add: Add): void {
  const v = s.values;
  if (v.get("wal_level") === "minimal")
    add(`${s.path}.wal_level`, "wal_level minimal cannot feed replicas or archive WAL: Patroni's replicas need replica or logical");
  if (v.get("hot_standby") === false)
    add(
      `${s.path}.hot_standby`,
      "hot_standby off makes replicas refuse every connection: Patroni's health checks, " +
        "the replicas listener and pg_rewind need them to accept reads; remove it",
    );
  const replicas = c.nodes - 1;
  const standbys = t.clusters.filter((x) => x.standby?.source === c.name).length;
  const senders = v.get("max_wal_senders");
  const sendersNeeded = replicas + standbys + 2;
  if (typeof senders === "number" && senders < sendersNeeded)
    add(
      `${s.path}.max_wal_senders`,
      `max_wal_senders ${senders} is below the ${sendersNeeded} cluster '${c.name}' needs: ${replicas} replicas + ` +
        `${standbys} standby clusters + 2 for a replica being rebuilt with pg_basebackup (-X stream)`,
    );
  const slots = v.get("max_replication_slots");
  const permanent = Object.keys(c.patroni.dcs.slots).length;
  const slotsNeeded = (c.patroni.dcs.use_slots ? replicas : 0) + permanent + standbys + 1;
  if (typeof slots === "number" && slots < slotsNeeded)
    add(
      `${s.path}.max_replication_slots`,
      `max_replication_slots ${slots} is below the ${slotsNeeded} cluster '${c.name}' needs: ` +
        `${c.patroni.dcs.use_slots ? replicas : 0} member slots + ${permanent} permanent slots + ${standbys} standby clusters + ` +
        "1 temporary slot for pg_basebackup",
    );
}

/**
 * PgBouncer opens up to defaultPoolSize + reservePoolSize server connections per pool (at most
 * maxDbConnections per database when set); pgha counts one pool per database (its owner), plus
 * PgBouncer's auth_query connection per database, the superuser reserve and Patroni's own.
 * More roles per database need more: this is the floor below which PgBouncer surely fails.
 */
function connectionRules(c: ClusterSpec, p: string, s: ParameterSource, add: Add): void {
  if (!c.pgbouncer.enabled) return;
  const set = s.values.get("max_connections");
  const max = typeof set === "number" ? set : maxConnections(c.hardware);
  const b = c.pgbouncer;
  const databases = Math.max(1, c.postgres.databases.length);
  const pool =
    b.maxDbConnections > 0 ? Math.min(b.maxDbConnections, b.defaultPoolSize + b.reservePoolSize) : b.defaultPoolSize + b.reservePoolSize;
  const reservedValue = s.values.get("superuser_reserved_connections");
  const reserved = typeof reservedValue === "number" ? reservedValue : DEFAULT_SUPERUSER_RESERVED;
  const others = s.values.get("reserved_connections");
  const otherReserved = typeof others === "number" ? others : 0;
  const needed = databases * (pool + 1) + reserved + otherReserved + PATRONI_CONNECTIONS;
  if (max < needed) {
    const poolText =
      b.maxDbConnections > 0 && pool === b.maxDbConnections
        ? `maxDbConnections ${pool}`
        : `defaultPoolSize ${b.defaultPoolSize} + reservePoolSize ${b.reservePoolSize}`;
    const need =
      `${databases} database(s) x (${poolText} of ${p}.pgbouncer + 1 auth_query connection) + ` +
      `superuser_reserved_connections ${reserved}` +
      (otherReserved ? ` + reserved_connections ${otherReserved}` : "") +
      ` + ${PATRONI_CONNECTIONS} for Patroni`;
    if (typeof set === "number")
      add(
        `${s.path}.max_connections`,
        `max_connections ${max} is below the ${needed} each node needs: ${need}; raise it or shrink the PgBouncer pools`,
      );
    else
      add(
        `${p}.pgbouncer.defaultPoolSize`,
        `PgBouncer's pools need ${needed} server connections on each node (${need}), but max_connections is ${max}, ` +
          `pgha's default for ${p}.hardware (workload ${c.hardware.workload}, ${c.hardware.ramGb} GB); ` +
          `shrink the pools or set ${s.path}.max_connections to at least ${needed}`,
      );
  }
}
