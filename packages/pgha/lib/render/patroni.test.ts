import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { labTopology, labTopologyWithSourceArchive, patroniNodeModel } from "../../../../test/support/fixtures";
import { PATHS } from "./model";
import { patroniConfig, postBootstrapFile, renderPatroniYaml, renderPgHba, renderPostInitScript, replicaMethods } from "./patroni";

type Y = Record<string, any>;
/** Parse as PyYAML would (YAML 1.1: bare on/off/yes/no are booleans). */
const parse11 = (text: string): Y => YAML.parse(text, { version: "1.1" });

const t = labTopology();
const main0 = patroniNodeModel(t, "main", 0);
const main1 = patroniNodeModel(t, "main", 1);
/** dr restoring from main's archive: main backs up to a bucket the standby can read. */
const dr0 = patroniNodeModel(labTopologyWithSourceArchive(), "dr", 0);

describe("renderPatroniYaml: identity, DCS, REST API", () => {
  const y = parse11(renderPatroniYaml(main1));

  it("names the node and the cluster", () => {
    expect(y).toMatchObject({ scope: "main", namespace: "/service/", name: "main-pg-1" });
  });

  it("always uses etcd3 (never the v2 `etcd:` section) with TLS client files", () => {
    expect(y).not.toHaveProperty("etcd");
    expect(y.etcd3).toEqual({
      hosts: ["10.77.1.10:2379", "10.77.1.11:2379", "10.77.1.12:2379"],
      protocol: "https",
      cacert: "/etc/pgha/tls/etcd-ca.crt",
      cert: "/etc/pgha/tls/etcd-client.crt",
      key: "/etc/pgha/tls/etcd-client.key",
    });
  });

  it("REST API on the node IP with basic auth for unsafe endpoints and TLS files", () => {
    expect(y.restapi).toEqual({
      listen: "10.77.1.33:8008",
      connect_address: "10.77.1.33:8008",
      authentication: { username: "patroni", password: "rest-main-pw" },
      certfile: "/etc/pgha/tls/patroni.crt",
      keyfile: "/etc/pgha/tls/patroni.key",
      cafile: "/etc/pgha/tls/ca.crt",
    });
    expect(y.ctl).toEqual({
      insecure: false,
      cacert: "/etc/pgha/tls/ca.crt",
      certfile: "/etc/pgha/tls/patroni.crt",
      keyfile: "/etc/pgha/tls/patroni.key",
    });
  });

  it("refuses a model without PostgreSQL TLS (the config refuses tls.postgres false first)", () => {
    const m = patroniNodeModel(labTopology(), "main", 0);
    expect(() => renderPatroniYaml({ ...m, tls: { ...m.tls, postgres: false } })).toThrow(/requires PostgreSQL TLS/);
  });
});

describe("renderPatroniYaml: bootstrap", () => {
  const y = parse11(renderPatroniYaml(main0));
  const dcs = y.bootstrap.dcs;

  it("DCS timing from the profile, synchronous mode and failsafe", () => {
    expect(dcs).toMatchObject({
      ttl: 20,
      loop_wait: 5,
      retry_timeout: 5,
      maximum_lag_on_failover: 1048576,
      synchronous_mode: true,
      synchronous_mode_strict: false,
      synchronous_node_count: 1,
      failsafe_mode: true,
    });
    expect(dcs.postgresql).toMatchObject({ use_pg_rewind: true, use_slots: true });
  });

  it("strict synchronous mode with explicit timing overrides", () => {
    const strict = labTopology((i) => {
      i.clusters[0].patroni = {
        dcs: {
          ttl: 40,
          loop_wait: 10,
          retry_timeout: 10,
          synchronous_mode: true,
          synchronous_mode_strict: true,
          synchronous_node_count: 2,
        },
      };
    });
    const d = parse11(renderPatroniYaml(patroniNodeModel(strict, "main", 0))).bootstrap.dcs;
    expect(d).toMatchObject({ ttl: 40, loop_wait: 10, retry_timeout: 10, synchronous_mode_strict: true, synchronous_node_count: 2 });
  });

  it("quorum commit: synchronous_mode is the string quorum with its node count", () => {
    const quorum = labTopology((i) => {
      i.clusters[0].patroni = { dcs: { synchronous_mode: "quorum", synchronous_node_count: 2 } };
    });
    const text = renderPatroniYaml(patroniNodeModel(quorum, "main", 0));
    expect(text).toMatch(/^ {4}synchronous_mode: quorum$/m);
    expect(parse11(text).bootstrap.dcs).toMatchObject({
      synchronous_mode: "quorum",
      synchronous_mode_strict: false,
      synchronous_node_count: 2,
    });
  });

  it("cluster-wide parameters in the DCS as strings PostgreSQL accepts, archiving through the backup tool", () => {
    const p = dcs.postgresql.parameters;
    expect(p).toMatchObject({
      wal_level: "replica",
      hot_standby: "on",
      wal_log_hints: "on",
      ssl: "on",
      archive_mode: "on",
      archive_command: "pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=main archive-push %p",
      max_connections: 100,
      shared_buffers: "256MB",
    });
    // YAML 1.1 would have turned a bare `on` into a boolean.
    expect(renderPatroniYaml(main0)).toContain('hot_standby: "on"');
  });

  it("user overrides win over derived parameters even if the model's set lacks them", () => {
    const t2 = labTopology((i) => {
      i.clusters[0].postgres = { major: 17, parameters: { archive_timeout: "10min", ssl_min_protocol_version: "TLSv1.3" } };
    });
    const m = { ...patroniNodeModel(t2, "main", 0), parameters: {} };
    const p = parse11(renderPatroniYaml(m)).bootstrap.dcs.postgresql.parameters;
    expect(p).toMatchObject({ archive_mode: "on", archive_timeout: "10min", ssl: "on", ssl_min_protocol_version: "TLSv1.3" });
  });

  it("permanent slots (one per standby cluster) live in the DCS", () => {
    expect(dcs.slots).toEqual({ standby_dr: { type: "physical" } });
    expect(dcs).not.toHaveProperty("standby_cluster");
  });

  it("initdb: UTF8, and data-checksums as a bare list item", () => {
    expect(y.bootstrap.initdb).toEqual([{ encoding: "UTF8" }, { locale: "C.UTF-8" }, "data-checksums"]);
    const text = renderPatroniYaml(main0);
    expect(text).toMatch(/^ {4}- data-checksums$/m);
    expect(text).not.toMatch(/data-checksums:/);
  });

  it("post_bootstrap runs the script through /bin/sh (it is 0600, no exec bit)", () => {
    expect(y.bootstrap.post_bootstrap).toBe(`/bin/sh ${PATHS.patroniPostBootstrap}`);
    expect(y.bootstrap).not.toHaveProperty("users");
    expect(y.bootstrap.pg_hba).toEqual(y.postgresql.pg_hba);
  });

  it("a standby cluster follows its source through standby_cluster, restoring from the source's archive", () => {
    const d = parse11(renderPatroniYaml(dr0));
    expect(d.bootstrap.dcs.standby_cluster).toEqual({
      host: "10.77.1.44",
      port: 5005,
      primary_slot_name: "standby_dr",
      create_replica_methods: ["basebackup"],
      restore_command: 'pgbackrest --config=/etc/pgbackrest/source.conf --stanza=main archive-get %f "%p"',
    });
    expect(d.bootstrap.dcs.synchronous_mode).toBe(false);
    // Its own replicas fall back to the same archive; it archives nothing itself.
    expect(d.postgresql.recovery_conf.restore_command).toContain("source.conf");
    expect(d.bootstrap.dcs.postgresql.parameters).not.toHaveProperty("archive_mode");
    expect(d.postgresql.create_replica_methods).toEqual(["basebackup"]);
  });
});

describe("renderPatroniYaml: postgresql section", () => {
  const y = parse11(renderPatroniYaml(main1));
  const pg = y.postgresql;

  it("addresses, directories and Patroni's own connections", () => {
    expect(pg).toMatchObject({
      listen: "10.77.1.33,127.0.0.1:5432",
      connect_address: "10.77.1.33:5432",
      data_dir: "/var/lib/postgresql/17/main",
      bin_dir: "/usr/lib/postgresql/17/bin",
      pgpass: PATHS.patroniPgpass,
      use_unix_socket: true,
    });
    expect(pg.parameters).toEqual({ unix_socket_directories: "/run/postgresql" });
  });

  it("authentication for the three Patroni roles; replication and rewind verify the CA", () => {
    expect(pg.authentication).toEqual({
      superuser: { username: "postgres", password: "su-main-pw" },
      replication: { username: "replicator", password: "repl-pw", sslmode: "verify-ca", sslrootcert: "/etc/pgha/tls/ca.crt" },
      rewind: { username: "rewind_user", password: "rewind-main-pw", sslmode: "verify-ca", sslrootcert: "/etc/pgha/tls/ca.crt" },
    });
  });

  it("replicas: from the latest backup first, then pg_basebackup; restore_command from the archive", () => {
    expect(pg.create_replica_methods).toEqual(["pgbackrest", "basebackup"]);
    expect(pg.pgbackrest.command).toContain("--type=standby restore");
    expect(pg.pgbackrest).toMatchObject({ keep_data: true, no_params: true });
    expect(pg.basebackup).toEqual({ checkpoint: "fast" });
    expect(pg.recovery_conf.restore_command).toBe('pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=main archive-get %f "%p"');
  });

  it("walg backups and an explicit method order", () => {
    const w = labTopology((i) => {
      i.clusters[0].backups = { tool: "walg", storage: { kind: "local", path: "/var/lib/walg" } };
      i.clusters[0].patroni = { create_replica_methods: ["basebackup", "walg"] };
    });
    const p = parse11(renderPatroniYaml(patroniNodeModel(w, "main", 0))).postgresql;
    expect(p.create_replica_methods).toEqual(["basebackup", "walg"]);
    expect(p.walg).toEqual({
      command: "/usr/local/bin/wal-g --config /etc/wal-g/walg.json backup-fetch /var/lib/postgresql/17/main LATEST",
      no_params: true,
      keep_data: false,
    });
    expect(p.recovery_conf.restore_command).toBe("/usr/local/bin/wal-g --config /etc/wal-g/walg.json wal-fetch %f %p");
  });

  it("without backups: pg_basebackup only, no restore_command; a method needing backups is refused", () => {
    const nb = labTopology((i) => {
      delete i.clusters[0].backups;
      i.clusters[1].standby = { source: "main", restoreFromSourceBackups: false };
    });
    const m = patroniNodeModel(nb, "main", 0);
    expect(replicaMethods(m)).toEqual(["basebackup"]);
    const p = parse11(renderPatroniYaml(m)).postgresql;
    expect(p).not.toHaveProperty("recovery_conf");
    expect(p).not.toHaveProperty("pgbackrest");
    const bad = { ...m, cluster: { ...m.cluster, patroni: { ...m.cluster.patroni, create_replica_methods: ["walg" as const] } } };
    expect(() => renderPatroniYaml(bad)).toThrow(/needs backups with tool walg/);
  });

  it("tags, node-local parameters, callbacks and watchdog per node", () => {
    const tagged = labTopology((i) => {
      i.clusters[0].nodeSettings = [
        {},
        {},
        { tags: { nofailover: true, noloadbalance: true, nosync: true, replicatefrom: "main-pg-1" }, parameters: { work_mem: "8MB" } },
      ];
      i.clusters[0].patroni = {
        callbacks: { on_role_change: "/usr/local/bin/on-role-change" },
        watchdog: { mode: "required", safety_margin: 7 },
      };
    });
    const y2 = parse11(renderPatroniYaml(patroniNodeModel(tagged, "main", 2)));
    expect(y2.tags).toEqual({ nofailover: true, noloadbalance: true, clonefrom: false, nosync: true, replicatefrom: "main-pg-1" });
    expect(y2.postgresql.parameters).toEqual({ unix_socket_directories: "/run/postgresql", work_mem: "8MB" });
    expect(y2.postgresql.callbacks).toEqual({ on_role_change: "/usr/local/bin/on-role-change" });
    expect(y2.watchdog).toEqual({ mode: "required", device: "/dev/watchdog", safety_margin: 7 });
    // Node 0 has no settings: all tags false.
    const y0 = parse11(renderPatroniYaml(patroniNodeModel(tagged, "main", 0)));
    expect(y0.tags).toEqual({ nofailover: false, noloadbalance: false, clonefrom: false, nosync: false });
    expect(parse11(renderPatroniYaml(main0)).postgresql).not.toHaveProperty("callbacks");
  });

  it("watchdog mode off stays the string 'off' for PyYAML", () => {
    expect(renderPatroniYaml(main0)).toContain('mode: "off"');
    expect(parse11(renderPatroniYaml(main0)).watchdog.mode).toBe("off");
  });

  it("is deterministic and round-trips to the same object", () => {
    expect(renderPatroniYaml(main1)).toBe(renderPatroniYaml(patroniNodeModel(labTopology(), "main", 1)));
    expect(parse11(renderPatroniYaml(main1))).toEqual(JSON.parse(JSON.stringify(patroniConfig(main1))));
  });

  it("refuses a node that is not a member", () => {
    expect(() => renderPatroniYaml({ ...main0, node: { name: "stranger", ip: "10.0.0.1" } })).toThrow(/not among the members/);
  });
});

describe("renderPgHba", () => {
  const hba = renderPgHba(main0);
  const fields = (line: string) => line.split(/\s+/);
  const firstMatch = (pred: (f: string[]) => boolean) => hba.findIndex((l) => pred(fields(l)));

  it("no trust anywhere; ends with rejects for IPv4 and IPv6", () => {
    expect(hba.some((l) => fields(l).includes("trust"))).toBe(false);
    expect(hba.slice(-4).map(fields)).toEqual([
      ["host", "all", "all", "0.0.0.0/0", "reject"],
      ["host", "replication", "all", "0.0.0.0/0", "reject"],
      ["host", "all", "all", "::/0", "reject"],
      ["host", "replication", "all", "::/0", "reject"],
    ]);
  });

  it("local: peer for postgres, scram otherwise", () => {
    expect(fields(hba[0])).toEqual(["local", "all", "postgres", "peer"]);
    expect(hba).toContainEqual(expect.stringMatching(/^local\s+all\s+all\s+scram-sha-256$/));
    expect(hba).toContainEqual(expect.stringMatching(/^local\s+replication\s+replicator\s+scram-sha-256$/));
  });

  it("replication over TLS from the cluster's and the standby clusters' subnets", () => {
    expect(hba).toContainEqual(expect.stringMatching(/^hostssl\s+replication\s+replicator\s+10\.77\.1\.0\/24\s+scram-sha-256$/));
    expect(hba).toContainEqual(expect.stringMatching(/^hostssl\s+replication\s+replicator\s+10\.77\.2\.0\/24\s+scram-sha-256$/));
    expect(hba).toContainEqual(expect.stringMatching(/^hostssl\s+all\s+rewind_user\s+10\.77\.1\.0\/24\s+scram-sha-256$/));
    // Remote rules are all hostssl (plaintext reaches the rejects), only loopback is plain host.
    for (const l of hba.map(fields).filter((f) => f[0] === "host" && f[4] !== "reject")) expect(l[3]).toBe("127.0.0.1/32");
  });

  it("the PgBouncer auth user only from loopback; the superuser never from client subnets", () => {
    const bouncerLocal = firstMatch((f) => f[2] === "pgbouncer" && f[3] === "127.0.0.1/32" && f[4] === "scram-sha-256");
    const bouncerReject = firstMatch((f) => f[2] === "pgbouncer" && f[3] === "0.0.0.0/0" && f[4] === "reject");
    const clients = firstMatch((f) => f[2] === "all" && f[3] === "10.77.0.0/16");
    expect(bouncerLocal).toBeGreaterThanOrEqual(0);
    expect(bouncerLocal).toBeLessThan(bouncerReject);
    expect(bouncerReject).toBeLessThan(clients);
    const suReject = firstMatch((f) => f[2] === "postgres" && f[4] === "reject");
    expect(suReject).toBeGreaterThan(0);
    expect(suReject).toBeLessThan(clients);
    expect(clients).toBeGreaterThan(0);
  });

  it("user rules come first; every rule that admits a TCP login is hostssl, loopback included", () => {
    const t2 = labTopology((i) => {
      i.clusters[0].postgres = {
        major: 17,
        hba: [{ type: "hostssl", database: "app", user: "report", address: "10.99.0.0/16", method: "scram-sha-256" }],
      };
    });
    const h = renderPgHba(patroniNodeModel(t2, "main", 0));
    expect(h[0].split(/\s+/)).toEqual(["hostssl", "app", "report", "10.99.0.0/16", "scram-sha-256"]);
    const fields = h.map((l) => l.split(/\s+/));
    // `host` and `hostnossl` only ever reject; a plaintext TCP connection meets nothing else.
    expect(fields.filter((f) => f[0] === "host" || f[0] === "hostnossl").every((f) => f.at(-1) === "reject")).toBe(true);
    expect(fields.filter((f) => f[0] === "host").length).toBeGreaterThan(0);
    expect(h).toContainEqual(expect.stringMatching(/^hostssl\s+all\s+all\s+127\.0\.0\.1\/32\s+scram-sha-256$/));
    expect(h).toContainEqual(expect.stringMatching(/^hostssl\s+replication\s+replicator\s+10\.77\.1\.0\/24\s+scram-sha-256$/));
  });
});

describe("renderPostInitScript", () => {
  const script = renderPostInitScript(main0);

  it("runs psql from bin_dir on the connection string Patroni passes, stopping on the first error", () => {
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).toContain(`\n/usr/lib/postgresql/17/bin/psql "$1" --no-psqlrc --quiet --set ON_ERROR_STOP=1 <<'PGHA_SQL'`);
    expect(script).toContain("\nPGHA_SQL\n");
  });

  it("creates the pgBackRest stanza right after bootstrap, so archive_command works from the start", () => {
    expect(main0.backups?.spec.tool).toBe("pgbackrest");
    expect(script.trimEnd().endsWith("\npgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=main stanza-create")).toBe(true);
    const noBackups = patroniNodeModel(
      labTopology((i) => {
        delete i.clusters[0].backups;
        i.clusters[1].standby = { source: "main", restoreFromSourceBackups: false };
      }),
      "main",
      0,
    );
    expect(renderPostInitScript(noBackups)).not.toContain("pgbackrest");
  });

  it("keeps passwords out of logs, then creates roles, the PgBouncer lookup and databases", () => {
    const at = (s: string) => {
      const i = script.indexOf(s);
      expect(i, s).toBeGreaterThanOrEqual(0);
      return i;
    };
    const quiet = at("SET log_statement = 'none';");
    expect(at("SET pg_stat_statements.track_utility = off;")).toBeLessThan(at("PASSWORD"));
    expect(quiet).toBeLessThan(at("PASSWORD"));
    expect(script).toContain(`ALTER ROLE "app" WITH LOGIN CREATEDB PASSWORD 'app-pw';`);
    expect(script).toContain(`ALTER ROLE "pgbouncer" WITH LOGIN PASSWORD 'bouncer-main-pw';`);
    expect(at("\\connect template1")).toBeLessThan(at("CREATE DATABASE"));
    expect(script).toContain("CREATE OR REPLACE FUNCTION pgbouncer.get_auth");
    expect(script).toContain(`SELECT 'CREATE DATABASE "app" OWNER "app"' WHERE NOT EXISTS`);
    expect(script).toContain(`\\connect "app"\nCREATE EXTENSION IF NOT EXISTS "pg_trgm";`);
    // Patroni creates the replication and rewind roles itself, after this script.
    expect(script).not.toContain("replicator");
  });

  it("escapes quotes in passwords and refuses line breaks or missing passwords", () => {
    const m = { ...main0, passwords: { ...main0.passwords, roles: { app: "it's" } } };
    expect(renderPostInitScript(m)).toContain("PASSWORD 'it''s';");
    expect(() => renderPostInitScript({ ...main0, passwords: { ...main0.passwords, roles: { app: "a\nPGHA_SQL" } } })).toThrow(
      /line break/,
    );
    expect(() => renderPostInitScript({ ...main0, passwords: { ...main0.passwords, roles: {} } })).toThrow(/no password for role app/);
  });

  it("is written 0600 owned by postgres", () => {
    expect(postBootstrapFile(main0)).toMatchObject({ path: PATHS.patroniPostBootstrap, owner: "postgres:postgres", permissions: "0600" });
  });
});
