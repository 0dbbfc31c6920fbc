// What the lab network should look like, and the pure decisions derived from
// it (validation, gateways, which traffic gets which delay). No I/O here, so
// all of it is unit-testable without root.
import { cidrContains, cidrsOverlap, formatIpv4, gatewayOf, parseCidr, parseIpv4 } from "./ipv4";
import { DEFAULT_FABRIC, assertLabel, bridgeName, fabricNetns, nodeNetns, vethName } from "./names";

export interface LabSubnet {
  name: string;
  /** e.g. "10.77.1.0/24"; the gateway is the first host address (10.77.1.1) unless `gateway` says otherwise. */
  cidr: string;
  region: string;
  gateway?: string;
}

export interface LabNodeAddress {
  name: string;
  subnet: string;
  /** Planned private IPv4 address, the same the cloud VM gets. */
  address: string;
}

export interface RegionDelay {
  from: string;
  to: string;
  /** One-way delay added to packets going from `from` to `to`. */
  delayMs: number;
}

export interface LabNetworkPlan {
  /** Suffix of the fabric namespace (`pgha-<fabric>`); default "fabric". Lets two labs coexist. */
  fabric?: string;
  subnets: LabSubnet[];
  nodes: LabNodeAddress[];
  /** One-way delay for every pair of distinct regions (both directions), default 0. */
  interRegionDelayMs?: number;
  /** Per ordered region pair overrides of interRegionDelayMs. */
  regionDelays?: RegionDelay[];
}

export interface ResolvedSubnet extends LabSubnet {
  prefix: number;
  gateway: string;
  bridge: string;
}

export interface ResolvedNode extends LabNodeAddress {
  netns: string;
  veth: string;
  prefix: number;
  gateway: string;
  bridge: string;
  region: string;
}

export interface DelayRule {
  fromCidr: string;
  toCidr: string;
  queue: number;
}

export interface QueueDelay {
  queue: number;
  delayMs: number;
}

export interface ResolvedNetwork {
  fabricNetns: string;
  subnets: ResolvedSubnet[];
  nodes: ResolvedNode[];
  /** iptables NFQUEUE rules (fabric FORWARD) and the delay each queue applies. */
  delayRules: DelayRule[];
  queues: QueueDelay[];
}

/** Validate a plan and compute every name/address the setup needs. Throws with a clear message. */
export function resolveNetwork(plan: LabNetworkPlan): ResolvedNetwork {
  const subnets: ResolvedSubnet[] = [];
  for (const s of plan.subnets) {
    assertLabel("subnet", s.name);
    if (subnets.some((o) => o.name === s.name)) throw new Error(`duplicate subnet ${s.name}`);
    const c = parseCidr(s.cidr);
    const clash = subnets.find((o) => cidrsOverlap(parseCidr(o.cidr), c));
    if (clash) throw new Error(`subnet ${s.name} (${s.cidr}) overlaps ${clash.name} (${clash.cidr})`);
    const gateway = s.gateway ?? gatewayOf(s.cidr);
    const g = parseIpv4(gateway);
    if (!cidrContains(c, g) || g === c.network || g === c.network + c.size - 1)
      throw new Error(`subnet ${s.name}: gateway ${gateway} is not a host address of ${s.cidr}`);
    subnets.push({ ...s, prefix: c.prefix, gateway, bridge: bridgeName(s.name) });
  }

  const nodes: ResolvedNode[] = [];
  for (const n of plan.nodes) {
    const netns = nodeNetns(n.name);
    if (nodes.some((o) => o.name === n.name)) throw new Error(`duplicate node ${n.name}`);
    const subnet = subnets.find((s) => s.name === n.subnet);
    if (!subnet) throw new Error(`node ${n.name}: unknown subnet ${n.subnet}`);
    const c = parseCidr(subnet.cidr);
    const addr = parseIpv4(n.address);
    const broadcast = c.network + c.size - 1;
    if (!cidrContains(c, addr) || addr === c.network || addr === broadcast) {
      throw new Error(`node ${n.name}: ${n.address} is not a host address of ${subnet.name} (${subnet.cidr})`);
    }
    if (formatIpv4(addr) === subnet.gateway) throw new Error(`node ${n.name}: ${n.address} is the gateway of ${subnet.name}`);
    const dup = nodes.find((o) => o.address === n.address);
    if (dup) throw new Error(`node ${n.name}: address ${n.address} already used by ${dup.name}`);
    nodes.push({
      ...n,
      netns,
      veth: vethName(n.name),
      prefix: subnet.prefix,
      gateway: subnet.gateway,
      bridge: subnet.bridge,
      region: subnet.region,
    });
  }
  const fabric = fabricNetns(plan.fabric ?? DEFAULT_FABRIC);
  const clash = nodes.find((n) => n.netns === fabric);
  if (clash) throw new Error(`node ${clash.name} would share the fabric namespace name ${fabric}`);
  const bridges = new Set(subnets.map((s) => s.bridge));
  if (bridges.size !== subnets.length) throw new Error("bridge name hash collision between subnets; rename a subnet");
  if (new Set(nodes.map((n) => n.veth)).size !== nodes.length) throw new Error("veth name hash collision between nodes; rename a node");

  return { fabricNetns: fabric, subnets, nodes, ...planDelays(plan, subnets) };
}

/** One-way delay between two regions per the plan (0 within a region). */
export function delayBetween(plan: LabNetworkPlan, from: string, to: string): number {
  if (from === to) return 0;
  const override = plan.regionDelays?.find((d) => d.from === from && d.to === to);
  const ms = override ? override.delayMs : (plan.interRegionDelayMs ?? 0);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`delay ${from} -> ${to} must be a non-negative number of ms, got ${ms}`);
  return ms;
}

/** One NFQUEUE number per distinct delay value; one rule per (source subnet, destination subnet) crossing regions. */
function planDelays(plan: LabNetworkPlan, subnets: ResolvedSubnet[]): { delayRules: DelayRule[]; queues: QueueDelay[] } {
  const regions = new Set(subnets.map((s) => s.region));
  for (const d of plan.regionDelays ?? []) {
    for (const r of [d.from, d.to]) if (!regions.has(r)) throw new Error(`regionDelays names unknown region ${r}`);
  }
  const queues: QueueDelay[] = [];
  const delayRules: DelayRule[] = [];
  for (const src of subnets) {
    for (const dst of subnets) {
      const delayMs = delayBetween(plan, src.region, dst.region);
      if (delayMs === 0) continue;
      let q = queues.find((x) => x.delayMs === delayMs);
      if (!q) {
        q = { queue: queues.length, delayMs };
        queues.push(q);
      }
      delayRules.push({ fromCidr: src.cidr, toCidr: dst.cidr, queue: q.queue });
    }
  }
  return { delayRules, queues };
}
