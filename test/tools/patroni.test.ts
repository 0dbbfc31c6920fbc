/**
 * The rendered patroni.yml against the Patroni the nodes run: the tools image's (Debian 13's
 * Patroni 4.0.7 on python3.13, with PostgreSQL 17 and etcd 3.5; test/support/image.ts).
 *
 * 1. `patroni --validate-config` accepts every variant and rejects broken ones. The validator
 *    connects to things: every etcd3 host must accept TCP connections (a throwaway listener on
 *    127.0.0.1 stands in), and restapi/postgresql listen addresses must be free. So nodes get
 *    loopback addresses (127.0.0.2..4) and free ports in the model. It also inspects data_dir:
 *    that is rewritten to a path under the temp dir in the test copy. Nothing else is changed:
 *    bin_dir stays as rendered, so the validator checks the image has PostgreSQL's binaries there.
 * 2. A real bootstrap: etcd with TLS plus Patroni for node main-pg-0, which runs initdb, the
 *    post-bootstrap script, and becomes the leader. The test copy rewrites only paths:
 *    /etc/pgha/tls/ -> a throwaway PKI, data_dir, pgpass, the post-bootstrap script path and
 *    unix_socket_directories -> the temp dir (bound into the image; a node's /var/lib/postgresql
 *    and /run/postgresql are not the test's). The model gets 127.0.0.0/24 as the cluster subnet.
 * 3. synchronous_mode: quorum (Patroni >= 4.0): 4.0.7's validator refuses it as "not a boolean"
 *    (its only complaint, a validator bug), while the running Patroni bootstraps with it.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderEtcdConfig } from "../../packages/pgha/lib/render/etcd";
import { PATHS, type PatroniNodeModel, pgBinDir, pgDataDir } from "../../packages/pgha/lib/render/model";
import { renderPatroniYaml, renderPostInitScript } from "../../packages/pgha/lib/render/patroni";
import {
  type Daemon,
  etcdMemberModel,
  freePort,
  labTopology,
  makeTestPki,
  patroniNodeModel,
  type TestPki,
  waitFor,
} from "../support/fixtures";
import { imageIds, mustImage, runImage, startImageDaemon } from "../support/image";

const postgresUser = imageIds("postgres");

const tmp = mkdtempSync(path.join(tmpdir(), "pgha-patroni-"));
chownSync(tmp, postgresUser.uid, postgresUser.gid);
const daemons: Daemon[] = [];
let fakeEtcd: Server;
let fakeEtcdPort: number;

beforeAll(async () => {
  fakeEtcd = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => fakeEtcd.listen(0, "127.0.0.1", resolve));
  fakeEtcdPort = (fakeEtcd.address() as { port: number }).port;
});

afterAll(async () => {
  for (const d of daemons) await d.stop();
  await new Promise((r) => fakeEtcd.close(r));
  for (const d of bootedDataDirs) stopLeftoverPostmaster(d);
  rmSync(tmp, { recursive: true, force: true });
});

type Edit = Parameters<typeof labTopology>[0];

/** Node `index` of `cluster` with loopback member addresses and free ports. */
async function loopbackModel(cluster: string, index: number, edit?: Edit): Promise<PatroniNodeModel> {
  const [pgPort, restPort] = [await freePort(), await freePort()];
  const t = labTopology((i) => {
    for (const c of i.clusters) {
      c.postgres = { ...(c.postgres as object), port: pgPort };
      c.patroni = { ...(c.patroni as object), restApiPort: restPort };
    }
    edit?.(i);
  });
  const m = patroniNodeModel(t, cluster, index);
  const members = m.members.map((x, k) => ({ name: x.name, ip: `127.0.0.${k + 2}` }));
  return { ...m, node: members[index], members, etcd: { ...m.etcd, hosts: [`127.0.0.1:${fakeEtcdPort}`] } };
}

/** The rendered data_dir of a model (the major is the model's: the one nodes install). */
const dataDirOf = (m: PatroniNodeModel) => pgDataDir(m.cluster.postgres.major);

async function validate(name: string, text: string, dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = path.join(tmp, `${name}.yml`);
  expect(text).toContain(`data_dir: ${dataDir}\n`);
  writeFileSync(file, text.replaceAll(dataDir, path.join(tmp, "validate", name, "data")));
  return runImage(["patroni", "--validate-config", file], { binds: [tmp] });
}

describe("patroni --validate-config", () => {
  const variants: [string, () => Promise<PatroniNodeModel>][] = [
    ["primary with TLS and pgBackRest backups", () => loopbackModel("main", 0)],
    [
      "strict synchronous mode",
      () =>
        loopbackModel(
          "main",
          0,
          (i) =>
            void (i.clusters[0].patroni = {
              ...(i.clusters[0].patroni as object),
              dcs: { synchronous_mode: true, synchronous_mode_strict: true },
            }),
        ),
    ],
    [
      "WAL-G backups",
      () =>
        loopbackModel("main", 1, (i) => void (i.clusters[0].backups = { tool: "walg", storage: { kind: "local", path: "/var/lib/walg" } })),
    ],
    ["standby cluster", () => loopbackModel("dr", 0)],
    [
      "tags, callbacks and watchdog",
      () =>
        loopbackModel("main", 2, (i) => {
          i.clusters[0].nodeSettings = [
            {},
            {},
            { tags: { nofailover: true, noloadbalance: true, nosync: true, replicatefrom: "main-pg-1" }, parameters: { work_mem: "8MB" } },
          ];
          i.clusters[0].patroni = {
            ...(i.clusters[0].patroni as object),
            callbacks: { on_role_change: "/usr/local/bin/on-role-change", on_start: "/usr/local/bin/on-start" },
            watchdog: { mode: "automatic", device: "/dev/watchdog", safety_margin: 5 },
          };
        }),
    ],
  ];

  it("accepts every variant", async () => {
    const results = await Promise.all(
      variants.map(async ([name, model], k) => {
        const m = await model();
        return { name, ...(await validate(`valid-${k}`, renderPatroniYaml(m), dataDirOf(m))) };
      }),
    );
    for (const r of results)
      expect({ name: r.name, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ name: r.name, code: 0, stdout: "", stderr: "" });
  });

  it("the check can fail: missing scope, a non-integer ttl, an unreachable etcd, a bin_dir without PostgreSQL", async () => {
    const m = await loopbackModel("main", 0);
    const good = renderPatroniYaml(m);
    const closedPort = await freePort();
    const cases = await Promise.all([
      validate("no-scope", good.replace(/^scope: main\n/m, ""), dataDirOf(m)),
      validate("bad-ttl", good.replace(/^ {4}ttl: 20$/m, "    ttl: twenty"), dataDirOf(m)),
      validate("no-etcd", good.replace(`127.0.0.1:${fakeEtcdPort}`, `127.0.0.1:${closedPort}`), dataDirOf(m)),
      // A major the image does not ship: the rendered bin_dir is checked against the node's files.
      validate(
        "no-bin",
        good.replace(`bin_dir: ${pgBinDir(m.cluster.postgres.major)}\n`, "bin_dir: /usr/lib/postgresql/14/bin\n"),
        dataDirOf(m),
      ),
    ]);
    expect(good).toMatch(/^ {4}ttl: 20$/m);
    expect(cases[0]).toMatchObject({ code: 1, stderr: expect.stringMatching(/scope\s+is not defined/) });
    // Patroni 4's wording (3.0.2's differed).
    expect(cases[1]).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/bootstrap\.dcs\.ttl twenty didn't pass validation: Wrong value/),
    });
    expect(cases[2]).toMatchObject({ code: 1, stderr: expect.stringMatching(/etcd3\.hosts\.0 .* is not reachable/) });
    expect(cases[3]).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/postgresql\.bin_dir\s+Directory '\/usr\/lib\/postgresql\/14\/bin' does not exist/),
    });
  });
});

// ---------------------------------------------------------------------------------------------

function httpsJson(url: string, ca: Buffer, method = "GET", auth?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(auth).toString("base64")}` } : {};
    const req = request(url, { method, ca, headers, timeout: 3000 }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** If Patroni died without stopping PostgreSQL, stop the postmaster of our data dir (and only it). */
function stopLeftoverPostmaster(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (cmdline.includes(dataDir)) process.kill(pid, "SIGQUIT");
  } catch {
    // not running
  }
}

/** A Patroni node bootstrapped from the rendered patroni.yml, over its own one-member etcd. */
interface Booted {
  m: PatroniNodeModel;
  pki: TestPki;
  ca: Buffer;
  boot: string;
  dataDir: string;
  patroni: Daemon;
  etcd: Daemon;
}

const bootedDataDirs: string[] = [];

/**
 * etcd (TLS, 127.0.0.1) and Patroni for node main-pg-0 on 127.0.0.2, no backups (no backup tool
 * is set up here), in `<tmp>/<label>`; resolves once Patroni's /primary answers 200.
 */
async function bootstrapLeader(label: string, edit?: Edit): Promise<Booted> {
  const boot = path.join(tmp, label);
  const dataDir = path.join(boot, "data");
  bootedDataDirs.push(dataDir);
  mkdirSync(boot);
  chownSync(boot, postgresUser.uid, postgresUser.gid);
  const pki = makeTestPki(path.join(boot, "tls"), ["127.0.0.1", "127.0.0.2"], postgresUser);
  const ca = readFileSync(pki.caFile);
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const base = await loopbackModel("main", 0, (i) => {
    delete i.clusters[0].backups;
    i.clusters[1].standby = { source: "main", restoreFromSourceBackups: false };
    edit?.(i);
  });
  const m: PatroniNodeModel = { ...base, clusterCidrs: ["127.0.0.0/24"], etcd: { hosts: [`127.0.0.1:${clientPort}`], tls: true } };
  const rewritePaths = (text: string) =>
    text
      .replaceAll("/etc/pgha/tls/", `${pki.dir}/`)
      .replaceAll(dataDirOf(m), dataDir)
      .replaceAll(PATHS.patroniPgpass, path.join(boot, "pgpass"))
      .replaceAll(PATHS.patroniPostBootstrap, path.join(boot, "post-bootstrap.sh"))
      .replaceAll(`unix_socket_directories: ${PATHS.runPostgres}`, `unix_socket_directories: ${boot}`);

  // etcd: one TLS member on 127.0.0.1.
  const t = labTopology((i) => {
    i.etcd = { members: 3, clientPort, peerPort, dataDir: path.join(boot, "etcd") };
  });
  const e = etcdMemberModel(t, 0);
  const etcdModel = { ...e, node: { name: e.node.name, ip: "127.0.0.1" }, members: [{ name: e.node.name, ip: "127.0.0.1" }] };
  writeFileSync(path.join(boot, "etcd.yml"), rewritePaths(renderEtcdConfig(etcdModel)));
  const etcd = startImageDaemon(["etcd", "--config-file", path.join(boot, "etcd.yml")], { binds: [tmp] });
  daemons.push(etcd);

  const config = path.join(boot, "patroni.yml");
  const script = path.join(boot, "post-bootstrap.sh");
  writeFileSync(config, rewritePaths(renderPatroniYaml(m)));
  writeFileSync(script, renderPostInitScript(m));
  for (const f of [config, script]) {
    chmodSync(f, 0o600);
    chownSync(f, postgresUser.uid, postgresUser.gid);
  }
  const patroni = startImageDaemon(["patroni", config], { user: "postgres", cwd: boot, binds: [tmp] });
  daemons.push(patroni);
  try {
    await waitFor(
      "Patroni to become the leader",
      async () => {
        if (patroni.exited()) throw new Error("Patroni exited");
        const r = await httpsJson(`https://127.0.0.2:${m.cluster.patroni.restApiPort}/primary`, ca);
        return r.status === 200 || undefined;
      },
      35_000,
      500,
    );
  } catch (err) {
    throw new Error(`${String(err)}\n--- patroni output ---\n${patroni.output().slice(-4000)}`);
  }
  return { m, pki, ca, boot, dataDir, patroni, etcd };
}

async function stopBooted(b: Booted | undefined): Promise<void> {
  if (!b) return;
  await b.patroni.stop();
  stopLeftoverPostmaster(b.dataDir);
  await b.etcd.stop();
}

describe("Patroni bootstraps a leader from the rendered patroni.yml", () => {
  let booted: Booted | undefined;
  let pki: TestPki;
  let m: PatroniNodeModel;
  let ca: Buffer;
  let boot: string;

  beforeAll(async () => {
    booted = await bootstrapLeader("boot");
    ({ pki, m, ca, boot } = booted);
  }, 60_000);

  afterAll(() => stopBooted(booted));

  const rest = (p: string, method = "GET", auth?: string) =>
    httpsJson(`https://127.0.0.2:${m.cluster.patroni.restApiPort}${p}`, ca, method, auth);

  async function sql(query: string, db = "postgres"): Promise<string> {
    const out = await mustImage(
      [
        `${pgBinDir(m.cluster.postgres.major)}/psql`,
        "-X",
        "-A",
        "-t",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        boot,
        "-p",
        String(m.cluster.postgres.port),
        "-d",
        db,
        "-c",
        query,
      ],
      {
        user: "postgres",
        binds: [tmp],
      },
    );
    return out.trim();
  }

  it("bootstrap.dcs reached the DCS and PostgreSQL runs with it", async () => {
    const cfg = JSON.parse((await rest("/config")).body);
    expect(cfg).toMatchObject({ ttl: 20, loop_wait: 5, retry_timeout: 5, synchronous_mode: true, failsafe_mode: true });
    expect(cfg.postgresql.parameters.max_connections).toBe(m.parameters.max_connections);
    expect(await sql("SHOW shared_buffers")).toBe(m.parameters.shared_buffers);
    expect(await sql("SHOW wal_log_hints")).toBe("on");
    expect(await sql("SHOW ssl")).toBe("on");
    expect(await sql("SHOW data_checksums")).toBe("on");
    // PostgreSQL 16 dropped the lc_collate/lc_ctype settings: the database's own locale, from the initdb options.
    expect(
      await sql("SELECT datlocprovider::text || ' ' || datcollate || ' ' || datctype FROM pg_database WHERE datname = current_database()"),
    ).toBe("c C.UTF-8 C.UTF-8");
    // The permanent slot for the standby cluster exists on the leader.
    await waitFor(
      "permanent slot",
      async () => (await sql("SELECT slot_name FROM pg_replication_slots WHERE slot_name = 'standby_dr'")) === "standby_dr" || undefined,
      15_000,
    );
  });

  it("the post-bootstrap script ran: roles, database, extension, PgBouncer lookup", async () => {
    expect(
      await sql(
        "SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE rolname IN ('app','pgbouncer','replicator','rewind_user')",
      ),
    ).toBe("app,pgbouncer,replicator,rewind_user");
    expect(await sql("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'", "app")).toBe("pg_trgm");
    expect(await sql("SELECT count(*) FROM pgbouncer.get_auth('app')", "app")).toBe("1");
    expect(await sql("SELECT count(*) FROM pgbouncer.get_auth('postgres')", "app")).toBe("0");
    // The application role logs in with its password over verified TLS.
    const conn = `host=127.0.0.2 port=${m.cluster.postgres.port} dbname=app user=app sslmode=verify-full sslrootcert=${pki.caFile}`;
    const stdout = await mustImage(
      [
        `${pgBinDir(m.cluster.postgres.major)}/psql`,
        "-X",
        "-A",
        "-t",
        conn,
        "-c",
        "SELECT current_user || ' ' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
      ],
      {
        binds: [tmp],
        env: { PGPASSWORD: m.passwords.roles.app },
      },
    );
    expect(stdout.trim()).toBe("app true");
  });

  it("REST API: unsafe endpoints need the basic-auth credentials", async () => {
    expect((await rest("/reload", "POST")).status).toBe(401);
    expect((await rest("/reload", "POST", `patroni:${m.passwords.restApi}`)).status).toBe(202);
  });

  it("patronictl on the node works with the rendered ctl and etcd3 sections", async () => {
    const stdout = await mustImage(["patronictl", "-c", path.join(boot, "patroni.yml"), "list", "-f", "json"], {
      binds: [tmp],
      env: { HOME: boot },
    });
    const members = JSON.parse(stdout) as { Member: string; Role: string; State: string }[];
    expect(members).toEqual([expect.objectContaining({ Member: "main-pg-0", Role: "Leader", State: "running" })]);
  });
});

describe("synchronous_mode: quorum (Patroni >= 4.0)", () => {
  let booted: Booted | undefined;
  const quorum: Edit = (i) => void (i.clusters[0].patroni = { ...(i.clusters[0].patroni as object), dcs: { synchronous_mode: "quorum" } });
  afterAll(() => stopBooted(booted));

  it("4.0.7's --validate-config refuses it as 'not a boolean' (patroni/patroni#3606), and nothing else in the file", async () => {
    const m = await loopbackModel("main", 0, quorum);
    const text = renderPatroniYaml(m);
    expect(text).toMatch(/^ {4}synchronous_mode: quorum$/m);
    expect(await validate("quorum", text, dataDirOf(m))).toEqual({
      code: 1,
      stdout: "",
      stderr: "bootstrap.dcs.synchronous_mode quorum is not a boolean\n",
    });
  });

  it("the running Patroni bootstraps with it and keeps it in the DCS", async () => {
    booted = await bootstrapLeader("quorum", quorum);
    const b = booted;
    const cfg = JSON.parse((await httpsJson(`https://127.0.0.2:${b.m.cluster.patroni.restApiPort}/config`, b.ca)).body);
    expect(cfg).toMatchObject({ synchronous_mode: "quorum", synchronous_node_count: b.m.cluster.patroni.dcs.synchronous_node_count });
    const stdout = await mustImage(["patronictl", "-c", path.join(b.boot, "patroni.yml"), "list", "-f", "json"], {
      binds: [tmp],
      env: { HOME: b.boot },
    });
    expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ Member: "main-pg-0", Role: "Leader", State: "running" })]);
    expect(b.patroni.output()).not.toMatch(/Traceback|ERROR/);
  }, 60_000);
});
