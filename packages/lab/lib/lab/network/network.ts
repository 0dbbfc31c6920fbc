// Build and tear down the lab network.
//
// Layout: one namespace per node (`pgha-<node>`, address on eth0, default
// route via its subnet gateway) and one fabric namespace (`pgha-fabric`)
// holding a bridge per subnet with the gateway address, ip_forward=1 (only in
// that namespace) so it routes between subnets/regions, and the NFQUEUE delay
// rules (see delay.ts). The fabric's only uplink is to the lab's own "internet"
// namespace (the package mirror, setupInternet); it has no default route, so
// nothing in the lab can reach anything outside it and nothing is attached to
// the host's root namespace.
//
// Every namespace is recorded in a state file *before* it is created, so an
// interrupted setup can still be torn down, and teardown removes only what
// that file lists.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type DelayerRecord, applyDelayRules, sameQueues, startDelayer, stopDelayer } from "./delay";
import { type DetachedProcess, spawnDetached } from "../host/daemon";
import { exec, execAllowFailure } from "../host/exec";
import { MIRROR_ADDRESS } from "../cloud/mirror";
import { type LabNetworkPlan, type ResolvedNetwork, type ResolvedNode, resolveNetwork } from "./networkPlan";
import { fabricNetns as fabricNetnsOf } from "./names";
import { renderPartitionRuleset } from "./partition";
import { isSameProcess, namedNetnsLink, processesInNamespace, signalIfSame, sleep } from "../host/procs";

export interface LabNetworkState {
  version: 1;
  fabricNetns: string;
  /** Namespaces this lab created (node namespaces and the fabric), in creation order. */
  namespaces: string[];
  delayer?: DelayerRecord;
  /** The package mirror's HTTP server in the lab's internet namespace. */
  mirrorServer?: DetachedProcess;
  /** Active partitions: node name -> peers (addresses/CIDRs) it cannot talk to. */
  partitions?: Record<string, string[]>;
}

export function readNetworkState(stateFile: string): LabNetworkState | undefined {
  if (!existsSync(stateFile)) return undefined;
  return JSON.parse(readFileSync(stateFile, "utf8")) as LabNetworkState;
}

function writeNetworkState(stateFile: string, state: LabNetworkState): void {
  mkdirSync(dirname(stateFile), { recursive: true });
  const tmp = `${stateFile}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, stateFile);
}

export function netnsExists(name: string): boolean {
  return existsSync(`/run/netns/${name}`);
}

const ipn = (netns: string, args: string[]) => exec("ip", ["-n", netns, ...args]);

async function linkExists(netns: string, dev: string): Promise<boolean> {
  return (await execAllowFailure("ip", ["-n", netns, "link", "show", "dev", dev])).code === 0;
}

async function sysctl(netns: string, key: string, value: string): Promise<void> {
  await exec("ip", ["netns", "exec", netns, "sysctl", "-q", "-w", `${key}=${value}`]);
}

/** Make `dev` in `netns` carry exactly `address/prefix` (removing stale addresses). */
async function ensureAddress(netns: string, dev: string, address: string, prefix: number): Promise<void> {
  const { stdout } = await ipn(netns, ["-j", "addr", "show", "dev", dev]);
  const info = (JSON.parse(stdout) as { addr_info: { family: string; local: string; prefixlen: number }[] }[])[0]?.addr_info ?? [];
  const v4 = info.filter((a) => a.family === "inet");
  // Already there: keep it and leave any other address alone (a keepalived VIP is a secondary address).
  if (v4.some((a) => a.local === address && a.prefixlen === prefix)) return;
  for (const a of v4) await execAllowFailure("ip", ["-n", netns, "addr", "del", `${a.local}/${a.prefixlen}`, "dev", dev]);
  await ipn(netns, ["addr", "add", `${address}/${prefix}`, "dev", dev]);
}

/** Create a namespace we own; refuse to adopt one that exists but is not ours. */
async function ensureNetns(state: LabNetworkState, stateFile: string, name: string): Promise<void> {
  const recorded = state.namespaces.includes(name);
  if (netnsExists(name)) {
    if (!recorded) {
      throw new Error(
        `network namespace ${name} exists but is not recorded in ${stateFile}; ` +
          `it may belong to another lab (remove it with 'ip netns del ${name}' if it is stale)`,
      );
    }
    return;
  }
  if (!recorded) {
    state.namespaces.push(name);
    writeNetworkState(stateFile, state);
  }
  await exec("ip", ["netns", "add", name]);
}

/**
 * The cloud metadata service's link-local address. The lab's stand-in (cloud/metadata) listens on
 * it inside the fabric namespace; every node routes it via its gateway, from its own address (not
 * a VIP it may hold), which is how the stand-in tells VMs apart. No other namespace has a route to it.
 */
export const METADATA_ADDRESS = "169.254.169.254";

async function setupFabric(net: ResolvedNetwork): Promise<void> {
  const f = net.fabricNetns;
  await ipn(f, ["link", "set", "lo", "up"]);
  await ipn(f, ["addr", "replace", `${METADATA_ADDRESS}/32`, "dev", "lo"]);
  // Routing between subnets happens only inside the fabric namespace.
  await sysctl(f, "net.ipv4.ip_forward", "1");
  // Bridged (same-subnet) frames must not traverse iptables: only routed
  // (cross-subnet) packets should meet the delay rules, and only once.
  for (const k of ["bridge-nf-call-iptables", "bridge-nf-call-ip6tables", "bridge-nf-call-arptables"]) {
    if (existsSync(`/proc/sys/net/bridge/${k}`)) await sysctl(f, `net.bridge.${k}`, "0");
  }
  for (const s of net.subnets) {
    if (!(await linkExists(f, s.bridge))) await ipn(f, ["link", "add", s.bridge, "type", "bridge"]);
    await ensureAddress(f, s.bridge, s.gateway, s.prefix);
    await ipn(f, ["link", "set", s.bridge, "up"]);
  }
}

async function setupNode(net: ResolvedNetwork, n: ResolvedNode): Promise<void> {
  const f = net.fabricNetns;
  if (!(await linkExists(f, n.veth))) {
    // A leftover eth0 without its fabric peer would block the rename below.
    if (await linkExists(n.netns, "eth0")) await ipn(n.netns, ["link", "del", "eth0"]);
    await ipn(f, ["link", "add", n.veth, "type", "veth", "peer", "name", "eth0", "netns", n.netns]);
  }
  await ipn(f, ["link", "set", n.veth, "master", n.bridge]);
  await ipn(f, ["link", "set", n.veth, "up"]);
  await ipn(n.netns, ["link", "set", "lo", "up"]);
  await ensureAddress(n.netns, "eth0", n.address, n.prefix);
  await ipn(n.netns, ["link", "set", "eth0", "up"]);
  await ipn(n.netns, ["route", "replace", "default", "via", n.gateway, "dev", "eth0"]);
  await ipn(n.netns, ["route", "replace", `${METADATA_ADDRESS}/32`, "via", n.gateway, "dev", "eth0", "src", n.address]);
}

async function ensureDelayer(net: ResolvedNetwork, state: LabNetworkState, stateFile: string): Promise<void> {
  const current = state.delayer;
  const running = current !== undefined && isSameProcess(current);
  if (running && sameQueues(current.queues, net.queues)) return;
  if (current && running) await stopDelayer(current);
  state.delayer = undefined;
  writeNetworkState(stateFile, state);
  if (net.queues.length === 0) return;
  const logFile = join(dirname(stateFile), "delayer.log");
  state.delayer = await startDelayer(net.fabricNetns, net.queues, logFile);
  writeNetworkState(stateFile, state);
}

/**
 * Create (or bring up to date) the whole lab network. Safe to re-run: existing
 * namespaces, links and addresses are kept, routes are `replace`d, the delay
 * chain is rebuilt, the delayer restarted only if its delays changed.
 */
export async function setupNetwork(plan: LabNetworkPlan, stateFile: string): Promise<LabNetworkState> {
  const net = resolveNetwork(plan);
  const state: LabNetworkState = readNetworkState(stateFile) ?? { version: 1, fabricNetns: net.fabricNetns, namespaces: [] };
  if (state.fabricNetns !== net.fabricNetns) {
    throw new Error(`${stateFile} belongs to fabric ${state.fabricNetns}, plan says ${net.fabricNetns}`);
  }
  await ensureNetns(state, stateFile, net.fabricNetns);
  await setupFabric(net);
  for (const n of net.nodes) {
    await ensureNetns(state, stateFile, n.netns);
    await setupNode(net, n);
  }
  await ensureDelayer(net, state, stateFile);
  await applyDelayRules(net.fabricNetns, net.delayRules);
  writeNetworkState(stateFile, state);
  return state;
}

/**
 * Remove exactly what the state file records: the delayer, node namespaces,
 * then the fabric. Processes still running inside a recorded namespace are
 * lab processes (node supervisors should have been stopped first); they are
 * killed, since a deleted namespace would otherwise live on, unreachable.
 */
export async function teardownNetwork(stateFile: string): Promise<void> {
  const state = readNetworkState(stateFile);
  if (!state) return;
  if (state.delayer) await stopDelayer(state.delayer);
  const order = [...state.namespaces.filter((n) => n !== state.fabricNetns), state.fabricNetns];
  for (const ns of order) {
    if (!state.namespaces.includes(ns) || !netnsExists(ns)) continue;
    await killProcessesIn(ns);
    await exec("ip", ["netns", "del", ns]);
  }
  rmSync(stateFile, { force: true });
}

async function killProcessesIn(netns: string): Promise<void> {
  const link = namedNetnsLink(netns);
  if (!link) return;
  for (let i = 0; i < 50; i++) {
    const left = processesInNamespace("net", link);
    if (left.length === 0) return;
    for (const p of left) signalIfSame(p, "SIGKILL");
    await sleep(20);
  }
  throw new Error(`processes in ${netns} survived SIGKILL`);
}

function findNode(plan: LabNetworkPlan, node: string): { net: ResolvedNetwork; n: ResolvedNode } {
  const net = resolveNetwork(plan);
  const n = net.nodes.find((x) => x.name === node);
  if (!n) throw new Error(`unknown node ${node}`);
  return { net, n };
}

/**
 * Unplug a node's cable: its fabric-side veth goes down, the node sees
 * NO-CARRIER, packets to and from it vanish (timeouts, no resets) - like a
 * VM that died or lost its network.
 */
export async function cutNode(plan: LabNetworkPlan, node: string): Promise<void> {
  const { net, n } = findNode(plan, node);
  await ipn(net.fabricNetns, ["link", "set", n.veth, "down"]);
}

export async function restoreNode(plan: LabNetworkPlan, node: string): Promise<void> {
  const { net, n } = findNode(plan, node);
  await ipn(net.fabricNetns, ["link", "set", n.veth, "up"]);
}

/**
 * Partition a node from some peers (addresses or CIDRs) while it stays up:
 * packets between them are dropped silently in the fabric, both directions,
 * for same-subnet (bridge forward) and cross-subnet (ip forward) traffic, so
 * both sides see timeouts as in a real network split. Replaces any previous
 * partition of that node; the set of partitions is kept in the state file.
 */
export async function partitionNode(plan: LabNetworkPlan, stateFile: string, node: string, peers: string[]): Promise<void> {
  await setPartitions(plan, stateFile, node, peers);
}

export async function healPartition(plan: LabNetworkPlan, stateFile: string, node: string): Promise<void> {
  await setPartitions(plan, stateFile, node, []);
}

async function setPartitions(plan: LabNetworkPlan, stateFile: string, node: string, peers: string[]): Promise<void> {
  const { net } = findNode(plan, node);
  const state = readNetworkState(stateFile);
  if (!state) throw new Error(`no lab network recorded in ${stateFile}`);
  const partitions = { ...(state.partitions ?? {}) };
  if (peers.length > 0) partitions[node] = peers;
  else delete partitions[node];
  const rules = Object.entries(partitions).map(([name, p]) => ({ address: findNode(plan, name).n.address, peers: p }));
  await exec("ip", ["netns", "exec", net.fabricNetns, "nft", "-f", "-"], { input: renderPartitionRuleset(rules) });
  state.partitions = partitions;
  writeNetworkState(stateFile, state);
}

// The lab's stand-in for the internet: one namespace behind the fabric holding what nodes
// download from (the package mirror). It has no route to the lab's subnets: it answers only the
// fabric's uplink address, which is what the lab's NAT rewrites the sources of nodes with egress
// to (egress.ts reads which from the plan: the cloud's NAT gateway, Cloud NAT or public IP).
// Every other node is told the internet is unreachable.
export const INTERNET_NETNS = "pgha-internet";
/** The internet namespace behind a fabric: pgha-internet for the lab's own fabric, one per test fabric. */
export const internetNetns = (fabricNetns: string) => (fabricNetns === fabricNetnsOf() ? INTERNET_NETNS : `${fabricNetns}-inet`);
const INTERNET_PREFIX = 24;
const INTERNET_GATEWAY = "198.51.100.1";
export const INTERNET_CIDR = "198.51.100.0/24";
const FABRIC_UPLINK = "inet0";

/**
 * The fabric's egress table: nodes in `allowed` are NATed to the uplink's address on their way to
 * the internet namespace; everyone else gets ICMP net-unreachable (a cloud drops silently; the
 * answer makes apt fail in seconds instead of after its connect timeouts, the outcome is the same).
 */
export function renderEgressRuleset(allowed: string[]): string {
  return [
    "table ip pgha_egress",
    "delete table ip pgha_egress",
    "table ip pgha_egress {",
    "  set egress {",
    "    type ipv4_addr;",
    ...(allowed.length > 0 ? [`    elements = { ${allowed.join(", ")} }`] : []),
    "  }",
    "  chain forward {",
    "    type filter hook forward priority 0; policy accept;",
    `    ip daddr ${INTERNET_CIDR} ip saddr != @egress reject with icmp type net-unreachable`,
    "  }",
    "  chain postrouting {",
    "    type nat hook postrouting priority srcnat; policy accept;",
    `    oifname "${FABRIC_UPLINK}" ip saddr @egress masquerade`,
    "  }",
    "}",
    "",
  ].join("\n");
}

/**
 * The internet namespace, its link to the fabric, the egress rules (only `egressAddresses` reach
 * it, through the fabric's NAT) and the mirror's HTTP server on MIRROR_ADDRESS:80 serving `mirrorWww` (which holds debian/).
 */
export async function setupInternet(stateFile: string, egressAddresses: string[], mirrorWww: string): Promise<void> {
  const state = readNetworkState(stateFile);
  if (!state) throw new Error(`no lab network recorded in ${stateFile}`);
  const f = state.fabricNetns;
  const inet = internetNetns(f);
  await ensureNetns(state, stateFile, inet);
  if (!(await linkExists(f, FABRIC_UPLINK))) {
    if (await linkExists(inet, "eth0")) await ipn(inet, ["link", "del", "eth0"]);
    await ipn(f, ["link", "add", FABRIC_UPLINK, "type", "veth", "peer", "name", "eth0", "netns", inet]);
  }
  await ensureAddress(f, FABRIC_UPLINK, INTERNET_GATEWAY, INTERNET_PREFIX);
  await ipn(f, ["link", "set", FABRIC_UPLINK, "up"]);
  await ipn(inet, ["link", "set", "lo", "up"]);
  await ensureAddress(inet, "eth0", MIRROR_ADDRESS, INTERNET_PREFIX);
  await ipn(inet, ["link", "set", "eth0", "up"]);
  // No way back into the lab but through the NAT: replies go to the uplink address only.
  await execAllowFailure("ip", ["-n", inet, "route", "del", "default"]);
  await exec("ip", ["netns", "exec", f, "nft", "-f", "-"], { input: renderEgressRuleset(egressAddresses) });
  if (!state.mirrorServer || !isSameProcess(state.mirrorServer)) {
    const logFile = join(dirname(stateFile), "mirror-server.log");
    state.mirrorServer = await spawnDetached(
      ["ip", "netns", "exec", inet, "python3", "-u", "-m", "http.server", "80", "--bind", MIRROR_ADDRESS, "--directory", mirrorWww],
      logFile,
      (log) => log.includes("Serving HTTP"),
    );
  }
  writeNetworkState(stateFile, state);
}
