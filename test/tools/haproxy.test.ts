/**
 * The rendered haproxy.cfg against the HAProxy the nodes run (the tools image's: Debian 13's
 * HAProxy 3.0; test/support/image.ts): `haproxy -c` accepts every variant, and a running
 * HAProxy routes by (fake) Patroni health endpoints, over HTTPS as in production. The fakes are
 * Node servers on loopback addresses; HAProxy shares the host's network namespace, so it
 * reaches them as it would reach Patroni. The keepalived check script runs with the image's bash.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTopology, planAddresses } from "../../packages/pgha/lib/config";
import { haproxyNofileLimit, renderHaproxyCfg } from "../../packages/pgha/lib/render/haproxy";
import { renderKeepalivedCheckScript } from "../../packages/pgha/lib/render/keepalived";
import { type HaproxyNodeModel, type Member, PATHS } from "../../packages/pgha/lib/render/model";
import { freePort } from "../support/fixtures";
import { imageArgv, imageEnv, runImageSync } from "../support/image";
import { synthCertPems } from "../support/synthCertChain";

const tmp = mkdtempSync(path.join(os.tmpdir(), "pgha-haproxy-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * The cluster CA HAProxy's checks verify Patroni against, bound at the path the rendered config
 * names (PATHS.haproxyClusterCa) in place of the image's /etc/haproxy; and member certificates
 * from it (names main-pg-0..2, as the members' own) and from another CA.
 */
const caDir = path.join(tmp, "etc-haproxy");
const CA_BIND: [string, string] = [caDir, "/etc/haproxy"];
let clusterPems: { ca: string; cert: string; key: string };
let foreignPems: { ca: string; cert: string; key: string };
const memberNames = { ipAddresses: ["127.0.0.11", "127.0.0.12", "127.0.0.13"], dnsNames: ["main-pg-0", "main-pg-1", "main-pg-2"] };
beforeAll(async () => {
  clusterPems = await synthCertPems("pgha/haproxy-test", memberNames);
  foreignPems = await synthCertPems("pgha/another-ca", memberNames);
  mkdirSync(caDir, { recursive: true });
  writeFileSync(path.join(caDir, path.basename(PATHS.haproxyClusterCa)), clusterPems.ca);
});

function model(
  opts: {
    listeners?: Record<string, number>;
    checks?: Record<string, number>;
    restApiTls?: boolean;
    maxconn?: number;
    synchronousMode?: true | "quorum";
  } = {},
): HaproxyNodeModel {
  // A sync listener needs a synchronous cluster (lib/config refuses it otherwise).
  const synchronousMode = opts.synchronousMode ?? (opts.listeners?.sync !== undefined ? true : undefined);
  const t = parseTopology({
    name: "t",
    platform: { kind: "local" },
    regions: [{ name: "r", zones: ["a", "b", "c"] }],
    subnets: [{ name: "s", region: "r", cidr: "10.1.0.0/24" }],
    clusters: [
      {
        name: "main",
        region: "r",
        ...(synchronousMode !== undefined ? { patroni: { dcs: { synchronous_mode: synchronousMode } } } : {}),
        haproxy: { listeners: opts.listeners ?? {}, checks: opts.checks ?? {}, maxconn: opts.maxconn },
      },
    ],
  });
  const plan = planAddresses(t);
  const c = t.clusters[0];
  const member = (n: Member): Member => ({ name: n.name, ip: n.ip });
  const haproxies = plan.nodes.filter((n) => n.role === "haproxy").map(member);
  return {
    cluster: c.name,
    spec: c.haproxy,
    node: haproxies[0],
    peers: haproxies,
    backends: plan.nodes.filter((n) => n.role === "patroni").map(member),
    backendPort: c.pgbouncer.port,
    patroniRestPort: c.patroni.restApiPort,
    restApiTls: opts.restApiTls ?? true,
    restApiCaCert: clusterPems.ca,
    synchronousMode: c.patroni.dcs.synchronous_mode,
    vip: null,
  };
}

function haproxyCheck(cfg: string, name: string) {
  const file = path.join(tmp, name);
  writeFileSync(file, cfg);
  // HAProxy 3.0's -c is silent on success; -V (verbose) makes it say so, as 2.6's -c did.
  const r = runImageSync(["haproxy", "-c", "-V", "-f", file], { binds: [tmp, CA_BIND] });
  return { status: r.code, out: `${r.stdout}${r.stderr}` };
}

describe("haproxy -c", () => {
  for (const extra of [undefined, true, "quorum"] as const) {
    const what = extra === undefined ? "off" : `on, synchronous_mode ${extra}`;
    it(`accepts the config (REST checks verified against the cluster CA, sync/async listeners ${what})`, () => {
      const m = model({ listeners: extra ? { sync: 5002, async: 5003 } : {}, synchronousMode: extra });
      const cfg = renderHaproxyCfg(m);
      expect(cfg).toContain(`check-ssl verify required ca-file ${PATHS.haproxyClusterCa}`);
      // The sync listener asks Patroni for the standbys of the cluster's synchronous mode.
      if (extra) expect(cfg).toContain(`http-check send meth OPTIONS uri ${extra === "quorum" ? "/quorum" : "/sync"}\n`);
      const r = haproxyCheck(cfg, `valid-${extra}.cfg`);
      expect(r.out).toContain("Configuration file is valid");
      expect(r.out).not.toMatch(/\[(WARNING|ALERT)\]/);
      expect(r.status).toBe(0);
    });
  }

  it("refuses the config when the CA file it names is missing (so verification cannot silently be skipped)", () => {
    const cfg = renderHaproxyCfg(model()).replaceAll(PATHS.haproxyClusterCa, "/etc/haproxy/missing-ca.crt");
    const r = haproxyCheck(cfg, "missing-ca.cfg");
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/ALERT/);
  });

  it("rejects a broken config (so the check above can fail)", () => {
    const broken = renderHaproxyCfg(model()).replace("nbsrv(primary)", "nbsrv(primry)");
    const r = haproxyCheck(broken, "broken.cfg");
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/ALERT/);
    expect(r.out).not.toContain("Configuration file is valid");
  });
});

// ---------------------------------------------------------------------------------------------
// Behaviour: three fake Patroni members on their own loopback addresses, each with an HTTPS
// "REST API" (status per role, as Patroni answers OPTIONS /primary, /replica) and a TCP
// "database" port that greets with the member's name.

interface FakeMember {
  member: Member;
  role: "primary" | "standby_leader" | "replica" | "down";
  rest: https.Server;
  /** PgBouncer stand-in (backendPort) and PostgreSQL stand-in (directPort). */
  db: net.Server;
  pg: net.Server;
  sockets: Set<net.Socket>;
}

function listen(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

function getStatus(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: urlPath, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
  });
}

function getBody(port: number, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: urlPath, agent: false, timeout: 2000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
  });
}

/** "listener/server=STATUS,..." for every server, from the stats page's CSV export. */
async function serverStates(statsPort: number): Promise<string> {
  const csv = await getBody(statsPort, "/;csv");
  const [header, ...rows] = csv.trim().split("\n");
  const col = header.replace(/^# /, "").split(",");
  const [px, sv, st] = ["pxname", "svname", "status"].map((c) => col.indexOf(c));
  return rows
    .map((r) => r.split(","))
    .filter((f) => !["FRONTEND", "BACKEND"].includes(f[sv]))
    .map((f) => `${f[px]}/${f[sv]}=${f[st]}`)
    .join(",");
}

/** Connect and read the greeting; resolves the backend's name. */
function greeting(port: number): Promise<{ name: string; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.setEncoding("utf8");
    socket.once("data", (d: string) => resolve({ name: d.trim(), socket }));
    socket.once("error", reject);
    socket.once("close", () => reject(new Error("closed before greeting")));
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (ok(last as T)) return last as T;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; last: ${String(last)}`);
}

const SETTLED = [
  "primary/main-pg-0=DOWN,primary/main-pg-1=UP,primary/main-pg-2=DOWN",
  "replicas/main-pg-0=UP,replicas/main-pg-1=DOWN,replicas/main-pg-2=UP",
  "direct/main-pg-0=DOWN,direct/main-pg-1=UP,direct/main-pg-2=DOWN",
].join(",");

/** A running HAProxy with the rendered config in front of fake Patroni members with these roles. */
interface RunningHaproxy {
  m: HaproxyNodeModel;
  fakes: FakeMember[];
  haproxy: ChildProcess;
  log: () => string;
}

async function startRunningHaproxy(
  roles: FakeMember["role"][],
  settled: string,
  extra: Partial<HaproxyNodeModel> = {},
  /** The REST certificate member i presents; default one from the cluster CA naming every member. */
  restCert: (i: number) => { key: string; cert: string } = () => clusterPems,
): Promise<RunningHaproxy> {
  const ports = {
    primary: await freePort(),
    replicas: await freePort(),
    direct: await freePort(),
    stats: await freePort(),
    monitor: await freePort(),
  };
  const base = model({
    listeners: ports,
    checks: { intervalMs: 200, fall: 2, rise: 1, checkTimeoutMs: 500, connectTimeoutMs: 500 },
    maxconn: 2000,
  });
  const members: Member[] = roles.map((_, i) => ({ name: `main-pg-${i}`, ip: `127.0.0.${11 + i}` }));
  const fakes: FakeMember[] = [];
  let dbPort = 0;
  let pgPort = 0;
  let restPort = 0;
  for (const [i, member] of members.entries()) {
    const fake: FakeMember = {
      member,
      role: roles[i],
      sockets: new Set(),
      rest: undefined as never,
      db: undefined as never,
      pg: undefined as never,
    };
    fake.rest = https.createServer(restCert(i), (req, res) => {
      const p = (req.url ?? "").split("?")[0];
      // As Patroni: /leader is whoever holds the leader lock, a standby leader included.
      const up =
        (p === "/primary" && fake.role === "primary") ||
        (p === "/replica" && fake.role === "replica") ||
        (p === "/leader" && (fake.role === "primary" || fake.role === "standby_leader"));
      res.writeHead(up ? 200 : 503).end();
    });
    const greeter = (greeting: string) =>
      net.createServer((s) => {
        fake.sockets.add(s);
        s.on("close", () => fake.sockets.delete(s));
        s.on("error", () => {});
        s.write(`${greeting}\n`);
      });
    fake.db = greeter(member.name);
    fake.pg = greeter(`${member.name}:postgres`);
    // Port 0 on the first member, then the same port on the others (HAProxy uses one port for all).
    restPort = await listen(fake.rest, member.ip, restPort);
    dbPort = await listen(fake.db, member.ip, dbPort);
    pgPort = await listen(fake.pg, member.ip, pgPort);
    fakes.push(fake);
  }
  const m: HaproxyNodeModel = {
    ...base,
    node: { name: "main-haproxy-0", ip: "127.0.0.1" },
    backends: members,
    backendPort: dbPort,
    directPort: pgPort,
    patroniRestPort: restPort,
    ...extra,
  };
  const cfgFile = path.join(tmp, `running-${ports.monitor}.cfg`);
  writeFileSync(cfgFile, renderHaproxyCfg(m));
  // Exactly the open-file limit haproxyNofileLimit() promises is enough for this maxconn.
  // The image's prlimit execs HAProxy (as every wrapper does): the child's pid is HAProxy's.
  const nofile = haproxyNofileLimit(m);
  const cmd = imageArgv(["prlimit", `--nofile=${nofile}:${nofile}`, "haproxy", "-db", "-f", cfgFile], { binds: [tmp, CA_BIND] });
  const haproxy = spawn(cmd[0], cmd.slice(1), { env: imageEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  haproxy.stdout?.on("data", (d) => (log += d));
  haproxy.stderr?.on("data", (d) => (log += d));
  await waitFor(
    "HAProxy monitor port",
    () => getStatus(ports.monitor, "/alive"),
    (s) => s === 200,
  ).catch((e) => {
    throw new Error(`${e}\nHAProxy output:\n${log}`);
  });
  // HAProxy starts every server UP (3.0 as 2.6); wait for the first checks to sort the members out.
  await waitFor(
    "checks to settle",
    () => serverStates(ports.stats),
    (s) => s === settled,
  );
  return { m, fakes, haproxy, log: () => log };
}

async function stopRunningHaproxy(r: RunningHaproxy | undefined): Promise<void> {
  if (!r) return;
  const { haproxy } = r;
  if (haproxy.pid !== undefined && haproxy.exitCode === null && haproxy.signalCode === null) {
    const exited = new Promise((res) => haproxy.once("exit", res));
    haproxy.kill("SIGTERM");
    await exited;
  }
  for (const f of r.fakes) {
    for (const s of f.sockets) s.destroy();
    f.rest.closeAllConnections();
    await new Promise((res) => f.rest.close(res));
    await new Promise((res) => f.db.close(res));
    await new Promise((res) => f.pg.close(res));
  }
}

describe("a running HAProxy with the rendered config", () => {
  let running: RunningHaproxy | undefined;
  let fakes: FakeMember[] = [];
  let haproxy: ChildProcess | undefined;
  let m: HaproxyNodeModel;
  let scriptFile = "";

  beforeAll(async () => {
    running = await startRunningHaproxy(["replica", "primary", "replica"], SETTLED);
    ({ m, fakes, haproxy } = running);
    scriptFile = path.join(tmp, "check_haproxy.sh");
    writeFileSync(scriptFile, renderKeepalivedCheckScript(m));
    chmodSync(scriptFile, 0o755);
  });

  afterAll(() => stopRunningHaproxy(running));

  const ports = () => m.spec.listeners;

  it("answers /health 200 and sends primary-port traffic to the member Patroni calls primary", async () => {
    await waitFor(
      "/health 200",
      () => getStatus(ports().monitor, "/health"),
      (s) => s === 200,
    );
    const { name, socket } = await greeting(ports().primary);
    socket.destroy();
    expect(name).toBe("main-pg-1");
  });

  it("sends direct-port traffic to the primary's PostgreSQL port, not its PgBouncer", async () => {
    const { name, socket } = await greeting(ports().direct);
    socket.destroy();
    expect(name).toBe("main-pg-1:postgres");
  });

  it("spreads replica-port traffic over the replicas only", async () => {
    await waitFor(
      "both replicas up",
      async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 4; i++) {
          const g = await greeting(ports().replicas);
          g.socket.destroy();
          seen.add(g.name);
        }
        return [...seen].sort().join(",");
      },
      (s) => s === "main-pg-0,main-pg-2",
    );
  });

  it("serves the stats page, showing each member up only in the listeners of its role", async () => {
    expect(await getStatus(ports().stats, "/")).toBe(200);
    expect(await serverStates(ports().stats)).toBe(SETTLED);
  });

  it("cuts sessions to a demoted primary, answers /health 503 without a primary, and follows the new one", async () => {
    const held = await greeting(ports().primary);
    expect(held.name).toBe("main-pg-1");
    const closed = new Promise<void>((r) => held.socket.once("close", () => r()));
    fakes[1].role = "replica";
    await waitFor(
      "/health 503",
      () => getStatus(ports().monitor, "/health"),
      (s) => s === 503,
    );
    // on-marked-down shutdown-sessions: the client's session to the old primary is closed by HAProxy.
    const stuck = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("session to the demoted primary stayed open")), 5000).unref(),
    );
    await Promise.race([closed, stuck]);
    // Still alive for keepalived while no primary exists.
    expect(await getStatus(ports().monitor, "/alive")).toBe(200);
    fakes[2].role = "primary";
    await waitFor(
      "/health 200 again",
      () => getStatus(ports().monitor, "/health"),
      (s) => s === 200,
    );
    const next = await greeting(ports().primary);
    next.socket.destroy();
    expect(next.name).toBe("main-pg-2");
  });

  it("passes the keepalived check script while HAProxy runs and fails it once HAProxy stops", async () => {
    const ok = runImageSync(["bash", scriptFile], { binds: [tmp], timeoutMs: 5000 });
    expect(ok.code, ok.stderr).toBe(0);
    const exited = new Promise((r) => haproxy?.once("exit", r));
    haproxy?.kill("SIGTERM");
    await exited;
    const down = runImageSync(["bash", scriptFile], { binds: [tmp], timeoutMs: 5000 });
    expect(down.code).not.toBe(0);
    // HAProxy logged the role changes to stdout (no syslog needed).
    expect(running?.log()).toMatch(/main-pg-1 is DOWN/);
  });
});

describe("a running HAProxy of a standby cluster", () => {
  let running: RunningHaproxy | undefined;
  const settled = [
    "primary/main-pg-0=DOWN,primary/main-pg-1=DOWN",
    "replicas/main-pg-0=DOWN,replicas/main-pg-1=UP",
    "direct/main-pg-0=UP,direct/main-pg-1=DOWN",
  ].join(",");

  beforeAll(async () => {
    running = await startRunningHaproxy(["standby_leader", "replica"], settled, { standbyCluster: true });
  });
  afterAll(() => stopRunningHaproxy(running));

  it(
    "answers /health 200 with no primary, " +
      "routes direct to the standby leader and reads to its replica, and takes the primary once promoted",
    async () => {
      const l = (running as RunningHaproxy).m.spec.listeners;
      expect(await getStatus(l.monitor, "/health")).toBe(200);
      const direct = await greeting(l.direct);
      direct.socket.destroy();
      expect(direct.name).toBe("main-pg-0:postgres");
      const read = await greeting(l.replicas);
      read.socket.destroy();
      expect(read.name).toBe("main-pg-1");
      await expect(greeting(l.primary)).rejects.toThrow(/closed before greeting|ECONNRESET/);
      // Promotion: the standby leader becomes the primary, and the primary listener follows.
      (running as RunningHaproxy).fakes[0].role = "primary";
      const promoted = await waitFor(
        "primary listener after promotion",
        async () => {
          const g = await greeting(l.primary);
          g.socket.destroy();
          return g.name;
        },
        (n) => n === "main-pg-0",
      );
      expect(promoted).toBe("main-pg-0");
      expect(await getStatus(l.monitor, "/health")).toBe(200);
    },
  );
});

describe("a running HAProxy's checks verify each member's REST certificate", () => {
  let running: RunningHaproxy | undefined;
  // main-pg-1 (the primary) answers with another CA's certificate, main-pg-2 with the cluster CA's
  // certificate for another name: HAProxy must count neither, whatever their REST API says.
  const settled = [
    "primary/main-pg-0=DOWN,primary/main-pg-1=DOWN,primary/main-pg-2=DOWN",
    "replicas/main-pg-0=UP,replicas/main-pg-1=DOWN,replicas/main-pg-2=DOWN",
    "direct/main-pg-0=DOWN,direct/main-pg-1=DOWN,direct/main-pg-2=DOWN",
  ].join(",");

  beforeAll(async () => {
    const wrongName = await synthCertPems("pgha/haproxy-test", { ipAddresses: memberNames.ipAddresses, dnsNames: ["main-pg-9"] });
    expect(wrongName.ca).toBe(clusterPems.ca);
    running = await startRunningHaproxy(["replica", "primary", "replica"], settled, {}, (i) =>
      i === 1 ? foreignPems : i === 2 ? wrongName : clusterPems,
    );
  });
  afterAll(() => stopRunningHaproxy(running));

  it("marks a member down whose certificate is another CA's or names another member, so /health says no primary", async () => {
    const l = (running as RunningHaproxy).m.spec.listeners;
    expect(await getStatus(l.monitor, "/health")).toBe(503);
    await expect(greeting(l.primary)).rejects.toThrow(/closed before greeting|ECONNRESET/);
    const read = await greeting(l.replicas);
    read.socket.destroy();
    expect(read.name).toBe("main-pg-0");
  });
});
