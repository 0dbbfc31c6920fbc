/**
 * The rendered keepalived.conf against the keepalived the nodes run (the tools image's: Debian
 * 13's keepalived 2.3, with its HAProxy 3.0 and bash; test/support/image.ts): `keepalived -t`
 * accepts it, and two keepalived + HAProxy pairs in two network namespaces move the VIP by
 * unicast VRRP when HAProxy dies (check script), and do not take it back when it returns
 * (nopreempt). Each program runs chrooted in the image, inside its node's namespace.
 * Needs root (network namespaces); VRRP cannot run on `lo`, so each namespace gets a veth end.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTopology, planAddresses } from "../../packages/pgha/lib/config";
import { haproxyNofileLimit, renderHaproxyCfg } from "../../packages/pgha/lib/render/haproxy";
import { keepalivedArgs, renderKeepalivedCheckScript, renderKeepalivedConf } from "../../packages/pgha/lib/render/keepalived";
import { type HaproxyNodeModel, type Member, PATHS } from "../../packages/pgha/lib/render/model";
import { imageArgv, imageEnv, runImageSync } from "../support/image";
import { synthCertPems } from "../support/synthCertChain";

const tmp = mkdtempSync(path.join(os.tmpdir(), "pgha-keepalived-"));
let clusterCa = "";
const nsPrefix = `pghak${process.pid}`;
const namespaces: string[] = [];

function sh(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 10_000 });
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

function must(cmd: string, args: string[]): string {
  const r = sh(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.out}`);
  return r.out;
}

/**
 * Namespaces `<prefix>a` and `<prefix>b` joined by a veth pair (`pgha0` in each), with the
 * HAProxy nodes' planned addresses. Loopback up: the check script talks to 127.0.0.1.
 */
function makeNetwork(a: Member, b: Member, prefixLength: number): { a: string; b: string } {
  const nsA = `${nsPrefix}a`;
  const nsB = `${nsPrefix}b`;
  for (const ns of [nsA, nsB]) {
    must("ip", ["netns", "add", ns]);
    namespaces.push(ns);
    must("ip", ["-n", ns, "link", "set", "lo", "up"]);
  }
  must("ip", ["-n", nsA, "link", "add", "pgha0", "type", "veth", "peer", "name", "pgha0", "netns", nsB]);
  for (const [ns, m] of [
    [nsA, a],
    [nsB, b],
  ] as const) {
    must("ip", ["-n", ns, "addr", "add", `${m.ip}/${prefixLength}`, "dev", "pgha0"]);
    must("ip", ["-n", ns, "link", "set", "pgha0", "up"]);
  }
  return { a: nsA, b: nsB };
}

afterAll(() => {
  for (const ns of namespaces) sh("ip", ["netns", "del", ns]);
  rmSync(tmp, { recursive: true, force: true });
});

function model(index: 0 | 1): HaproxyNodeModel {
  const t = parseTopology({
    name: "t",
    platform: { kind: "local" },
    regions: [{ name: "r", zones: ["a", "b", "c"] }],
    subnets: [{ name: "s", region: "r", cidr: "10.1.0.0/24" }],
    clusters: [
      {
        name: "main",
        region: "r",
        haproxy: { maxconn: 1000, checks: { fall: 2, rise: 1 }, keepalived: { interface: "pgha0", virtualRouterId: 61 } },
      },
    ],
  });
  const plan = planAddresses(t);
  const c = t.clusters[0];
  const member = (n: Member): Member => ({ name: n.name, ip: n.ip });
  const planned = plan.nodes.filter((n) => n.role === "haproxy");
  const haproxies = planned.map(member);
  return {
    cluster: c.name,
    spec: c.haproxy,
    node: haproxies[index],
    peers: haproxies,
    backends: plan.nodes.filter((n) => n.role === "patroni").map(member),
    backendPort: 6432,
    patroniRestPort: 8008,
    restApiTls: true,
    restApiCaCert: clusterCa,
    vip: {
      ip: plan.vips[0].ip,
      prefixLength: planned[index].prefixLength,
      priority: c.haproxy.keepalived.priority - 10 * index,
      authPass: "vrrp-pass-long",
    },
  };
}

/**
 * Files of one node under `dir`: the config points at the check script there instead of
 * /etc/keepalived (the only rewrite; keepalived checks that the script exists and is secure).
 */
function writeNodeFiles(model: HaproxyNodeModel, dir: string): { conf: string; script: string; haproxyCfg: string } {
  // Models are built at load; the CA is made in beforeAll.
  const m = { ...model, restApiCaCert: clusterCa };
  const script = path.join(dir, "check_haproxy.sh");
  writeFileSync(script, renderKeepalivedCheckScript(m));
  chmodSync(script, 0o755);
  const rendered = renderKeepalivedConf(m);
  expect(rendered).toContain(`script "${PATHS.keepalivedCheckScript}"`);
  const conf = path.join(dir, "keepalived.conf");
  writeFileSync(conf, rendered.replace(`script "${PATHS.keepalivedCheckScript}"`, `script "${script}"`), { mode: 0o600 });
  // The cluster CA HAProxy loads at start for its REST checks (no Patroni here: only /alive matters).
  const caFile = path.join(dir, "cluster-ca.crt");
  writeFileSync(caFile, m.restApiCaCert ?? "");
  const haproxyCfg = path.join(dir, "haproxy.cfg");
  writeFileSync(haproxyCfg, renderHaproxyCfg(m).replaceAll(PATHS.haproxyClusterCa, caFile));
  return { conf, script, haproxyCfg };
}

const nodeDirs = [0, 1].map((i) => {
  const dir = path.join(tmp, `node${i}`);
  return dir;
});

let ns: { a: string; b: string };
const ms = [model(0), model(1)];
const files: ReturnType<typeof writeNodeFiles>[] = [];

beforeAll(async () => {
  clusterCa = (await synthCertPems("pgha/keepalived-test", { ipAddresses: ["127.0.0.1"], dnsNames: ["main-pg-0"] })).ca;
});

beforeAll(() => {
  ns = makeNetwork(ms[0].node, ms[1].node, ms[0].vip?.prefixLength ?? 24);
  nodeDirs.forEach((dir, i) => {
    must("mkdir", ["-p", dir]);
    files.push(writeNodeFiles(ms[i], dir));
  });
});

function configTest(nsName: string, conf: string) {
  const r = runImageSync(["keepalived", "--config-test", "--use-file", conf], { netns: nsName, binds: [tmp], timeoutMs: 10_000 });
  return { status: r.code, out: `${r.stdout}${r.stderr}` };
}

describe("keepalived -t", () => {
  it("accepts both nodes' configs", () => {
    for (const [i, n] of [ns.a, ns.b].entries()) {
      const r = configTest(n, files[i].conf);
      expect(r.out).toBe("");
      expect(r.status).toBe(0);
    }
  });

  it("rejects an invalid virtual router id", () => {
    const bad = path.join(tmp, "bad-vrid.conf");
    writeFileSync(
      bad,
      renderKeepalivedConf(ms[0])
        .replace("virtual_router_id 61", "virtual_router_id 300")
        .replace(PATHS.keepalivedCheckScript, files[0].script),
    );
    const r = configTest(ns.a, bad);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/VRID '300' not valid/);
  });

  it("rejects an interface that does not exist", () => {
    const bad = path.join(tmp, "bad-if.conf");
    writeFileSync(
      bad,
      renderKeepalivedConf({ ...ms[0], spec: { ...ms[0].spec, keepalived: { ...ms[0].spec.keepalived, interface: "nosuch0" } } }).replace(
        PATHS.keepalivedCheckScript,
        files[0].script,
      ),
    );
    const r = configTest(ns.a, bad);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/nosuch0.*doesn't exist/);
  });

  it("rejects a check script other users could modify (enable_script_security)", () => {
    const dir = path.join(tmp, "insecure");
    must("mkdir", ["-p", dir]);
    const m = { ...ms[0] };
    const f = writeNodeFiles(m, dir);
    chmodSync(f.script, 0o777);
    const r = configTest(ns.a, f.conf);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/insecure/);
  });
});

// ---------------------------------------------------------------------------------------------

interface Proc {
  child: ChildProcess;
  log: string;
}

function startIn(nsName: string, cmd: string[]): Proc {
  // `ip netns exec`, the image's wrappers and `prlimit` exec the command: the child's pid is the daemon's own.
  const argv = imageArgv(cmd, { netns: nsName, binds: [tmp] });
  const child = spawn(argv[0], argv.slice(1), { env: imageEnv(), stdio: ["ignore", "pipe", "pipe"] });
  const p: Proc = { child, log: "" };
  child.stdout?.on("data", (d) => (p.log += d));
  child.stderr?.on("data", (d) => (p.log += d));
  return p;
}

async function stop(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once("exit", r));
  p.child.kill("SIGTERM");
  await exited;
}

function startHaproxy(i: number): Proc {
  const nofile = haproxyNofileLimit(ms[i]);
  return startIn([ns.a, ns.b][i], ["prlimit", `--nofile=${nofile}:${nofile}`, "haproxy", "-db", "-f", files[i].haproxyCfg]);
}

function hasVip(nsName: string): boolean {
  const vip = ms[0].vip?.ip ?? "";
  return must("ip", ["-n", nsName, "-4", "-o", "addr", "show", "dev", "pgha0"]).includes(` ${vip}/`);
}

/** Which namespaces hold the VIP, e.g. "a", "b", "" or "ab" (the latter must never persist). */
function holders(): string {
  return (hasVip(ns.a) ? "a" : "") + (hasVip(ns.b) ? "b" : "");
}

async function waitForHolders(want: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let now = holders();
  while (now !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    now = holders();
  }
  expect(now, `VIP holders (a=${ms[0].node.name}, b=${ms[1].node.name})`).toBe(want);
}

/** Run the node's keepalived check script until it passes (HAProxy is up and answering). */
async function waitForCheck(nsName: string, script: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = { code: -1, out: "" };
  while (Date.now() < deadline) {
    const r = runImageSync(["bash", script], { netns: nsName, binds: [tmp], timeoutMs: 10_000 });
    last = { code: r.code ?? -1, out: `${r.stdout}${r.stderr}` };
    if (last.code === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`check script ${script} in ${nsName} still fails after ${timeoutMs} ms (exit ${last.code}): ${last.out}`);
}

describe("two keepalived + HAProxy nodes", () => {
  const haproxies: (Proc | undefined)[] = [];
  const keepaliveds: Proc[] = [];

  beforeAll(async () => {
    for (const i of [0, 1]) haproxies[i] = startHaproxy(i);
    // Both checks must pass before keepalived starts: with nopreempt, whichever node is healthy
    // first takes the VIP, so a slow HAProxy start (CI under load) would hand it to the peer.
    for (const i of [0, 1]) await waitForCheck([ns.a, ns.b][i], files[i].script, 30_000);
    for (const i of [0, 1]) {
      const pids = { main: path.join(nodeDirs[i], "keepalived.pid"), vrrp: path.join(nodeDirs[i], "vrrp.pid") };
      keepaliveds[i] = startIn([ns.a, ns.b][i], ["keepalived", ...keepalivedArgs(files[i].conf, pids)]);
    }
  }, 60_000);

  afterAll(async () => {
    for (const p of [...keepaliveds, ...haproxies]) await stop(p);
  });

  it("gives the VIP to the higher-priority node, and only to it", async () => {
    await waitForHolders("a", 10_000);
  });

  it("moves the VIP to the peer when the holder's HAProxy dies", async () => {
    await stop(haproxies[0]);
    await waitForHolders("b", 10_000);
    expect(keepaliveds[0].log).toMatch(/FAULT/);
  });

  it("leaves the VIP on the peer when the first node recovers (nopreempt)", async () => {
    haproxies[0] = startHaproxy(0);
    // Recovery: the check passes again (rise 1) and node a returns to BACKUP...
    const deadline = Date.now() + 10_000;
    while (!/pgha_main\) Entering BACKUP STATE/.test(keepaliveds[0].log.split(/FAULT/).pop() ?? "") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(keepaliveds[0].log.split(/FAULT/).pop()).toMatch(/Entering BACKUP STATE/);
    // ...and, despite its higher priority, does not take the VIP back.
    await new Promise((r) => setTimeout(r, 3000));
    expect(holders()).toBe("b");
  });
});
