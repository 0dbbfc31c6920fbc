/**
 * One Patroni cluster's Kubernetes objects (credentials Secret, ServiceAccount, RBAC,
 * Services, PodDisruptionBudget, StatefulSet), created from the pure manifests of
 * lib/kubernetes. Passwords reach Kubernetes only inside the Secret.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec } from "../../config";
import {
  buildPatroniManifests,
  credentialsSecret,
  type KubernetesLoadBalancer,
  type KubernetesPatroniModel,
  type PatroniManifests,
  SECRET_KEYS,
  SPILO_IMAGE,
  spiloImageRef,
} from "../../kubernetes";
import type { KubernetesPatroniArgs, KubernetesPatroniHandle } from "../types";
import { kubernetesSdk } from "./sdk";
import { defaultStorageClass } from "./settings";

export function defaultLoadBalancer(cluster: ClusterSpec): KubernetesLoadBalancer {
  const lb = cluster.loadBalancer;
  if (!lb.enabled) return { kind: "none", globalAccess: false, sourceRanges: [] };
  const internal = lb.exposure === "internal";
  return {
    kind: internal ? "internal" : "external",
    globalAccess: internal && lb.scope === "global",
    sourceRanges: internal ? [] : lb.sourceRanges,
  };
}

export function deployPatroniOnKubernetes(parent: pulumi.Resource, args: KubernetesPatroniArgs): KubernetesPatroniHandle {
  const c = args.cluster;
  checkArgs(args);
  const k8s = kubernetesSdk();
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
  const pick = <T>(f: (m: PatroniManifests) => pulumi.Input<T> | undefined): pulumi.Output<T> =>
    manifests.apply(f) as unknown as pulumi.Output<T>;
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
    {
      metadata: pick((m) => m.serviceAccount.metadata),
      automountServiceAccountToken: pick((m) => m.serviceAccount.automountServiceAccountToken),
    },
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
            `postgresql://${encodeURIComponent(c.postgres.users.superuser)}:${encodeURIComponent(pw)}@${h}:${c.postgres.port}/postgres` +
            `?sslmode=${(args.requireTls ?? true) ? "require" : "prefer"}`,
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
  if (c.standby && !args.standby)
    throw new Error(`${where}: is a standby cluster (standby.source '${c.standby.source}'): pass standby (source host, slot)`);
  if (!c.standby && args.standby) throw new Error(`${where}: standby wiring given but the spec has no standby block`);
  const s = args.standby;
  if (s?.sourceBackups && s.sourceCluster.backups?.encrypt && s.sourceBackups.encryptionKey === undefined)
    throw new Error(`${where}: the source '${s.sourceCluster.name}' encrypts its archive: pass standby.sourceBackups.encryptionKey`);
}
