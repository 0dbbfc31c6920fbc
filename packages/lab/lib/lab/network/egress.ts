// Which lab nodes reach the lab's internet (the package mirror; pinned downloads). A cloud VM
// reaches the internet only through what its plan provides: a NAT gateway and route table on
// Yandex, Cloud NAT on GCP, or a public IP. The lab reads that path from the plan with the plan
// check's own derivation (lib/check/egress.ts) and builds it (network.ts: a NAT in the fabric
// in front of the internet namespace) only for the nodes that have one. This file is the only
// place the lab decides who gets egress.
import { EGRESS_FIELD, type NodeEgress, egressOfNodes } from "../../check/egress";
import type { SynthPlanNode } from "../../synth/plan";
import type { LabContext } from "../cli/labContext";

/** How the lab stands in for egress (printed with the other stand-ins by `pgha lab up`). */
export const EGRESS_STAND_IN =
  "egress: a node reaches the lab's stand-in internet (the package mirror) only if its plan gives it a path out (Yandex: " +
  "NAT gateway via its subnet's route table, or nat: true; GCP: Cloud NAT covering its subnet, or an external IP; " +
  `${EGRESS_FIELD}: provided is taken at its word), through a NAT the lab builds in its fabric for exactly those nodes; ` +
  "the others get ICMP net-unreachable for the internet (a cloud drops silently: " +
  "apt fails in seconds here rather than after its connect timeouts), and pinned release binaries are not put in place for them";

/** Derived once per plan: every node's question below is asked of the same answer. */
const egressByPlan = new WeakMap<LabContext["plan"], NodeEgress[]>();

export function labEgress(ctx: LabContext): NodeEgress[] {
  let egress = egressByPlan.get(ctx.plan);
  if (!egress) {
    egress = egressOfNodes(ctx.plan);
    egressByPlan.set(ctx.plan, egress);
  }
  return egress;
}

export function egressOf(ctx: LabContext, node: SynthPlanNode): NodeEgress {
  return (
    labEgress(ctx).find((e) => e.node === node.name) ?? { node: node.name, internet: false, via: "none", reason: "not a planned node" }
  );
}

export function hasEgress(ctx: LabContext, node: SynthPlanNode): boolean {
  return egressOf(ctx, node).internet;
}

export function nodesWithEgress(ctx: LabContext): SynthPlanNode[] {
  return ctx.plan.nodes.filter((n) => hasEgress(ctx, n));
}

/** One line per way out (and one for the nodes without), for `lab up`'s log: "<way>: <nodes>". */
export function describeLabEgress(egress: NodeEgress[]): string[] {
  const byWay = new Map<string, string[]>();
  for (const e of egress) {
    const way = !e.internet ? "no egress (refused)" : e.assumption ? `egress assumed: ${e.via}` : `egress through ${e.via}`;
    byWay.set(way, [...(byWay.get(way) ?? []), e.node]);
  }
  return [...byWay].map(([way, nodes]) => `${way}: ${nodes.join(", ")}`);
}
