/**
 * What the plan exposes beyond what the stack declared: a load balancer with an internet
 * address whose cluster does not say `loadBalancer.exposure: public` (or publishes the direct,
 * replication-capable port without `publicDirect`), a VM with a public address, and ingress
 * from public addresses the stack never named. Port 22 is the SSH rule's (ssh.ts).
 */
import { GCP_IAP_RANGE } from "pgha/config/access";
import type { SynthPlanResource } from "../../synth/plan";
import { isPrivate, withinAny } from "../cidr";
import { type CheckContext, clusterField } from "../context";
import type { Finding } from "../findings";
import { GCP_EXTERNAL_PASSTHROUGH_HEALTH_CHECK_RANGES } from "pgha/platform/gcp/ranges";
import { gcpFirewallRules, HEALTH_CHECK_RANGES, type IngressRule, yandexRulesOfGroup } from "../ingress";
import { parentType, T } from "../planIndex";
import { inputText } from "../../synth/inputText";

export function exposureRule(ctx: CheckContext): { findings: Finding[]; checked: number } {
  const lbs = publicLoadBalancers(ctx);
  const findings = [...lbs.findings, ...publicVms(ctx), ...publicIngress(ctx)];
  return { findings, checked: lbs.checked };
}

/**
 * GCP: a forwarding rule's loadBalancingScheme defaults to EXTERNAL; EXTERNAL and
 * EXTERNAL_MANAGED have internet addresses
 * (https://cloud.google.com/compute/docs/reference/rest/v1/forwardingRules). Yandex: an NLB's
 * type defaults to external, and a listener with external_address_spec has a public address
 * (https://yandex.cloud/en/docs/terraform/resources/lb_network_load_balancer).
 */
function isPublicFrontend(r: SynthPlanResource): boolean {
  if (r.type === T.gcpForwardingRule || r.type === T.gcpGlobalForwardingRule)
    return ["EXTERNAL", "EXTERNAL_MANAGED"].includes(inputText(r.inputs.loadBalancingScheme, "EXTERNAL"));
  if (r.type === T.yandexNlb) {
    const listeners = (r.inputs.listeners as Record<string, unknown>[] | undefined) ?? [];
    return (r.inputs.type ?? "external") === "external" || listeners.some((l) => l.externalAddressSpec !== undefined);
  }
  return false;
}

function frontendPorts(r: SynthPlanResource): number[] {
  if (r.type === T.yandexNlb) return ((r.inputs.listeners as Record<string, unknown>[] | undefined) ?? []).map((l) => Number(l.port));
  const ports = ((r.inputs.ports as string[] | undefined) ?? []).map(Number);
  const range = typeof r.inputs.portRange === "string" ? r.inputs.portRange.split("-").map(Number) : [];
  if (range.length > 0) for (let p = range[0]; p <= (range[1] ?? range[0]); p++) ports.push(p);
  return ports;
}

function publicLoadBalancers(ctx: CheckContext): { findings: Finding[]; checked: number } {
  const frontends = ctx.plan.resources.filter((r) =>
    [T.gcpForwardingRule, T.gcpGlobalForwardingRule, T.yandexNlb].includes(r.type as never),
  );
  const findings: Finding[] = [];
  for (const r of frontends.filter(isPublicFrontend)) {
    const lbName = parentType(r) === "pgha:index:TcpLoadBalancer" ? (r.parent ?? r.name) : r.name;
    const cluster = ctx.topology?.clusters.find((c) => c.name === lbName);
    const declared = cluster?.loadBalancer.exposure === "public";
    if (!declared) {
      findings.push({
        severity: "exposed",
        resource: r.name,
        need: "internal load balancer",
        field: clusterField(ctx, lbName, "loadBalancer.exposure"),
        message:
          `${r.type.split(":").pop()} ${r.name} has an internet address, ` +
          `but the stack does not declare load balancer ${lbName} public`,
      });
      continue;
    }
    const direct = ctx.plan.loadBalancers.find((l) => l.name === lbName)?.listeners.find((l) => l.name === "direct")?.port;
    if (direct !== undefined && !cluster.loadBalancer.publicDirect && frontendPorts(r).includes(direct))
      findings.push({
        severity: "exposed",
        resource: r.name,
        need: "no public direct port",
        field: clusterField(ctx, lbName, "loadBalancer.publicDirect"),
        message: `publishes the direct (raw PostgreSQL, replication-capable) port ${direct} on the internet without publicDirect: true`,
      });
  }
  return { findings, checked: frontends.length };
}

/** Yandex `nat: true` gives the interface a public address; a GCP access config does the same. */
function publicVms(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  for (const node of ctx.plan.nodes) {
    const vm = ctx.index.vmOf(node);
    const nics = (vm?.inputs.networkInterfaces as Record<string, unknown>[] | undefined) ?? [];
    const publicNic = nics.some(
      (n) => n.nat === true || n.natIpAddress !== undefined || ((n.accessConfigs as unknown[] | undefined) ?? []).length > 0,
    );
    if (vm && publicNic)
      out.push({
        severity: "exposed",
        node: node.name,
        resource: vm.name,
        need: "private address only",
        field: "platform.egress",
        message:
          `${node.name} has a public IP address; nodes reach the internet through the NAT, ` +
          `and nothing in the stack asks for a public VM`,
      });
  }
  return out;
}

/** Ingress from public addresses other than health checkers, IAP (when asked for) and declared sourceRanges. */
function publicIngress(ctx: CheckContext): Finding[] {
  const declared = [
    ...HEALTH_CHECK_RANGES.gcp,
    ...GCP_EXTERNAL_PASSTHROUGH_HEALTH_CHECK_RANGES,
    ...HEALTH_CHECK_RANGES.yandex,
    ...(ctx.topology?.platform.iap ? [GCP_IAP_RANGE] : []),
    ...(ctx.topology?.platform.adminCidrs ?? []),
    ...(ctx.topology?.clusters.filter((c) => c.loadBalancer.exposure === "public").flatMap((c) => c.loadBalancer.sourceRanges) ?? []),
  ];
  const rules: IngressRule[] = [
    ...ctx.index.ofType(T.gcpFirewall).flatMap((fw) => gcpFirewallRules(ctx.index, fw)),
    ...ctx.index.ofType(T.yandexSecurityGroup).flatMap((g) => yandexRulesOfGroup(ctx.index, g)),
  ];
  const byResource = new Map<string, Set<string>>();
  // Port 22 alone is the SSH rule's to judge.
  for (const r of rules.filter((x) => !(x.ports !== "all" && x.ports.every(([a, b]) => a === 22 && b === 22)))) {
    for (const c of r.cidrs.filter((x) => !isPrivate(x) && !withinAny(x, declared))) {
      byResource.set(r.resource, (byResource.get(r.resource) ?? new Set()).add(c));
    }
  }
  return [...byResource].map(([resource, cidrs]) => {
    const owner = ctx.plan.resources.find((r) => r.name === resource)?.parent ?? "";
    const cluster = ctx.topology?.clusters.find((c) => owner === c.name || resource.startsWith(`${c.name}-`));
    return {
      severity: "exposed" as const,
      resource,
      need: "declared sources only",
      field: cluster ? clusterField(ctx, cluster.name, "loadBalancer.sourceRanges") : "platform.clientCidrs",
      message: `admits ${[...cidrs].join(", ")}, public addresses the stack does not declare`,
    };
  });
}
