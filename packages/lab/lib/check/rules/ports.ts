/**
 * Every connection another node, a load balancer or its health checker opens to a node
 * (connections.ts) must be admitted by a rule attached to that node (ingress.ts); on Yandex
 * the source node's security groups must also let it out (a security group with any rule
 * denies what its egress rules do not list: https://yandex.cloud/en/docs/vpc/concepts/security-groups).
 */
import type { PlanLoadBalancer } from "pgha/components/plan";
import { withinAny } from "../cidr";
import { type Connection, connections, type DeclaredClients, type ListenerSources, type Source } from "../connections";
import { type CheckContext, clusterField } from "../context";
import type { Finding } from "../findings";
import { type IngressRule, ingressRulesFor, portsAdmit, yandexEgressRules } from "../ingress";
import { T } from "../planIndex";
import { GCP_HEALTH_CHECK_RANGES } from "pgha/platform/gcp/ranges";
import { inputText } from "../../synth/inputText";

export function portRule(ctx: CheckContext): { findings: Finding[]; checked: number } {
  const conns = connections(ctx.plan.nodes, ctx.userData, ctx.plan.loadBalancers, listenerSources(ctx), declaredClients(ctx));
  const rules = new Map(ctx.plan.nodes.map((n) => [n.name, ingressRulesFor(ctx.index, n)]));
  const egress = new Map(ctx.plan.nodes.map((n) => [n.name, yandexEgressRules(ctx.index, n)]));
  const ipOf = new Map(ctx.plan.nodes.map((n) => [n.name, n.ip]));
  // Grouped: inbound by the node that must admit it, outbound by the node that must let it out.
  const missing = new Map<string, { conn: Connection; peers: string[]; direction: "in" | "out" }>();
  const note = (c: Connection, direction: "in" | "out", peer: string) => {
    const owner = direction === "in" ? c.to : label(c.from);
    const key = `${direction}|${owner}|${c.port}|${c.protocol}|${c.what}`;
    const entry = missing.get(key) ?? { conn: c, peers: [], direction };
    entry.peers.push(peer);
    missing.set(key, entry);
  };
  for (const c of conns) {
    if (!(rules.get(c.to) ?? []).some((r) => admits(r, c.port, c.protocol, c.from))) note(c, "in", label(c.from));
    const out = c.from.kind === "node" ? egress.get(c.from.node) : undefined;
    // An egress rule's addresses / group name the destination.
    if (out && !out.some((r) => admits(r, c.port, c.protocol, { kind: "node", node: c.to, ip: ipOf.get(c.to) ?? "" })))
      note(c, "out", c.to);
  }
  const findings = [...missing.values()].map(({ conn, peers, direction }) => ({
    severity: "unmet" as const,
    node: direction === "in" ? conn.to : label(conn.from),
    need: `port ${conn.port === 0 ? conn.protocol : `${conn.port}/${conn.protocol}`} (${conn.what})`,
    field: fieldFor(ctx, conn),
    message:
      direction === "in"
        ? `no security group or firewall attached to ${conn.to} admits it from ${peers.join(", ")}`
        : `the security groups of ${label(conn.from)} do not let it out to ${peers.join(", ")}`,
  }));
  return { findings, checked: conns.length };
}

export function admits(rule: IngressRule, port: number, protocol: string, from: Source): boolean {
  if (protocol === "vrrp" ? !["vrrp", "112", "any", "all"].includes(rule.protocol.toLowerCase()) : !portsAdmit(rule, port, protocol))
    return false;
  switch (from.kind) {
    case "node":
      return withinAny(from.ip, rule.cidrs) || rule.fromNodes(from.node);
    case "cidr":
      return withinAny(from.cidr, rule.cidrs);
    case "healthCheckers":
      return rule.healthCheckers;
  }
}

function label(s: Source): string {
  return s.kind === "node" ? s.node : s.kind === "cidr" ? `${s.label} ${s.cidr}` : `the health checkers of load balancer ${s.loadBalancer}`;
}

function fieldFor(ctx: CheckContext, c: Connection): string {
  const node = ctx.plan.nodes.find((n) => n.name === c.to);
  if (c.from.kind === "healthCheckers" || c.what.startsWith("load balancer"))
    return clusterField(ctx, node?.component ?? "?", "loadBalancer");
  if (node?.role === "etcd") return "etcd";
  return clusterField(ctx, node?.component ?? "?", "");
}

/**
 * The networks the stack says use a load balancer: `platform.clientCidrs` for an internal one,
 * `loadBalancer.sourceRanges` for a public one (lib/config/access.ts).
 */
function declaredClients(ctx: CheckContext): DeclaredClients {
  return (lb: PlanLoadBalancer) => {
    const t = ctx.topology;
    const cluster = t?.clusters.find((c) => c.name === lb.name);
    if (!t || !cluster) return [];
    const publicLb = cluster.loadBalancer.exposure === "public";
    const cidrs = publicLb ? cluster.loadBalancer.sourceRanges : t.platform.clientCidrs;
    const label = publicLb ? `${clusterField(ctx, lb.name, "loadBalancer.sourceRanges")}` : "platform.clientCidrs";
    return cidrs.map((cidr) => ({ kind: "cidr" as const, cidr, label }));
  };
}

/**
 * Where a load balancer's listener traffic comes from at the backend. GCP proxy load balancers
 * terminate the client connection: the internal proxy NLB's proxies send from the proxy-only
 * subnet (https://cloud.google.com/load-balancing/docs/tcp/internal-proxy, "proxy-only subnet"),
 * the external proxy NLB's from Google Front Ends in 35.191.0.0/16 and 130.211.0.0/22
 * (https://cloud.google.com/load-balancing/docs/tcp, "Firewall rules"). Passthrough load balancers
 * (GCP internal passthrough, Yandex NLB) keep the client's address.
 */
function listenerSources(ctx: CheckContext): ListenerSources {
  return (lb: PlanLoadBalancer) => {
    const children = ctx.index.childrenOf("pgha:index:TcpLoadBalancer", lb.name);
    const schemes = children
      .filter((r) => r.type === T.gcpBackendService || r.type === T.gcpRegionBackendService)
      .map((r) => inputText(r.inputs.loadBalancingScheme, ""));
    if (schemes.includes("INTERNAL_MANAGED")) {
      const purpose = lb.scope === "global" ? "GLOBAL_MANAGED_PROXY" : "REGIONAL_MANAGED_PROXY";
      const proxies = ctx.index
        .ofType(T.gcpSubnetwork)
        .filter((s) => s.inputs.purpose === purpose)
        .map((s) => ({ kind: "cidr" as const, cidr: String(s.inputs.ipCidrRange), label: `proxy-only subnet ${s.name}` }));
      return { proxies };
    }
    if (
      schemes.includes("EXTERNAL_MANAGED") ||
      (schemes.includes("EXTERNAL") && children.some((r) => /targetTCPProxy|targetSSLProxy/.test(r.type)))
    ) {
      return { proxies: GCP_HEALTH_CHECK_RANGES.map((cidr) => ({ kind: "cidr" as const, cidr, label: "Google Front End proxies" })) };
    }
    return "passthrough";
  };
}
