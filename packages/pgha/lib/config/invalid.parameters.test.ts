/**
 * PostgreSQL parameters and extensions, checked against the table generated from the cluster's
 * major (gucs/), and against pgha's own features (TLS, backups, replication, memory, PgBouncer).
 */
import { describe, expect, it } from "vitest";
import { parseTopology } from ".";
import { base, expectAccepted, expectRefused, type InvalidCase, type Mutate } from "./testInvalid";

const params =
  (p: Record<string, unknown>, extra: Record<string, unknown> = {}): Mutate =>
  (t) =>
    (t.clusters[0].postgres = { parameters: p, ...extra });
const withBackups: Mutate = (t) => (t.clusters[0].backups = { storage: { kind: "yandex" } });
const P = "clusters[0].postgres.parameters";

const cases: InvalidCase[] = [
  // Names and values, as that major's server reads them.
  [
    "a misspelt parameter",
    params({ shared_bufers: "1GB" }),
    `${P}.shared_bufers`,
    /^unknown parameter 'shared_bufers' for PostgreSQL 17; did you mean 'shared_buffers'\?/,
  ],
  [
    "a parameter 17 does not have",
    params({ old_snapshot_threshold: "1h" }),
    `${P}.old_snapshot_threshold`,
    /^unknown parameter 'old_snapshot_threshold' for PostgreSQL 17/,
  ],
  [
    "max_connections: lots",
    params({ max_connections: "lots" }),
    `${P}.max_connections`,
    /^max_connections must be an integer; got "lots"$/,
  ],
  [
    "a unit on a unitless integer",
    params({ max_connections: "100MB" }),
    `${P}.max_connections`,
    /^max_connections takes no unit; got "100MB"$/,
  ],
  [
    "a time unit on a memory setting",
    params({ work_mem: "10s" }),
    `${P}.work_mem`,
    /^work_mem: 's' is not a unit it takes \(B, kB, MB, GB, TB; case matters\)/,
  ],
  ["a unit in the wrong case", params({ shared_buffers: "1gb" }), `${P}.shared_buffers`, /'gb' is not a unit it takes/],
  [
    "shared_buffers above the server's maximum",
    params({ shared_buffers: "16TB" }),
    `${P}.shared_buffers`,
    /^shared_buffers 16TB is outside PostgreSQL 17's range for it: 128kB to ~8TB$/,
  ],
  [
    "a time below the minimum",
    params({ checkpoint_timeout: "10s" }),
    `${P}.checkpoint_timeout`,
    /^checkpoint_timeout 10s is outside PostgreSQL 17's range for it: 30s to 1d$/,
  ],
  [
    "a bare number above an integer's maximum",
    params({ max_connections: 300000 }),
    `${P}.max_connections`,
    /^max_connections 300000 is outside PostgreSQL 17's range for it: 1 to 262143$/,
  ],
  [
    "a real setting that is not a number",
    params({ random_page_cost: "fast" }),
    `${P}.random_page_cost`,
    /^random_page_cost must be a number; got "fast"$/,
  ],
  [
    "a boolean spelt wrong",
    params({ log_checkpoints: "enabled" }),
    `${P}.log_checkpoints`,
    /^log_checkpoints must be a boolean \(on\/off, true\/false, yes\/no, 1\/0\); got "enabled"$/,
  ],
  ["'o' is ambiguous for a boolean", params({ log_checkpoints: "o" }), `${P}.log_checkpoints`, /must be a boolean/],
  [
    "an enum value the server lacks",
    params({ synchronous_commit: "always" }),
    `${P}.synchronous_commit`,
    /^synchronous_commit must be one of local, remote_write, remote_apply, on, off; got "always"$/,
  ],
  [
    "an internal setting",
    params({ block_size: 16384 }),
    `${P}.block_size`,
    /^block_size cannot be set: PostgreSQL fixes it when the server is built or the cluster is initialized$/,
  ],
  [
    "a node's misspelt parameter",
    (t) => (t.clusters[0].nodeSettings = [{ parameters: { work_meme: "4MB" } }]),
    "clusters[0].nodeSettings[0].parameters.work_meme",
    /did you mean 'work_mem'\?/,
  ],
  [
    "a PostgreSQL 16 setting on 15",
    params({ io_combine_limit: "128kB" }, { major: 15 }),
    `${P}.io_combine_limit`,
    /^unknown parameter 'io_combine_limit' for PostgreSQL 15/,
  ],
  // Majors.
  [
    "PostgreSQL 16",
    (t) => (t.clusters[0].postgres = { major: 16 }),
    "clusters[0].postgres.major",
    /^PostgreSQL 16 is not supported: pgha checks parameters against a table generated from that major's own server, and has tables for 15 and 17$/,
  ],
  ["PostgreSQL 14", (t) => (t.clusters[0].postgres = { major: 14 }), "clusters[0].postgres.major", /^PostgreSQL 14 is not supported/],
  // pgha's features.
  [
    "ssl off while TLS is on",
    params({ ssl: "off" }),
    `${P}.ssl`,
    /^ssl off contradicts tls\.postgres: true: pgha's pg_hba admits remote clients only over TLS \(hostssl\)/,
  ],
  [
    "ssl false on one node",
    (t) => (t.clusters[0].nodeSettings = [{ parameters: { ssl: false } }]),
    "clusters[0].nodeSettings[0].parameters.ssl",
    /^ssl off contradicts tls\.postgres: true/,
  ],
  [
    "pgha's certificate paths overridden",
    params({ ssl_cert_file: "/tmp/x.pem" }),
    `${P}.ssl_cert_file`,
    /set by pgha to the node's own certificate files/,
  ],
  [
    "archive_mode off with backups",
    (t) => {
      withBackups(t);
      params({ archive_mode: "off" })(t);
    },
    `${P}.archive_mode`,
    /^archive_mode off with clusters\[0\]\.backups configured \(walg\): no WAL would reach the backup storage/,
  ],
  [
    "archive_command /bin/true with backups",
    (t) => {
      withBackups(t);
      params({ archive_command: "/bin/true" })(t);
    },
    `${P}.archive_command`,
    /^archive_command is pgha's while clusters\[0\]\.backups is configured: WAL is archived with walg/,
  ],
  [
    "archive_library with backups",
    (t) => {
      withBackups(t);
      params({ archive_library: "basic_archive" })(t);
    },
    `${P}.archive_library`,
    /^archive_library is pgha's/,
  ],
  [
    "archive_mode on with nothing to archive with",
    params({ archive_mode: "on" }),
    `${P}.archive_mode`,
    /^archive_mode on without clusters\[0\]\.backups, archive_command or archive_library: PostgreSQL keeps every WAL segment/,
  ],
  [
    "wal_level minimal",
    params({ wal_level: "minimal" }),
    `${P}.wal_level`,
    /^wal_level minimal cannot feed replicas or archive WAL: Patroni's replicas need replica or logical$/,
  ],
  ["hot_standby off", params({ hot_standby: false }), `${P}.hot_standby`, /^hot_standby off makes replicas refuse every connection/],
  [
    "max_wal_senders: 1",
    params({ max_wal_senders: 1 }),
    `${P}.max_wal_senders`,
    /^max_wal_senders 1 is below the 4 cluster 'main' needs: 2 replicas \+ 0 standby clusters \+ 2 for a replica being rebuilt/,
  ],
  [
    "max_replication_slots: 2",
    params({ max_replication_slots: 2 }),
    `${P}.max_replication_slots`,
    /^max_replication_slots 2 is below the 3 cluster 'main' needs: 2 member slots \+ 0 permanent slots \+ 0 standby clusters \+ 1 temporary slot/,
  ],
  [
    "shared_buffers 64GB on 32 GB",
    (t) => {
      t.clusters[0].hardware = { ramGb: 32 };
      params({ shared_buffers: "64GB" })(t);
    },
    `${P}.shared_buffers`,
    /^shared_buffers 64GB exceeds 75% of the node's 32 GB of memory \(clusters\[0\]\.hardware\.ramGb\)/,
  ],
  [
    "shared_buffers 4GB on the default 4 GB",
    params({ shared_buffers: 524288 }),
    `${P}.shared_buffers`,
    /^shared_buffers 4GB exceeds 75% of the node's 4 GB/,
  ],
  [
    "max_connections below PgBouncer's pool",
    params({ max_connections: 20 }),
    `${P}.max_connections`,
    /^max_connections 20 is below the 31 each node needs: 1 database\(s\) x \(defaultPoolSize 20 \+ reservePoolSize 5 of clusters\[0\]\.pgbouncer \+ 1 auth_query connection\) \+ superuser_reserved_connections 3 \+ 2 for Patroni/,
  ],
  [
    "max_connections below the pools of two databases",
    (t) => {
      t.clusters[0].postgres = {
        parameters: { max_connections: 50 },
        roles: [{ name: "app" }],
        databases: [
          { name: "a", owner: "app" },
          { name: "b", owner: "app" },
        ],
      };
    },
    `${P}.max_connections`,
    /^max_connections 50 is below the 57 each node needs: 2 database\(s\)/,
  ],
  [
    "pgha's default max_connections below PgBouncer's pools",
    (t) => {
      t.clusters[0].hardware = { workload: "olap" };
      t.clusters[0].postgres = {
        roles: [{ name: "app" }],
        databases: [
          { name: "a", owner: "app" },
          { name: "b", owner: "app" },
        ],
      };
    },
    "clusters[0].pgbouncer.defaultPoolSize",
    /^PgBouncer's pools need 57 server connections on each node \(2 database\(s\) x .*\), but max_connections is 50, pgha's default for clusters\[0\]\.hardware \(workload olap, 4 GB\); shrink the pools or set clusters\[0\]\.postgres\.parameters\.max_connections to at least 57$/,
  ],
  [
    "password_encryption md5 under scram-sha-256 pg_hba rules",
    params({ password_encryption: "md5" }),
    `${P}.password_encryption`,
    /^password_encryption md5 stores role passwords as MD5 hashes, but pgha's pg_hba authenticates with scram-sha-256/,
  ],
  // Extensions.
  [
    "timescaledb",
    (t) => (t.clusters[0].postgres = { roles: [{ name: "app" }], databases: [{ name: "app", owner: "app", extensions: ["timescaledb"] }] }),
    "clusters[0].postgres.databases[0].extensions[0]",
    /^'timescaledb' is not shipped with PostgreSQL 17 \(package postgresql-17\), so CREATE EXTENSION would fail when the cluster bootstraps; shipped: .*pg_stat_statements/,
  ],
  [
    "a misspelt extension",
    (t) => (t.clusters[0].postgres = { roles: [{ name: "app" }], databases: [{ name: "app", owner: "app", extensions: ["pg_trgrm"] }] }),
    "clusters[0].postgres.databases[0].extensions[0]",
    /did you mean 'pg_trgm'\?$/,
  ],
];

describe("parameters and extensions that break a cluster are refused", () => {
  it.each(cases)("%s", (_title, mutate, path, message) => expectRefused(mutate, path, message));
});

describe("parameters PostgreSQL and pgha accept", () => {
  const accepted: [string, Mutate][] = [
    ["shared_buffers 1GB on 4 GB", params({ shared_buffers: "1GB" })],
    ["an extension's dotted setting", params({ "pg_stat_statements.max": 5000 })],
    ["log_min_duration_statement 250ms", params({ log_min_duration_statement: "250ms" })],
    ["-1 where it means off", params({ log_min_duration_statement: -1 })],
    ["synchronous_commit remote_apply", params({ synchronous_commit: "remote_apply" })],
    ["an enum in upper case", params({ synchronous_commit: "REMOTE_APPLY" })],
    ["an on/off enum given a boolean", params({ synchronous_commit: false, huge_pages: "true" })],
    [
      "booleans as true and 'on'",
      params({ log_checkpoints: true, log_lock_waits: "on", log_connections: "yes", log_disconnections: "of" }),
    ],
    ["a fractional size PostgreSQL rounds", params({ work_mem: "1.5MB" })],
    ["a hex integer", params({ max_connections: "0xC8" })],
    ["a real with a time unit", params({ vacuum_cost_delay: "2ms", random_page_cost: 1.1 })],
    ["wal_level logical", params({ wal_level: "logical" })],
    ["max_wal_senders at the floor", params({ max_wal_senders: 4 })],
    ["max_connections at the floor", params({ max_connections: 31 })],
    [
      "olap with two databases and max_connections raised",
      (t) => {
        t.clusters[0].hardware = { workload: "olap" };
        t.clusters[0].postgres = {
          parameters: { max_connections: 57 },
          roles: [{ name: "app" }],
          databases: [
            { name: "a", owner: "app" },
            { name: "b", owner: "app" },
          ],
        };
      },
    ],
    [
      "no PgBouncer, no pool rule",
      (t) => {
        t.clusters[0].pgbouncer = { enabled: false };
        params({ max_connections: 10 })(t);
      },
    ],
    [
      "archive_mode always with backups",
      (t) => {
        withBackups(t);
        params({ archive_mode: "always" })(t);
      },
    ],
    ["archiving the user's own way without backups", params({ archive_mode: "on", archive_command: "cp %p /archive/%f" })],
    ["PostgreSQL 15 with its own settings", params({ vacuum_defer_cleanup_age: 0 }, { major: 15 })],
    [
      "a shipped extension",
      (t) =>
        (t.clusters[0].postgres = {
          roles: [{ name: "app" }],
          databases: [{ name: "app", owner: "app", extensions: ["pg_trgm", "pgcrypto"] }],
        }),
    ],
  ];
  it.each(accepted)("%s", (_title, mutate) => expectAccepted(mutate));

  it("reports every bad parameter of a cluster at once", () => {
    const t = structuredClone(base());
    params({ shared_bufers: "1GB", max_connections: "lots", wal_level: "minimal" })(t);
    expect(() => parseTopology(t)).toThrow(/shared_bufers[\s\S]*max_connections[\s\S]*wal_level/);
  });
});
