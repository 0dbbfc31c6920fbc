// Who may read which secret, read from a synthesized plan (pure): the lab's metadata stand-in
// identifies a caller by its source address -> the plan's VM at that address -> the VM's
// `serviceAccount`, and serves a secret only to an account a `pgha-lab:index:SecretAccess` grants.
import type { SynthPlan } from "../../../synth/plan";
import { LAB_SECRET_ACCESS_TYPE, LAB_SECRET_TYPE, LAB_SERVICE_ACCOUNT_TYPE, SECRETS_DIR } from "../../../synth/secretFiles";

const LAB_VM_TYPE = "pgha-lab:index:Vm";

export interface MetadataVm {
  name: string;
  /** The account the VM acts as; undefined: a VM without identity (the metadata has no token for it). */
  serviceAccount?: string;
}

export interface MetadataAccessPlan {
  /** Caller address -> VM. */
  vms: Record<string, MetadataVm>;
  /** Secret name -> its entries file, relative to the plan directory (secrets/<name>.json). */
  secrets: Record<string, string>;
  /** Secret name -> the accounts that may read it. */
  grants: Record<string, string[]>;
}

type PlanResources = Pick<SynthPlan, "resources">;

function text(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** The access plan, or an error listing every inconsistency (a grant naming no secret, two VMs on one address...). */
export function metadataAccessPlan(plan: PlanResources): MetadataAccessPlan {
  const problems: string[] = [];
  const accounts = new Set<string>();
  const out: MetadataAccessPlan = { vms: {}, secrets: {}, grants: {} };
  for (const r of plan.resources) {
    if (r.type === LAB_SERVICE_ACCOUNT_TYPE) accounts.add(text(r.inputs.name) ?? r.name);
  }
  for (const r of plan.resources) {
    const inputs = r.inputs;
    if (r.type === LAB_VM_TYPE) {
      const ip = text(inputs.ip);
      if (!ip) {
        problems.push(`VM ${r.name} has no ip`);
        continue;
      }
      if (out.vms[ip]) problems.push(`VMs ${out.vms[ip].name} and ${r.name} share address ${ip}`);
      const sa = text(inputs.serviceAccount);
      if (sa && !accounts.has(sa)) problems.push(`VM ${r.name} acts as ${sa}, which is no pgha-lab:index:ServiceAccount of the plan`);
      out.vms[ip] = { name: text(inputs.name) ?? r.name, ...(sa ? { serviceAccount: sa } : {}) };
    } else if (r.type === LAB_SECRET_TYPE) {
      const file = text(inputs.entries);
      if (!file || !file.startsWith(`${SECRETS_DIR}/`)) {
        problems.push(`secret ${r.name}: the plan records no entries file (entries: ${JSON.stringify(inputs.entries)}); re-run pgha synth`);
        continue;
      }
      out.secrets[r.name] = file;
    }
  }
  for (const r of plan.resources) {
    if (r.type !== LAB_SECRET_ACCESS_TYPE) continue;
    const secret = text(r.inputs.secret);
    const sa = text(r.inputs.serviceAccount);
    if (!secret || !out.secrets[secret])
      problems.push(`access grant ${r.name} names secret ${String(secret)}, which the plan does not hold`);
    if (!sa || !accounts.has(sa)) problems.push(`access grant ${r.name} names account ${String(sa)}, which the plan does not hold`);
    if (secret && sa) out.grants[secret] = [...new Set([...(out.grants[secret] ?? []), sa])].sort();
  }
  if (problems.length > 0) throw new Error(`the plan's secrets cannot be served:\n  - ${problems.join("\n  - ")}`);
  return out;
}

/** May `account` read `secret`? */
export function isGranted(plan: MetadataAccessPlan, secret: string, account: string): boolean {
  return (plan.grants[secret] ?? []).includes(account);
}
