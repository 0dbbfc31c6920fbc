/**
 * Backup storage and the identity that writes it, without key files: a GCS bucket, a GCP
 * service account with object access on it, and the Workload Identity binding that lets
 * exactly one Kubernetes service account (namespace/name) act as that GCP account.
 */
import type * as gcp from "@pulumi/gcp";
import { gcpSdk } from "../gcp/sdk";
import * as pulumi from "@pulumi/pulumi";
import { workloadIdentityMember } from "./plan";

/** Buckets hold the backups: `pulumi destroy` must never take them along. */
const KEEP: pulumi.CustomResourceOptions = Object.freeze({ protect: true, retainOnDelete: true });

export interface BackupBucketArgs {
  project: string;
  /** GCS location: a region, dual-region or multi-region (EU, US). */
  location: string;
  /** Fixed bucket name; Pulumi auto-names (with a random suffix) when omitted. */
  bucketName?: string;
  /** Lifecycle safety net (0: never); WAL-G retention does the real pruning. */
  expireDays: number;
  labels?: Record<string, string>;
}

export function createBackupBucket(name: string, args: BackupBucketArgs, parent: pulumi.Resource): gcp.storage.Bucket {
  const gcp = gcpSdk("gke");
  return new gcp.storage.Bucket(
    name,
    {
      project: args.project,
      name: args.bucketName,
      location: args.location,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: false,
      lifecycleRules: args.expireDays > 0 ? [{ action: { type: "Delete" }, condition: { age: args.expireDays } }] : undefined,
      labels: args.labels,
    },
    { ...KEEP, parent },
  );
}

/**
 * GCP service account ids are 6-30 characters `[a-z][-a-z0-9]*[a-z0-9]`. Longer names are
 * cut and made unique again with a short stable hash.
 */
export function serviceAccountId(name: string): string {
  const clean = name
    .toLowerCase()
    .replace(/[^-a-z0-9]/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "");
  const padded = clean.length >= 6 ? clean : `${clean}-pgha`.slice(0, 30);
  if (padded.length <= 30) return padded;
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `${padded.slice(0, 23).replace(/-+$/, "")}-${h.toString(36).slice(0, 6)}`;
}

export interface WorkloadIdentityArgs {
  project: string;
  namespace: string;
  kubernetesServiceAccount: string;
  /** Bucket the pods write (roles/storage.objectAdmin). */
  writeBucket?: pulumi.Input<string>;
  /** Buckets the pods only read, e.g. a standby's source archive (roles/storage.objectViewer). */
  readBuckets?: pulumi.Input<string>[];
}

export interface WorkloadIdentityHandle {
  account: gcp.serviceaccount.Account;
  email: pulumi.Output<string>;
  /** The IAM bindings: pods that start before them get 403s from GCS and the metadata server. */
  bindings: pulumi.Resource[];
}

export function createWorkloadIdentity(name: string, args: WorkloadIdentityArgs, parent: pulumi.Resource): WorkloadIdentityHandle {
  const gcp = gcpSdk("gke");
  const account = new gcp.serviceaccount.Account(
    name,
    { project: args.project, accountId: serviceAccountId(name), displayName: `pgha ${name} (Workload Identity)` },
    { parent },
  );
  const member = pulumi.interpolate`serviceAccount:${account.email}`;
  // Only this namespace/name may impersonate the account: other pods in the cluster may not.
  const bindings: pulumi.Resource[] = [];
  const binding = new gcp.serviceaccount.IAMMember(
    `${name}-workload-identity`,
    {
      serviceAccountId: account.name,
      role: "roles/iam.workloadIdentityUser",
      member: workloadIdentityMember(args.project, args.namespace, args.kubernetesServiceAccount),
    },
    { parent },
  );
  bindings.push(binding);
  if (args.writeBucket !== undefined)
    bindings.push(
      new gcp.storage.BucketIAMMember(
        `${name}-archive-writer`,
        { bucket: args.writeBucket, role: "roles/storage.objectAdmin", member },
        { parent },
      ),
    );
  (args.readBuckets ?? []).forEach((bucket, i) => {
    bindings.push(
      new gcp.storage.BucketIAMMember(`${name}-archive-reader-${i}`, { bucket, role: "roles/storage.objectViewer", member }, { parent }),
    );
  });
  return { account, email: account.email, bindings };
}
