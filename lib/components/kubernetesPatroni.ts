/**
 * Patroni on Kubernetes (GKE). `deployPatroniOnKubernetes` creates one cluster's
 * Kubernetes objects under a parent component (PatroniCluster / StandbyCluster delegate to
 * it when the platform is gke); `KubernetesPatroniCluster` is a self-contained component
 * around it for GKE stacks: passwords, backup bucket, Workload Identity, then the objects.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ClusterSpec } from "../config";
import {
  buildPatroniManifests,
  type PatroniManifests,
  credentialsSecret,
  type KubernetesLoadBalancer,
  type KubernetesPatroniModel,
  type PermanentSlot,
  SECRET_KEYS,
  SPILO_IMAGE,
  spiloImageRef,
} from "../kubernetes";
import { type GkeFoundation, gkeFoundationContext } from "../platform/gke/foundation";
import { createBackupBucket, createWorkloadIdentity } from "../platform/gke/identity";
import { defaultStorageClass } from "../platform/gke/settings";

/** A WAL-G archive in GCS as the deploy layer sees it (bucket names may be Outputs). */
export interface KubernetesArchive {
  bucket: pulumi.Input<string>;
  /** Path inside the bucket (walgArchivePath). */
  path: string;
  /** 64 hex digits (32 bytes), required when the archive is encrypted (backups.encrypt). */
  encryptionKey?: pulumi.Input<string>;
}

export interface KubernetesPatroniArgs {
  /** Validated cluster spec (parseTopology / parseSection). */
  cluster: ClusterSpec;
  provider: k8s.Provider;
  /** Existing namespace (several clusters may share one; see GkeFoundation). */
  namespace: string;
  /** Defaults to the pinned Spilo image. */
  image?: string;
  /** Defaults from hardware.diskType (defaultStorageClass). */
  storageClass?: string;
  /** Clients must use TLS (Spilo's self-signed certificate); default true. */
  requireTls?: boolean;
  /** Pulumi secrets. A standby cluster must get its source's passwords (it is a physical copy). */
  passwords: { superuser: pulumi.Input<string>; replication: pulumi.Input<string> };
  /** The cluster's own archive; its settings (schedule, retention, compression) come from cluster.backups. */
  backups?: KubernetesArchive;
  /** GCP service account the pods act as (Workload Identity): must be able to write `backups.bucket`. */
  gcpServiceAccountEmail?: pulumi.Input<string>;
  /** Slots for standby clusters following this one (added to cluster.patroni.dcs.slots). */
  permanentSlots?: Record<string, PermanentSlot>;
  /** Defaults from cluster.loadBalancer, without source ranges. */
  loadBalancer?: KubernetesLoadBalancer;
  standby?: {
    sourceCluster: ClusterSpec;
    /** The source's primary load balancer address. */
    host: pulumi.Input<string>;
    port: number;
    primarySlotName: string;
    /** Read-only fallback: the source's archive. */
    sourceBackups?: KubernetesArchive;
  };
  /** Resources the pods need first (e.g. the Workload Identity binding, the namespace). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export interface KubernetesPatroniOutputs {
  namespace: string;
  /** Primary (or standby leader) address: the load balancer IP, or the ClusterIP without one. */
  primaryAddress: pulumi.Output<string>;
  replicaAddress: pulumi.Output<string>;
  port: number;
  /** Superuser libpq URL to the primary service; a secret. */
  connectionString: pulumi.Output<string>;
  replicaConnectionString: pulumi.Output<string>;
  /** As stored in the cluster's Secret; a secret. */
  superuserPassword: pulumi.Output<string>;
  statefulSet: k8s.apps.v1.StatefulSet;
  primaryService: k8s.core.v1.Service;
  replicasService: k8s.core.v1.Service;
  secret: k8s.core.v1.Secret;
}

export function defaultLoadBalancer(cluster: ClusterSpec): KubernetesLoadBalancer {
  const lb = cluster.loadBalancer;
  if (!lb.enabled) return { kind: "none", globalAccess: false, sourceRanges: [] };
  const internal = lb.exposure === "internal";
  return { kind: internal ? "internal" : "external", globalAccess: internal && lb.scope === "global", sourceRanges: internal ? [] : lb.sourceRanges };
}

export function deployPatroniOnKubernetes(parent: pulumi.ComponentResource, args: KubernetesPatroniArgs): KubernetesPatroniOutputs {
  const c = args.cluster;
  checkArgs(args);
  const encrypted = c.backups?.encrypt ?? false;
  const sourceEncrypted = args.standby?.sourceCluster.backups?.encrypt ?? false;
  const sourceBackups = args.standby?.sourceBackups;

  // Plain values first: the manifests are pure functions of them. Passwords never enter here.
  const plainModel = (v: { gsa: string; bucket: string; host: string; sourceBucket: string }): KubernetesPatroniModel => ({
    cluster: c,
    namespace: args.namespace,
    image: args.image ?? spiloImageRef(SPILO_IMAGE),
    storageClass: args.storageClass ?? defaultStorageClass(c.hardware.diskType),
    gcpServiceAccountEmail: v.gsa || undefined,
    permanentSlots: args.permanentSlots ?? {},
    requireTls: args.requireTls ?? true,
    archive: args.backups ? { bucket: v.bucket, path: args.backups.path, encrypted } : undefined,
    standby: args.standby
      ? {
          sourceCluster: args.standby.sourceCluster,
          host: v.host,
          port: args.standby.port,
          primarySlotName: args.standby.primarySlotName,
          sourceArchive: sourceBackups ? { bucket: v.sourceBucket, path: sourceBackups.path, encrypted: sourceEncrypted } : undefined,
        }
      : undefined,
    loadBalancer: args.loadBalancer ?? defaultLoadBalancer(c),
  });
  // RBAC, Services, the PDB and all metadata depend on none of the Outputs: known at preview.
  const known = buildPatroniManifests(plainModel({ gsa: "", bucket: "", host: "", sourceBucket: "" }));
  // The ServiceAccount annotation and the pod environment need the resolved values.
  const manifests = pulumi
    .all([args.gcpServiceAccountEmail ?? "", args.backups?.bucket ?? "", args.standby?.host ?? "", sourceBackups?.bucket ?? ""])
    .apply(([gsa, bucket, host, sourceBucket]) => buildPatroniManifests(plainModel({ gsa, bucket, host, sourceBucket })));
  // The manifests hold plain values; apply() already unwraps them, the cast only restates that.
  const pick = <T>(f: (m: PatroniManifests) => pulumi.Input<T> | undefined): pulumi.Output<T> => manifests.apply(f) as unknown as pulumi.Output<T>;
  const opts = (extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({
    parent,
    provider: args.provider,
    dependsOn: args.dependsOn,
    ...extra,
  });

  const secretData: Record<string, pulumi.Input<string>> = {
    [SECRET_KEYS.superuserPassword]: args.passwords.superuser,
    [SECRET_KEYS.replicationPassword]: args.passwords.replication,
    ...(encrypted && args.backups?.encryptionKey ? { [SECRET_KEYS.walgKey]: args.backups.encryptionKey } : {}),
    ...(sourceEncrypted && sourceBackups?.encryptionKey ? { [SECRET_KEYS.sourceWalgKey]: sourceBackups.encryptionKey } : {}),
  };
  const secretManifest = credentialsSecret(c.name, args.namespace, secretData);
  const secret = new k8s.core.v1.Secret(
    `${c.name}-credentials`,
    { metadata: secretManifest.metadata, type: secretManifest.type, stringData: pulumi.secret(pulumi.all(secretManifest.stringData)) },
    // PostgreSQL keeps the passwords it was bootstrapped with; a changed value here would only
    // desynchronise Patroni from the database (e.g. a promoted standby that stops using its
    // source's passwords). Rotation is ALTER ROLE plus a manual Secret update (README "Day 2").
    opts({ ignoreChanges: [`stringData["${SECRET_KEYS.superuserPassword}"]`, `stringData["${SECRET_KEYS.replicationPassword}"]`] }),
  );

  const serviceAccount = new k8s.core.v1.ServiceAccount(
    `${c.name}-sa`,
    { metadata: pick((m) => m.serviceAccount.metadata), automountServiceAccountToken: pick((m) => m.serviceAccount.automountServiceAccountToken) },
    opts(),
  );
  const role = new k8s.rbac.v1.Role(`${c.name}-patroni`, { metadata: known.role.metadata, rules: known.role.rules }, opts());
  const roleBinding = new k8s.rbac.v1.RoleBinding(
    `${c.name}-patroni`,
    { metadata: known.roleBinding.metadata, roleRef: known.roleBinding.roleRef, subjects: known.roleBinding.subjects },
    opts({ dependsOn: [...(args.dependsOn ?? []), role, serviceAccount] }),
  );
  const service = (key: "membersService" | "primaryService" | "replicasService", id: string) =>
    new k8s.core.v1.Service(id, { metadata: known[key].metadata, spec: known[key].spec }, opts());
  service("membersService", `${c.name}-members`);
  const primaryService = service("primaryService", `${c.name}-primary`);
  const replicasService = service("replicasService", `${c.name}-replicas`);
  new k8s.policy.v1.PodDisruptionBudget(
    `${c.name}-pdb`,
    { metadata: known.podDisruptionBudget.metadata, spec: known.podDisruptionBudget.spec },
    opts(),
  );
  const statefulSet = new k8s.apps.v1.StatefulSet(
    `${c.name}-postgres`,
    { metadata: known.statefulSet.metadata, spec: pick((m) => m.statefulSet.spec) },
    opts({
      dependsOn: [...(args.dependsOn ?? []), secret, serviceAccount, roleBinding],
      // `pulumi up` returns once every member passes Patroni's /readiness (the readiness gate);
      // a standby bootstrapping from the source's backup may take a while.
      customTimeouts: { create: "30m", update: "30m" },
      // volumeClaimTemplates are immutable: a new disk size would replace the StatefulSet.
      // Grow volumes by editing the PVCs (README "Day 2") instead.
      ignoreChanges: ["spec.volumeClaimTemplates"],
    }),
  );

  const address = (svc: k8s.core.v1.Service) =>
    pulumi.all([svc.spec, svc.status]).apply(([spec, status]) => status?.loadBalancer?.ingress?.[0]?.ip ?? spec.clusterIP);
  const primaryAddress = address(primaryService);
  const replicaAddress = address(replicasService);
  // From the Secret as stored (see ignoreChanges above), not from args: the password that works.
  const superuserPassword = secret.stringData.apply((d) => d?.[SECRET_KEYS.superuserPassword] ?? "");
  const url = (host: pulumi.Output<string>) =>
    pulumi.secret(
      pulumi
        .all([host, superuserPassword])
        .apply(
          ([h, pw]) =>
            `postgresql://${encodeURIComponent(c.postgres.users.superuser)}:${encodeURIComponent(pw)}@${h}:${c.postgres.port}/postgres?sslmode=${(args.requireTls ?? true) ? "require" : "prefer"}`,
        ),
    );
  return {
    namespace: args.namespace,
    primaryAddress,
    replicaAddress,
    port: c.postgres.port,
    connectionString: url(primaryAddress),
    replicaConnectionString: url(replicaAddress),
    superuserPassword: pulumi.secret(superuserPassword),
    statefulSet,
    primaryService,
    replicasService,
    secret,
  };
}

function checkArgs(args: KubernetesPatroniArgs): void {
  const c = args.cluster;
  const where = `cluster '${c.name}'`;
  if (c.backups && !args.backups) throw new Error(`${where}: backups are configured but no archive (bucket) was given`);
  if (c.backups?.encrypt && args.backups && args.backups.encryptionKey === undefined)
    throw new Error(`${where}: backups.encrypt is on: pass backups.encryptionKey (64 hex digits)`);
  if (c.standby && !args.standby) throw new Error(`${where}: is a standby cluster (standby.source '${c.standby.source}'): pass standby (source host, slot)`);
  if (!c.standby && args.standby) throw new Error(`${where}: standby wiring given but the spec has no standby block`);
  const s = args.standby;
  if (s?.sourceBackups && s.sourceCluster.backups?.encrypt && s.sourceBackups.encryptionKey === undefined)
    throw new Error(`${where}: the source '${s.sourceCluster.name}' encrypts its archive: pass standby.sourceBackups.encryptionKey`);
}

/** What a standby needs from the cluster it follows. */
interface KubernetesClusterContext {
  spec: ClusterSpec;
  passwords: { superuser: pulumi.Output<string>; replication: pulumi.Output<string> };
  archive?: { bucket: pulumi.Output<string>; path: string; encryptionKey?: pulumi.Output<string> };
  primaryAddress: pulumi.Output<string>;
}
const clusterContexts = new WeakMap<KubernetesPatroniCluster, KubernetesClusterContext>();

export interface KubernetesPatroniClusterArgs {
  foundation: GkeFoundation;
  /** For a standby cluster (its spec has `standby`): the cluster it follows, created first. */
  source?: KubernetesPatroniCluster;
}

/**
 * One Patroni cluster of a GKE topology (the cluster of the same name in the foundation's
 * topology): generated passwords, the backup bucket and encryption key, a GCP service
 * account bound to the pods by Workload Identity, and the Kubernetes objects.
 */
export class KubernetesPatroniCluster extends pulumi.ComponentResource {
  readonly primaryAddress: pulumi.Output<string>;
  readonly replicaAddress: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** Superuser URL to the primary load balancer; a secret. */
  readonly connectionString: pulumi.Output<string>;
  readonly superuserPassword: pulumi.Output<string>;
  readonly bucketName: pulumi.Output<string | undefined>;
  readonly gcpServiceAccountEmail: pulumi.Output<string>;

  constructor(name: string, args: KubernetesPatroniClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const ctx = gkeFoundationContext(args.foundation);
    const plan = ctx.plan.clusters.find((c) => c.spec.name === name);
    if (!plan) throw new Error(`KubernetesPatroniCluster '${name}': no cluster of that name in the topology (${ctx.plan.clusters.map((c) => c.spec.name).join(", ")})`);
    const spec = plan.spec;
    const source = args.source ? clusterContexts.get(args.source) : undefined;
    if (plan.standby && (!source || source.spec.name !== plan.standby.source))
      throw new Error(`KubernetesPatroniCluster '${name}': follows '${plan.standby.source}'; pass that cluster as args.source`);
    if (!plan.standby && args.source) throw new Error(`KubernetesPatroniCluster '${name}': has no standby block, but a source was given`);
    super(plan.standby ? "pgha:index:KubernetesStandbyCluster" : "pgha:index:KubernetesPatroniCluster", name, {}, opts);

    const region = ctx.regions[plan.region];
    const password = (role: string) =>
      new random.RandomPassword(`${name}-${role}-password`, { length: 32, special: false }, { parent: this }).result;
    // A standby is a physical copy of its source: the source's roles and passwords are what work.
    const passwords = source ? source.passwords : { superuser: password("superuser"), replication: password("replication") };

    const backups = spec.backups;
    const bucket =
      backups?.storage.kind === "gcs"
        ? createBackupBucket(`${name}-backups`, {
            project: ctx.project,
            location: backups.storage.location,
            bucketName: backups.storage.bucket,
            expireDays: backups.bucketExpireDays,
            labels: { "pgha-stack": ctx.topology.name, "pgha-cluster": name },
          }, this)
        : undefined;
    const encryptionKey =
      bucket && backups?.encrypt
        ? pulumi.secret(new random.RandomId(`${name}-walg-key`, { byteLength: 32 }, { parent: this }).hex)
        : undefined;
    const archive = bucket && plan.archivePath ? { bucket: bucket.name, path: plan.archivePath, encryptionKey } : undefined;
    const readSource = plan.standby?.restoreFromSourceBackups ? source?.archive : undefined;

    const identity = createWorkloadIdentity(
      `${ctx.topology.name}-${name}-pg`,
      {
        project: ctx.project,
        namespace: plan.namespace,
        kubernetesServiceAccount: plan.kubernetesServiceAccount,
        writeBucket: archive?.bucket,
        readBuckets: readSource ? [readSource.bucket] : [],
      },
      this,
    );

    const out = deployPatroniOnKubernetes(this, {
      cluster: spec,
      provider: region.provider,
      namespace: plan.namespace,
      image: plan.image,
      storageClass: plan.storageClass,
      requireTls: ctx.topology.tls.postgres,
      passwords,
      backups: archive,
      gcpServiceAccountEmail: identity.email,
      permanentSlots: plan.permanentSlots,
      loadBalancer: plan.loadBalancer,
      standby:
        plan.standby && source
          ? {
              sourceCluster: source.spec,
              host: source.primaryAddress,
              port: source.spec.postgres.port,
              primarySlotName: plan.standby.slot,
              sourceBackups: readSource,
            }
          : undefined,
      dependsOn: [region.namespace, ...identity.bindings],
    });

    clusterContexts.set(this, { spec, passwords, archive, primaryAddress: out.primaryAddress });
    this.primaryAddress = out.primaryAddress;
    this.replicaAddress = out.replicaAddress;
    this.port = pulumi.output(out.port);
    this.connectionString = out.connectionString;
    this.superuserPassword = out.superuserPassword;
    this.bucketName = bucket ? bucket.name : pulumi.output(undefined);
    this.gcpServiceAccountEmail = identity.email;
    this.registerOutputs({
      primaryAddress: this.primaryAddress,
      replicaAddress: this.replicaAddress,
      port: this.port,
      connectionString: this.connectionString,
      bucketName: this.bucketName,
      gcpServiceAccountEmail: this.gcpServiceAccountEmail,
    });
  }
}
