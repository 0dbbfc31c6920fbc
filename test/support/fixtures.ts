/**
 * Shared test inputs: a small lab-like topology parsed by the real schema, and the per-node
 * render models built from it the way components do (address plan, CIDRs, parameters).
 * Passwords are fixed fakes; nothing here is a real secret.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";
import {
  type ClusterSpec,
  etcdClusterName,
  etcdRegion,
  parseTopology,
  planAddresses,
  type Topology,
  type TopologyInput,
} from "../../packages/pgha/lib/config";
import { etcdHostPorts } from "../../packages/pgha/lib/render/etcd";
import type { BackupTarget, ClusterPasswords, EtcdMemberModel, Member, PatroniNodeModel } from "../../packages/pgha/lib/render/model";
import { clusterParameters, type ParameterSet } from "../../packages/pgha/lib/render/postgresParameters";
import { mustImageSync } from "./image";

/** 3 etcd, a 3-node synchronous cluster `main` with backups, a 1-node standby cluster `dr` in a second region. */
export function labTopologyInput(): TopologyInput {
  return {
    name: "lab",
    platform: { kind: "local", os: "debian-13", clientCidrs: ["10.77.0.0/16"] },
    regions: [
      { name: "lab-east", zones: ["east-a", "east-b", "east-c"] },
      { name: "lab-west", zones: ["west-a"] },
    ],
    subnets: [
      { name: "east", region: "lab-east", cidr: "10.77.1.0/24" },
      { name: "west", region: "lab-west", cidr: "10.77.2.0/24" },
    ],
    etcd: { members: 3 },
    clusters: [
      {
        name: "main",
        region: "lab-east",
        nodes: 3,
        postgres: {
          major: 17,
          roles: [{ name: "app", options: ["CREATEDB"] }],
          databases: [{ name: "app", owner: "app", extensions: ["pg_trgm"] }],
        },
        patroni: { dcs: { timing: "fast", synchronous_mode: true } },
        hardware: { vcpus: 2, ramGb: 1, diskType: "ssd" },
        backups: { tool: "pgbackrest", storage: { kind: "local", path: "/var/lib/pgbackrest" }, retainFull: 2 },
      },
      {
        name: "dr",
        region: "lab-west",
        nodes: 1,
        postgres: { major: 17 },
        patroni: { dcs: { timing: "fast" } },
        haproxy: { enabled: false },
        hardware: { vcpus: 2, ramGb: 1, diskType: "ssd" },
        // main's repository is node-local (storage kind local): nothing a standby can read.
        standby: { source: "main", restoreFromSourceBackups: false },
      },
    ],
  };
}

/** Parse the lab input after letting `edit` change a fresh copy of it. */
export function labTopology(edit?: (input: TopologyInput & { clusters: Record<string, unknown>[] }) => void): Topology {
  const input = structuredClone(labTopologyInput()) as TopologyInput & { clusters: Record<string, unknown>[] };
  edit?.(input);
  return parseTopology(input);
}

/**
 * The lab topology with main backing up to an S3 bucket (pgBackRest), which the standby can
 * read: the shape in which `dr` restores from its source's archive.
 */
export function labTopologyWithSourceArchive(): Topology {
  return labTopology((i) => {
    i.clusters[0].backups = {
      tool: "pgbackrest",
      storage: { kind: "s3", bucket: "pgha-lab-main", endpoint: "https://s3.lab.example" },
      retainFull: 2,
    };
    i.clusters[1].standby = { source: "main" };
  });
}

export function clusterByName(t: Topology, name: string): ClusterSpec {
  const c = t.clusters.find((x) => x.name === name);
  if (!c) throw new Error(`no cluster '${name}'`);
  return c;
}

export function testPasswords(cluster: ClusterSpec): ClusterPasswords {
  return {
    superuser: `su-${cluster.name}-pw`,
    replication: "repl-pw",
    rewind: `rewind-${cluster.name}-pw`,
    restApi: `rest-${cluster.name}-pw`,
    pgbouncer: `bouncer-${cluster.name}-pw`,
    roles: Object.fromEntries(cluster.postgres.roles.map((r) => [r.name, `${r.name}-pw`])),
    backupEncryptionKey: "backup-key",
  };
}

export function backupTargetFor(cluster: ClusterSpec): BackupTarget | undefined {
  const b = cluster.backups;
  if (!b) return undefined;
  const bucket = b.storage.kind === "local" ? b.storage.path : (b.storage.bucket ?? `pgha-${cluster.name}`);
  const s3 = b.storage.kind === "s3" || b.storage.kind === "yandex";
  return {
    spec: b,
    bucket,
    prefix: `${cluster.name}/`,
    s3AccessKeyId: s3 ? "s3-access-key" : undefined,
    s3SecretAccessKey: s3 ? "s3-secret-value" : undefined,
  };
}

function membersOf(t: Topology, component: string, role: "patroni" | "etcd"): (Member & { subnet: string })[] {
  return planAddresses(t)
    .nodes.filter((n) => n.role === role && n.component === component)
    .map((n) => ({ name: n.name, ip: n.ip, subnet: n.subnet }));
}

function cidrsOf(t: Topology, subnets: string[]): string[] {
  return [...new Set(subnets)].map((s) => {
    const subnet = t.subnets.find((x) => x.name === s);
    if (!subnet) throw new Error(`no subnet '${s}'`);
    return subnet.cidr;
  });
}

function standbySlotName(follower: ClusterSpec): string {
  return follower.standby?.slotName ?? `standby_${follower.name.replaceAll("-", "_")}`;
}

/** Final cluster-wide parameters; a standby cluster keeps at least its source's hot-standby minimums. */
export function clusterParametersFor(t: Topology, cluster: ClusterSpec): ParameterSet {
  const followers = t.clusters.filter((c) => c.standby?.source === cluster.name);
  const source = cluster.standby ? clusterByName(t, cluster.standby.source) : undefined;
  return clusterParameters(cluster, {
    tls: t.tls.postgres,
    backups: backupTargetFor(cluster),
    standbyClusters: followers.length,
    sourceParameters: source ? clusterParametersFor(t, source) : undefined,
  });
}

/** The render model of Patroni node `index` of cluster `clusterName`, as a component would build it. */
export function patroniNodeModel(t: Topology, clusterName: string, index: number): PatroniNodeModel {
  const cluster = clusterByName(t, clusterName);
  const members = membersOf(t, cluster.name, "patroni");
  const node = members[index];
  if (!node) throw new Error(`cluster '${clusterName}' has no node ${index}`);
  const followers = t.clusters.filter((c) => c.standby?.source === cluster.name);
  const backups = backupTargetFor(cluster);
  // Each region with Patroni clusters has its own etcd cluster (a DR region keeps its DCS).
  const etcdMembers = membersOf(t, etcdClusterName(t, cluster.region), "etcd");
  let standby: PatroniNodeModel["standby"];
  if (cluster.standby) {
    const source = clusterByName(t, cluster.standby.source);
    const sourceNodes = membersOf(t, source.name, "patroni");
    const vip = planAddresses(t).vips.find((v) => v.cluster === source.name);
    standby = {
      host: vip?.ip ?? sourceNodes[0].ip,
      // Replication bypasses PgBouncer: HAProxy's `direct` listener reaches the primary's PostgreSQL.
      port: vip ? (source.haproxy.listeners.direct ?? source.postgres.port) : source.postgres.port,
      primarySlotName: standbySlotName(cluster),
      sourceBackups: cluster.standby.restoreFromSourceBackups ? backupTargetFor(source) : undefined,
    };
  }
  return {
    cluster,
    node: { name: node.name, ip: node.ip },
    members: members.map((x) => ({ name: x.name, ip: x.ip })),
    clusterCidrs: cidrsOf(
      t,
      members.map((x) => x.subnet),
    ),
    clientCidrs: t.platform.clientCidrs,
    standbyCidrs: cidrsOf(
      t,
      followers.flatMap((f) => membersOf(t, f.name, "patroni").map((x) => x.subnet)),
    ),
    etcd: { hosts: etcdHostPorts(etcdMembers, t.etcd.clientPort), tls: t.tls.etcd },
    tls: t.tls,
    passwords: testPasswords(cluster),
    parameters: clusterParametersFor(t, cluster),
    backups,
    standby,
    os: t.platform.os,
    permanentSlots: {
      ...cluster.patroni.dcs.slots,
      ...Object.fromEntries(followers.map((f) => [standbySlotName(f), { type: "physical" as const }])),
    },
  };
}

/** Member `index` of the etcd cluster in `region` (default: the first etcd region). */
export function etcdMemberModel(t: Topology, index: number, region = etcdRegion(t)): EtcdMemberModel {
  const clusterName = etcdClusterName(t, region);
  const members = membersOf(t, clusterName, "etcd").map((x) => ({ name: x.name, ip: x.ip }));
  const node = members[index];
  if (!node) throw new Error(`no etcd member ${index} in region ${region}`);
  return { spec: t.etcd, clusterName: `${clusterName}-etcd`, node, members, tls: t.tls.etcd };
}

// ---------------------------------------------------------------------------------------------
// Tool-test helpers: loopback ports, a throwaway PKI, daemons stopped by their own pid.

// Ports are drawn below the kernel's ephemeral range (32768-60999 by default): a port the kernel
// hands out for listen(0) can be taken a moment later as the local port of any outgoing
// connection, and the lab tests running in parallel open thousands (CI saw HAProxy fail to bind
// one). Below 32768 only another listener can take it, and the draw is random per worker.
const TEST_PORT_MIN = 20000;
const TEST_PORT_MAX = 32767;
const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "0.0.0.0", () => srv.close(() => resolve(true)));
  });
}

/** A TCP port, below the ephemeral range, that was free on every address a moment ago. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = TEST_PORT_MIN + Math.floor(Math.random() * (TEST_PORT_MAX - TEST_PORT_MIN + 1));
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free TCP port in ${TEST_PORT_MIN}-${TEST_PORT_MAX} after 200 draws`);
}

export interface TestPki {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

/**
 * A throwaway CA and one leaf certificate (serverAuth + clientAuth, SANs for the given IPs and
 * localhost) made with the tools image's openssl (test/support/image.ts), then copied under every name tlsFiles() uses (ca.crt,
 * etcd-ca.crt, etcd.crt, etcd-client.crt, patroni.crt, postgres.crt and their keys) so a rendered config
 * only needs its /etc/pgha/tls prefix replaced by `dir`. Keys are 0600, owned by `owner` if given.
 */
export function makeTestPki(dir: string, ips: string[], owner?: { uid: number; gid: number }): TestPki {
  mkdirSync(dir, { recursive: true });
  const run = (args: string[]) => mustImageSync(["openssl", ...args], { cwd: dir, binds: [dir] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  run([
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "2",
    "-subj",
    "/CN=pgha-test-ca",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  run(["req", ...ec, "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=pgha-test"]);
  const san = [...ips.map((ip) => `IP:${ip}`), "DNS:localhost"].join(",");
  writeFileSync(
    path.join(dir, "leaf.ext"),
    `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\n` +
      `keyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n`,
  );
  run([
    "x509",
    "-req",
    "-in",
    "leaf.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "leaf.crt",
    "-days",
    "2",
    "-extfile",
    "leaf.ext",
  ]);
  // etcd has a CA file of its own on nodes (etcd-ca.crt); here it is the same throwaway CA.
  copyFileSync(path.join(dir, "ca.crt"), path.join(dir, "etcd-ca.crt"));
  for (const service of ["etcd", "etcd-client", "patroni", "postgres"]) {
    copyFileSync(path.join(dir, "leaf.crt"), path.join(dir, `${service}.crt`));
    copyFileSync(path.join(dir, "leaf.key"), path.join(dir, `${service}.key`));
  }
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    chmodSync(p, f.endsWith(".key") ? 0o600 : 0o644);
    if (owner) chownSync(p, owner.uid, owner.gid);
  }
  return { dir, caFile: path.join(dir, "ca.crt"), certFile: path.join(dir, "leaf.crt"), keyFile: path.join(dir, "leaf.key") };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ` +
      `${what}${lastError ? `: ${lastError instanceof Error ? String(lastError) : JSON.stringify(lastError)}` : ""}`,
  );
}

/** A daemon started by a test: its output is kept for failure messages; stop() ends exactly this pid. */
export interface Daemon {
  child: ChildProcess;
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

export function startDaemon(command: string, args: string[], options: SpawnOptions = {}): Daemon {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-200_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let done = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exit.then(() => {
    done = true;
  });
  return {
    child,
    output: () => out,
    exited: () => done,
    async stop() {
      if (done || child.pid === undefined) return;
      child.kill("SIGTERM");
      const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 15_000));
      if ((await Promise.race([exit, timer])) === "timeout") {
        child.kill("SIGKILL");
        await exit;
      }
    },
  };
}
