/**
 * Every backup bucket a node's configs write or read must be reachable with the identity the
 * node actually has: on GCP the service account attached to its VM (with an access scope that
 * lets it use Cloud Storage) and that account's bucket roles; on Yandex the static key in its
 * config, the account that key belongs to, and that account's grants on the bucket. Grants
 * beyond the needs (other buckets, write where only read is used, folder- or project-wide
 * storage roles, any principal "*") are reported as exposed.
 */
import type { SynthPlanNode, SynthPlanResource } from "../../synth/plan";
import { type CheckContext, clusterField } from "../context";
import type { Finding } from "../findings";
import { type Access, type BucketGrant, bucketGrants, grantCovers, yandexBucketName } from "../grants";
import { gcpAccountOf } from "../ingress";
import type { BucketNeed } from "../needs";
import { cloudName, T } from "../planIndex";

/**
 * Compute Engine access scopes still cap what the attached account may do
 * (https://cloud.google.com/compute/docs/access/service-accounts#accesscopesiam).
 */
const GCS_SCOPES: Record<string, Access> = {
  "https://www.googleapis.com/auth/cloud-platform": "readWrite",
  "cloud-platform": "readWrite",
  "https://www.googleapis.com/auth/devstorage.full_control": "readWrite",
  "https://www.googleapis.com/auth/devstorage.read_write": "readWrite",
  "storage-rw": "readWrite",
  "storage-full": "readWrite",
  "https://www.googleapis.com/auth/devstorage.read_only": "read",
  "storage-ro": "read",
};

interface Use {
  node: SynthPlanNode;
  need: BucketNeed;
  principal: string;
}

export function bucketRule(ctx: CheckContext): { findings: Finding[]; checked: number } {
  const grants = bucketGrants(ctx.index);
  const findings: Finding[] = [];
  const uses: Use[] = [];
  let checked = 0;
  for (const node of ctx.plan.nodes) {
    for (const need of ctx.needs(node).buckets) {
      checked++;
      const base = {
        node: node.name,
        need: `bucket ${need.access === "read" ? "read" : "write"} ${need.bucket}`,
        field: needField(ctx, node, need),
      };
      if (need.kind === "posix") {
        if (ctx.plan.platform === "local" && !ctx.index.ofType(T.localBucket).some((b) => need.bucket.startsWith(String(b.inputs.path))))
          findings.push({
            ...base,
            severity: "unmet",
            message: `${need.configFile} uses the repository ${need.bucket}, under no bucket path of the plan`,
          });
        continue;
      }
      const who = principalOf(ctx, node, need);
      if ("problem" in who) {
        findings.push({ ...base, severity: "unmet", message: who.problem });
        continue;
      }
      uses.push({ node, need, principal: who.principal });
      if (!bucketInPlan(ctx, need)) {
        findings.push({
          ...base,
          severity: "assumption",
          message: `bucket ${need.bucket} is not created by this plan; its grants to ${who.principal} cannot be checked`,
        });
        continue;
      }
      if (!grants.some((g) => (g.principal === who.principal || g.principal === "*") && grantCovers(g, need.bucket, need.access)))
        findings.push({
          ...base,
          severity: "unmet",
          message:
            `${who.principal} (${who.via}) ` +
            `has no grant that lets it ${need.access === "read" ? "read" : "read and write"} ${need.bucket} (${need.configFile})`,
        });
    }
  }
  findings.push(...overGrants(ctx, grants, uses));
  return { findings, checked };
}

function needField(ctx: CheckContext, node: SynthPlanNode, need: BucketNeed): string {
  return clusterField(ctx, node.component, need.access === "read" ? "standby" : "backups");
}

function principalOf(ctx: CheckContext, node: SynthPlanNode, need: BucketNeed): { principal: string; via: string } | { problem: string } {
  const vm = ctx.index.vmOf(node);
  if (need.kind === "gcs") {
    if (!vm || vm.type !== T.gcpInstance)
      return { problem: `${need.configFile} names GCS bucket ${need.bucket}, but ${node.name} is not a GCP instance of this plan` };
    const email = gcpAccountOf(vm);
    if (!email)
      return { problem: `${node.name} runs without a service account, so ${need.configFile}'s GCS bucket ${need.bucket} is out of reach` };
    const scopes = ((vm.inputs.serviceAccount as Record<string, unknown>).scopes as string[] | undefined) ?? [];
    const scope = scopes.map((s) => GCS_SCOPES[s]).find((a) => a === "readWrite" || (a === "read" && need.access === "read"));
    if (!scope)
      return {
        problem:
          `${node.name}'s access scopes (${scopes.join(", ") || "none"}) ` +
          `do not let its service account ${need.access === "read" ? "read" : "write"} Cloud Storage`,
      };
    return { principal: email, via: "the VM's service account" };
  }
  if (!need.accessKeyId) return { problem: `${need.configFile} names S3 bucket ${need.bucket} without an access key` };
  if (SECRET_REFERENCE.test(need.accessKeyId)) return keyOfNodeAccount(ctx, node, need);
  const keyName = staticKeyOwner(ctx, need.accessKeyId);
  const key = keyName ? ctx.index.plan.resources.find((r) => r.type === T.yandexStaticKey && r.name === keyName) : undefined;
  if (!key) return { problem: `the access key in ${need.configFile} belongs to no static access key of this plan` };
  const account = ctx.index.ref(key.inputs.serviceAccountId, T.yandexAccount);
  if (!account) return { problem: `static key ${key.name} belongs to no service account of this plan` };
  return { principal: String(key.inputs.serviceAccountId), via: `service account ${account.name}, static key ${key.name}` };
}

/** A value the node fetches from its secret at first boot (render/secretRefs.ts): the plan shows only the reference. */
const SECRET_REFERENCE = /^PGHA_SECRET_[A-Z0-9_]+$/;

/**
 * The key id is in the node's secret, which the plan does not show: pgha puts there the static
 * key of the account the VM runs as, so the account's one static key is the one the node uses.
 */
function keyOfNodeAccount(
  ctx: CheckContext,
  node: SynthPlanNode,
  need: BucketNeed,
): { principal: string; via: string } | { problem: string } {
  const accountId = ctx.index.vmOf(node)?.inputs.serviceAccountId;
  if (typeof accountId !== "string")
    return { problem: `${need.configFile}'s access key comes from ${node.name}'s secret, but ${node.name} runs without a service account` };
  const keys = ctx.index.ofType(T.yandexStaticKey).filter((k) => k.inputs.serviceAccountId === accountId);
  if (keys.length !== 1)
    return {
      problem: `${need.configFile}'s access key comes from ${node.name}'s secret; its account has ${keys.length} static keys, not one`,
    };
  const account = ctx.index.ref(accountId, T.yandexAccount);
  if (!account) return { problem: `static key ${keys[0].name} belongs to no service account of this plan` };
  return {
    principal: accountId,
    via: `service account ${account.name}, static key ${keys[0].name} (its id reaches the node in its secret)`,
  };
}

function staticKeyOwner(ctx: CheckContext, accessKeyId: string): string | undefined {
  // A deployed key's `accessKey` output (a policy pack sees it among the properties); a synth plan has none.
  const fromOutputs = ctx.index
    .ofType(T.yandexStaticKey)
    .find(
      (k) =>
        k.inputs.accessKey === accessKeyId ||
        (k as SynthPlanResource & { outputs?: { accessKey?: string } }).outputs?.accessKey === accessKeyId,
    );
  return fromOutputs?.name ?? ctx.staticKeyOwner?.(accessKeyId);
}

function bucketInPlan(ctx: CheckContext, need: BucketNeed): boolean {
  if (need.kind === "gcs") return ctx.index.ofType(T.gcpBucket).some((b) => cloudName(b) === need.bucket);
  return ctx.index.ofType(T.yandexBucket).some((b) => {
    const name = yandexBucketName(b);
    return name === need.bucket || (name.endsWith("*") && need.bucket.startsWith(name.slice(0, -1)));
  });
}

/**
 * Identities VMs of this plan act as: GCP accounts attached to instances, Yandex accounts with a
 * static key. Grants to other principals (GKE workload identities, people) are not the VMs' to judge.
 */
function vmPrincipals(ctx: CheckContext): Set<string> {
  const emails = ctx.index.ofType(T.gcpInstance).map(gcpAccountOf);
  const keyAccounts = ctx.index.ofType(T.yandexStaticKey).map((k) => k.inputs.serviceAccountId);
  return new Set([...emails, ...keyAccounts].filter((p): p is string => typeof p === "string"));
}

/** Grants no node needs: wider than a bucket, to anyone, on a bucket its nodes never use, or write where they only read. */
function overGrants(ctx: CheckContext, grants: BucketGrant[], uses: Use[]): Finding[] {
  const out: Finding[] = [];
  const judged = vmPrincipals(ctx);
  for (const g of grants) {
    const users = uses.filter((u) => u.principal === g.principal);
    const cluster = users[0]?.node.component;
    const field = cluster ? clusterField(ctx, cluster, "backups") : "clusters[].backups";
    const base = { severity: "exposed" as const, resource: g.resource, field };
    if (g.principal === "*") {
      out.push({
        ...base,
        need: `bucket ${g.bucket}`,
        message: `${g.role} lets anyone ${g.access === "read" ? "read" : "read and write"} bucket ${g.bucket}`,
      });
    } else if (g.scope !== "bucket") {
      out.push({
        ...base,
        need: "bucket access",
        message:
          `${g.scope}-wide role ${g.role} lets ${g.principal} use every bucket in the ${g.scope}, ` +
          `so one cluster can delete another's backups; grant on its own bucket only`,
      });
    } else if (judged.has(g.principal)) {
      const using = users.filter((u) => grantCovers({ ...g, access: "readWrite" }, u.need.bucket, "read"));
      const needed: Access | undefined = using.some((u) => u.need.access === "readWrite")
        ? "readWrite"
        : using.length > 0
          ? "read"
          : undefined;
      if (!needed)
        out.push({
          ...base,
          need: `bucket ${g.bucket}`,
          message: `${g.role} lets ${g.principal} use bucket ${g.bucket}, which none of its nodes uses`,
        });
      else if (needed === "read" && g.access === "readWrite")
        out.push({
          ...base,
          need: `bucket read ${g.bucket}`,
          message: `${g.role} lets ${g.principal} write bucket ${g.bucket}, where its nodes only read`,
        });
    }
  }
  return out;
}
