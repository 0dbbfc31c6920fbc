import { describe, expect, it } from "vitest";
import { backupTargetFor, clusterByName, clusterParametersFor, labTopology } from "../../../../test/support/fixtures";
import { clusterParameters, HOT_STANDBY_MINIMUMS, hotStandbyFloor, normalizeParameters } from "./postgresParameters";
import { computeTuning } from "./tuning";

describe("clusterParameters", () => {
  const t = labTopology();
  const main = clusterByName(t, "main");

  it("carries what Patroni, pg_rewind and replicas need", () => {
    const p = clusterParameters(main, { standbyClusters: 1 });
    expect(p).toMatchObject({
      wal_level: "replica",
      hot_standby: "on",
      wal_log_hints: "on",
      hot_standby_feedback: "on",
      password_encryption: "scram-sha-256",
      wal_keep_size: "1GB",
    });
    // 3 members + 1 standby cluster + margin, both for senders and slots.
    expect(p.max_wal_senders).toBeGreaterThanOrEqual(3 + 1 + 2);
    expect(p.max_replication_slots).toBeGreaterThanOrEqual(3 + 1 + 2);
    expect(p).not.toHaveProperty("archive_mode");
    expect(p).not.toHaveProperty("ssl");
  });

  it("slots and senders grow with nodes, permanent slots and standby clusters", () => {
    const big = labTopology((i) => {
      i.clusters[0].nodes = 9;
      i.clusters[0].patroni = { dcs: { slots: Object.fromEntries(["a", "b", "c", "d"].map((n) => [n, { type: "physical" }])) } };
    });
    const p = clusterParameters(clusterByName(big, "main"), { standbyClusters: 3 });
    expect(p.max_replication_slots).toBeGreaterThanOrEqual(9 + 4 + 3);
    expect(p.max_wal_senders).toBeGreaterThanOrEqual(9 + 3);
  });

  it("includes the hardware tuning", () => {
    const p = clusterParameters(main);
    const tuning = computeTuning(main.hardware, main.postgres.major);
    for (const [k, v] of Object.entries(tuning)) expect(p[k], k).toBe(v);
  });

  it("adds TLS files and WAL archiving through the backup tool when asked", () => {
    const p = clusterParameters(main, { tls: true, backups: backupTargetFor(main) });
    expect(p).toMatchObject({
      ssl: "on",
      ssl_cert_file: "/etc/pgha/tls/postgres.crt",
      ssl_key_file: "/etc/pgha/tls/postgres.key",
      ssl_ca_file: "/etc/pgha/tls/ca.crt",
      archive_mode: "on",
      archive_command: "pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=main archive-push %p",
    });
    const walg = labTopology((i) => {
      i.clusters[0].backups = { tool: "walg", storage: { kind: "local", path: "/var/lib/walg" } };
    });
    const w = clusterParameters(clusterByName(walg, "main"), { backups: backupTargetFor(clusterByName(walg, "main")) });
    expect(w.archive_command).toBe("/usr/local/bin/wal-g --config /etc/wal-g/walg.json wal-push %p");
  });

  it("user overrides always win, over base, tuning, TLS and archiving alike", () => {
    const t2 = labTopology((i) => {
      i.clusters[0].postgres = {
        major: 15,
        parameters: {
          wal_level: "logical",
          shared_buffers: "300MB",
          ssl_min_protocol_version: "TLSv1.3",
          archive_timeout: "5min",
          jit: false,
        },
      };
      // The standby follows main: physical replication needs the same major.
      i.clusters[1].postgres = { ...(i.clusters[1].postgres as object), major: 15 };
    });
    const c = clusterByName(t2, "main");
    const p = clusterParameters(c, { tls: true, backups: backupTargetFor(c) });
    expect(p).toMatchObject({
      wal_level: "logical",
      shared_buffers: "300MB",
      ssl_min_protocol_version: "TLSv1.3",
      archive_timeout: "5min",
      jit: "off",
    });
  });

  it("a standby cluster keeps at least its source's hot-standby minimums", () => {
    const t2 = labTopology((i) => {
      i.clusters[0].hardware = { vcpus: 16, ramGb: 64 };
    });
    const source = clusterParametersFor(t2, clusterByName(t2, "main"));
    const dr = clusterParametersFor(t2, clusterByName(t2, "dr"));
    for (const key of HOT_STANDBY_MINIMUMS)
      if (source[key] !== undefined) expect(Number(dr[key]), key).toBeGreaterThanOrEqual(Number(source[key]));
    // The small DR VM still gets its own memory sizing.
    expect(dr.shared_buffers).toBe("256MB");
    expect(hotStandbyFloor({ max_connections: 300 }, { max_connections: 200 })).toEqual({});
    expect(hotStandbyFloor({ max_connections: 100 }, { max_connections: 200 })).toEqual({ max_connections: 200 });
  });

  it("normalizes booleans to on/off", () => {
    expect(normalizeParameters({ a: true, b: false, c: 3, d: "x" })).toEqual({ a: "on", b: "off", c: 3, d: "x" });
  });
});
