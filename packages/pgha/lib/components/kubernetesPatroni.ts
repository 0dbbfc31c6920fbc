/**
 * Patroni on GKE: one Patroni (Spilo) cluster of a GKE topology, placed on a GkeFoundation.
 * Passwords, the backup bucket and its encryption key, the cloud identity its pods act as,
 * and its Kubernetes objects; the gke platform creates everything cloud- or Kubernetes-shaped.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ClusterSpec } from "../config";
import type { GkeFoundation } from "./gkeFoundation";

/** @internal What a standby needs from the cluster it follows. */
export interface KubernetesClusterContext {
  readonly spec: ClusterSpec;
  readonly passwords: { superuser: pulumi.Output<string>; replication: pulumi.Output<string> };
  readonly archive?: { bucket: pulumi.Output<string>; path: string; encryptionKey?: pulumi.Output<string> };
  readonly primaryAddress: pulumi.Output<string>;
}

/** The cluster itself is the foundation topology's cluster of the component's name; these say where it runs. */
export interface KubernetesPatroniClusterArgs {
  /** The foundation whose GKE cluster in the cluster's region hosts it. Required. */
  foundation: GkeFoundation;
  /**
   * For a standby cluster (its topology entry has `standby`): the cluster it follows, created
   * first; required then, refused otherwise. Default none.
   */
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
  // No connection string output: pgha creates no application role in Spilo yet, and the
  // superuser's credentials are never an output (its password stays in the cluster's Secret).
  readonly bucketName: pulumi.Output<string | undefined>;
  readonly gcpServiceAccountEmail: pulumi.Output<string>;
  /** @internal Set once here; read by a standby that follows this cluster. */
  readonly context: KubernetesClusterContext;

  constructor(name: string, args: KubernetesPatroniClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const ctx = args.foundation.context;
    const plan = ctx.plan.clusters.find((c) => c.spec.name === name);
    if (!plan)
      throw new Error(
        `KubernetesPatroniCluster '${name}': ` +
          `no cluster of that name in the topology (${ctx.plan.clusters.map((c) => c.spec.name).join(", ")})`,
      );
    const spec = plan.spec;
    const source = args.source?.context;
    if (plan.standby && (!source || source.spec.name !== plan.standby.source))
      throw new Error(`KubernetesPatroniCluster '${name}': follows '${plan.standby.source}'; pass that cluster as args.source`);
    if (!plan.standby && args.source) throw new Error(`KubernetesPatroniCluster '${name}': has no standby block, but a source was given`);
    super(plan.standby ? "pgha:index:KubernetesStandbyCluster" : "pgha:index:KubernetesPatroniCluster", name, {}, opts);

    const region = ctx.handle.regions[plan.region];
    const password = (role: string) =>
      new random.RandomPassword(`${name}-${role}-password`, { length: 32, special: false }, { parent: this }).result;
    // A standby is a physical copy of its source: the source's roles and passwords are what work.
    const passwords = source ? source.passwords : { superuser: password("superuser"), replication: password("replication") };

    const backups = spec.backups;
    const bucket =
      backups?.storage.kind === "gcs"
        ? ctx.platform.archiveBucket(
            `${name}-backups`,
            {
              location: backups.storage.location,
              bucketName: backups.storage.bucket,
              expireDays: backups.bucketExpireDays,
              labels: { "pgha-stack": ctx.topology.name, "pgha-cluster": name },
            },
            this,
          )
        : undefined;
    const encryptionKey =
      bucket && backups?.encrypt
        ? pulumi.secret(new random.RandomId(`${name}-walg-key`, { byteLength: 32 }, { parent: this }).hex)
        : undefined;
    const archive = bucket && plan.archivePath ? { bucket: bucket.bucket, path: plan.archivePath, encryptionKey } : undefined;
    const readSource = plan.standby?.restoreFromSourceBackups ? source?.archive : undefined;

    const identity = ctx.platform.workloadIdentity(
      `${ctx.topology.name}-${name}-pg`,
      {
        namespace: plan.namespace,
        kubernetesServiceAccount: plan.kubernetesServiceAccount,
        writeBucket: archive?.bucket,
        readBuckets: readSource ? [readSource.bucket] : [],
      },
      this,
    );

    const out = ctx.platform.patroni(
      {
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
      },
      this,
    );

    this.context = { spec, passwords, archive, primaryAddress: out.primaryAddress };
    this.primaryAddress = out.primaryAddress;
    this.replicaAddress = out.replicaAddress;
    this.port = pulumi.output(out.port);
    this.bucketName = bucket ? bucket.bucket : pulumi.output(undefined);
    this.gcpServiceAccountEmail = identity.email;
    this.registerOutputs({
      primaryAddress: this.primaryAddress,
      replicaAddress: this.replicaAddress,
      port: this.port,
      bucketName: this.bucketName,
      gcpServiceAccountEmail: this.gcpServiceAccountEmail,
    });
  }
}
