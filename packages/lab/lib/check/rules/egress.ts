/**
 * A node whose user-data installs packages or downloads release binaries needs a path to the
 * internet: the route / NAT derivation is egress.ts's (nodeEgress); on Yandex its security
 * groups must also let the connection out (a security group's egress rules are the only
 * traffic it lets out: https://yandex.cloud/en/docs/vpc/concepts/security-groups).
 */
import type { SynthPlanNode } from "../../synth/plan";
import type { CheckContext } from "../context";
import { EGRESS_FIELD, nodeEgress } from "../egress";
import type { Finding } from "../findings";
import { portsAdmit, yandexEgressRules } from "../ingress";
import { admits } from "./ports";

interface InternetNeed {
  need: string;
  /** Any of these ports will do (apt mirrors answer on http and https). */
  ports: number[];
}

export function internetNeeds(ctx: CheckContext, node: SynthPlanNode): InternetNeed[] {
  const n = ctx.needs(node);
  const out: InternetNeed[] = [];
  if (n.packages.length > 0) out.push({ need: `package mirror (${n.packages.length} packages)`, ports: [80, 443] });
  for (const host of n.aptHosts) out.push({ need: `apt source ${host}`, ports: [443, 80] });
  for (const url of n.downloads) out.push({ need: `download ${url}`, ports: [url.startsWith("https:") ? 443 : 80] });
  return out;
}

export function egressRule(ctx: CheckContext): { findings: Finding[]; checked: number } {
  const findings: Finding[] = [];
  let checked = 0;
  for (const node of ctx.plan.nodes) {
    const needs = internetNeeds(ctx, node);
    if (needs.length === 0) continue;
    checked += needs.length;
    const path = nodeEgress(ctx.plan, node);
    const what = needs.map((n) => n.need).join(", ");
    // The stack's own claim counts even where the plan does not record it (a component's inputs are not in the plan).
    if (!path.internet && ctx.topology?.platform.egress === "provided") {
      const missing = (path.reason ?? "").replace(/; fix: .*$/s, "");
      findings.push({
        severity: "assumption",
        node: node.name,
        need: what,
        field: EGRESS_FIELD,
        message: `assumed, not checked: ${EGRESS_FIELD}: provided (the plan shows none: ${missing})`,
      });
      continue;
    }
    if (!path.internet) {
      findings.push({
        severity: "unmet",
        node: node.name,
        need: what,
        field: EGRESS_FIELD,
        message: (path.reason ?? "no path to the internet").replace(/; fix: .*$/s, ""),
      });
      continue;
    }
    if (path.assumption)
      findings.push({
        severity: "assumption",
        node: node.name,
        need: what,
        field: EGRESS_FIELD,
        message: `assumed, not checked: ${path.via}`,
      });
    const out = yandexEgressRules(ctx.index, node);
    if (!out) continue;
    for (const need of needs) {
      const internet = { kind: "cidr" as const, cidr: "0.0.0.0/0", label: "the internet" };
      if (!need.ports.some((p) => out.some((r) => portsAdmit(r, p) && admits(r, p, "tcp", internet))))
        findings.push({
          severity: "unmet",
          node: node.name,
          need: need.need,
          field: EGRESS_FIELD,
          message: `the security groups of ${node.name} let no tcp ${need.ports.join(" or ")} out to the internet`,
        });
    }
  }
  return { findings, checked };
}
