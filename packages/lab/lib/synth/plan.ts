/**
 * The plan `pgha synth` writes (DIR/plan.json + DIR/user-data/<node>.yaml) and `pgha lab`
 * reads. Plain JSON, keys sorted, secrets scrubbed (see scrub.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PlanLoadBalancer, PlanNode, PlanStandbyLink } from "pgha/components/plan";

export const PLAN_FILE = "plan.json";
export const USER_DATA_DIR = "user-data";

export interface SynthPlanResource {
  type: string;
  name: string;
  /** Name of the parent resource; null for the root Stack. */
  parent: string | null;
  urn: string;
  /** false for component resources (pgha:index:*, the Stack). */
  custom: boolean;
  inputs: Record<string, unknown>;
  /** protect / retainOnDelete / ignoreChanges, only when set. */
  options?: { protect?: true; retainOnDelete?: true; ignoreChanges?: string[] };
}

/** A node as planned; its user-data lives in a file (relative to the plan) because it holds secrets. */
export type SynthPlanNode = Omit<PlanNode, "userData"> & { userDataFile: string };

export interface SynthPlan {
  stack: string;
  platform: string;
  resources: SynthPlanResource[];
  nodes: SynthPlanNode[];
  loadBalancers: PlanLoadBalancer[];
  standbyLinks: PlanStandbyLink[];
}

export function userDataPath(node: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(node)) throw new Error(`node name ${JSON.stringify(node)} is not usable as a file name`);
  return `${USER_DATA_DIR}/${node}.yaml`;
}

/** Read a synthesized plan back (for the lab). */
export function readSynthPlan(dir: string): SynthPlan {
  return JSON.parse(readFileSync(join(dir, PLAN_FILE), "utf8")) as SynthPlan;
}

/** A node's user-data as written by synth. */
export function readUserData(dir: string, node: SynthPlanNode): string {
  return readFileSync(join(dir, node.userDataFile), "utf8");
}
