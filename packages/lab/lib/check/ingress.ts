/**
 * The ingress rules that apply to a node's VM, as its cloud evaluates them, in one shape:
 * Yandex security groups attached to its interfaces, GCP firewalls matching its network and
 * tags / service account, the lab's firewalls matching its tags. Pure over the plan.
 *
 * Not modelled, because pgha creates none: GCP deny rules and priorities (an allow is taken as
 * admitting), and a Yandex VM without security groups (which falls back to the network's default
 * group, outside the plan: such a VM is reported as admitting nothing).
 */
import type { SynthPlanNode, SynthPlanResource } from "../synth/plan";
import { withinAny } from "./cidr";
import { type PlanIndex, T } from "./planIndex";
import { GCP_EXTERNAL_PASSTHROUGH_HEALTH_CHECK_RANGES, GCP_HEALTH_CHECK_RANGES } from "pgha/platform/gcp/ranges";
import { inputText } from "../synth/inputText";

export interface IngressRule {
  /** Resource name of the security group / firewall. */
  resource: string;
  protocol: string;
  /** Inclusive port ranges; "all" when the rule names none. */
  ports: [number, number][] | "all";
  cidrs: string[];
  /** Admits the platform's load-balancer health checkers. */
  healthCheckers: boolean;
  /** Admits traffic from these nodes by membership (Yandex self/SG reference, GCP source tags, lab self). */
  fromNodes: (node: string) => boolean;
}

/**
 * Health checkers' source ranges. GCP: 35.191.0.0/16 and 130.211.0.0/22
 * (https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges). Yandex NLB:
 * 198.18.235.0/24 and 198.18.248.0/24, or the predefined target `loadbalancer_healthchecks`
 * (https://yandex.cloud/en/docs/network-load-balancer/concepts/health-check).
 */
export const HEALTH_CHECK_RANGES: Record<string, string[]> = {
  gcp: [...GCP_HEALTH_CHECK_RANGES],
  yandex: ["198.18.235.0/24", "198.18.248.0/24"],
};

export function ingressRulesFor(index: PlanIndex, node: SynthPlanNode): IngressRule[] {
  const vm = index.vmOf(node);
  if (!vm) return [];
  if (vm.type === T.yandexInstance) return yandexRules(index, vm);
  if (vm.type === T.gcpInstance) return gcpRules(index, vm);
  if (vm.type === T.localVm) return localRules(index, vm);
  return [];
}

export function portsAdmit(rule: Pick<IngressRule, "ports" | "protocol">, port: number, protocol = "tcp"): boolean {
  if (!protocolMatches(rule.protocol, protocol)) return false;
  return rule.ports === "all" || rule.ports.some(([a, b]) => port >= a && port <= b);
}

function protocolMatches(ruleProtocol: string, protocol: string): boolean {
  const p = ruleProtocol.toLowerCase();
  return p === "any" || p === "all" || p === protocol;
}

// --- Yandex: https://yandex.cloud/en/docs/vpc/concepts/security-groups (port, or from_port..to_port, or all ports)

function yandexGroupsOf(index: PlanIndex, vm: SynthPlanResource): SynthPlanResource[] {
  const nics = (vm.inputs.networkInterfaces as Record<string, unknown>[] | undefined) ?? [];
  return nics.flatMap((n) =>
    ((n.securityGroupIds as string[] | undefined) ?? [])
      .map((id) => index.ref(id, T.yandexSecurityGroup))
      .filter((g): g is SynthPlanResource => !!g),
  );
}

export function yandexRulesOfGroup(
  index: PlanIndex,
  group: SynthPlanResource,
  direction: "ingresses" | "egresses" = "ingresses",
): IngressRule[] {
  const entries = (group.inputs[direction] as Record<string, unknown>[] | undefined) ?? [];
  const members = (id: string) => (node: string) => {
    const n = index.plan.nodes.find((x) => x.name === node);
    const vm = n && index.vmOf(n);
    return !!vm && vm.type === T.yandexInstance && yandexGroupsOf(index, vm).some((g) => g.name === id);
  };
  return entries.map((e) => {
    const port = typeof e.port === "number" && e.port >= 0 ? e.port : undefined;
    const from = typeof e.fromPort === "number" && e.fromPort >= 0 ? e.fromPort : undefined;
    const to = typeof e.toPort === "number" && e.toPort >= 0 ? e.toPort : undefined;
    const ports: IngressRule["ports"] = port !== undefined ? [[port, port]] : from !== undefined && to !== undefined ? [[from, to]] : "all";
    const cidrs = (e.v4CidrBlocks as string[] | undefined) ?? [];
    const predefined = e.predefinedTarget as string | undefined;
    const sgRef = typeof e.securityGroupId === "string" ? index.ref(e.securityGroupId, T.yandexSecurityGroup) : undefined;
    const peerGroup = predefined === "self_security_group" ? group.name : sgRef?.name;
    return {
      resource: group.name,
      protocol: inputText(e.protocol, "ANY"),
      ports,
      cidrs,
      healthCheckers: predefined === "loadbalancer_healthchecks" || HEALTH_CHECK_RANGES.yandex.every((r) => withinAny(r, cidrs)),
      fromNodes: peerGroup ? members(peerGroup) : () => false,
    };
  });
}

function yandexRules(index: PlanIndex, vm: SynthPlanResource): IngressRule[] {
  return yandexGroupsOf(index, vm).flatMap((g) => yandexRulesOfGroup(index, g));
}

export function yandexEgressRules(index: PlanIndex, node: SynthPlanNode): IngressRule[] | undefined {
  const vm = index.vmOf(node);
  if (!vm || vm.type !== T.yandexInstance) return undefined;
  return yandexGroupsOf(index, vm).flatMap((g) => yandexRulesOfGroup(index, g, "egresses"));
}

// --- GCP: https://cloud.google.com/firewall/docs/firewalls (targets: all instances, target tags or target service accounts)

function gcpNetworkOf(index: PlanIndex, vm: SynthPlanResource): string | undefined {
  const nic = ((vm.inputs.networkInterfaces as Record<string, unknown>[] | undefined) ?? [])[0];
  if (!nic) return undefined;
  if (typeof nic.network === "string") return index.ref(nic.network)?.name;
  const subnet = index.ref(nic.subnetwork, T.gcpSubnetwork);
  return subnet ? index.ref(subnet.inputs.network)?.name : undefined;
}

export function gcpAccountOf(vm: SynthPlanResource): string | undefined {
  const sa = vm.inputs.serviceAccount as Record<string, unknown> | undefined;
  return typeof sa?.email === "string" ? sa.email : undefined;
}

function gcpRules(index: PlanIndex, vm: SynthPlanResource): IngressRule[] {
  const network = gcpNetworkOf(index, vm);
  const tags = (vm.inputs.tags as string[] | undefined) ?? [];
  const account = gcpAccountOf(vm);
  return index
    .ofType(T.gcpFirewall)
    .filter((fw) => gcpFirewallApplies(index, fw, network, tags, account))
    .flatMap((fw) => gcpFirewallRules(index, fw));
}

function gcpFirewallApplies(
  index: PlanIndex,
  fw: SynthPlanResource,
  network: string | undefined,
  tags: string[],
  account: string | undefined,
): boolean {
  const i = fw.inputs;
  if (network && index.ref(i.network)?.name !== network) return false;
  const targetTags = (i.targetTags as string[] | undefined) ?? [];
  const targetAccounts = (i.targetServiceAccounts as string[] | undefined) ?? [];
  return (
    (targetTags.length === 0 && targetAccounts.length === 0) ||
    targetTags.some((t) => tags.includes(t)) ||
    (!!account && targetAccounts.includes(account))
  );
}

/** A GCP firewall's allow entries as ingress rules (none for egress, disabled or deny-only firewalls). */
export function gcpFirewallRules(index: PlanIndex, fw: SynthPlanResource): IngressRule[] {
  const i = fw.inputs;
  if ((i.direction ?? "INGRESS") !== "INGRESS" || i.disabled === true) return [];
  const cidrs = (i.sourceRanges as string[] | undefined) ?? [];
  const sourceTags = (i.sourceTags as string[] | undefined) ?? [];
  const sourceAccounts = (i.sourceServiceAccounts as string[] | undefined) ?? [];
  const fromNodes = (node: string) => {
    const n = index.plan.nodes.find((x) => x.name === node);
    const other = n && index.vmOf(n);
    if (!other || other.type !== T.gcpInstance) return false;
    const otherTags = (other.inputs.tags as string[] | undefined) ?? [];
    const otherAccount = gcpAccountOf(other);
    return otherTags.some((t) => sourceTags.includes(t)) || (!!otherAccount && sourceAccounts.includes(otherAccount));
  };
  return ((i.allows as Record<string, unknown>[] | undefined) ?? []).map((a) => ({
    resource: fw.name,
    protocol: inputText(a.protocol, "all"),
    ports: gcpPorts(a.ports as string[] | undefined),
    cidrs,
    // The external passthrough NLB probes from its own ranges (209.85.x instead of 130.211.0.0/22).
    healthCheckers:
      HEALTH_CHECK_RANGES.gcp.every((r) => withinAny(r, cidrs)) ||
      GCP_EXTERNAL_PASSTHROUGH_HEALTH_CHECK_RANGES.every((r) => withinAny(r, cidrs)),
    fromNodes,
  }));
}

function gcpPorts(ports: string[] | undefined): IngressRule["ports"] {
  if (!ports || ports.length === 0) return "all";
  return ports.map((p) => {
    const [a, b] = p.split("-").map(Number);
    return [a, b ?? a] as [number, number];
  });
}

// --- The lab (lib/platform/local.ts): a firewall applies to VMs carrying its target tag.

function localRules(index: PlanIndex, vm: SynthPlanResource): IngressRule[] {
  const tags = (vm.inputs.tags as string[] | undefined) ?? [];
  return index.ofType(T.localFirewall).flatMap((fw) => {
    const tag = fw.inputs.targetTag as string;
    if (!tags.includes(tag)) return [];
    const carriesTag = (node: string) => {
      const n = index.plan.nodes.find((x) => x.name === node);
      const other = n && index.vmOf(n);
      return !!other && ((other.inputs.tags as string[] | undefined) ?? []).includes(tag);
    };
    return ((fw.inputs.ingress as Record<string, unknown>[] | undefined) ?? []).map((r) => {
      const from = (r.from ?? {}) as Record<string, unknown>;
      const ports = (r.ports as number[] | undefined) ?? [];
      return {
        resource: fw.name,
        protocol: inputText(r.protocol, "tcp"),
        ports: ports.length === 0 ? "all" : ports.map((p) => [p, p] as [number, number]),
        cidrs: (from.cidrs as string[] | undefined) ?? [],
        healthCheckers: from.healthCheckers === true,
        fromNodes: from.self === true ? carriesTag : () => false,
      };
    });
  });
}
