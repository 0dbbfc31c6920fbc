// Who may read which secret, read from a synthesized plan (pure): the lab's metadata stand-in
// identifies a caller by its source address -> the plan's VM at that address -> the VM's service
// account, and serves a secret only to an account the plan grants it to. One store per plan:
//  - lab: `pgha-lab:index:Vm` (serviceAccount), `Secret`, `SecretAccess`;
//  - yandex-lockbox: ComputeInstance (serviceAccountId), LockboxSecret, LockboxSecretVersion,
//    LockboxSecretIamBinding with role lockbox.payloadViewer and members `serviceAccount:<id>`;
//  - gcp-secret-manager: compute Instance (serviceAccount.email), secretmanager Secret,
//    SecretVersion, SecretIamMember with roles/secretmanager.secretAccessor, `serviceAccount:<email>`.
// Under synth's mocks a resource's id is `<name>-id` (check/planIndex.ts); a version's payload is
// the file synth wrote for it (secrets/<version name>.json).
import type { SynthPlan, SynthPlanResource } from "../../../synth/plan";
import {
  LAB_SECRET_ACCESS_TYPE,
  LAB_SECRET_TYPE,
  LAB_SERVICE_ACCOUNT_TYPE,
  LOCKBOX_VERSION_TYPE,
  SECRET_MANAGER_VERSION_TYPE,
  SECRETS_DIR,
  secretFilePath,
} from "../../../synth/secretFiles";

const LAB_VM_TYPE = "pgha-lab:index:Vm";
const YC = {
  vm: "yandex:index/computeInstance:ComputeInstance",
  account: "yandex:index/iamServiceAccount:IamServiceAccount",
  secret: "yandex:index/lockboxSecret:LockboxSecret",
  binding: "yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding",
} as const;
const GCP = {
  vm: "gcp:compute/instance:Instance",
  account: "gcp:serviceaccount/account:Account",
  secret: "gcp:secretmanager/secret:Secret",
  member: "gcp:secretmanager/secretIamMember:SecretIamMember",
} as const;
/** The roles that read a payload (yandex.cloud/docs/lockbox/security, cloud.google.com/secret-manager/docs/access-control). */
export const LOCKBOX_READER_ROLE = "lockbox.payloadViewer";
export const SECRET_MANAGER_READER_ROLE = "roles/secretmanager.secretAccessor";

export type SecretStoreKind = "lab" | "yandex-lockbox" | "gcp-secret-manager";

export interface MetadataVm {
  name: string;
  /** The account the VM acts as; undefined: a VM without identity (the metadata has no token for it). */
  serviceAccount?: string;
}

export interface MetadataAccessPlan {
  store: SecretStoreKind;
  /** GCP: the project the metadata server reports and Secret Manager paths name ("lab" for the lab store). */
  project?: string;
  /** Caller address -> VM. */
  vms: Record<string, MetadataVm>;
  /** Secret (as its API names it: lab name, Lockbox secret id, Secret Manager secret id) -> its payload file (secrets/<name>.json). */
  secrets: Record<string, string>;
  /** Secret -> the accounts that may read it. */
  grants: Record<string, string[]>;
  /** Lockbox: secret -> its version id (the payload answer names it). */
  versions: Record<string, string>;
}

type PlanResources = Pick<SynthPlan, "resources">;

function text(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

const mockId = (r: SynthPlanResource) => `${r.name}-id`;
const lastSegment = (v: string) => v.slice(v.lastIndexOf("/") + 1);

/** The store a plan's secrets live in, from the resource types it holds (none: undefined). */
export function planSecretStore(plan: PlanResources): SecretStoreKind | undefined {
  for (const r of plan.resources) {
    if (r.type === LAB_SECRET_TYPE) return "lab";
    if (r.type === YC.secret) return "yandex-lockbox";
    if (r.type === GCP.secret) return "gcp-secret-manager";
  }
  return undefined;
}

function firstNic(inputs: Record<string, unknown>): Record<string, unknown> {
  const nics = inputs.networkInterfaces;
  return Array.isArray(nics) && typeof nics[0] === "object" && nics[0] !== null ? (nics[0] as Record<string, unknown>) : {};
}

interface Reader {
  /** Each VM's address, name and account, from its resource. */
  vm(r: SynthPlanResource): { ip?: string; sa?: string } | undefined;
  accounts: Set<string>;
  /** The secret's key as its API names it, or undefined for a resource that is no secret. */
  secret(r: SynthPlanResource): string | undefined;
  /** A version resource: the secret it belongs to. */
  versionOf(r: SynthPlanResource): string | undefined;
  /** A grant resource: [secret, accounts] (only grants of the reader role). */
  grant(r: SynthPlanResource): { secret?: string; accounts: (string | undefined)[] } | undefined;
}

function labReader(plan: PlanResources): Reader {
  const accounts = new Set(plan.resources.filter((r) => r.type === LAB_SERVICE_ACCOUNT_TYPE).map((r) => text(r.inputs.name) ?? r.name));
  return {
    accounts,
    vm: (r) => (r.type === LAB_VM_TYPE ? { ip: text(r.inputs.ip), sa: text(r.inputs.serviceAccount) } : undefined),
    secret: (r) => (r.type === LAB_SECRET_TYPE ? r.name : undefined),
    versionOf: () => undefined,
    grant: (r) =>
      r.type === LAB_SECRET_ACCESS_TYPE ? { secret: text(r.inputs.secret), accounts: [text(r.inputs.serviceAccount)] } : undefined,
  };
}

function lockboxReader(plan: PlanResources): Reader {
  return {
    accounts: new Set(plan.resources.filter((r) => r.type === YC.account).map(mockId)),
    vm: (r) => (r.type === YC.vm ? { ip: text(firstNic(r.inputs).ipAddress), sa: text(r.inputs.serviceAccountId) } : undefined),
    secret: (r) => (r.type === YC.secret ? mockId(r) : undefined),
    versionOf: (r) => (r.type === LOCKBOX_VERSION_TYPE ? text(r.inputs.secretId) : undefined),
    grant: (r) => {
      if (r.type !== YC.binding || r.inputs.role !== LOCKBOX_READER_ROLE) return undefined;
      const secret = text(r.inputs.secretId);
      const members = Array.isArray(r.inputs.members) ? r.inputs.members : [];
      return { secret, accounts: members.map((m) => /^serviceAccount:(.+)$/.exec(String(m))?.[1]) };
    },
  };
}

function secretManagerReader(plan: PlanResources, project: string | undefined): Reader {
  const secrets = plan.resources.filter((r) => r.type === GCP.secret);
  // SecretVersion.secret is the Secret's id (`projects/p/secrets/s` in the cloud, `<name>-id` under the mocks).
  const byRef = (ref: string) => secrets.find((s) => mockId(s) === ref || text(s.inputs.secretId) === lastSegment(ref));
  return {
    // An account's email is `<accountId>@<project>.iam.gserviceaccount.com` (the form VMs and grants name it by).
    accounts: new Set(
      plan.resources
        .filter((r) => r.type === GCP.account)
        .map((r) => `${text(r.inputs.accountId) ?? r.name}@${text(r.inputs.project) ?? project}.iam.gserviceaccount.com`),
    ),
    vm: (r) =>
      r.type === GCP.vm
        ? { ip: text(firstNic(r.inputs).networkIp), sa: text((r.inputs.serviceAccount as Record<string, unknown> | undefined)?.email) }
        : undefined,
    secret: (r) => (r.type === GCP.secret ? (text(r.inputs.secretId) ?? r.name) : undefined),
    versionOf: (r) => {
      if (r.type !== SECRET_MANAGER_VERSION_TYPE) return undefined;
      const s = byRef(text(r.inputs.secret) ?? "");
      return s ? (text(s.inputs.secretId) ?? s.name) : text(r.inputs.secret);
    },
    grant: (r) => {
      if (r.type !== GCP.member || r.inputs.role !== SECRET_MANAGER_READER_ROLE) return undefined;
      const secret = text(r.inputs.secretId);
      return { secret: secret && lastSegment(secret), accounts: [/^serviceAccount:(.+)$/.exec(String(r.inputs.member))?.[1]] };
    },
  };
}

/** The GCP project: a secret's explicit project, else the one the VMs' account emails name (they live in the VMs' project). */
function gcpProject(plan: PlanResources, problems: string[]): string | undefined {
  const projects = new Set<string>();
  for (const r of plan.resources) {
    if (r.type === GCP.secret && text(r.inputs.project)) projects.add(r.inputs.project as string);
    const email = r.type === GCP.vm ? text((r.inputs.serviceAccount as Record<string, unknown> | undefined)?.email) : undefined;
    const m = email ? /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(email) : null;
    if (m) projects.add(m[1]);
  }
  if (projects.size > 1) problems.push(`secrets and service accounts span projects ${[...projects].sort().join(", ")}; the lab serves one`);
  return [...projects][0];
}

/** The access plan, or an error listing every inconsistency (a grant naming no secret, two VMs on one address...). */
export function metadataAccessPlan(plan: PlanResources): MetadataAccessPlan {
  const store = planSecretStore(plan) ?? "lab";
  const problems: string[] = [];
  const project = store === "lab" ? "lab" : store === "gcp-secret-manager" ? gcpProject(plan, problems) : undefined;
  const reader = store === "lab" ? labReader(plan) : store === "yandex-lockbox" ? lockboxReader(plan) : secretManagerReader(plan, project);
  const out: MetadataAccessPlan = { store, ...(project ? { project } : {}), vms: {}, secrets: {}, grants: {}, versions: {} };
  const known = new Set<string>();
  for (const r of plan.resources) {
    const vm = reader.vm(r);
    if (vm) {
      if (!vm.ip) {
        problems.push(`VM ${r.name} has no ip`);
        continue;
      }
      if (out.vms[vm.ip]) problems.push(`VMs ${out.vms[vm.ip].name} and ${r.name} share address ${vm.ip}`);
      if (vm.sa && !reader.accounts.has(vm.sa)) problems.push(`VM ${r.name} acts as ${vm.sa}, which is no service account of the plan`);
      out.vms[vm.ip] = { name: text(r.inputs.name) ?? r.name, ...(vm.sa ? { serviceAccount: vm.sa } : {}) };
    }
    const secret = reader.secret(r);
    if (secret) known.add(secret);
    if (store === "lab" && secret) {
      const file = text(r.inputs.entries);
      if (!file || !file.startsWith(`${SECRETS_DIR}/`)) {
        problems.push(
          `secret ${r.name}: the plan records no entries file (entries: ${JSON.stringify(r.inputs.entries)}); re-run pgha synth`,
        );
        continue;
      }
      out.secrets[secret] = file;
    }
  }
  for (const r of plan.resources) {
    const of = reader.versionOf(r);
    if (of === undefined) continue;
    if (!known.has(of)) problems.push(`secret version ${r.name} belongs to ${of}, which is no secret of the plan`);
    else if (out.secrets[of]) problems.push(`secret ${of} has two versions (${r.name} and another); the lab serves only the latest`);
    else {
      out.secrets[of] = secretFilePath(r.name);
      out.versions[of] = mockId(r);
    }
  }
  if (store !== "lab")
    for (const s of known) if (!out.secrets[s]) problems.push(`secret ${s} has no version in the plan, so it holds nothing to read`);
  for (const r of plan.resources) {
    const g = reader.grant(r);
    if (!g) continue;
    if (!g.secret || !known.has(g.secret))
      problems.push(`access grant ${r.name} names secret ${String(g.secret)}, which the plan does not hold`);
    for (const sa of g.accounts) {
      if (!sa || !reader.accounts.has(sa))
        problems.push(`access grant ${r.name} names account ${String(sa)}, which the plan does not hold`);
      if (g.secret && sa) out.grants[g.secret] = [...new Set([...(out.grants[g.secret] ?? []), sa])].sort();
    }
  }
  if (problems.length > 0) throw new Error(`the plan's secrets cannot be served:\n  - ${problems.join("\n  - ")}`);
  return out;
}

/** May `account` read `secret`? */
export function isGranted(plan: MetadataAccessPlan, secret: string, account: string): boolean {
  return (plan.grants[secret] ?? []).includes(account);
}

/** The payload file of the secret a node's manifest names (its store reference), or undefined. */
export function secretFileOf(plan: MetadataAccessPlan, ref: { kind: string; secret?: string; secretId?: string }): string | undefined {
  if (ref.kind !== plan.store) return undefined;
  const key = ref.kind === "yandex-lockbox" ? ref.secretId : ref.secret;
  return key ? plan.secrets[key] : undefined;
}
