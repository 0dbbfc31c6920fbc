import type * as k8s from "@pulumi/kubernetes";
import { clusterLabels, kubernetesNames } from "./model";

/**
 * Voluntary disruptions (node upgrades, autoscaler scale-down) take at most one member at
 * a time, so the cluster keeps a quorum of healthy replicas to fail over to. maxUnavailable
 * rather than minAvailable: a one-node standby cluster can still be drained.
 */
export function podDisruptionBudget(cluster: string, namespace: string): k8s.types.input.policy.v1.PodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: kubernetesNames(cluster).podDisruptionBudget, namespace, labels: clusterLabels(cluster) },
    spec: { maxUnavailable: 1, selector: { matchLabels: clusterLabels(cluster) } },
  };
}

export function namespaceManifest(name: string): k8s.types.input.core.v1.Namespace {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "app.kubernetes.io/managed-by": "pgha" } } };
}

/**
 * The cluster's Secret. Generic in the value type: the deploy layer passes Pulumi secret
 * Outputs straight through (never resolved into other manifests), tests pass strings.
 */
export function credentialsSecret<V>(cluster: string, namespace: string, data: Record<string, V>) {
  return {
    apiVersion: "v1" as const,
    kind: "Secret" as const,
    metadata: { name: kubernetesNames(cluster).secret, namespace, labels: clusterLabels(cluster) },
    type: "Opaque",
    stringData: data,
  };
}
