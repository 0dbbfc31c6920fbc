/** What every rule of the plan check reads: the plan, its index, each node's needs, the stack. */
import type { Topology } from "pgha/config";
import type { SynthPlan, SynthPlanNode } from "../synth/plan";
import { type NodeNeeds, nodeNeeds } from "./needs";
import { PlanIndex } from "./planIndex";

export interface CheckOptions {
  /** The stack's topology: what it declared (adminCidrs, exposure, egress...). Without it, only what needs no declaration is checked. */
  topology?: Topology;
  /**
   * The static access key resource (its name) that an S3 access key id belongs to. A real
   * deployment knows this from the key's `accessKey` output; a synth plan from its mocks
   * (see synthKeys.ts).
   */
  staticKeyOwner?: (accessKeyId: string) => string | undefined;
}

export interface CheckContext extends CheckOptions {
  plan: SynthPlan;
  index: PlanIndex;
  userData: (node: SynthPlanNode) => string;
  needs: (node: SynthPlanNode) => NodeNeeds;
}

export function checkContext(plan: SynthPlan, userData: (node: SynthPlanNode) => string, options: CheckOptions = {}): CheckContext {
  const cache = new Map<string, NodeNeeds>();
  return {
    ...options,
    plan,
    index: new PlanIndex(plan),
    userData,
    needs: (node) => {
      let n = cache.get(node.name);
      if (!n) cache.set(node.name, (n = nodeNeeds(userData(node))));
      return n;
    },
  };
}

/** `clusters[i].<suffix>` for a cluster named in the stack (by name when the stack is not known). */
export function clusterField(ctx: CheckContext, cluster: string, suffix: string): string {
  const i = ctx.topology?.clusters.findIndex((c) => c.name === cluster) ?? -1;
  return `clusters[${i >= 0 ? i : cluster}]${suffix ? `.${suffix}` : ""}`;
}
