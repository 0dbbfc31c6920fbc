// The lab's network (namespaces, bridges, routing, delay, partitions) and a node supervisor in
// a private filesystem view, for real: needs root and `ip netns`. The pure planners and parsers
// these build on are tested next to their code in lib/lab.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exec } from "../packages/lab/lib/lab/host/exec";
import { nodeNetns } from "../packages/lab/lib/lab/network/names";
import {
  cutNode,
  healPartition,
  netnsExists,
  partitionNode,
  readNetworkState,
  restoreNode,
  setupNetwork,
  teardownNetwork,
} from "../packages/lab/lib/lab/network/network";
import { type LabNetworkPlan, resolveNetwork } from "../packages/lab/lib/lab/network/networkPlan";
import { labImages } from "../packages/lab/lib/lab/node/image/imageExec";
import { ensureNodeRoot, nodeRootfs } from "../packages/lab/lib/lab/node/nodeView";
import { type ConnectSample, routeTo, startTcpListener, stopTcpListener, tcpConnectSamples } from "../packages/lab/lib/lab/network/probe";
import { isSameProcess, processesInNamespace } from "../packages/lab/lib/lab/host/procs";
import {
  type NodeSupervisorHandle,
  nodeProcesses,
  readSupervisorStatus,
  runInNode,
  startNodeSupervisor,
  stopNodeSupervisor,
  supervisorCommand,
} from "../packages/lab/lib/lab/systemd/supervisorControl";

function rootSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root (network namespaces, bind mounts)";
  try {
    execFileSync("ip", ["netns", "list"], { stdio: "ignore" });
  } catch {
    return "`ip netns` is unavailable";
  }
  return undefined;
}
const skipReason = rootSkipReason();
if (skipReason) console.warn(`skipping lab namespace tests: ${skipReason}`);

// Unique per run so concurrent runs (and a real lab) never share names.
const RUN = `t${process.pid.toString(36)}`;
const LAB_DIR = join(__dirname, "..", ".lab", `test-${RUN}`);

function rtt(samples: ConnectSample[]): number[] {
  return samples.map((s) => {
    if ("error" in s) throw new Error(`connect failed: ${s.error}`);
    return s.ms;
  });
}

/** Host mounts mentioning this run; /run/netns/<name> entries exist while namespaces do. */
function labMounts(opts: { includeNetns: boolean } = { includeNetns: true }): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((l) => l.includes(RUN) && (opts.includeNetns || !l.includes("/run/netns/")));
}

describe.skipIf(skipReason !== undefined)("lab network (namespaces, bridges, routing, delay)", () => {
  const DELAY_MS = 25;
  const plan: LabNetworkPlan = {
    fabric: `${RUN}-fab`,
    interRegionDelayMs: DELAY_MS,
    subnets: [
      { name: "r1-a", cidr: "10.201.1.0/24", region: "region-1" },
      { name: "r2-a", cidr: "10.202.1.0/24", region: "region-2" },
    ],
    nodes: [
      { name: `${RUN}-a1`, subnet: "r1-a", address: "10.201.1.10" },
      { name: `${RUN}-a2`, subnet: "r1-a", address: "10.201.1.11" },
      { name: `${RUN}-b1`, subnet: "r2-a", address: "10.202.1.10" },
    ],
  };
  const [a1, a2, b1] = plan.nodes;
  const stateFile = join(LAB_DIR, "network.json");
  const listeners: Awaited<ReturnType<typeof startTcpListener>>[] = [];

  beforeAll(async () => {
    mkdirSync(LAB_DIR, { recursive: true });
    await setupNetwork(plan, stateFile);
    for (const n of plan.nodes)
      listeners.push(await startTcpListener(nodeNetns(n.name), n.address, 7000, join(LAB_DIR, `${n.name}-listener.log`)));
  }, 30_000);

  afterAll(async () => {
    for (const l of listeners) await stopTcpListener(l).catch(() => undefined);
    const delayer = readNetworkState(stateFile)?.delayer;
    await teardownNetwork(stateFile);
    for (const ns of [`pgha-${plan.fabric}`, ...plan.nodes.map((n) => nodeNetns(n.name))]) expect(netnsExists(ns)).toBe(false);
    if (delayer) expect(isSameProcess(delayer)).toBe(false);
    expect(labMounts()).toEqual([]);
    rmSync(LAB_DIR, { recursive: true, force: true });
  }, 30_000);

  it("is idempotent: a second setup creates nothing new", async () => {
    const before = readNetworkState(stateFile);
    // Interface names and indexes: a re-created link would get a new ifindex.
    const links = async () =>
      (JSON.parse((await exec("ip", ["-n", `pgha-${plan.fabric}`, "-j", "link"])).stdout) as { ifindex: number; ifname: string }[]).map(
        (l) => `${l.ifindex}:${l.ifname}`,
      );
    const linksBefore = await links();
    const after = await setupNetwork(plan, stateFile);
    expect(after.namespaces).toEqual(before?.namespaces);
    expect(after.delayer?.pid).toBe(before?.delayer?.pid);
    expect(await links()).toEqual(linksBefore);
    const rules = (await exec("ip", ["netns", "exec", `pgha-${plan.fabric}`, "iptables", "-S", "PGHA-DELAY"])).stdout;
    expect(rules.match(/NFQUEUE/g)).toHaveLength(2);
    expect(after.namespaces).toHaveLength(4);
  }, 20_000);

  it("gives each node its address, loopback and a default route via its gateway", async () => {
    const addr = (await exec("ip", ["-n", nodeNetns(a1.name), "-br", "addr", "show", "dev", "eth0"])).stdout;
    expect(addr).toContain("10.201.1.10/24");
    expect((await exec("ip", ["-n", nodeNetns(a1.name), "-br", "link", "show", "dev", "lo"])).stdout).toMatch(/UNKNOWN|UP/);
    expect((await exec("ip", ["-n", nodeNetns(b1.name), "route", "show", "default"])).stdout).toContain("default via 10.202.1.1 dev eth0");
  });

  it("connects within a subnet without delay and across regions with the configured delay", async () => {
    const local = rtt(await tcpConnectSamples(nodeNetns(a2.name), a1.address, 7000, 5));
    const cross = rtt(await tcpConnectSamples(nodeNetns(a2.name), b1.address, 7000, 5));
    const back = rtt(await tcpConnectSamples(nodeNetns(b1.name), a1.address, 7000, 5));
    console.log(
      `TCP connect RTT ms: same subnet ${local.map((x) => x.toFixed(2)).join(",")}; ` +
        `region-1 -> region-2 ${cross.map((x) => x.toFixed(1)).join(",")}; back ${back.map((x) => x.toFixed(1)).join(",")}`,
    );
    // A handshake crosses the delay twice (SYN there, SYN/ACK back).
    const min = (xs: number[]) => Math.min(...xs);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    expect(min(cross)).toBeGreaterThanOrEqual(2 * DELAY_MS - 2);
    expect(min(back)).toBeGreaterThanOrEqual(2 * DELAY_MS - 2);
    expect(median(cross)).toBeLessThan(2 * DELAY_MS + 40);
    expect(median(local)).toBeLessThan(DELAY_MS);
  }, 20_000);

  it("has no route out of the lab", async () => {
    const fabric = `pgha-${plan.fabric}`;
    expect((await exec("ip", ["-n", fabric, "route", "show", "default"])).stdout.trim()).toBe("");
    // `ip route get` resolves without sending anything.
    expect(await routeTo(fabric, "192.0.2.1")).toBeUndefined();
    expect(await routeTo(fabric, "8.8.8.8")).toBeUndefined();
    const kinds = JSON.parse((await exec("ip", ["-n", fabric, "-d", "-j", "link"])).stdout) as {
      ifname: string;
      linkinfo?: { info_kind?: string };
    }[];
    for (const l of kinds) expect(l.ifname === "lo" || ["bridge", "veth"].includes(l.linkinfo?.info_kind ?? "")).toBe(true);
    // The host itself has no interface into the lab.
    const hostLinks = (await exec("ip", ["-br", "link"])).stdout;
    for (const n of resolveNetwork(plan).nodes) expect(hostLinks).not.toContain(n.veth);
  });

  it("cuts and restores a node", async () => {
    await cutNode(plan, b1.name);
    const during = await tcpConnectSamples(nodeNetns(a1.name), b1.address, 7000, 1, 400);
    expect(during[0]).toEqual({ error: "timeout" });
    await restoreNode(plan, b1.name);
    let after: ConnectSample[] = [];
    for (let i = 0; i < 20; i++) {
      after = await tcpConnectSamples(nodeNetns(a1.name), b1.address, 7000, 1, 1000);
      if ("ms" in after[0]) break;
    }
    expect("ms" in after[0]).toBe(true);
  }, 30_000);

  it("partitions a node from chosen peers and heals it", async () => {
    await partitionNode(plan, stateFile, a1.name, [a2.address]);
    expect(await tcpConnectSamples(nodeNetns(a2.name), a1.address, 7000, 1, 400)).toEqual([{ error: "timeout" }]);
    expect("ms" in (await tcpConnectSamples(nodeNetns(b1.name), a1.address, 7000, 1, 1000))[0]).toBe(true);
    await healPartition(plan, stateFile, a1.name);
    expect("ms" in (await tcpConnectSamples(nodeNetns(a2.name), a1.address, 7000, 1, 1000))[0]).toBe(true);
  }, 20_000);
});

describe.skipIf(skipReason !== undefined)("node supervisor in a private filesystem view", () => {
  const node = `${RUN}-s1`;
  const plan: LabNetworkPlan = {
    fabric: `${RUN}-sfab`,
    subnets: [{ name: "s", cidr: "10.203.1.0/24", region: "r" }],
    nodes: [{ name: node, subnet: "s", address: "10.203.1.10" }],
  };
  const stateFile = join(LAB_DIR, "sup-network.json");
  let h: NodeSupervisorHandle | undefined;

  beforeAll(async () => {
    mkdirSync(LAB_DIR, { recursive: true });
    await setupNetwork(plan, stateFile);
    // Unit files are put into the node's own /etc/systemd/system (its overlay upper) and enabled.
    // The base image: no package enables units of its own there.
    const { base } = await labImages();
    ensureNodeRoot(LAB_DIR, node, [base]);
    const etc = join(nodeRootfs(LAB_DIR, node), "etc");
    mkdirSync(join(etc, "default"), { recursive: true });
    // A package user with a tmpfiles.d entry, as postgresql-common installs them.
    writeFileSync(
      join(etc, "passwd"),
      `${readFileSync(join(base, "etc/passwd"), "utf8")}postgres:x:990:990::/var/lib/postgresql:/bin/sh\n`,
    );
    writeFileSync(join(etc, "group"), `${readFileSync(join(base, "etc/group"), "utf8")}postgres:x:990:\n`);
    mkdirSync(join(nodeRootfs(LAB_DIR, node), "usr/lib/tmpfiles.d"), { recursive: true });
    writeFileSync(join(nodeRootfs(LAB_DIR, node), "usr/lib/tmpfiles.d/postgresql.conf"), "d /run/postgresql 2775 postgres postgres - -\n");
    mkdirSync(join(etc, "systemd/system/multi-user.target.wants"), { recursive: true });
    writeFileSync(join(etc, "pgha-test.conf"), "written on the host into the node's /etc\n");
    writeFileSync(join(etc, "default/sleeper"), 'SLEEP_FOR="1000"\n');
    writeFileSync(
      join(etc, "systemd/system/sleeper.service"),
      "[Unit]\nDescription=trivial test service\nAfter=prepare.service\nRequires=prepare.service\n" +
        "[Service]\nUser=nobody\nEnvironmentFile=-/etc/default/%p\nExecStart=/bin/sleep ${SLEEP_FOR}\n" +
        "Restart=always\nRestartSec=200ms\nRuntimeDirectory=sleeper\n[Install]\nWantedBy=multi-user.target\n",
    );
    // Ignores SIGTERM (the ignored disposition survives exec): stop must escalate to SIGKILL.
    writeFileSync(
      join(etc, "systemd/system/stubborn.service"),
      "[Service]\nExecStart=/bin/sh -c 'trap \"\" TERM; sleep 1000'\nTimeoutStopSec=1s\n",
    );
    writeFileSync(
      join(etc, "systemd/system/prepare.service"),
      "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/sh -c 'echo prepared > /run/prepared'\n",
    );
    execFileSync("ln", ["-sf", "/etc/systemd/system/sleeper.service", join(etc, "systemd/system/multi-user.target.wants/sleeper.service")]);
    // A timer enabled into timers.target (started at boot) and one started on request.
    writeFileSync(
      join(etc, "systemd/system/tick.service"),
      "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'date +%%s >> /var/tmp/ticks'\n",
    );
    writeFileSync(join(etc, "systemd/system/tick.timer"), "[Timer]\nOnCalendar=*-*-* *:*:0/2 UTC\n[Install]\nWantedBy=timers.target\n");
    writeFileSync(join(etc, "systemd/system/late.service"), "[Service]\nType=oneshot\nExecStart=/bin/touch /var/tmp/late\n");
    writeFileSync(join(etc, "systemd/system/late.timer"), "[Timer]\nOnCalendar=*-*-* 00:00:00 UTC\nPersistent=true\n");
    mkdirSync(join(etc, "systemd/system/timers.target.wants"), { recursive: true });
    execFileSync("ln", ["-sf", "/etc/systemd/system/tick.timer", join(etc, "systemd/system/timers.target.wants/tick.timer")]);
    h = await startNodeSupervisor({ labDir: LAB_DIR, node, lower: [base] });
  }, 60_000);

  afterAll(async () => {
    try {
      if (h) await stopNodeSupervisor(h);
    } finally {
      await teardownNetwork(stateFile);
    }
    if (h) {
      expect(nodeProcesses(h)).toEqual([]);
      expect(processesInNamespace("mnt", h.mntNs)).toEqual([]);
    }
    expect(netnsExists(nodeNetns(node))).toBe(false);
    expect(labMounts()).toEqual([]);
    rmSync(LAB_DIR, { recursive: true, force: true });
  }, 60_000);

  async function waitForUnit(
    unit: string,
    pred: (u: { state: string; pid: number | null; restarts: number }) => boolean,
    timeoutMs = 10_000,
  ) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const u = readSupervisorStatus(h?.stateDir as string)?.units.find((x) => x.unit === unit);
      if (u && pred(u)) return u;
      if (Date.now() > deadline) throw new Error(`${unit} did not reach the expected state: ${JSON.stringify(u)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("boots enabled units in dependency order, as their User=", async () => {
    const s = await waitForUnit("sleeper.service", (u) => u.state === "active" && u.pid !== null);
    const status = await supervisorCommand(h?.stateDir as string, { op: "status" });
    // The base image enables units of its own too (systemd's and apt's timers, e2scrub_reap), as a cloud image does.
    const ours = ["prepare.service", "sleeper.service", "tick.timer"];
    expect(status.units.filter((u) => ours.includes(u.unit)).map((u) => [u.unit, u.state])).toEqual([
      ["prepare.service", "active"],
      ["sleeper.service", "active"],
      ["tick.timer", "active"],
    ]);
    const pid = s.pid as number;
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")).toEqual(["/bin/sleep", "1000", ""]);
    expect(readFileSync(`/proc/${pid}/status`, "utf8")).toMatch(/^Uid:\s+65534\s/m);
  }, 20_000);

  it("gives the node its own view: files, /run, hostname, network", async () => {
    const node_ = h as NodeSupervisorHandle;
    expect((await runInNode(node_, ["cat", "/etc/pgha-test.conf"])).stdout).toBe("written on the host into the node's /etc\n");
    expect((await runInNode(node_, ["cat", "/run/prepared"])).stdout).toBe("prepared\n");
    expect((await runInNode(node_, ["stat", "-c", "%U %a", "/run/sleeper"])).stdout.trim()).toBe("nobody 755");
    expect((await runInNode(node_, ["stat", "-c", "%U:%G", "/run/postgresql"])).stdout.trim()).toBe("postgres:postgres");
    expect((await runInNode(node_, ["hostname"])).stdout.trim()).toBe(node);
    expect((await runInNode(node_, ["ip", "-br", "addr", "show", "dev", "eth0"])).stdout).toContain("10.203.1.10/24");
    // None of it leaks to the host.
    expect(existsSync("/etc/pgha-test.conf")).toBe(false);
    expect(existsSync("/run/prepared")).toBe(false);
    expect(labMounts({ includeNetns: false })).toEqual([]);
  }, 20_000);

  it("restarts a killed service per Restart=always", async () => {
    const before = await waitForUnit("sleeper.service", (u) => u.state === "active" && u.pid !== null);
    process.kill(before.pid as number, "SIGKILL");
    const after = await waitForUnit("sleeper.service", (u) => u.state === "active" && u.pid !== null && u.pid !== before.pid);
    expect(after.restarts).toBe(before.restarts + 1);
    const status = readSupervisorStatus(h?.stateDir as string);
    expect(status?.units.find((u) => u.unit === "sleeper.service")?.lastExit?.signal).toBe("SIGKILL");
  }, 20_000);

  it("runs timers like systemd: OnCalendar= starts the service on time, Persistent= catches up a missed run, stop stops it", async () => {
    const node_ = h as NodeSupervisorHandle;
    const ticks = async () =>
      (await runInNode(node_, ["sh", "-c", "cat /var/tmp/ticks 2>/dev/null || true"])).stdout
        .trim()
        .split("\n")
        .filter(Boolean)
        .map(Number);
    const deadline = Date.now() + 10_000;
    while ((await ticks()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const seen = await ticks();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.every((t) => t % 2 === 0)).toBe(true); // *:*:0/2 fires on even seconds
    const tick = (await supervisorCommand(node_.stateDir, { op: "status" })).units.find((u) => u.unit === "tick.timer");
    expect(Date.parse(tick?.nextElapse ?? "") - Date.now()).toBeLessThanOrEqual(2000);
    expect(tick?.lastTrigger).toBeDefined();

    // The node was "down" over a midnight: the stamp says the last run was two days ago.
    writeFileSync(join(node_.stateDir, "timers", "stamp-late.timer"), `${new Date(Date.now() - 2 * 86_400_000).toISOString()}\n`);
    const st = await supervisorCommand(node_.stateDir, { op: "start", unit: "late.timer" });
    const late = st.units.find((u) => u.unit === "late.timer");
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(late?.nextElapse).toBe(midnight.toISOString());
    const until = Date.now() + 5000;
    const lateRan = async () =>
      (await runInNode(node_, ["sh", "-c", "test -e /var/tmp/late && echo yes || echo no"])).stdout.trim() === "yes";
    while (!(await lateRan()) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await lateRan()).toBe(true);

    await supervisorCommand(node_.stateDir, { op: "stop", unit: "tick.timer" });
    await new Promise((r) => setTimeout(r, 500)); // a run started just before the stop may still append
    const after = (await ticks()).length;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await ticks()).length).toBe(after);
    await expect(supervisorCommand(node_.stateDir, { op: "start", unit: "nope.timer" })).rejects.toThrow(/not found/);
  }, 30_000);

  it("stops and starts units on request, and stop-all stops everything", async () => {
    const dir = h?.stateDir as string;
    let st = await supervisorCommand(dir, { op: "stop", unit: "sleeper.service" });
    expect(st.units.find((u) => u.unit === "sleeper.service")).toMatchObject({ state: "inactive", pid: null });
    expect(existsSync(`/proc/${h?.pid}/root/run/sleeper`)).toBe(false);
    st = await supervisorCommand(dir, { op: "start", unit: "sleeper.service" });
    expect(st.units.find((u) => u.unit === "sleeper.service")?.state).toBe("active");
    await expect(supervisorCommand(dir, { op: "start", unit: "nope.service" })).rejects.toThrow(/not found/);
    st = await supervisorCommand(dir, { op: "start", unit: "stubborn.service" });
    const stubborn = st.units.find((u) => u.unit === "stubborn.service");
    expect(stubborn?.state).toBe("active");
    const t0 = Date.now();
    st = await supervisorCommand(dir, { op: "stop", unit: "stubborn.service" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(st.units.find((u) => u.unit === "stubborn.service")).toMatchObject({ state: "inactive", lastExit: { signal: "SIGKILL" } });
    expect(isSameProcess({ pid: stubborn?.pid as number, startTime: 0, cmdline: "" })).toBe(false);
    st = await supervisorCommand(dir, { op: "start", unit: "stubborn.service" });
    st = await supervisorCommand(dir, { op: "stop-all" });
    expect(st.units.every((u) => u.state === "inactive")).toBe(true);
    // Only the supervisor (and tsx's helper) remain in the node.
    const left = nodeProcesses(h as NodeSupervisorHandle).filter((p) => p.pid !== h?.pid && !p.cmdline.includes("esbuild"));
    expect(left).toEqual([]);
  }, 30_000);
});
