/**
 * Plain inputs of the Kubernetes manifest builders (no Pulumi values: the deploy layer
 * resolves Outputs first), and the names every object of one Patroni cluster gets.
 */
import { type ClusterSpec, standbySlotOf } from "../config";
import { PATRONI_LABELS } from "./spilo";

export type PermanentSlot = { type: "physical" } | { type: "logical"; database: string; plugin: string };

/** A WAL-G archive in a GCS bucket. */
export interface GcsArchive {
  bucket: string;
  /** Path inside the bucket (walgArchivePath). */
  path: string;
  /** Client-side libsodium encryption: the key is delivered from the cluster's Secret. */
  encrypted: boolean;
}

export interface KubernetesStandbySource {
  /** The cluster followed: its parameters set the hot-standby minimums (dcsParameters). */
  sourceCluster: ClusterSpec;
  /** Address of the source cluster's primary load balancer. */
  host: string;
  port: number;
  /** Permanent slot the source keeps for this standby (see standbySlotName). */
  primarySlotName: string;
  /** The source's archive, read-only: bootstrap and restore_command fallback. */
  sourceArchive?: GcsArchive;
}

export interface KubernetesLoadBalancer {
  /** internal: GCP internal passthrough NLB; external: backend-service-based external NLB; none: ClusterIP only. */
  kind: "internal" | "external" | "none";
  /** Internal LB reachable from every region of the VPC (needed by a standby in another region). */
  globalAccess: boolean;
  /** Client CIDRs allowed through the LB (GKE turns them into VPC firewall rules). */
  sourceRanges: string[];
}

export interface KubernetesPatroniModel {
  cluster: ClusterSpec;
  namespace: string;
  image: string;
  storageClass: string;
  /** GCP service account the pods act as (Workload Identity). */
  gcpServiceAccountEmail?: string;
  /** User slots plus one per standby cluster following this one. */
  permanentSlots: Record<string, PermanentSlot>;
  /** Require TLS from clients (Spilo generates a self-signed server certificate); false sets ALLOW_NOSSL. */
  requireTls: boolean;
  archive?: GcsArchive;
  standby?: KubernetesStandbySource;
  loadBalancer: KubernetesLoadBalancer;
}

/** Keys of the cluster's Secret. */
export const SECRET_KEYS = {
  superuserPassword: "superuser-password",
  replicationPassword: "replication-password",
  walgKey: "walg-libsodium-key",
  sourceWalgKey: "source-walg-libsodium-key",
} as const;

export interface KubernetesNames {
  statefulSet: string;
  membersService: string;
  primaryService: string;
  replicasService: string;
  serviceAccount: string;
  role: string;
  roleBinding: string;
  secret: string;
  podDisruptionBudget: string;
  volumeClaim: string;
}

/** Object names for one cluster. Patroni's own ConfigMaps are `<scope>-leader|-config|-sync|-failover`. */
export function kubernetesNames(cluster: string): KubernetesNames {
  return {
    statefulSet: cluster,
    membersService: `${cluster}-members`,
    primaryService: `${cluster}-primary`,
    replicasService: `${cluster}-replicas`,
    serviceAccount: `${cluster}-postgres`,
    role: `${cluster}-patroni`,
    roleBinding: `${cluster}-patroni`,
    secret: `${cluster}-credentials`,
    podDisruptionBudget: cluster,
    volumeClaim: "pgdata",
  };
}

/** Labels on every pod of the cluster: Patroni's KUBERNETES_LABELS plus its scope label. Also the StatefulSet selector. */
export function clusterLabels(cluster: string): Record<string, string> {
  return { [PATRONI_LABELS.application.key]: PATRONI_LABELS.application.value, [PATRONI_LABELS.scopeLabel]: cluster };
}

/**
 * Name of the permanent physical slot a standby cluster streams through, on its source.
 * Same convention as the VM components (`standby_<name>`), unless the standby names it.
 */
export const standbySlotName = standbySlotOf;
