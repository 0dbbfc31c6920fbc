/**
 * lib/ops reaches the Patroni nodes over SSH as the ops user whose keys the user-data
 * installs. Such a node needs port 22 from every `platform.adminCidrs` entry (and from IAP's
 * range when `platform.iap`); nothing else may open 22 (issue 11).
 */
import { GCP_IAP_RANGE } from "pgha/config/access";
import type { SynthPlanNode } from "../../synth/plan";
import { isPrivate, withinAny } from "../cidr";
import type { CheckContext } from "../context";
import type { Finding } from "../findings";
import { type IngressRule, ingressRulesFor, portsAdmit } from "../ingress";

const SSH = 22;
/** Only cloud VMs: the lab reaches its nodes through their namespaces, not through a firewall. */
const CLOUDS = ["yandex", "gcp"];

export function sshRule(ctx: CheckContext): { findings: Finding[]; checked: number } {
  if (!CLOUDS.includes(ctx.plan.platform)) return { findings: [], checked: 0 };
  const findings: Finding[] = [];
  let checked = 0;
  const sources = declaredSources(ctx);
  for (const node of ctx.plan.nodes.filter((n) => n.role === "patroni" && ctx.needs(n).sshUsers.length > 0)) {
    checked++;
    const rules = ingressRulesFor(ctx.index, node).filter((r) => portsAdmit(r, SSH));
    const base = {
      severity: "unmet" as const,
      node: node.name,
      need: `ssh for ${ctx.needs(node).sshUsers.join(", ")}`,
      field: "platform.adminCidrs",
    };
    if (sources && sources.length === 0) {
      findings.push({
        ...base,
        message: "the ops user has SSH keys, but the stack names no admin source for port 22 (platform.adminCidrs, or platform.iap on gcp)",
      });
      continue;
    }
    const missing = sources
      ? sources.filter((s) => !rules.some((r) => withinAny(s, r.cidrs)))
      : rules.length > 0
        ? []
        : ["any admin source"];
    if (missing.length > 0)
      findings.push({
        ...base,
        message: `no security group or firewall attached to ${node.name} admits port 22 from ${missing.join(", ")}`,
      });
  }
  findings.push(...sshExposure(ctx, sources));
  return { findings, checked };
}

/** adminCidrs plus IAP's range when asked for; undefined when the stack is not known. */
function declaredSources(ctx: CheckContext): string[] | undefined {
  const pf = ctx.topology?.platform;
  if (!pf) return undefined;
  return [...pf.adminCidrs, ...(pf.iap ? [GCP_IAP_RANGE] : [])];
}

/** Rules opening 22 to anything beyond the declared admin sources (without a stack: beyond private ranges). */
function sshExposure(ctx: CheckContext, sources: string[] | undefined): Finding[] {
  const seen = new Map<string, Set<string>>();
  const nodesOf = new Map<string, SynthPlanNode[]>();
  for (const node of ctx.plan.nodes) {
    for (const r of ingressRulesFor(ctx.index, node).filter((x: IngressRule) => portsAdmit(x, SSH))) {
      const extra = r.cidrs.filter((c) => (sources ? !withinAny(c, sources) : !isPrivate(c)));
      if (extra.length === 0) continue;
      const set = seen.get(r.resource) ?? new Set<string>();
      for (const c of extra) set.add(c);
      seen.set(r.resource, set);
      nodesOf.set(r.resource, [...(nodesOf.get(r.resource) ?? []), node]);
    }
  }
  return [...seen].map(([resource, cidrs]) => ({
    severity: "exposed" as const,
    resource,
    need: "ssh",
    field: "platform.adminCidrs",
    message:
      `opens port 22 on ${[...new Set(nodesOf.get(resource)?.map((n) => n.name))].join(", ")} to ${[...cidrs].join(", ")}, ` +
      `${sources ? "which the stack does not name as admin sources" : "addresses outside the private ranges"}`,
  }));
}
