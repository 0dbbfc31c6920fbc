/**
 * What a user writes for a cluster's PostgreSQL and Patroni. Hand-written so editors and the
 * docs show each field's meaning, default, unit and rule; inputs.test.ts proves these equal the
 * zod input types, and that each field's text equals its description in the JSON Schema.
 */

/** A postgresql.conf value as written in YAML: `256MB`, `100`, `on`/`true`. */
export type ParameterValue = string | number | boolean;

/** postgresql.conf parameters by lowercase name (`work_mem`, `pg_stat_statements.track`). */
export type ParametersInput = Record<string, ParameterValue>;

export interface PostgresInput {
  /**
   * PostgreSQL major version: 15 or 17, the majors pgha has parameter tables for; default 17 (the one Debian 13, the default OS,
   * ships).
   */
  major?: number;
  /** PostgreSQL port on the nodes: 1024-65535; default 5432. */
  port?: number;
  /**
   * Cluster-wide parameters by lowercase name (to bootstrap.dcs.postgresql.parameters). Ones
   * Patroni and pgha own (port, listen_addresses, primary_conninfo, ...) are rejected. Default none.
   */
  parameters?: ParametersInput;
  /** Extra pg_hba rules, placed before pgha's defaults; pgha always writes the full file. Default none. */
  hba?: HbaRuleInput[];
  /** Names of the system roles Patroni uses. */
  users?: SystemUsersInput;
  /** Application roles: LOGIN, each with a password generated as a Pulumi secret. Default none. */
  roles?: RoleInput[];
  /** Databases to create. Default none. */
  databases?: DatabaseInput[];
}

export interface HbaRuleInput {
  /** Connection type: local, host, hostssl or hostnossl. */
  type: "local" | "host" | "hostssl" | "hostnossl";
  /** Database the rule matches; default all. */
  database?: string;
  /** Role the rule matches; default all. */
  user?: string;
  /** Client CIDR for host rules; omit for local. */
  address?: string;
  /** Authentication method: scram-sha-256, md5, reject, peer, cert or trust. */
  method: "scram-sha-256" | "md5" | "reject" | "peer" | "cert" | "trust";
}

/** Role names are PostgreSQL identifiers: lowercase letters, digits and '_', starting with a letter or '_', at most 63. */
export interface SystemUsersInput {
  /** Superuser role name; default postgres. */
  superuser?: string;
  /** Role replicas stream as; default replicator. */
  replication?: string;
  /** Role pg_rewind connects as; default rewind_user. */
  rewind?: string;
}

export interface RoleInput {
  /** Role name: a PostgreSQL identifier (lowercase letters, digits and '_', at most 63). */
  name: string;
  /** Role attributes besides LOGIN, which is implied: CREATEDB, CREATEROLE, REPLICATION, BYPASSRLS. Default none. */
  options?: ("CREATEDB" | "CREATEROLE" | "REPLICATION" | "BYPASSRLS")[];
}

export interface DatabaseInput {
  /** Database name: a PostgreSQL identifier (lowercase letters, digits and '_', at most 63). */
  name: string;
  /** Owning role: one of `roles` or the superuser. */
  owner: string;
  /** Extensions to create in the database (lowercase names). Default none. */
  extensions?: string[];
}

export interface PatroniInput {
  /** Dynamic configuration: bootstrap.dcs when the cluster is created, PATCH /config on day 2. */
  dcs?: DcsInput;
  /** Executables Patroni runs on member events (absolute paths). */
  callbacks?: CallbacksInput;
  /** Hardware watchdog that resets a node whose Patroni hangs while it holds the leader lock. */
  watchdog?: WatchdogInput;
  /**
   * Order in which a new replica is created: basebackup, walg or pgbackrest (the latter two need
   * that backups.tool); at least one. Default: the backup tool first (if any), then basebackup.
   */
  create_replica_methods?: ("basebackup" | "walg" | "pgbackrest")[];
  /** Patroni REST API port: 1024-65535; default 8008. */
  restApiPort?: number;
}

export interface DcsInput {
  /**
   * Leader lease profile. default: ttl 30, loop_wait 10, retry_timeout 10 (a crashed leader is
   * replaced after ~30-40 s). fast: 20/5/5 (~15-25 s, but a DCS stall over 5 s demotes the leader).
   * Default default.
   */
  timing?: "default" | "fast";
  /** Leader lock time-to-live in seconds: 20-3600 and >= loop_wait + 2 x retry_timeout. Overrides the timing profile. */
  ttl?: number;
  /** Seconds between runs of Patroni's HA loop: 1-3594 (ttl bounds it). Overrides the timing profile. */
  loop_wait?: number;
  /** Seconds before Patroni gives up a DCS or PostgreSQL operation: 3-1799 (ttl bounds it). Overrides the timing profile. */
  retry_timeout?: number;
  /** Bytes a replica may lag behind and still be promoted; >= 0; default 1048576 (1 MiB). */
  maximum_lag_on_failover?: number;
  /**
   * true: commits wait for synchronous standbys in order (FIRST n); "quorum": for any n of them
   * (ANY n, Patroni >= 4.0); false: asynchronous. Default false.
   */
  synchronous_mode?: boolean | "quorum";
  /**
   * Block commits while no synchronous standby is up instead of falling back to asynchronous;
   * needs synchronous_mode and >= 2 nodes. Default false.
   */
  synchronous_mode_strict?: boolean;
  /** Synchronous standbys: 1-8, and below the cluster's node count when synchronous. Default 1. */
  synchronous_node_count?: number;
  /** Keep the primary running while the DCS is unreachable but every member still sees it; default true. */
  failsafe_mode?: boolean;
  /** Rewind a former primary with pg_rewind instead of cloning it anew; default true. */
  use_pg_rewind?: boolean;
  /** Replication slots for the members; default true. */
  use_slots?: boolean;
  /** Permanent replication slots by name (lowercase letters, digits and '_', at most 63). Default none. */
  slots?: Record<string, PermanentSlotInput>;
}

/** A permanent slot: physical, or logical with its database and output plugin. */
export type PermanentSlotInput = PhysicalSlotInput | LogicalSlotInput;

export interface PhysicalSlotInput {
  /** physical: a slot for a physical standby outside the cluster. */
  type: "physical";
}

export interface LogicalSlotInput {
  /** logical: a slot for logical decoding. */
  type: "logical";
  /** Database the slot decodes. */
  database: string;
  /** Output plugin, e.g. pgoutput. */
  plugin: string;
}

export interface CallbacksInput {
  /** Absolute path of an executable run when PostgreSQL starts. */
  on_start?: string;
  /** Absolute path of an executable run when PostgreSQL stops. */
  on_stop?: string;
  /** Absolute path of an executable run when PostgreSQL restarts. */
  on_restart?: string;
  /** Absolute path of an executable run when PostgreSQL reloads its configuration. */
  on_reload?: string;
  /** Absolute path of an executable run when the member's role changes (promotion, demotion). */
  on_role_change?: string;
}

export interface WatchdogInput {
  /** off, automatic (use one if present) or required (refuse to lead without one); default off. */
  mode?: "off" | "automatic" | "required";
  /** Watchdog device; default /dev/watchdog. */
  device?: string;
  /** Seconds between the watchdog firing and the leader key expiring; >= 0; default 5. */
  safety_margin?: number;
}

/** Settings that may differ between members of one cluster. */
export interface NodeSettingsInput {
  /** Patroni tags of this member. */
  tags?: NodeTagsInput;
  /**
   * Node-local parameters by lowercase name; cluster-wide ones (max_connections, wal_level, ...)
   * are rejected: set them in postgres.parameters. Default none.
   */
  parameters?: ParametersInput;
}

export interface NodeTagsInput {
  /** Never promote this member; default false. */
  nofailover?: boolean;
  /** Keep this member out of the replicas listener; default false. */
  noloadbalance?: boolean;
  /** Prefer this member as the source of new replicas; default false. */
  clonefrom?: boolean;
  /** Never make this member a synchronous standby; default false. */
  nosync?: boolean;
  /** Member of the same cluster (`<cluster>-pg-<i>`) to stream from, for cascading replication. */
  replicatefrom?: string;
}
