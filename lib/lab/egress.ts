// Which lab nodes reach the lab's internet (the package mirror, pinned downloads). A cloud VM
// reaches them only through what its plan provides: a NAT gateway and route table on Yandex,
// Cloud NAT on GCP, or a public IP. Every plan the lab boots gives each node such a path today
// (local plans: the lab is the network); deriving it from the plan's NAT and routes belongs here,
// and only here.
import type { SynthPlanNode } from "../synth/plan";
import type { LabContext } from "./labContext";

export function nodesWithEgress(ctx: LabContext): SynthPlanNode[] {
  return ctx.plan.nodes;
}
