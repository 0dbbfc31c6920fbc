import { describe, expect, it } from "vitest";
import { expectAccepted, expectRefused, gcpTwoRegions, type InvalidCase, type Mutate } from "./testInvalid";

const cases: InvalidCase[] = [
  [
    "ttl too small for loop_wait + 2*retry_timeout",
    (t) => (t.clusters[0].patroni = { dcs: { ttl: 20, loop_wait: 10, retry_timeout: 6 } }),
    "clusters[0].patroni.dcs.ttl",
    /ttl \(20\) must be >= loop_wait \+ 2\*retry_timeout \(22\)/,
  ],
  [
    "fast profile with a too-long retry_timeout",
    (t) => (t.clusters[0].patroni = { dcs: { timing: "fast", retry_timeout: 10 } }),
    "clusters[0].patroni.dcs.ttl",
    /ttl \(20\) must be >= loop_wait \+ 2\*retry_timeout \(25\)/,
  ],
  [
    "ttl below Patroni 4's minimum",
    (t) => (t.clusters[0].patroni = { dcs: { ttl: 15, loop_wait: 5, retry_timeout: 5 } }),
    "clusters[0].patroni.dcs.ttl",
    /^ttl must be >= 20: Patroni 4 raises a smaller ttl with only a log warning \(got 15\)$/,
  ],
  [
    "absurd ttl",
    (t) => (t.clusters[0].patroni = { dcs: { ttl: 1000000000000 } }),
    "clusters[0].patroni.dcs.ttl",
    /^ttl must be <= 3600: a crashed leader is replaced only after ttl seconds \(got 1000000000000\)$/,
  ],
  [
    "loop_wait of zero",
    (t) => (t.clusters[0].patroni = { dcs: { loop_wait: 0 } }),
    "clusters[0].patroni.dcs.loop_wait",
    /^loop_wait must be >= 1 \(Patroni's minimum\) \(got 0\)$/,
  ],
  [
    "retry_timeout below Patroni 4's minimum",
    (t) => (t.clusters[0].patroni = { dcs: { timing: "fast", retry_timeout: 2 } }),
    "clusters[0].patroni.dcs.retry_timeout",
    /^retry_timeout must be >= 3: Patroni 4 raises a smaller one with only a log warning \(got 2\)$/,
  ],
  [
    "synchronous_mode neither boolean nor quorum",
    (t) => (t.clusters[0].patroni = { dcs: { synchronous_mode: "yes" } }),
    "clusters[0].patroni.dcs.synchronous_mode",
    /^must be true, false or "quorum" \(got "yes"\)$/,
  ],
  [
    "quorum synchronous_node_count not below node count",
    (t) => (t.clusters[0].patroni = { dcs: { synchronous_mode: "quorum", synchronous_node_count: 3 } }),
    "clusters[0].patroni.dcs.synchronous_node_count",
    /^synchronous_node_count \(3\) must be < the number of Patroni nodes \(3\): Patroni would silently lower it/,
  ],
  [
    "quorum on one node",
    (t) => {
      t.clusters[0].nodes = 1;
      t.clusters[0].patroni = { dcs: { synchronous_mode: "quorum" } };
    },
    "clusters[0].patroni.dcs.synchronous_node_count",
    /^synchronous_node_count \(1\) must be < the number of Patroni nodes \(1\)/,
  ],
  [
    "sync listener in an asynchronous cluster",
    (t) => (t.clusters[0].haproxy = { listeners: { sync: 5002 } }),
    "clusters[0].haproxy.listeners.sync",
    /^needs patroni\.dcs\.synchronous_mode true or "quorum": in an asynchronous cluster no member is a synchronous standby/,
  ],
  ["even etcd members", (t) => (t.etcd = { members: 4 }), "etcd.members", /odd number of members, at least 3 \(got 4\)/],
  ["single etcd member", (t) => (t.etcd = { members: 1 }), "etcd.members", /at least 3 \(got 1\)/],
  ["nine etcd members", (t) => (t.etcd = { members: 9 }), "etcd.members", /^at most 7 etcd members: more slows every write \(got 9\)$/],
  [
    "even etcd members on gke (the schema's bound holds on every platform)",
    (t) => {
      t.platform.kind = "gke";
      t.regions = [{ name: "europe-west1", zones: ["europe-west1-b"] }];
      t.subnets = [{ name: "a", region: "europe-west1", cidr: "10.1.0.0/24" }];
      t.clusters[0].region = "europe-west1";
      t.etcd = { members: 4 };
    },
    "etcd.members",
    /odd number of members, at least 3 \(got 4\)/,
  ],
  [
    "loop_wait no ttl can cover",
    (t) => (t.clusters[0].patroni = { dcs: { ttl: 3600, loop_wait: 3595, retry_timeout: 3 } }),
    "clusters[0].patroni.dcs.loop_wait",
    /^loop_wait must be <= 3594: ttl \(at most 3600\) must be >= loop_wait \+ 2\*retry_timeout \(got 3595\)$/,
  ],
  [
    "retry_timeout no ttl can cover",
    (t) => (t.clusters[0].patroni = { dcs: { ttl: 3600, loop_wait: 1, retry_timeout: 1800 } }),
    "clusters[0].patroni.dcs.retry_timeout",
    /^retry_timeout must be <= 1799: .* \(got 1800\)$/,
  ],
  [
    "synchronous_node_count above any cluster's standbys",
    (t) => (t.clusters[0].patroni = { dcs: { synchronous_node_count: 9 } }),
    "clusters[0].patroni.dcs.synchronous_node_count",
    /^synchronous_node_count must be <= 8: below the number of Patroni nodes, which is at most 9 \(got 9\)$/,
  ],
  [
    "more nodeSettings than any cluster has nodes",
    (t) => (t.clusters[0].nodeSettings = Array.from({ length: 10 }, () => ({}))),
    "clusters[0].nodeSettings",
    /^at most 9 entries: one per Patroni node \(got a list of 10\)$/,
  ],
  [
    "etcd election timeout below 5x heartbeat",
    (t) => (t.etcd = { heartbeatIntervalMs: 300, electionTimeoutMs: 1000 }),
    "etcd.electionTimeoutMs",
    /must be >= 5 x heartbeatIntervalMs \(1500\)/,
  ],
  [
    "synchronous_node_count not below node count",
    (t) => (t.clusters[0].patroni = { dcs: { synchronous_mode: true, synchronous_node_count: 3 } }),
    "clusters[0].patroni.dcs.synchronous_node_count",
    /synchronous_node_count \(3\) must be < the number of Patroni nodes \(3\)/,
  ],
  [
    "strict sync on one node",
    (t) => {
      t.clusters[0].nodes = 1;
      t.clusters[0].patroni = { dcs: { synchronous_mode: true, synchronous_mode_strict: true } };
    },
    "clusters[0].patroni.dcs.synchronous_mode_strict",
    /needs >= 2 nodes \(got 1\)/,
  ],
  [
    "strict without synchronous_mode",
    (t) => (t.clusters[0].patroni = { dcs: { synchronous_mode_strict: true } }),
    "clusters[0].patroni.dcs.synchronous_mode_strict",
    /^synchronous_mode_strict needs synchronous_mode: true or "quorum"$/,
  ],
  [
    "synchronous-strict standby",
    (t) => {
      t.clusters[0].backups = { storage: { kind: "yandex" } };
      t.clusters.push({
        name: "dr",
        region: "ru-central1",
        standby: { source: "main" },
        patroni: { dcs: { synchronous_mode: true, synchronous_mode_strict: true } },
        addressBlock: 1,
      });
    },
    "clusters[1].patroni.dcs.synchronous_mode_strict",
    /standby cluster cannot be synchronous-strict/,
  ],
  [
    "overlapping subnets",
    (t) => (t.subnets[1].cidr = "10.10.0.0/16"),
    "subnets[1].cidr",
    /10\.10\.0\.0\/16 overlaps subnets\[0\] 'a' \(10\.10\.1\.0\/24\)/,
  ],
  [
    "subnet too small for planned IPs",
    (t) => (t.subnets[0].cidr = "10.10.1.0/27"),
    "subnets[0].cidr",
    /no room for the planned static IPs: load balancer of main needs host offset 45 but only 30 usable/,
  ],
  ["CIDR with host bits", (t) => (t.subnets[0].cidr = "10.10.1.5/24"), "subnets[0].cidr", /host bits set; did you mean 10\.10\.1\.0\/24/],
  ["CIDR that is not one", (t) => (t.subnets[0].cidr = "10.10.1/24"), "subnets[0].cidr", /must be an IPv4 CIDR/],
  [
    "duplicate listener ports",
    (t) => (t.clusters[0].haproxy = { listeners: { primary: 5000, replicas: 5000 } }),
    "clusters[0].haproxy.listeners.replicas",
    /port 5000 is already used by clusters\[0\]\.haproxy\.listeners\.primary/,
  ],
  [
    "stats port clashes with sync port",
    (t) => (t.clusters[0].haproxy = { listeners: { sync: 7000 } }),
    "clusters[0].haproxy.listeners.stats",
    /port 7000 is already used by clusters\[0\]\.haproxy\.listeners\.sync/,
  ],
  [
    "pgbouncer on the postgres port",
    (t) => (t.clusters[0].pgbouncer = { port: 5432 }),
    "clusters[0].pgbouncer.port",
    /port 5432 is already used by clusters\[0\]\.postgres\.port/,
  ],
  ["cluster name not DNS-safe", (t) => (t.clusters[0].name = "Main_DB"), "clusters[0].name", /must be DNS-safe/],
  ["stack name not DNS-safe", (t) => (t.name = "-x"), "name", /must be DNS-safe/],
  [
    "retention of zero full backups",
    (t) => (t.clusters[0].backups = { storage: { kind: "yandex" }, retainFull: 0 }),
    "clusters[0].backups.retainFull",
    /retainFull must be >= 1/,
  ],
  [
    "max_connections as a per-node override",
    (t) => (t.clusters[0].nodeSettings = [{ parameters: { max_connections: 500 } }]),
    "clusters[0].nodeSettings[0].parameters.max_connections",
    /max_connections is cluster-wide: .* set it in clusters\[0\]\.postgres\.parameters/,
  ],
  [
    "wal_level as a per-node override",
    (t) => (t.clusters[0].nodeSettings = [{}, { parameters: { wal_level: "logical" } }]),
    "clusters[0].nodeSettings[1].parameters.wal_level",
    /wal_level is cluster-wide/,
  ],
  [
    "max_locks_per_transaction as a per-node override",
    (t) => (t.clusters[0].nodeSettings = [{ parameters: { max_locks_per_transaction: 128 } }]),
    "clusters[0].nodeSettings[0].parameters.max_locks_per_transaction",
    /cluster-wide/,
  ],
  [
    "a Patroni-owned parameter",
    (t) => (t.clusters[0].postgres = { parameters: { primary_conninfo: "host=x" } }),
    "clusters[0].postgres.parameters.primary_conninfo",
    /managed by Patroni and pgha/,
  ],
  [
    "postgres major 13",
    (t) => (t.clusters[0].postgres = { major: 13 }),
    "clusters[0].postgres.major",
    /^PostgreSQL 13 is not supported: pgha checks parameters against a table generated from that major's own server/,
  ],
  [
    "postgres major 18",
    (t) => (t.clusters[0].postgres = { major: 18 }),
    "clusters[0].postgres.major",
    /^PostgreSQL 18 is not supported: pgha checks parameters against a table generated from that major's own server/,
  ],
  ["unknown platform kind", (t) => (t.platform.kind = "aws"), "platform.kind", /must be one of "yandex", "gcp", "gke", "local", got "aws"/],
  ["yandex subnet without zone", (t) => delete t.subnets[0].zone, "subnets[0].zone", /required on yandex: Yandex VPC subnets are zonal/],
  [
    "gcp subnet with a zone",
    (t) => {
      t.platform.kind = "gcp";
      t.regions = [{ name: "europe-west1", zones: ["europe-west1-b"] }];
      t.subnets = [{ name: "a", region: "europe-west1", zone: "europe-west1-b", cidr: "10.1.0.0/24" }];
      t.clusters[0].region = "europe-west1";
    },
    "subnets[0].zone",
    /must be omitted on gcp/,
  ],
  [
    "subnet zone outside its region",
    (t) => (t.subnets[0].zone = "ru-central1-c"),
    "subnets[0].zone",
    /zone 'ru-central1-c' is not in region 'ru-central1'/,
  ],
  [
    "cluster in an unknown region",
    (t) => (t.clusters[0].region = "mars-1"),
    "clusters[0].region",
    /unknown region 'mars-1'; declared: 'ru-central1'/,
  ],
  [
    "duplicate cluster names",
    (t) => t.clusters.push({ name: "main", region: "ru-central1", addressBlock: 2 }),
    "clusters[1].name",
    /duplicate name 'main'/,
  ],
  [
    "standby of an unknown cluster",
    (t) => t.clusters.push({ name: "dr", region: "ru-central1", standby: { source: "nope" } }),
    "clusters[1].standby.source",
    /unknown cluster 'nope'/,
  ],
  [
    "standby following itself",
    (t) => (t.clusters[0].standby = { source: "main", restoreFromSourceBackups: false }),
    "clusters[0].standby.source",
    /cannot follow itself/,
  ],
  [
    "standby restoring from a source without backups",
    (t) => t.clusters.push({ name: "dr", region: "ru-central1", standby: { source: "main" } }),
    "clusters[1].standby.restoreFromSourceBackups",
    /source cluster 'main' has no backups/,
  ],
  [
    "standby restoring from a source's node-local backups",
    (t) => {
      t.platform.kind = "local";
      t.clusters[0].backups = { tool: "pgbackrest", storage: { kind: "local", path: "/var/lib/pgbackrest" } };
      t.clusters.push({ name: "dr", region: "ru-central1", standby: { source: "main" }, addressBlock: 1 });
    },
    "clusters[1].standby.restoreFromSourceBackups",
    /keeps its backups on its own nodes \(storage kind local\), which a standby cannot read/,
  ],
  [
    "gcs storage on yandex",
    (t) => (t.clusters[0].backups = { storage: { kind: "gcs" } }),
    "clusters[0].backups.storage.kind",
    /'gcs' storage is not available on yandex; use one of yandex, s3/,
  ],
  ["unknown storage kind", (t) => (t.clusters[0].backups = { storage: { kind: "ftp" } }), "clusters[0].backups.storage.kind", /./],
  [
    "bad cron schedule",
    (t) => (t.clusters[0].backups = { storage: { kind: "yandex" }, schedule: "daily" }),
    "clusters[0].backups.schedule",
    /five-field cron expression/,
  ],
  ["too many Patroni nodes", (t) => (t.clusters[0].nodes = 12), "clusters[0].nodes", /at most 9 Patroni nodes per cluster \(got 12\)/],
  [
    "more nodeSettings than nodes",
    (t) => {
      t.clusters[0].nodes = 2;
      t.clusters[0].nodeSettings = [{}, {}, {}];
    },
    "clusters[0].nodeSettings",
    /has 3 entries but the cluster has 2 nodes/,
  ],
  [
    "replicatefrom names a stranger",
    (t) => (t.clusters[0].nodeSettings = [{ tags: { replicatefrom: "other-pg-0" } }]),
    "clusters[0].nodeSettings[0].tags.replicatefrom",
    /'other-pg-0' is not a member of cluster 'main'/,
  ],
  [
    "walg replica method without walg backups",
    (t) => (t.clusters[0].patroni = { create_replica_methods: ["walg", "basebackup"] }),
    "clusters[0].patroni.create_replica_methods[0]",
    /'walg' needs backups.tool: walg \(got no backups\)/,
  ],
  [
    "keepalived on gcp",
    (t) => {
      t.platform.kind = "gcp";
      t.regions = [{ name: "europe-west1", zones: ["europe-west1-b"] }];
      t.subnets = [{ name: "a", region: "europe-west1", cidr: "10.1.0.0/24" }];
      t.clusters[0].region = "europe-west1";
      t.clusters[0].haproxy = { keepalived: { enabled: true } };
    },
    "clusters[0].haproxy.keepalived.enabled",
    /gcp VPCs cannot move a VIP/,
  ],
  [
    "VIP outside the HAProxy subnet",
    (t) => {
      t.platform.kind = "local";
      t.clusters[0].haproxy = { subnet: "a", keepalived: { vip: "10.99.0.5" } };
    },
    "clusters[0].haproxy.keepalived.vip",
    /VIP 10\.99\.0\.5 is outside the HAProxy subnet 'a' \(10\.10\.1\.0\/24\)/,
  ],
  [
    "keepalived on yandex",
    (t) => (t.clusters[0].haproxy = { keepalived: { enabled: true } }),
    "clusters[0].haproxy.keepalived.enabled",
    /yandex VPCs cannot move a VIP/,
  ],
  [
    "virtual_router_id out of range",
    (t) => (t.clusters[0].haproxy = { keepalived: { virtualRouterId: 300 } }),
    "clusters[0].haproxy.keepalived.virtualRouterId",
    /got 300/,
  ],
  [
    "database owner not declared",
    (t) => (t.clusters[0].postgres = { databases: [{ name: "app", owner: "app" }] }),
    "clusters[0].postgres.databases[0].owner",
    /owner 'app' is not declared/,
  ],
  ["unknown field (typo)", (t) => (t.clusters[0].replicas = 3), "clusters[0]", /unknown field\(s\) 'replicas'/],
  [
    "two clusters on one address block",
    (t) => t.clusters.push({ name: "other", region: "ru-central1", addressBlock: 0 }),
    "clusters[1].addressBlock",
    /address block 0 is already used by cluster 'main'/,
  ],
  ["unknown subnet for a cluster", (t) => (t.clusters[0].subnets = ["zz"]), "clusters[0].subnets[0]", /unknown subnet 'zz'/],
  ["negative ttl type", (t) => (t.clusters[0].patroni = { dcs: { ttl: "30" } }), "clusters[0].patroni.dcs.ttl", /must be number, got "30"/],
  ["no clusters", (t) => (t.clusters = []), "clusters", /at least one cluster is required/],
  ["bad ssh key", (t) => (t.platform.sshKeys = ["hello"]), "platform.sshKeys[0]", /OpenSSH public key/],
  [
    "public load balancer without sourceRanges",
    (t) => (t.clusters[0].loadBalancer = { exposure: "public" }),
    "clusters[0].loadBalancer.sourceRanges",
    /^exposure: public needs sourceRanges/,
  ],
  [
    "sourceRanges on an internal load balancer",
    (t) => (t.clusters[0].loadBalancer = { sourceRanges: ["203.0.113.0/24"] }),
    "clusters[0].loadBalancer.sourceRanges",
    /applies to exposure: public only/,
  ],
  [
    "publicDirect on an internal load balancer",
    (t) => (t.clusters[0].loadBalancer = { publicDirect: true }),
    "clusters[0].loadBalancer.publicDirect",
    /needs exposure: public/,
  ],
  [
    "public load balancer straight to PostgreSQL without publicDirect",
    (t) => {
      t.clusters[0].haproxy = { enabled: false };
      t.clusters[0].loadBalancer = { exposure: "public", sourceRanges: ["203.0.113.0/24"] };
    },
    "clusters[0].loadBalancer.publicDirect",
    /forwards straight to PostgreSQL, which is the direct \(replication-capable\) port/,
  ],
  [
    "standby behind a public source without publicDirect",
    (t) => {
      t.clusters[0].backups = { storage: { kind: "yandex" } };
      t.clusters[0].loadBalancer = { exposure: "public", sourceRanges: ["203.0.113.0/24"] };
      t.clusters.push({ name: "dr", region: "ru-central1", standby: { source: "main" }, addressBlock: 1 });
    },
    "clusters[0].loadBalancer.publicDirect",
    /standby cluster 'dr' streams through this load balancer's direct \(replication\) port/,
  ],
  [
    "the old loadBalancer.internal field",
    (t) => (t.clusters[0].loadBalancer = { internal: false }),
    "clusters[0].loadBalancer",
    /unknown field\(s\) 'internal'; loadBalancer\.internal was replaced by exposure/,
  ],
  [
    "SSH from anywhere",
    (t) => {
      t.platform.sshKeys = ["ssh-ed25519 AAAA ops"];
      t.platform.adminCidrs = ["0.0.0.0/0"];
    },
    "platform.adminCidrs[0]",
    /^0\.0\.0\.0\/0 opens SSH to the whole internet; name the admin networks/,
  ],
  [
    "SSH from a /4",
    (t) => {
      t.platform.sshKeys = ["ssh-ed25519 AAAA ops"];
      t.platform.adminCidrs = ["0.0.0.0/4"];
    },
    "platform.adminCidrs[0]",
    /opens SSH to a \/4/,
  ],
  [
    "admin CIDR with host bits",
    (t) => (t.platform.adminCidrs = ["203.0.113.7/24"]),
    "platform.adminCidrs[0]",
    /host bits set; did you mean 203\.0\.113\.0\/24/,
  ],
  [
    "adminCidrs without ops keys",
    (t) => (t.platform.adminCidrs = ["203.0.113.7/32"]),
    "platform.adminCidrs",
    /also needs platform\.sshKeys/,
  ],
  [
    "ops keys with no SSH source",
    (t) => (t.platform.sshKeys = ["ssh-ed25519 AAAA ops"]),
    "platform.adminCidrs",
    /no firewall opens port 22: name the admin CIDRs/,
  ],
  [
    "IAP on yandex",
    (t) => {
      t.platform.sshKeys = ["ssh-ed25519 AAAA ops"];
      t.platform.iap = true;
    },
    "platform.iap",
    /Identity-Aware Proxy is a Google Cloud service; yandex has no IAP/,
  ],
  ["unknown egress mode", (t) => (t.platform.egress = "none"), "platform.egress", /must be one of "nat", "provided"/],
  [
    "two clusters on one bucket",
    (t) => {
      t.clusters[0].backups = { storage: { kind: "yandex", bucket: "shop-backups" } };
      t.clusters.push({
        name: "other",
        region: "ru-central1",
        addressBlock: 1,
        backups: { storage: { kind: "yandex", bucket: "shop-backups", prefix: "other" } },
      });
    },
    "clusters[1].backups.storage.bucket",
    /bucket 'shop-backups' is already cluster 'main''s/,
  ],
  [
    "global internal LB on gcp without proxy-only subnets",
    (t) => {
      gcpTwoRegions(t);
      t.clusters[0].loadBalancer = { scope: "global" };
    },
    "regions[1].proxyOnlyCidr",
    /needs a proxy-only subnet in region 'europe-west4'/,
  ],
  [
    "proxy-only subnet too small",
    (t) => {
      gcpTwoRegions(t);
      t.regions[0].proxyOnlyCidr = "10.9.0.0/27";
    },
    "regions[0].proxyOnlyCidr",
    /too small: GCP needs a proxy-only subnet of \/26 or wider/,
  ],
  [
    "proxy-only subnet overlapping a subnet",
    (t) => {
      gcpTwoRegions(t);
      t.regions[0].proxyOnlyCidr = "10.1.0.0/23";
    },
    "regions[0].proxyOnlyCidr",
    /overlaps subnet 'a' \(10\.1\.0\.0\/24\)/,
  ],
  [
    "proxy-only subnet on yandex",
    (t) => (t.regions[0].proxyOnlyCidr = "10.9.0.0/23"),
    "regions[0].proxyOnlyCidr",
    /proxy-only subnets are a gcp feature/,
  ],
];

describe("parseTopology rejects invalid configurations with the field path and a readable message", () => {
  it("accepts the base topology", () => {
    expectAccepted(() => undefined);
  });

  it.each<[string, Mutate]>([
    [
      "Patroni's minimums exactly (ttl 20, loop_wait 1, retry_timeout 3)",
      (t) => (t.clusters[0].patroni = { dcs: { ttl: 20, loop_wait: 1, retry_timeout: 3 } }),
    ],
    ["the largest ttl", (t) => (t.clusters[0].patroni = { dcs: { ttl: 3600 } })],
    [
      "the largest loop_wait and retry_timeout the ttl bound leaves",
      (t) => (t.clusters[0].patroni = { dcs: { ttl: 3600, loop_wait: 3594, retry_timeout: 3 } }),
    ],
    ["the largest retry_timeout", (t) => (t.clusters[0].patroni = { dcs: { ttl: 3600, loop_wait: 1, retry_timeout: 1799 } })],
    ["seven etcd members", (t) => (t.etcd = { members: 7 })],
    ["quorum commit, 2 of 2 standbys", (t) => (t.clusters[0].patroni = { dcs: { synchronous_mode: "quorum", synchronous_node_count: 2 } })],
    [
      "quorum commit on 2 nodes (Patroni needs no third)",
      (t) => {
        t.clusters[0].nodes = 2;
        t.clusters[0].patroni = { dcs: { synchronous_mode: "quorum", synchronous_mode_strict: true } };
      },
    ],
    [
      "a sync listener in a quorum cluster",
      (t) => {
        t.clusters[0].patroni = { dcs: { synchronous_mode: "quorum" } };
        t.clusters[0].haproxy = { listeners: { sync: 5002 } };
      },
    ],
    [
      "ops SSH from one admin host",
      (t) => {
        t.platform.sshKeys = ["ssh-ed25519 AAAA ops"];
        t.platform.adminCidrs = ["203.0.113.7/32"];
      },
    ],
    [
      "a public load balancer with its sources",
      (t) => (t.clusters[0].loadBalancer = { exposure: "public", sourceRanges: ["203.0.113.0/24"] }),
    ],
    ["egress the network provides", (t) => (t.platform.egress = "provided")],
    [
      "a gcp global internal load balancer with proxy-only subnets",
      (t) => {
        gcpTwoRegions(t);
        t.regions[0].proxyOnlyCidr = "10.9.0.0/23";
        t.regions[1].proxyOnlyCidr = "10.9.2.0/23";
        t.clusters[0].loadBalancer = { scope: "global" };
      },
    ],
  ])("accepts %s", (_title, mutate) => expectAccepted(mutate));

  it(`has at least 30 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)("%s", (_title, mutate, path, message) => expectRefused(mutate, path, message));
});
