import type { ClusterSpec } from "../config";
import { archiveCommand } from "./backupCommands";
import { type BackupTarget, tlsFiles } from "./model";
import { computeTuning, formatSize, KB_PER_GB, KB_PER_MB } from "./tuning";

export type ParameterValue = string | number;
export type ParameterSet = Record<string, ParameterValue>;

/** Facts about a cluster that live outside its ClusterSpec. */
export interface ClusterParameterContext {
  /** PostgreSQL TLS on (topology `tls.postgres`): ssl on with the node's certificate files. */
  tls?: boolean;
  /** The cluster's own backup target: WAL archiving through the backup tool. */
  backups?: BackupTarget;
  /** Standby clusters streaming from this one: each needs a WAL sender and a permanent slot. */
  standbyClusters?: number;
  /** For a standby cluster: the source cluster's final parameters (see HOT_STANDBY_MINIMUMS). */
  sourceParameters?: ParameterSet;
}

/**
 * A hot standby refuses to run with less of these than its primary has; a standby cluster
 * therefore takes the larger of its own and its source's value (a smaller VM in the DR region
 * must still keep up with the primary's settings).
 */
export const HOT_STANDBY_MINIMUMS = [
  "max_connections",
  "max_prepared_transactions",
  "max_locks_per_transaction",
  "max_wal_senders",
  "max_worker_processes",
] as const;

/**
 * The cluster-wide parameter set that goes to bootstrap.dcs.postgresql.parameters, in layers,
 * later layers winning:
 *   1. what Patroni and streaming replication need (replicationParameters)
 *   2. hardware tuning (computeTuning)
 *   3. TLS files (tlsParameters) and WAL archiving (archiveParameters)
 *   4. for a standby cluster, the source's values where a hot standby needs at least those
 *   5. cluster.postgres.parameters: the user's overrides ALWAYS win.
 */
export function clusterParameters(cluster: ClusterSpec, ctx: ClusterParameterContext = {}): ParameterSet {
  const derived: ParameterSet = {
    ...replicationParameters(cluster, ctx.standbyClusters ?? 0),
    ...loggingParameters(),
    ...computeTuning(cluster.hardware, cluster.postgres.major),
    ...(ctx.tls ? tlsParameters() : {}),
    ...(ctx.backups ? archiveParameters(ctx.backups, cluster.name) : {}),
  };
  return normalizeParameters({
    ...derived,
    ...(ctx.sourceParameters ? hotStandbyFloor(derived, ctx.sourceParameters) : {}),
    ...cluster.postgres.parameters,
  });
}

/** The source's value for each HOT_STANDBY_MINIMUMS parameter that exceeds ours. */
export function hotStandbyFloor(own: Readonly<Record<string, unknown>>, source: Readonly<Record<string, unknown>>): ParameterSet {
  const out: ParameterSet = {};
  for (const key of HOT_STANDBY_MINIMUMS) {
    const theirs = Number(source[key]);
    if (source[key] !== undefined && Number.isFinite(theirs) && !(Number(own[key] ?? 0) >= theirs)) out[key] = theirs;
  }
  return out;
}

/** Settings without which Patroni's failover, pg_rewind or the replicas do not work. */
export function replicationParameters(cluster: ClusterSpec, standbyClusters: number): ParameterSet {
  const nodes = cluster.nodes;
  const userSlots = Object.keys(cluster.patroni.dcs.slots).length;
  const diskKb = cluster.hardware.diskGb * KB_PER_GB;
  const walKeep = Math.min(2 * KB_PER_GB, Math.max(128 * KB_PER_MB, Math.floor(diskKb / 50 / KB_PER_MB) * KB_PER_MB));
  const params: ParameterSet = {
    wal_level: "replica",
    hot_standby: "on",
    // pg_rewind needs hint-bit changes WAL-logged (or data checksums, which initdb also enables).
    wal_log_hints: "on",
    // A sender per replica and per standby cluster, two for each concurrent pg_basebackup, plus margin.
    max_wal_senders: Math.max(10, 2 * (nodes + standbyClusters) + 4),
    // Patroni keeps a slot per member on the leader, plus permanent and standby-cluster slots.
    max_replication_slots: Math.max(10, nodes + userSlots + standbyClusters + 4),
    hot_standby_feedback: "on",
    password_encryption: "scram-sha-256",
    shared_preload_libraries: "pg_stat_statements",
    track_io_timing: "on",
  };
  const major = cluster.postgres.major;
  if (major >= 13) {
    // Fallback for replicas without a slot (2 % of the disk, 128MB..2GB).
    params.wal_keep_size = formatSize(walKeep);
    // A forgotten slot (e.g. a standby cluster down for days) must not fill the primary's disk:
    // past 40 % of it the slot is invalidated and that standby re-syncs from the archive.
    params.max_slot_wal_keep_size = formatSize(Math.floor((diskKb * 0.4) / KB_PER_MB) * KB_PER_MB);
  } else {
    params.wal_keep_segments = Math.floor(walKeep / (16 * KB_PER_MB));
  }
  return params;
}

/** Logs in PGDATA/log, rotated weekly by name; what a DBA needs to read after an incident. */
export function loggingParameters(): ParameterSet {
  return {
    logging_collector: "on",
    log_directory: "log",
    log_filename: "postgresql-%a.log",
    log_truncate_on_rotation: "on",
    log_rotation_age: "1d",
    log_rotation_size: 0,
    log_line_prefix: "%m [%p] %q%u@%d ",
    log_checkpoints: "on",
    log_lock_waits: "on",
    log_temp_files: 0,
    log_autovacuum_min_duration: "10s",
    log_min_duration_statement: "1s",
  };
}

/** ssl on with this node's certificate; the paths are the same on every node. */
export function tlsParameters(): ParameterSet {
  const f = tlsFiles("postgres");
  return {
    ssl: "on",
    ssl_cert_file: f.certFile,
    ssl_key_file: f.keyFile,
    ssl_ca_file: f.caFile,
    ssl_min_protocol_version: "TLSv1.2",
  };
}

/** WAL archiving through the backup tool (restore_command is Patroni's: see patroni.ts). */
export function archiveParameters(target: BackupTarget, cluster: string): ParameterSet {
  return {
    archive_mode: "on",
    archive_command: archiveCommand(target, cluster),
    // An idle cluster still ships a segment a minute, bounding data loss when restoring from the archive.
    archive_timeout: "60s",
  };
}

/** PostgreSQL wants on/off; YAML and TS booleans become exactly that. */
export function normalizeParameters(params: Record<string, string | number | boolean>): ParameterSet {
  const out: ParameterSet = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === "boolean" ? (v ? "on" : "off") : v;
  return out;
}
