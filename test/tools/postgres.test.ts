/**
 * The tuned parameter sets and the rendered pg_hba.conf on the real PostgreSQL the nodes run
 * (the tools image's: Debian 13's PostgreSQL 17, test/support/image.ts).
 *
 * For three hardware profiles: initdb (with the very initdb options patroni.yml gives Patroni),
 * write clusterParameters() into an included `pgha.conf` and renderPgHba() into pg_hba.conf,
 * start the postmaster on a free loopback port as the image's user postgres, and check that every
 * parameter was applied without error (pg_file_settings) and that the key values read back.
 * What the test changes, and why: ssl_* file paths point at a throwaway PKI in the temp dir,
 * and listen_addresses/port/unix_socket_directories are test-only settings (Patroni owns them).
 */
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HardwareSpec } from "../../packages/pgha/lib/config";
import { pgBinDir } from "../../packages/pgha/lib/render/model";
import { patroniConfig, renderPgHba } from "../../packages/pgha/lib/render/patroni";
import { clusterParameters } from "../../packages/pgha/lib/render/postgresParameters";
import { parseSize } from "../../packages/pgha/lib/render/tuning";
import {
  clusterByName,
  type Daemon,
  freePort,
  labTopology,
  makeTestPki,
  patroniNodeModel,
  type TestPki,
  waitFor,
} from "../support/fixtures";
import { imageIds, imagePostgresMajor, mustImage, runImage, startImageDaemon } from "../support/image";

const postgresUser = imageIds("postgres");

const tmp = mkdtempSync(path.join(tmpdir(), "pgha-postgres-"));
chownSync(tmp, postgresUser.uid, postgresUser.gid);
const daemons: Daemon[] = [];
let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(path.join(tmp, "tls"), ["127.0.0.1"], postgresUser);
});

afterAll(async () => {
  for (const d of daemons) await d.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** A postgresql.conf value: numbers bare, everything else single-quoted. */
function confValue(v: string | number): string {
  return typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`;
}

/** `initdb` options from the rendered bootstrap.initdb list, as Patroni turns them into flags. */
function initdbFlags(list: unknown[]): string[] {
  return list.map((o) => {
    if (typeof o === "string") return `--${o}`;
    const [k, v] = Object.entries(o as Record<string, string>)[0];
    return `--${k}=${v}`;
  });
}

/** Everything a server of this file needs inside the image: the temp dir (data, sockets, PKI). */
const binds = [tmp];

async function psql(bin: string, socketDir: string, port: number, sql: string): Promise<string> {
  const out = await mustImage(
    [`${bin}/psql`, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketDir, "-p", String(port), "-d", "postgres", "-c", sql],
    {
      user: "postgres",
      binds,
      env: { PGCONNECT_TIMEOUT: "3" },
    },
  );
  return out.trim();
}

const PROFILES: { label: string; hardware: Partial<HardwareSpec>; tls: boolean }[] = [
  { label: "tiny-olap-hdd", hardware: { vcpus: 1, ramGb: 0.5, diskType: "hdd", workload: "olap", diskGb: 10 }, tls: true },
  { label: "lab-oltp-ssd", hardware: { vcpus: 2, ramGb: 1, diskType: "ssd", workload: "oltp", diskGb: 50 }, tls: true },
  { label: "medium-mixed-network", hardware: { vcpus: 4, ramGb: 4, diskType: "network-ssd", workload: "mixed", diskGb: 100 }, tls: true },
];

describe("the image's PostgreSQL runs with the tuned parameters and the rendered pg_hba.conf", () => {
  for (const profile of PROFILES) {
    it(`${profile.label}: starts, applies every parameter, reads values back`, async () => {
      const t = labTopology((i) => {
        i.tls = { postgres: profile.tls };
        i.clusters[0].hardware = profile.hardware;
      });
      const cluster = clusterByName(t, "main");
      const params = clusterParameters(cluster, { tls: profile.tls, standbyClusters: 1 });
      const model = patroniNodeModel(t, "main", 0);
      // The bin dir patroni.yml names is the image's: the model's major is the one nodes install.
      const BIN = pgBinDir(cluster.postgres.major);
      expect(cluster.postgres.major).toBe(imagePostgresMajor());
      const dir = path.join(tmp, profile.label);
      const data = path.join(dir, "data");
      mkdirSync(dir);
      chownSync(dir, postgresUser.uid, postgresUser.gid);

      const initdb = (patroniConfig(model).bootstrap as { initdb: unknown[] }).initdb;
      await mustImage([`${BIN}/initdb`, "-D", data, "-U", "postgres", ...initdbFlags(initdb)], { user: "postgres", binds });

      const port = await freePort();
      const conf = [
        ...Object.entries(params).map(
          ([k, v]) => `${k} = ${confValue(typeof v === "string" ? v.replaceAll("/etc/pgha/tls/", `${pki.dir}/`) : v)}`,
        ),
        "",
      ].join("\n");
      writeFileSync(path.join(data, "pgha.conf"), conf);
      writeFileSync(path.join(data, "test.conf"), `listen_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${dir}'\n`);
      writeFileSync(
        path.join(data, "postgresql.conf"),
        `${readFileSync(path.join(data, "postgresql.conf"), "utf8")}\ninclude 'pgha.conf'\ninclude 'test.conf'\n`,
      );
      writeFileSync(path.join(data, "pg_hba.conf"), `${renderPgHba(model).join("\n")}\n`);

      const d = startImageDaemon([`${BIN}/postgres`, "-D", data], { user: "postgres", binds });
      daemons.push(d);
      try {
        await waitFor("postgres to accept connections", async () => (await psql(BIN, dir, port, "SELECT 1")) === "1" || undefined, 20_000);
      } catch (e) {
        const logs = (await runImage(["sh", "-c", `tail -n 30 ${path.join(data, "log")}/* 2>/dev/null`], { binds })).stdout;
        throw new Error(`${String(e)}\n${d.output()}\n${logs}`);
      }

      // Every line of pgha.conf was applied, none rejected.
      const rows = await psql(
        BIN,
        dir,
        port,
        "SELECT name, applied, coalesce(error, '') FROM pg_file_settings WHERE sourcefile LIKE '%/pgha.conf'",
      );
      const applied = rows.split("\n").map((r) => r.split("|"));
      expect(applied.filter(([, ok, error]) => ok !== "t" || error !== "")).toEqual([]);
      expect(applied.map(([name]) => name).sort()).toEqual(Object.keys(params).sort());

      const show = async (name: string) => psql(BIN, dir, port, `SHOW ${name}`);
      for (const key of [
        "shared_buffers",
        "effective_cache_size",
        "work_mem",
        "maintenance_work_mem",
        "max_wal_size",
        "min_wal_size",
        "wal_buffers",
      ])
        expect(parseSize(await show(key)), key).toBe(parseSize(String(params[key])));
      for (const key of [
        "max_connections",
        "max_worker_processes",
        "max_parallel_workers",
        "max_parallel_workers_per_gather",
        "max_wal_senders",
        "max_replication_slots",
        "effective_io_concurrency",
      ])
        expect(Number(await show(key)), key).toBe(params[key]);
      expect(Number(await show("random_page_cost"))).toBe(params.random_page_cost);
      expect(await show("wal_level")).toBe("replica");
      expect(await show("wal_log_hints")).toBe("on");
      expect(await show("password_encryption")).toBe("scram-sha-256");
      expect(await show("shared_preload_libraries")).toBe("pg_stat_statements");
      expect(await show("ssl")).toBe(profile.tls ? "on" : "off");
      // The bare `- data-checksums` item reached initdb.
      expect(await show("data_checksums")).toBe("on");
      expect(await show("server_encoding")).toBe("UTF8");
      // pg_hba.conf as rendered was loaded, with no line in error.
      const hba = await psql(BIN, dir, port, "SELECT count(*), count(error) FROM pg_hba_file_rules");
      expect(hba).toBe(`${renderPgHba(model).length}|0`);
      await d.stop();
    }, 40_000);
  }

  it("the check can fail: PostgreSQL refuses a parameter set with a bad value", async () => {
    const BIN = pgBinDir(imagePostgresMajor());
    const dir = path.join(tmp, "broken");
    const data = path.join(dir, "data");
    mkdirSync(dir);
    chownSync(dir, postgresUser.uid, postgresUser.gid);
    await mustImage([`${BIN}/initdb`, "-D", data, "-U", "postgres", "--no-sync"], { user: "postgres", binds });
    // postgres -C loads the configuration files and prints one value: initdb's file passes
    // (128MB, printed in 8 kB pages)...
    const good = await runImage([`${BIN}/postgres`, "-D", data, "-C", "shared_buffers"], { user: "postgres", binds });
    expect(good).toMatchObject({ code: 0, stdout: "16384\n" });
    // ...and a bad value is fatal, naming the parameter.
    writeFileSync(
      path.join(data, "postgresql.conf"),
      `${readFileSync(path.join(data, "postgresql.conf"), "utf8")}\nshared_buffers = '256 megs'\n`,
    );
    const bad = await runImage([`${BIN}/postgres`, "-D", data, "-C", "shared_buffers"], { user: "postgres", binds });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/invalid value for parameter "shared_buffers": "256 megs"/);
  });
});
