/**
 * Invalid-configuration table, topology part (issue 14, V1): roles, databases, pg_hba rules,
 * member tags, standby clusters, and the mistakes that used to surface only at synth.
 */
import { describe, expect, it } from "vitest";
import { hbaAddressProblem } from "./roleRules";
import { expectAccepted, expectRefused, type InvalidCase, type Mutate } from "./testInvalid";

/** A second cluster, 'dr', following 'main' (which has no backups to restore from). */
const withStandby = (t: any, extra: Record<string, unknown> = {}) =>
  t.clusters.push({
    name: "dr",
    region: "ru-central1",
    addressBlock: 1,
    standby: { source: "main", restoreFromSourceBackups: false },
    ...extra,
  });
const roles = (t: any, ...names: string[]) => (t.clusters[0].postgres = { roles: names.map((name) => ({ name })) });
const hba = (t: any, rule: Record<string, unknown>) => (t.clusters[0].postgres = { hba: [rule] });
const tags = (t: any, ...list: Record<string, boolean>[]) => (t.clusters[0].nodeSettings = list.map((x) => ({ tags: x })));

const cases: InvalidCase[] = [
  // A standby cluster is a physical copy of its source.
  [
    "standby on PostgreSQL 17 following a 15 source",
    (t) => {
      t.clusters[0].postgres = { major: 15 };
      withStandby(t, { postgres: { major: 17 } });
    },
    "clusters[1].postgres.major",
    /^PostgreSQL 17 cannot follow source 'main' on PostgreSQL 15: physical replication works only within one major version.*pg_upgrade the source/,
  ],
  [
    "standby with roles of its own",
    (t) => withStandby(t, { postgres: { roles: [{ name: "reporting" }] } }),
    "clusters[1].postgres.roles",
    /^standby cluster 'dr' cannot create roles: its roles and databases are the source's, copied by physical replication; declare them on 'main' \(got 1\)$/,
  ],
  [
    "standby with databases of its own",
    (t) => withStandby(t, { postgres: { databases: [{ name: "reports", owner: "postgres" }] } }),
    "clusters[1].postgres.databases",
    /^standby cluster 'dr' cannot create databases: .*declare them on 'main' \(got 1\)$/,
  ],
  [
    "standby with another replication role name than its source",
    (t) => withStandby(t, { postgres: { users: { replication: "streamer" } } }),
    "clusters[1].postgres.users.replication",
    /^'streamer' differs from source 'main''s 'replicator': .*use 'replicator'$/,
  ],
  [
    "standby with another PgBouncer auth user than its source",
    (t) => withStandby(t, { pgbouncer: { authUser: "bouncer_auth" } }),
    "clusters[1].pgbouncer.authUser",
    /^'bouncer_auth' differs from source 'main''s 'pgbouncer': the auth_query role exists only as the source created it/,
  ],

  // Application roles against the roles Patroni and PgBouncer need.
  [
    "application role named replicator",
    (t) => roles(t, "replicator"),
    "clusters[0].postgres.roles[0].name",
    /^'replicator' is the replication role \(postgres\.users\.replication\): post_bootstrap would ALTER it with a different password than patroni\.yml's, so every replica fails to authenticate$/,
  ],
  [
    "application role named postgres (the superuser)",
    (t) => roles(t, "postgres"),
    "clusters[0].postgres.roles[0].name",
    /^'postgres' is the superuser \(postgres\.users\.superuser\): .*Patroni.*could no longer manage PostgreSQL$/,
  ],
  [
    "application role named like a renamed superuser",
    (t) => {
      t.clusters[0].postgres = { users: { superuser: "admin" }, roles: [{ name: "admin" }] };
    },
    "clusters[0].postgres.roles[0].name",
    /^'admin' is the superuser \(postgres\.users\.superuser\)/,
  ],
  [
    "application role named postgres after the superuser was renamed",
    (t) => {
      t.clusters[0].postgres = { users: { superuser: "admin" }, roles: [{ name: "postgres" }] };
    },
    "clusters[0].postgres.roles[0].name",
    /^'postgres' is the operating-system user Patroni and the backup tools run as/,
  ],
  [
    "application role named rewind_user",
    (t) => roles(t, "rewind_user"),
    "clusters[0].postgres.roles[0].name",
    /^'rewind_user' is the pg_rewind role \(postgres\.users\.rewind\): .*the former primary cannot rewind/,
  ],
  [
    "application role named pgbouncer (the auth_query role)",
    (t) => roles(t, "pgbouncer"),
    "clusters[0].postgres.roles[0].name",
    /^'pgbouncer' is PgBouncer's auth_query role \(pgbouncer\.authUser\), which pgha creates with its own password/,
  ],
  [
    "application role named like a renamed auth user",
    (t) => {
      roles(t, "bouncer_auth");
      t.clusters[0].pgbouncer = { authUser: "bouncer_auth" };
    },
    "clusters[0].postgres.roles[0].name",
    /^'bouncer_auth' is PgBouncer's auth_query role/,
  ],
  [
    "application role named pgbouncer with PgBouncer off",
    (t) => {
      roles(t, "pgbouncer");
      t.clusters[0].pgbouncer = { enabled: false };
    },
    "clusters[0].postgres.roles[0].name",
    /^'pgbouncer' is the default name of PgBouncer's auth_query role/,
  ],
  [
    "application role named pg_monitor",
    (t) => roles(t, "pg_monitor"),
    "clusters[0].postgres.roles[0].name",
    /^'pg_monitor' starts with pg_, which PostgreSQL reserves for its predefined roles \(CREATE ROLE refuses it\)/,
  ],
  [
    "duplicate application roles",
    (t) => roles(t, "app", "app"),
    "clusters[0].postgres.roles[1].name",
    /^duplicate role 'app' \(also postgres\.roles\[0\]\)$/,
  ],
  [
    "replication role named like the superuser",
    (t) => (t.clusters[0].postgres = { users: { replication: "postgres" } }),
    "clusters[0].postgres.users.replication",
    /^'postgres' is also postgres\.users\.superuser: Patroni creates each system role with its own password/,
  ],
  [
    "rewind role named like the replication role",
    (t) => (t.clusters[0].postgres = { users: { rewind: "replicator" } }),
    "clusters[0].postgres.users.rewind",
    /^'replicator' is also postgres\.users\.replication/,
  ],
  [
    "superuser named pg_admin",
    (t) => (t.clusters[0].postgres = { users: { superuser: "pg_admin" } }),
    "clusters[0].postgres.users.superuser",
    /^'pg_admin' starts with pg_, which PostgreSQL reserves/,
  ],
  [
    "PgBouncer auth user named like the replication role",
    (t) => (t.clusters[0].pgbouncer = { authUser: "replicator" }),
    "clusters[0].pgbouncer.authUser",
    /^'replicator' is postgres\.users\.replication: pgha would ALTER that role with the auth_query password/,
  ],

  // Databases.
  ...["postgres", "template0", "template1"].map((name): InvalidCase => [
    `database named ${name}`,
    (t) => (t.clusters[0].postgres = { roles: [{ name: "app" }], databases: [{ name, owner: "app" }] }),
    "clusters[0].postgres.databases[0].name",
    new RegExp(
      `^'${name}' already exists: initdb creates postgres, template0, template1 in every cluster, .*owner 'app' would never apply`,
    ),
  ]),
  [
    "duplicate databases",
    (t) =>
      (t.clusters[0].postgres = {
        roles: [{ name: "app" }],
        databases: [
          { name: "shop", owner: "app" },
          { name: "shop", owner: "postgres" },
        ],
      }),
    "clusters[0].postgres.databases[1].name",
    /^duplicate database 'shop' \(also postgres\.databases\[0\]\)$/,
  ],

  // pg_hba rules.
  [
    "pg_hba address with an impossible prefix",
    (t) => hba(t, { type: "hostssl", address: "10.0.0.0/99", method: "scram-sha-256" }),
    "clusters[0].postgres.hba[0].address",
    /^'10\.0\.0\.0\/99': IPv4 prefix \/99 must be \/0 to \/32; pg_hba\.conf would fail to load and PostgreSQL would not start$/,
  ],
  [
    "pg_hba IPv6 address with an impossible prefix",
    (t) => hba(t, { type: "hostssl", address: "fd00::/129", method: "scram-sha-256" }),
    "clusters[0].postgres.hba[0].address",
    /IPv6 prefix \/129 must be \/0 to \/128/,
  ],
  [
    "pg_hba address without a mask",
    (t) => hba(t, { type: "hostssl", address: "10.0.0.5", method: "scram-sha-256" }),
    "clusters[0].postgres.hba[0].address",
    /must be a CIDR .*pg_hba reads a bare address as needing a netmask/,
  ],
  [
    "pg_hba address that is no address",
    (t) => hba(t, { type: "hostssl", address: "10.0.0.300/24", method: "scram-sha-256" }),
    "clusters[0].postgres.hba[0].address",
    /'10\.0\.0\.300' is not an IPv4 or IPv6 address/,
  ],
  [
    "pg_hba host rule without an address",
    (t) => hba(t, { type: "hostssl", method: "scram-sha-256" }),
    "clusters[0].postgres.hba[0].address",
    /^is required for a hostssl rule/,
  ],
  [
    "pg_hba local rule with an address",
    (t) => hba(t, { type: "local", address: "10.0.0.0/8", method: "scram-sha-256" }),
    "clusters[0].postgres.hba[0].address",
    /^a local rule matches Unix-socket connections and takes no address/,
  ],
  [
    "pg_hba trust from everywhere",
    (t) => hba(t, { type: "hostssl", address: "0.0.0.0/0", method: "trust" }),
    "clusters[0].postgres.hba[0].method",
    /^trust on a hostssl rule lets anyone who reaches the port from 0\.0\.0\.0\/0 log in as all with no password; use scram-sha-256/,
  ],
  [
    "pg_hba peer on a network rule",
    (t) => hba(t, { type: "hostssl", address: "10.0.0.0/8", method: "peer" }),
    "clusters[0].postgres.hba[0].method",
    /^peer works on local \(Unix-socket\) rules only/,
  ],
  [
    "pg_hba cert on a host rule",
    (t) => hba(t, { type: "host", address: "10.0.0.0/8", method: "cert" }),
    "clusters[0].postgres.hba[0].method",
    /^cert needs type hostssl/,
  ],

  // Member tags.
  [
    "every member nofailover (nodeSettings for all three)",
    (t) => tags(t, { nofailover: true }, { nofailover: true }, { nofailover: true }),
    "clusters[0].nodeSettings",
    /^all 3 members of cluster 'main' have tags\.nofailover: true, so none may take the leader lock: Patroni never bootstraps the cluster/,
  ],
  [
    "the only member nofailover",
    (t) => {
      t.clusters[0].nodes = 1;
      tags(t, { nofailover: true });
    },
    "clusters[0].nodeSettings",
    /^the only member of cluster 'main' has tags\.nofailover: true/,
  ],
  [
    "every member nosync in a synchronous cluster",
    (t) => {
      t.clusters[0].patroni = { dcs: { synchronous_mode: true } };
      tags(t, { nosync: true }, { nosync: true }, { nosync: true });
    },
    "clusters[0].nodeSettings",
    /^3 of 3 members have tags\.nosync: true \(main-pg-0, main-pg-1, main-pg-2\), leaving 0 that may be synchronous standbys; .*silently runs the cluster asynchronously/,
  ],
  [
    "all but one member nosync in a strict synchronous cluster",
    (t) => {
      t.clusters[0].patroni = { dcs: { synchronous_mode: true, synchronous_mode_strict: true } };
      tags(t, {}, { nosync: true }, { nosync: true });
    },
    "clusters[0].nodeSettings",
    /^2 of 3 members .*leaving 1 that may be synchronous standbys; while one of them leads, fewer than synchronous_node_count \(1\) remain, and with synchronous_mode_strict every write then blocks/,
  ],
  [
    "quorum of 2 with one member nosync",
    (t) => {
      t.clusters[0].patroni = { dcs: { synchronous_mode: "quorum", synchronous_node_count: 2 } };
      tags(t, {}, {}, { nosync: true });
    },
    "clusters[0].nodeSettings",
    /^1 of 3 members .*leaving 2 that may be synchronous standbys; .*fewer than synchronous_node_count \(2\) remain/,
  ],

  // Used to fail only at synth.
  [
    "backup cron with minute 61 and hour 25",
    (t) => (t.clusters[0].backups = { storage: { kind: "yandex" }, schedule: "61 25 * * *" }),
    "clusters[0].backups.schedule",
    /^minute 61 is outside 0-59; hour 25 is outside 0-23 \(cron fields: minute hour day-of-month month day-of-week\)$/,
  ],
  [
    "backup cron restricting day-of-month and day-of-week",
    (t) => (t.clusters[0].backups = { storage: { kind: "yandex" }, schedule: "0 3 1 * 1" }),
    "clusters[0].backups.schedule",
    /restricts both day-of-month and day-of-week/,
  ],
  [
    "global load balancer on yandex",
    (t) => (t.clusters[0].loadBalancer = { scope: "global" }),
    "clusters[0].loadBalancer.scope",
    /^global needs a cross-region TCP load balancer, which Yandex Cloud does not have \(its Network Load Balancer is regional\); use regional$/,
  ],
  [
    "client in an unknown subnet",
    (t) => (t.clients = [{ region: "ru-central1", subnet: "nope" }]),
    "clients[0].subnet",
    /^unknown subnet 'nope'; declared: 'a', 'b', 'd'$/,
  ],
  [
    "client in a subnet of another region",
    (t) => {
      t.regions.push({ name: "ru-central2", zones: ["ru-central2-a"] });
      t.subnets.push({ name: "far", region: "ru-central2", zone: "ru-central2-a", cidr: "10.20.1.0/24" });
      t.clients = [{ region: "ru-central1", subnet: "far" }];
    },
    "clients[0].subnet",
    /^subnet 'far' is in region 'ru-central2', not the client's region 'ru-central1'$/,
  ],
];

describe("parseTopology refuses topologies that break a running cluster", () => {
  it.each(cases)("%s", (_title, mutate, path, message) => expectRefused(mutate, path, message));

  it.each<[string, Mutate]>([
    ["application roles app and reporting", (t) => roles(t, "app", "reporting")],
    ["an application role named postgres_app (only the exact names are taken)", (t) => roles(t, "postgres_app", "pgbouncer_stats")],
    ["a role named bouncer", (t) => roles(t, "bouncer")],
    ["a local trust rule (Unix socket, reachable only on the node)", (t) => hba(t, { type: "local", method: "trust" })],
    ["a hostssl rule from an IPv6 range", (t) => hba(t, { type: "hostssl", address: "fd00:10::/64", method: "scram-sha-256" })],
    ["a hostssl rule with samenet", (t) => hba(t, { type: "hostssl", address: "samenet", method: "scram-sha-256" })],
    ["a cert rule on hostssl", (t) => hba(t, { type: "hostssl", address: "10.0.0.0/8", method: "cert" })],
    ["a reject rule from everywhere", (t) => hba(t, { type: "hostssl", address: "0.0.0.0/0", method: "reject" })],
    ["nofailover on all but one member", (t) => tags(t, { nofailover: true }, { nofailover: true })],
    [
      "nofailover on every member that has settings, with a third without any",
      (t) => tags(t, { nofailover: true }, { nofailover: true }, {}),
    ],
    [
      "nosync on one of three members, synchronous_node_count 1",
      (t) => {
        t.clusters[0].patroni = { dcs: { synchronous_mode: true, synchronous_mode_strict: true } };
        tags(t, {}, {}, { nosync: true });
      },
    ],
    ["nosync everywhere in an asynchronous cluster", (t) => tags(t, { nosync: true }, { nosync: true }, { nosync: true })],
    ["a standby on the same major with the source's roles", (t) => withStandby(t, { postgres: { major: 17 } })],
    [
      "a standby of a 15 source on 15",
      (t) => {
        t.clusters[0].postgres = { major: 15 };
        withStandby(t, { postgres: { major: 15 } });
      },
    ],
    ["a cron list, range and step", (t) => (t.clusters[0].backups = { storage: { kind: "yandex" }, schedule: "0,30 1-5/2 * * 1-5" })],
    ["a client in a named subnet of its region", (t) => (t.clients = [{ region: "ru-central1", subnet: "b" }])],
    ["a regional load balancer on yandex", (t) => (t.clusters[0].loadBalancer = { scope: "regional" })],
  ])("accepts %s", (_title, mutate) => expectAccepted(mutate));
});

describe("hbaAddressProblem", () => {
  it.each([
    "10.0.0.0/8",
    "0.0.0.0/0",
    "192.168.1.7/32",
    "::/0",
    "::1/128",
    "fd00::/8",
    "2001:db8::1/128",
    "::ffff:10.0.0.1/128",
    "all",
    "samehost",
  ])("accepts %s", (address) => expect(hbaAddressProblem(address)).toBeUndefined());
  it.each([
    "10.0.0.0/33",
    "10.0.0.0",
    "10.0.0/8",
    "fd00:::1/64",
    ":fd00::/8",
    "1:2:3:4:5:6:7:8:9/128",
    "gg::/8",
    "example.com/32",
    "10.0.0.0/-1",
  ])("refuses %s", (address) => expect(hbaAddressProblem(address)).toBeDefined());
});
