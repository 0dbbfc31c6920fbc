/**
 * `pgha check`: read a synthesized plan the way the cloud would. For every node, derive what
 * its user-data needs (needs.ts, connections.ts) and check each need against the plan's
 * routes, NAT, firewalls / security groups, service accounts, bucket grants and static keys;
 * flag what the plan exposes beyond what the stack declared.
 */
import type { SynthPlan, SynthPlanNode } from "../synth/plan";
import { type CheckOptions, checkContext } from "./context";
import type { Finding } from "./findings";
import { bucketRule } from "./rules/buckets";
import { egressRule } from "./rules/egress";
import { exposureRule } from "./rules/exposure";
import { portRule } from "./rules/ports";
import { sshRule } from "./rules/ssh";

export interface CheckResult {
  findings: Finding[];
  nodes: number;
  /** How many needs (connections, buckets, internet needs, SSH sources, frontends) were checked. */
  needsChecked: number;
}

export const RULES = { egress: egressRule, ports: portRule, buckets: bucketRule, ssh: sshRule, exposure: exposureRule };

export function checkPlan(plan: SynthPlan, userData: (node: SynthPlanNode) => string, options: CheckOptions = {}): CheckResult {
  const ctx = checkContext(plan, userData, options);
  const results = Object.values(RULES).map((rule) => rule(ctx));
  return {
    findings: results.flatMap((r) => r.findings),
    nodes: plan.nodes.length,
    needsChecked: results.reduce((n, r) => n + r.checked, 0),
  };
}
