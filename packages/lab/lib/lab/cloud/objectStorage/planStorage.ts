// What a plan asks of object storage, read the way the cloud would hold it: the buckets, the
// grants on each (per service account, read or readWrite), and the static keys of those accounts.
// Pure: the RGW stand-in (rgw.ts, labObjectStorage.ts) creates exactly this and nothing more.
//
// The keys' values are not in plan.json (synth scrubs them); each node's user-data holds the key
// its cluster's account was given (s3Credentials.ts). A key resource's parent is the cluster
// component that asked for it (lib/components/patroniCluster.ts: one account per cluster,
// lib/platform/yandex/platform.ts: one key per account), so a node's key is matched to the key
// resource whose parent is the node's component.
import { aclAccess, type BucketAccess } from "pgha/platform/yandex/aclPermissions";
import type { SynthPlan } from "../../../synth/plan";
import type { S3CredentialUse } from "./s3Credentials";

export const BUCKET_TYPE = "yandex:index/storageBucket:StorageBucket";
export const BUCKET_GRANT_TYPE = "yandex:index/storageBucketGrant:StorageBucketGrant";
export const STATIC_KEY_TYPE = "yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey";

export interface PlannedGrant {
  /** The service account id the grant names (RGW user id in the lab). */
  account: string;
  access: BucketAccess;
}

export interface PlannedBucket {
  /** Pulumi resource name. */
  resource: string;
  /** The bucket's name in the storage. */
  name: string;
  grants: PlannedGrant[];
}

export interface StorageAccount {
  /** Service account id. */
  account: string;
  /** Pulumi name of its static key resource. */
  keyResource: string;
  accessKey: string;
  secretKey: string;
  /** Nodes whose user-data holds this key. */
  nodes: string[];
}

export interface PlannedObjectStorage {
  /** The S3 endpoints the nodes' user-data names (e.g. https://storage.yandexcloud.net). */
  endpoints: string[];
  buckets: PlannedBucket[];
  accounts: StorageAccount[];
  /** What the lab cannot stand in for faithfully; `lab up` refuses the plan with these. */
  problems: string[];
}

export interface NodeCredentials {
  node: string;
  component: string;
  uses: S3CredentialUse[];
}

interface AclGrant {
  type?: string;
  id?: string;
  uri?: string;
  permissions?: string[];
}

function grantsOf(where: string, grants: unknown, problems: string[]): PlannedGrant[] {
  const out: PlannedGrant[] = [];
  for (const g of (Array.isArray(grants) ? grants : []) as AclGrant[]) {
    const access = aclAccess(g.permissions ?? []);
    if (g.type !== "CanonicalUser" || !g.id) {
      problems.push(
        `${where}: grant to ${g.uri ?? g.type ?? "?"} (${(g.permissions ?? []).join(", ")}): ` +
          `the lab stands in only for grants to a service account (CanonicalUser)`,
      );
    } else if (!access) {
      problems.push(`${where}: grant ${(g.permissions ?? []).join(", ")} to ${g.id}: Object Storage refuses WRITE without READ`);
    } else {
      out.push({ account: g.id, access });
    }
  }
  return out;
}

/** Merge grants per account: the broader access wins. Sorted by account, so the same plan gives the same policy. */
function mergeGrants(grants: PlannedGrant[]): PlannedGrant[] {
  const by = new Map<string, BucketAccess>();
  for (const g of grants) by.set(g.account, by.get(g.account) === "readWrite" ? "readWrite" : g.access);
  return [...by].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([account, access]) => ({ account, access }));
}

export function plannedObjectStorage(plan: SynthPlan, nodes: NodeCredentials[]): PlannedObjectStorage {
  const problems: string[] = [];
  const buckets: PlannedBucket[] = [];
  for (const r of plan.resources.filter((x) => x.type === BUCKET_TYPE)) {
    const name = r.inputs.bucket;
    if (typeof name !== "string") {
      problems.push(`bucket ${r.name}: no fixed bucket name in the plan (bucketPrefix: the cloud picks one), so the lab cannot create it`);
      continue;
    }
    if (typeof r.inputs.policy === "string")
      problems.push(`bucket ${r.name}: a bucket policy is not stood in for by the lab (only ACL grants)`);
    buckets.push({ resource: r.name, name, grants: grantsOf(`bucket ${r.name}`, r.inputs.grants, problems) });
  }
  for (const r of plan.resources.filter((x) => x.type === BUCKET_GRANT_TYPE)) {
    const b = buckets.find((x) => x.name === r.inputs.bucket);
    if (!b) problems.push(`${r.name}: grants on bucket ${String(r.inputs.bucket)}, which the plan does not create`);
    else b.grants.push(...grantsOf(`bucket grant ${r.name}`, r.inputs.grants, problems));
  }
  for (const b of buckets) b.grants = mergeGrants(b.grants);

  const keys = plan.resources.filter((x) => x.type === STATIC_KEY_TYPE);
  const accounts = new Map<string, StorageAccount>();
  for (const n of nodes) {
    for (const use of n.uses) {
      const candidates = keys.filter((k) => k.parent === n.component);
      if (candidates.length !== 1) {
        problems.push(
          `${n.node}: ${use.file} holds a static key, and the plan has ${candidates.length} static ` +
            `key resources under component ${n.component}; the lab matches a node's key to exactly one`,
        );
        continue;
      }
      const key = candidates[0];
      const account = key.inputs.serviceAccountId;
      if (typeof account !== "string") {
        problems.push(`${key.name}: no serviceAccountId in the plan`);
        continue;
      }
      const known = accounts.get(account);
      if (known && (known.accessKey !== use.accessKey || known.secretKey !== use.secretKey)) {
        problems.push(
          `${n.node}: ${use.file} holds another key than ${known.nodes.join(", ")} ` +
            `for the same account ${account} (one static key per account)`,
        );
        continue;
      }
      const entry = known ?? { account, keyResource: key.name, accessKey: use.accessKey, secretKey: use.secretKey, nodes: [] };
      if (!entry.nodes.includes(n.node)) entry.nodes.push(n.node);
      accounts.set(account, entry);
    }
  }
  const endpoints = [...new Set(nodes.flatMap((n) => n.uses.map((u) => u.endpoint)))].sort();
  return { endpoints, buckets, accounts: [...accounts.values()].sort((a, b) => (a.account < b.account ? -1 : 1)), problems };
}

/** Object actions each access level allows, the S3 names of what Yandex's ACL READ / WRITE allow. */
export const READ_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject"];
export const WRITE_ACTIONS = [
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
  "s3:ListBucketMultipartUploads",
];

/**
 * The RGW bucket policy that stands in for the bucket's ACL. RGW's own bucket ACL READ would
 * let a reader list but not read objects another account wrote (S3 object ACLs), where Yandex's
 * bucket READ reads them all; a policy on the bucket and its objects says exactly that.
 * Principals are RGW users named by the service account id (arn:aws:iam:::user/<id>).
 * No grants: no policy (only the bucket's owner, the lab's deployer, has access).
 */
export function bucketPolicy(bucket: PlannedBucket): string | undefined {
  if (bucket.grants.length === 0) return undefined;
  const resources = [`arn:aws:s3:::${bucket.name}`, `arn:aws:s3:::${bucket.name}/*`];
  const statement = bucket.grants.map((g) => ({
    Sid: `${g.access}-${g.account}`.replace(/[^A-Za-z0-9]/g, ""),
    Effect: "Allow",
    Principal: { AWS: [`arn:aws:iam:::user/${g.account}`] },
    Action: g.access === "readWrite" ? [...READ_ACTIONS, ...WRITE_ACTIONS] : READ_ACTIONS,
    Resource: resources,
  }));
  return JSON.stringify({ Version: "2012-10-17", Statement: statement });
}
