// Lab primitives: pure parsers/planners (always run) and real namespaces,
// delay and a node supervisor (need root and `ip netns`).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecError, exec } from "../lib/lab/exec";
import { gatewayOf, parseCidr } from "../lib/lab/ipv4";
import { bridgeName, nodeNetns, vethName } from "../lib/lab/names";
import { cutNode, healPartition, netnsExists, partitionNode, readNetworkState, restoreNode, setupNetwork, teardownNetwork } from "../lib/lab/network";
import { type LabNetworkPlan, resolveNetwork } from "../lib/lab/networkPlan";
import { labImages } from "../lib/lab/image/imageExec";
import { ensureNodeRoot, nodeRootfs } from "../lib/lab/nodeView";
import { renderPartitionRuleset } from "../lib/lab/partition";
import { parseGroup, parsePasswd, resolveUser } from "../lib/lab/passwd";
import { type ConnectSample, routeTo, startTcpListener, stopTcpListener, tcpConnectSamples } from "../lib/lab/probe";
import { isSameProcess, processesInNamespace } from "../lib/lab/procs";
import {
  type NodeSupervisorHandle,
  nodeProcesses,
  readSupervisorStatus,
  runInNode,
  startNodeSupervisor,
  stopNodeSupervisor,
  supervisorArgv,
  supervisorCommand,
} from "../lib/lab/supervisorControl";
import { expandCommandLine, expandSpecifiers, parseEnvironmentFile, parseTimeSpan, splitWords } from "../lib/lab/systemdSyntax";
import { type PathCondition, parseUnit } from "../lib/lab/systemdUnit";
import { conditionHolds } from "../lib/lab/unitConditions";
import { parseTmpfiles } from "../lib/lab/tmpfiles";
import { invocationFor, unitEnvironment } from "../lib/lab/unitExec";
import { shouldRestart } from "../lib/lab/unitExit";
import { startOrder } from "../lib/lab/unitOrder";

// ---------------------------------------------------------------- pure parts

describe("systemd unit parsing", () => {
  it("parses sections, continuations, comments, exec prefixes, quoting, specifiers", () => {
    const u = parseUnit(
      "etcd.service",
      `# comment
[Unit]
Description=etcd - highly-available key value store
After=network.target
After=other.service \\
  # a comment inside a continuation is skipped
  third.service
Requires=disk.service
Wants=network-online.target
ConditionPathExists=!/etc/nope

[Service]
Type=notify
User=etcd
Group=etcd
Environment=ETCD_NAME=%H "QUOTED=a b  c" 'SINGLE=x"y'
Environment=DATA=/var/lib/%p
EnvironmentFile=-/etc/default/%p
EnvironmentFile=/etc/required
WorkingDirectory=-/var/lib/etcd
ExecStartPre=-/bin/mkdir -p /var/lib/etcd
ExecStartPre=+/bin/chown etcd /var/lib/etcd
ExecStart=/usr/bin/etcd $DAEMON_ARGS \\
  --name "\${ETCD_NAME}" --data-dir=%S/%p
ExecStartPost=/bin/true
ExecReload=/bin/kill -HUP $MAINPID
ExecStop=/bin/kill -TERM $MAINPID
Restart=on-failure
RestartSec=2s
TimeoutSec=30
RuntimeDirectory=etcd etcd/sub
RuntimeDirectoryMode=0750
LimitNOFILE=1024:65536
KillMode=mixed
KillSignal=INT
SuccessExitStatus=143 SIGUSR1

[Install]
WantedBy=multi-user.target
`,
      { hostname: "db-etcd-0" },
    );
    expect(u.description).toBe("etcd - highly-available key value store");
    expect(u.after).toEqual(["network.target", "other.service", "third.service"]);
    expect(u.requires).toEqual(["disk.service"]);
    expect(u.wants).toEqual(["network-online.target"]);
    expect(u.conditions).toEqual([{ kind: "PathExists", path: "/etc/nope", negate: true, assert: false }]);
    expect(u.wantedBy).toEqual(["multi-user.target"]);
    const s = u.service;
    if (!s) throw new Error("no service");
    expect(s.type).toBe("notify");
    expect(s.user).toBe("etcd");
    expect(s.group).toBe("etcd");
    expect(s.environment).toEqual({ ETCD_NAME: "db-etcd-0", QUOTED: "a b  c", SINGLE: 'x"y', DATA: "/var/lib/etcd" });
    expect(s.environmentFiles).toEqual([
      { path: "/etc/default/etcd", optional: true },
      { path: "/etc/required", optional: false },
    ]);
    expect(s.workingDirectory).toEqual({ path: "/var/lib/etcd", optional: true });
    expect(s.execStartPre.map((c) => [c.ignoreFailure, c.privileged, c.argv])).toEqual([
      [true, false, ["/bin/mkdir", "-p", "/var/lib/etcd"]],
      [false, true, ["/bin/chown", "etcd", "/var/lib/etcd"]],
    ]);
    expect(s.execStart).toHaveLength(1);
    expect(s.execStart[0].argv).toEqual(["/usr/bin/etcd", "$DAEMON_ARGS", "--name", "${ETCD_NAME}", "--data-dir=/var/lib/etcd"]);
    expect(s.execStartPost[0].argv).toEqual(["/bin/true"]);
    expect(s.execReload[0].argv).toEqual(["/bin/kill", "-HUP", "$MAINPID"]);
    expect(s.execStop[0].argv).toEqual(["/bin/kill", "-TERM", "$MAINPID"]);
    expect(s.restart).toBe("on-failure");
    expect(s.restartMs).toBe(2000);
    expect(s.timeoutStopMs).toBe(30_000);
    expect(s.timeoutStartMs).toBe(30_000);
    expect(s.runtimeDirectory).toEqual(["etcd", "etcd/sub"]);
    expect(s.runtimeDirectoryMode).toBe(0o750);
    expect(s.limitNOFILE).toEqual({ soft: 1024, hard: 65536 });
    expect(s.killMode).toBe("mixed");
    expect(s.killSignal).toBe("SIGINT");
    expect(s.successExitStatus).toEqual({ codes: [143], signals: ["SIGUSR1"] });
  });

  it("applies defaults, drop-ins (append, reset with empty value) and template specifiers", () => {
    const main = "[Unit]\nDescription=PostgreSQL Cluster %i\n[Service]\nType=forking\nExecStart=-/usr/bin/pg_ctlcluster %i start\nPIDFile=/run/postgresql/%i.pid\nEnvironment=A=1\n";
    const dropIn = "[Service]\nExecStart=\nExecStart=/usr/bin/pg_ctlcluster --foreground %I start\nEnvironment=B=2\nRestart=always\n";
    const u = parseUnit("postgresql@15-main.service", [main, dropIn]);
    const s = u.service;
    if (!s) throw new Error("no service");
    expect(u.description).toBe("PostgreSQL Cluster 15-main");
    expect(s.execStart.map((c) => c.argv)).toEqual([["/usr/bin/pg_ctlcluster", "--foreground", "15/main", "start"]]);
    expect(s.pidFile).toBe("/run/postgresql/15-main.pid");
    expect(s.environment).toEqual({ A: "1", B: "2" });
    expect(s.restart).toBe("always");
    const d = parseUnit("x.service", "[Service]\nExecStart=/bin/true\n").service;
    expect(d).toMatchObject({ type: "simple", restart: "no", restartMs: 100, timeoutStopMs: 90_000, killMode: "control-group", killSignal: "SIGTERM", runtimeDirectory: [] });
    expect(d?.user).toBeUndefined();
  });

  it("parses the Debian units this lab runs", () => {
    for (const name of ["patroni", "etcd", "haproxy", "keepalived", "pgbouncer", "postgresql@"]) {
      const file = `/lib/systemd/system/${name}.service`;
      if (!existsSync(file)) continue;
      const unitName = name.endsWith("@") ? `${name}15-main.service` : `${name}.service`;
      const u = parseUnit(unitName, readFileSync(file, "utf8"), { hostname: "n1" });
      expect(u.service?.execStart.length).toBeGreaterThan(0);
    }
    const patroni = parseUnit("patroni.service", "[Service]\nUser=postgres\nExecStart=/usr/bin/patroni /etc/patroni/config.yml\nKillMode=process\nTimeoutSec=30\nRestart=on-failure\n");
    expect(patroni.service).toMatchObject({ killMode: "process", timeoutStopMs: 30_000, restart: "on-failure" });
  });

  it("evaluates Condition*=/Assert*= paths", () => {
    const c = (kind: PathCondition["kind"], path: string, negate = false) => conditionHolds({ kind, path, negate, assert: false });
    expect(c("PathExists", "/etc/passwd")).toBe(true);
    expect(c("PathExists", "/etc/nope-nope")).toBe(false);
    expect(c("PathExists", "/etc/nope-nope", true)).toBe(true);
    expect(c("PathIsDirectory", "/etc")).toBe(true);
    expect(c("FileNotEmpty", "/etc/passwd")).toBe(true);
    expect(c("FileNotEmpty", "/etc")).toBe(false);
  });

  it("rejects what systemd rejects", () => {
    expect(() => parseUnit("a.service", "[Service]\nExecStart=/bin/a\nExecStart=/bin/b\n")).toThrow(/only allowed for Type=oneshot/);
    expect(() => parseUnit("a.service", "[Service]\nType=simple\n")).toThrow(/no ExecStart/);
    expect(() => parseUnit("a.service", "[Service]\nExecStart=/bin/a\nRestart=sometimes\n")).toThrow(/Restart=sometimes/);
    expect(() => parseUnit("a.service", "ExecStart=/bin/a\n")).toThrow(/outside of a section/);
    expect(() => parseUnit("a.service", "[Service]\nExecStart=/bin/a %Q\n")).toThrow(/unsupported specifier %Q/);
    expect(parseUnit("a.service", "[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=/bin/b\n").service?.execStart).toHaveLength(2);
  });

  it("splits words, expands variables, specifiers, time spans, environment files", () => {
    expect(splitWords(`a "b c" 'd "e"' f\\ g "" h\\x41`)).toEqual(["a", "b c", 'd "e"', "f g", "", "hA"]);
    expect(() => splitWords('"open')).toThrow(/unterminated/);
    expect(expandCommandLine(["/bin/x", "$ARGS", "--n=${N}", "$$HOME", "$EMPTY"], { ARGS: "-a  -b", N: "1" })).toEqual(["/bin/x", "-a", "-b", "--n=1", "$HOME"]);
    expect(expandSpecifiers("%n %N %p %i %I %t %% %H", { unit: "foo-bar@a-b.service", hostname: "h" })).toBe("foo-bar@a-b.service foo-bar@a-b foo-bar a-b a/b /run % h");
    expect(parseTimeSpan("5")).toBe(5000);
    expect(parseTimeSpan("100ms")).toBe(100);
    expect(parseTimeSpan("1min 30s")).toBe(90_000);
    expect(parseTimeSpan("infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(() => parseTimeSpan("soon")).toThrow();
    expect(parseEnvironmentFile('# c\nA=1\nexport B="two words"\nC=\'x\'\nD=plain # trailing\nE=line\\\ncontinued\nbad line\n')).toEqual({
      A: "1",
      B: "two words",
      C: "x",
      D: "plain",
      E: "linecontinued",
    });
  });

  it("builds the environment and the privilege-dropping argv of a command", () => {
    const u = parseUnit("a.service", "[Service]\nUser=nobody\nEnvironment=X=1 ARGS=-v\nEnvironmentFile=-/nonexistent\nEnvironmentFile=/etc/a\nExecStart=/bin/a $ARGS ${X}\nExecStartPre=+/bin/p\nLimitNOFILE=infinity\nRuntimeDirectory=a\n");
    const svc = u.service;
    if (!svc) throw new Error("no service");
    const user = { user: "nobody", uid: 65534, gid: 65534, group: "nogroup", home: "/nonexistent", shell: "/usr/sbin/nologin" };
    const env = unitEnvironment(svc, user, {}, (p) => (p === "/etc/a" ? "X=2\n" : undefined));
    expect(env).toMatchObject({ X: "2", ARGS: "-v", USER: "nobody", HOME: "/nonexistent", RUNTIME_DIRECTORY: "/run/a" });
    const inv = invocationFor(svc.execStart[0], svc, user, env);
    expect([inv.file, ...inv.args]).toEqual(["prlimit", "--nofile=unlimited:unlimited", "--", "setpriv", "--reuid=65534", "--regid=65534", "--init-groups", "--", "/bin/a", "-v", "2"]);
    const pre = invocationFor(svc.execStartPre[0], svc, user, env);
    expect([pre.file, ...pre.args]).toEqual(["prlimit", "--nofile=unlimited:unlimited", "--", "/bin/p"]);
    expect(() => unitEnvironment(svc, user, {}, () => undefined)).toThrow(/EnvironmentFile \/etc\/a/);
  });

  it("decides restarts like systemd", () => {
    const svc = { successExitStatus: { codes: [143], signals: [] } };
    const killed = { code: null, signal: "SIGKILL" };
    const clean = { code: 0, signal: null };
    const failed = { code: 1, signal: null };
    expect(shouldRestart("always", clean, svc)).toBe(true);
    expect(shouldRestart("no", killed, svc)).toBe(false);
    expect(shouldRestart("on-failure", killed, svc)).toBe(true);
    expect(shouldRestart("on-failure", failed, svc)).toBe(true);
    expect(shouldRestart("on-failure", clean, svc)).toBe(false);
    expect(shouldRestart("on-failure", { code: 143, signal: null }, svc)).toBe(false);
    expect(shouldRestart("on-failure", { code: null, signal: "SIGTERM" }, svc)).toBe(false);
    expect(shouldRestart("on-abnormal", failed, svc)).toBe(false);
    expect(shouldRestart("on-abnormal", killed, svc)).toBe(true);
    expect(shouldRestart("on-success", clean, svc)).toBe(true);
  });

  it("orders units by After=/Before= and pulls in Requires=/Wants=", () => {
    const mk = (name: string, unit: string) => parseUnit(name, `[Unit]\n${unit}\n[Service]\nExecStart=/bin/true\n`);
    const units = new Map(
      [
        mk("patroni.service", "After=etcd.service network.target\nRequires=etcd.service"),
        mk("etcd.service", "After=network.target"),
        mk("pgbouncer.service", "After=patroni.service\nWants=missing.service"),
        mk("haproxy.service", "Before=pgbouncer.service\nRequires=config.service"),
        mk("config.service", ""),
      ].map((u) => [u.name, u]),
    );
    expect(startOrder(units, ["pgbouncer.service", "patroni.service", "haproxy.service"])).toEqual([
      "etcd.service",
      "patroni.service",
      "config.service",
      "haproxy.service",
      "pgbouncer.service",
    ]);
    // Requires= without After= still starts the dependency first.
    const loose = new Map([mk("a.service", "Requires=b.service"), mk("b.service", "")].map((u) => [u.name, u]));
    expect(startOrder(loose, ["a.service"])).toEqual(["b.service", "a.service"]);
    expect(() => startOrder(units, ["nope.service"])).toThrow(/not found/);
    const missing = new Map([mk("a.service", "Requires=b.service")].map((u) => [u.name, u]));
    expect(() => startOrder(missing, ["a.service"])).toThrow(/requires b.service/);
    const cyc = new Map([mk("a.service", "After=b.service"), mk("b.service", "After=a.service\nWants=a.service")].map((u) => [u.name, u]));
    expect(() => startOrder(cyc, ["b.service"])).toThrow(/cycle/);
  });
});

describe("lab network plan (pure)", () => {
  const plan: LabNetworkPlan = {
    subnets: [
      { name: "ru-a", cidr: "10.77.1.0/24", region: "ru" },
      { name: "ru-b", cidr: "10.77.2.0/24", region: "ru" },
      { name: "eu-a", cidr: "10.78.1.0/24", region: "eu" },
    ],
    nodes: [
      { name: "db-patroni-0", subnet: "ru-a", address: "10.77.1.10" },
      { name: "db-patroni-1", subnet: "ru-b", address: "10.77.2.10" },
      { name: "dr-patroni-0", subnet: "eu-a", address: "10.78.1.10" },
    ],
    interRegionDelayMs: 20,
    regionDelays: [{ from: "eu", to: "ru", delayMs: 30 }],
  };

  it("derives names, gateways and delay rules", () => {
    const net = resolveNetwork(plan);
    expect(net.fabricNetns).toBe("pgha-fabric");
    expect(net.nodes[0]).toMatchObject({ netns: "pgha-db-patroni-0", gateway: "10.77.1.1", prefix: 24, region: "ru" });
    for (const n of net.nodes) expect(n.veth.length).toBeLessThanOrEqual(15);
    expect(vethName("db-patroni-0")).toMatch(/^pv[0-9a-f]{10}$/);
    expect(bridgeName("ru-a")).not.toBe(bridgeName("ru-b"));
    expect(nodeNetns("x")).toBe("pgha-x");
    expect(gatewayOf("10.77.1.0/24")).toBe("10.77.1.1");
    expect(net.queues).toEqual([
      { queue: 0, delayMs: 20 },
      { queue: 1, delayMs: 30 },
    ]);
    expect(net.delayRules).toEqual([
      { fromCidr: "10.77.1.0/24", toCidr: "10.78.1.0/24", queue: 0 },
      { fromCidr: "10.77.2.0/24", toCidr: "10.78.1.0/24", queue: 0 },
      { fromCidr: "10.78.1.0/24", toCidr: "10.77.1.0/24", queue: 1 },
      { fromCidr: "10.78.1.0/24", toCidr: "10.77.2.0/24", queue: 1 },
    ]);
  });

  it("rejects bad plans with clear messages", () => {
    const bad = (p: Partial<LabNetworkPlan>) => () => resolveNetwork({ ...plan, ...p });
    expect(bad({ nodes: [{ name: "n", subnet: "ru-a", address: "10.77.2.5" }] })).toThrow(/not a host address of ru-a/);
    expect(bad({ nodes: [{ name: "n", subnet: "ru-a", address: "10.77.1.1" }] })).toThrow(/gateway/);
    expect(bad({ nodes: [{ name: "n", subnet: "zz", address: "10.77.1.5" }] })).toThrow(/unknown subnet zz/);
    expect(bad({ nodes: [{ name: "N_1", subnet: "ru-a", address: "10.77.1.5" }] })).toThrow(/DNS label/);
    expect(bad({ subnets: [...plan.subnets, { name: "dup", cidr: "10.77.1.128/25", region: "x" }] })).toThrow(/overlaps ru-a/);
    expect(bad({ regionDelays: [{ from: "mars", to: "ru", delayMs: 1 }] })).toThrow(/unknown region mars/);
    expect(() => parseCidr("10.77.1.1/24")).toThrow(/not a network address/);
  });

  it("renders partition rules for same-subnet and routed traffic", () => {
    const r = renderPartitionRuleset([{ address: "10.77.1.10", peers: ["10.77.1.11", "10.78.1.0/24"] }]);
    expect(r).toContain("table bridge pgha_partition {");
    expect(r).toContain("table ip pgha_partition {");
    expect(r).toContain("ip saddr 10.77.1.10 ip daddr { 10.77.1.11, 10.78.1.0/24 } drop");
    expect(r).toContain("ip saddr { 10.77.1.11, 10.78.1.0/24 } ip daddr 10.77.1.10 drop");
    expect(renderPartitionRuleset([])).toBe("table bridge pgha_partition\ndelete table bridge pgha_partition\ntable ip pgha_partition\ndelete table ip pgha_partition\n");
  });

  it("parses passwd/group and tmpfiles, lays out node roots", () => {
    const pw = parsePasswd("root:x:0:0:root:/root:/bin/bash\npostgres:x:104:110::/var/lib/postgresql:/bin/bash\n");
    const gr = parseGroup("root:x:0:\npostgres:x:110:\nssl-cert:x:111:postgres\n");
    expect(resolveUser(pw, gr, "postgres")).toEqual({ user: "postgres", uid: 104, gid: 110, group: "postgres", home: "/var/lib/postgresql", shell: "/bin/bash" });
    expect(resolveUser(pw, gr, "postgres", "ssl-cert").gid).toBe(111);
    expect(() => resolveUser(pw, gr, "etcd")).toThrow(/etcd does not exist/);
    expect(parseTmpfiles("# x\nd /run/postgresql 2775 postgres postgres - -\nf /run/x 0644\nd /run/%t 0755\nd /run/lock\n")).toEqual([
      { path: "/run/postgresql", mode: 0o2775, user: "postgres", group: "postgres" },
      { path: "/run/lock", mode: 0o755, user: "root", group: "root" },
    ]);
    const root = { lower: ["/img/layer", "/img/base"], upper: "/lab/nodes/db-0/upper", work: "/lab/nodes/db-0/work", mountpoint: "/lab/nodes/db-0/root" };
    const argv = supervisorArgv("pgha-db-0", "/lab/s", root, "db-0");
    expect(argv.slice(0, 11)).toEqual(["ip", "netns", "exec", "pgha-db-0", "unshare", "--mount", "--propagation", "private", "--uts", "--ipc", "--"]);
    // enter-root.sh ROOT LOWERDIRS UPPER WORK BINDS HOSTNAME -- node ...: the node's own files over the image layers.
    expect(argv.slice(11, 13)).toEqual(["/bin/sh", expect.stringMatching(/image\/enter-root\.sh$/)]);
    expect(argv.slice(13, 19)).toEqual([root.mountpoint, "/img/layer:/img/base", root.upper, root.work, expect.stringContaining("/lab/s=/run/pgha-lab/state"), "db-0"]);
    expect(argv.slice(19, 21)).toEqual(["--", "/run/pgha-lab/node"]);
  });

  it("exec reports the command and stderr on failure", async () => {
    await expect(exec("ls", ["/definitely/not/here"])).rejects.toThrow(/command failed \(exit 2\): ls \/definitely\/not\/here\n.*No such file/);
    const e = await exec("sh", ["-c", "echo out; echo err >&2; exit 3"]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExecError);
    expect((e as ExecError).code).toBe(3);
    expect((await exec("cat", [], { input: "hello" })).stdout).toBe("hello");
  });
});

// ------------------------------------------------------------- root-only parts

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
    for (const n of plan.nodes) listeners.push(await startTcpListener(nodeNetns(n.name), n.address, 7000, join(LAB_DIR, `${n.name}-listener.log`)));
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
      (JSON.parse((await exec("ip", ["-n", `pgha-${plan.fabric}`, "-j", "link"])).stdout) as { ifindex: number; ifname: string }[]).map((l) => `${l.ifindex}:${l.ifname}`);
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
    console.log(`TCP connect RTT ms: same subnet ${local.map((x) => x.toFixed(2))}; region-1 -> region-2 ${cross.map((x) => x.toFixed(1))}; back ${back.map((x) => x.toFixed(1))}`);
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
    const kinds = JSON.parse((await exec("ip", ["-n", fabric, "-d", "-j", "link"])).stdout) as { ifname: string; linkinfo?: { info_kind?: string } }[];
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
    writeFileSync(join(etc, "passwd"), `${readFileSync(join(base, "etc/passwd"), "utf8")}postgres:x:990:990::/var/lib/postgresql:/bin/sh\n`);
    writeFileSync(join(etc, "group"), `${readFileSync(join(base, "etc/group"), "utf8")}postgres:x:990:\n`);
    mkdirSync(join(nodeRootfs(LAB_DIR, node), "usr/lib/tmpfiles.d"), { recursive: true });
    writeFileSync(join(nodeRootfs(LAB_DIR, node), "usr/lib/tmpfiles.d/postgresql.conf"), "d /run/postgresql 2775 postgres postgres - -\n");
    mkdirSync(join(etc, "systemd/system/multi-user.target.wants"), { recursive: true });
    writeFileSync(join(etc, "pgha-test.conf"), "written on the host into the node's /etc\n");
    writeFileSync(join(etc, "default/sleeper"), 'SLEEP_FOR="1000"\n');
    writeFileSync(
      join(etc, "systemd/system/sleeper.service"),
      "[Unit]\nDescription=trivial test service\nAfter=prepare.service\nRequires=prepare.service\n[Service]\nUser=nobody\nEnvironmentFile=-/etc/default/%p\nExecStart=/bin/sleep ${SLEEP_FOR}\nRestart=always\nRestartSec=200ms\nRuntimeDirectory=sleeper\n[Install]\nWantedBy=multi-user.target\n",
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
    writeFileSync(join(etc, "systemd/system/tick.service"), "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'date +%%s >> /var/tmp/ticks'\n");
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

  async function waitForUnit(unit: string, pred: (u: { state: string; pid: number | null; restarts: number }) => boolean, timeoutMs = 10_000) {
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
    const ticks = async () => (await runInNode(node_, ["sh", "-c", "cat /var/tmp/ticks 2>/dev/null || true"])).stdout.trim().split("\n").filter(Boolean).map(Number);
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
    const lateRan = async () => (await runInNode(node_, ["sh", "-c", "test -e /var/tmp/late && echo yes || echo no"])).stdout.trim() === "yes";
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
