/**
 * `pgha check` and the check at the end of `pgha synth`: read a written plan directory,
 * check it against the stack it came from, and say what to print and how to exit.
 */
import type { Topology } from "pgha/config";
import { readSynthPlan, readUserData } from "../synth/plan";
import { checkPlan } from "./checkPlan";
import { formatFindings, isFailing } from "./findings";
import { synthStaticKeyOwner } from "./synthKeys";

export interface CheckRun {
  /** 0: every need met and nothing exposed (assumptions may remain); 2: a finding fails. */
  code: 0 | 2;
  text: string;
}

export function checkPlanDir(planDir: string, topology: Topology | undefined, seed?: string): CheckRun {
  const plan = readSynthPlan(planDir);
  const result = checkPlan(plan, (n) => readUserData(planDir, n), { topology, staticKeyOwner: synthStaticKeyOwner(plan, seed) });
  const failing = result.findings.filter(isFailing).length;
  const assumptions = result.findings.length - failing;
  const counts = `${result.nodes} nodes, ${result.needsChecked} needs checked${assumptions > 0 ? `, ${assumptions} assumption(s)` : ""}`;
  const summary =
    failing > 0 ? `check ${plan.stack}: FAILED, ${failing} finding(s) (${counts})\n` : `check ${plan.stack}: OK (${counts})\n`;
  return { code: failing > 0 ? 2 : 0, text: formatFindings(result.findings) + summary };
}
