/**
 * Facts about the container image pgha runs on Kubernetes: Zalando's Spilo, which bundles
 * Patroni, WAL-G and every supported PostgreSQL major, and configures Patroni from env vars.
 * Checked against the Spilo sources at the pinned tag (postgres-appliance/Dockerfile,
 * scripts/configure_spilo.py); see lib/kubernetes/spiloEnvironment.ts for the env names.
 */

/**
 * Spilo 4.0-p3: Patroni 4.0.4, WAL-G v3.0.5, PostgreSQL 13-17 (PGVERSION selects the major).
 * Source: postgres-appliance/Dockerfile at tag 4.0-p3 (commit 7cb50bd6), `ENV PATRONIVERSION=4.0.4`
 * and `ENV WALG_VERSION=v3.0.5`.
 */
export const SPILO_IMAGE = {
  repository: "ghcr.io/zalando/spilo-17",
  tag: "4.0-p3",
  patroni: "4.0.4",
  walg: "v3.0.5",
  postgresMajors: [13, 14, 15, 16, 17],
} as const;

export function spiloImageRef(image: { repository: string; tag: string } = SPILO_IMAGE): string {
  return `${image.repository}:${image.tag}`;
}

/** Where the volume is mounted and where Spilo keeps PGDATA below it (image ENV: PGDATA=$PGROOT/data). */
export const SPILO_PATHS = {
  volumeMount: "/home/postgres/pgdata",
  pgroot: "/home/postgres/pgdata/pgroot",
  pgdata: "/home/postgres/pgdata/pgroot/data",
  /** configure_spilo.py writes the WAL-G env dir here; backups run with `envdir` on it. */
  walgEnvDir: "/run/etc/wal-e.d/env",
  backupScript: "/scripts/postgres_backup.sh",
} as const;

/**
 * Pod labels Patroni's Kubernetes DCS uses. Patroni selects its pods and ConfigMaps by
 * KUBERNETES_LABELS plus `<scope label>=<scope>`, and sets the role label on its own pod.
 * The image's Patroni 4.0.4 defaults the leader and standby-leader values to `primary` (4.0.0
 * release notes); Spilo's configure_spilo.py at 4.0-p3 still defaults both to `master`. pgha sets
 * them explicitly, to Patroni 4's `primary`, so the Service selectors and Patroni cannot drift
 * apart. A cluster whose pods are still labelled `master` moves with Patroni's tmp_role_label
 * steps (docs/kubernetes.rst, "Customize role label"), or its primary Service selects no pod
 * until every pod has restarted.
 */
export const PATRONI_LABELS = {
  application: { key: "application", value: "pgha" },
  scopeLabel: "cluster-name",
  roleLabel: "spilo-role",
  leaderValue: "primary",
  /** A standby cluster's leader gets the same value, so its "primary" Service follows it and keeps working after promotion. */
  standbyLeaderValue: "primary",
  /** Patroni's default follower_label_value. */
  followerValue: "replica",
} as const;

/** Ports inside the pod. PostgreSQL and the REST API ports come from the ClusterSpec. */
export const BG_MON_PORT = 8080;

/**
 * Parameters Spilo's template sets in the node-local `postgresql.parameters`, where they beat
 * bootstrap.dcs. A user value for one of these is therefore also written there (SPILO_CONFIGURATION
 * wins over Spilo's template), or Spilo's value would silently stay in force.
 */
export const SPILO_LOCAL_PARAMETERS = [
  "archive_command",
  "shared_buffers",
  "logging_collector",
  "log_destination",
  "log_directory",
  "log_filename",
  "log_file_mode",
  "log_rotation_age",
  "log_truncate_on_rotation",
  "ssl",
  "ssl_ca_file",
  "ssl_crl_file",
  "ssl_cert_file",
  "ssl_key_file",
  "shared_preload_libraries",
  "bg_mon.listen_address",
  "bg_mon.history_buckets",
  "pg_stat_statements.track_utility",
  "extwlist.extensions",
  "extwlist.custom_path",
] as const;

/** WAL-G compression methods (WALG_COMPRESSION_METHOD). WAL-G has no "none": pgha then leaves WAL-G's default (lz4). */
export const WALG_COMPRESSION: Record<string, string | undefined> = {
  lz4: "lz4",
  zstd: "zstd",
  lzma: "lzma",
  brotli: "brotli",
  none: undefined,
};

/**
 * Path of one cluster's archive inside its bucket: `<prefix><cluster>/<major>`. The major is
 * part of it (as in Spilo's own layout) so a major upgrade starts a fresh archive. A standby
 * cluster computes its source's path with the same function.
 */
export function walgArchivePath(storagePrefix: string, cluster: string, major: number): string {
  const prefix = storagePrefix.replace(/^\/+/, "").replace(/\/+$/, "");
  return `${prefix ? `${prefix}/` : ""}${cluster}/${major}`;
}

export function gcsUrl(bucket: string, path: string): string {
  return `gs://${bucket}/${path}`;
}
