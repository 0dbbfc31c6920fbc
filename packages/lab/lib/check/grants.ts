/**
 * Who may use which bucket, as the plan grants it, in one shape for both clouds. A grant's
 * principal is what the plan puts in it: a GCP service account email, or a Yandex service
 * account id. Folder- or project-wide storage roles are grants on every bucket ("*").
 */
import { aclAccess } from "pgha/platform/yandex/aclPermissions";
import type { SynthPlanResource } from "../synth/plan";
import { cloudName, type PlanIndex, T } from "./planIndex";
import { inputText } from "../synth/inputText";

export type Access = "read" | "readWrite";

export interface BucketGrant {
  resource: string;
  /** Bucket name, or "*" for a folder/project-wide role. */
  bucket: string;
  principal: string;
  access: Access;
  scope: "bucket" | "folder" | "project";
  role: string;
}

/**
 * GCS roles (https://cloud.google.com/storage/docs/access-control/iam-roles): objectViewer lists
 * and reads objects; objectUser and objectAdmin also create and delete them; storage.admin is all.
 */
const GCS_ROLES: Record<string, Access> = {
  "roles/storage.objectViewer": "read",
  "roles/storage.objectUser": "readWrite",
  "roles/storage.objectAdmin": "readWrite",
  "roles/storage.admin": "readWrite",
};

/**
 * Yandex Object Storage roles (https://yandex.cloud/en/docs/storage/security/): storage.viewer
 * reads, storage.uploader writes without reading, storage.editor and storage.admin read and write.
 * ACL permissions (https://yandex.cloud/en/docs/storage/concepts/acl): READ, WRITE, FULL_CONTROL.
 */
const YANDEX_ROLES: Record<string, Access> = { "storage.viewer": "read", "storage.editor": "readWrite", "storage.admin": "readWrite" };

export function bucketGrants(index: PlanIndex): BucketGrant[] {
  return [...gcpGrants(index), ...yandexGrants(index)];
}

function gcpGrants(index: PlanIndex): BucketGrant[] {
  const out: BucketGrant[] = [];
  for (const r of index.plan.resources) {
    const role = inputText(r.inputs.role, "");
    const access = GCS_ROLES[role];
    if (!access) continue;
    const members = typeof r.inputs.member === "string" ? [r.inputs.member] : ((r.inputs.members as string[] | undefined) ?? []);
    const principals = members.filter((m) => m.startsWith("serviceAccount:")).map((m) => m.slice("serviceAccount:".length));
    if (r.type === T.gcpBucketIamMember || r.type === T.gcpBucketIamBinding) {
      const bucket = gcsBucketName(index, r.inputs.bucket);
      for (const p of principals) out.push({ resource: r.name, bucket, principal: p, access, scope: "bucket", role });
    } else if (/^gcp:(projects|organizations|folder)\//.test(r.type)) {
      for (const p of principals) out.push({ resource: r.name, bucket: "*", principal: p, access, scope: "project", role });
    }
  }
  return out;
}

function gcsBucketName(index: PlanIndex, ref: unknown): string {
  const b = index.ref(ref, T.gcpBucket);
  return b ? cloudName(b) : String(ref);
}

function yandexGrants(index: PlanIndex): BucketGrant[] {
  const out: BucketGrant[] = [];
  for (const r of index.plan.resources) {
    if (!r.type.startsWith("yandex:")) continue;
    const role = inputText(r.inputs.role, "");
    const roleAccess = YANDEX_ROLES[role];
    const members = typeof r.inputs.member === "string" ? [r.inputs.member] : ((r.inputs.members as string[] | undefined) ?? []);
    const principals = members.filter((m) => m.startsWith("serviceAccount:")).map((m) => m.slice("serviceAccount:".length));
    if (roleAccess && /resourcemanager(Folder|Cloud)Iam/.test(r.type)) {
      for (const p of principals) out.push({ resource: r.name, bucket: "*", principal: p, access: roleAccess, scope: "folder", role });
      continue;
    }
    if (!/storageBucket/.test(r.type)) continue;
    const bucket = r.type === T.yandexBucket ? yandexBucketName(r) : inputText(r.inputs.bucket, "");
    if (roleAccess)
      for (const p of principals) out.push({ resource: r.name, bucket, principal: p, access: roleAccess, scope: "bucket", role });
    for (const g of (r.inputs.grants as Record<string, unknown>[] | undefined) ?? []) {
      const perms = ((g.permissions as string[] | undefined) ?? []).map((p) => p.toUpperCase());
      const access = aclAccess(perms);
      if (access && typeof g.id === "string")
        out.push({ resource: r.name, bucket, principal: g.id, access, scope: "bucket", role: `ACL ${perms.join("+")}` });
    }
    if (typeof r.inputs.policy === "string") out.push(...policyGrants(r, bucket, r.inputs.policy));
  }
  return out;
}

/** A StorageBucket's name: `bucket`, or (with `bucketPrefix`) unknown until created: matched by prefix. */
export function yandexBucketName(r: SynthPlanResource): string {
  return typeof r.inputs.bucket === "string" ? r.inputs.bucket : `${inputText(r.inputs.bucketPrefix, r.name)}*`;
}

/** Allow statements of an S3 bucket policy (https://yandex.cloud/en/docs/storage/s3/api-ref/policy/scheme). */
function policyGrants(r: SynthPlanResource, bucket: string, text: string): BucketGrant[] {
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(text) as { Statement?: unknown };
  } catch {
    return [];
  }
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).filter(Boolean) as Record<string, unknown>[];
  const out: BucketGrant[] = [];
  for (const s of statements) {
    if (s.Effect !== "Allow") continue;
    const actions = ([] as unknown[]).concat(s.Action ?? []).map(String);
    const canWrite = actions.some((a) => a === "*" || a === "s3:*" || a === "s3:PutObject");
    const canRead = actions.some((a) => a === "*" || a === "s3:*" || a === "s3:GetObject");
    if (!canRead) continue;
    const principal = s.Principal;
    const ids =
      principal === "*"
        ? ["*"]
        : ([] as unknown[]).concat((principal as Record<string, unknown> | undefined)?.CanonicalUser ?? []).map(String);
    for (const id of ids)
      out.push({
        resource: r.name,
        bucket,
        principal: id,
        access: canWrite ? "readWrite" : "read",
        scope: "bucket",
        role: `policy ${actions.join(",")}`,
      });
  }
  return out;
}

export function grantCovers(g: BucketGrant, bucket: string, access: Access): boolean {
  const bucketOk = g.bucket === "*" || g.bucket === bucket || (g.bucket.endsWith("*") && bucket.startsWith(g.bucket.slice(0, -1)));
  return bucketOk && (g.access === "readWrite" || access === "read");
}
