/**
 * The identity Patroni runs as, and exactly the Kubernetes API access its DCS needs in
 * ConfigMaps mode (KUBERNETES_USE_CONFIGMAPS). Derived from the API calls in
 * patroni/dcs/kubernetes.py of Patroni 4.0.4 (the version in the pinned Spilo):
 *
 * configmaps (`<scope>-leader`, `-config`, `-sync`, `-failover`; the leader lock lives in an annotation):
 *   list, watch  the ObjectCache thread lists and then watches them by label selector
 *   get          after a 409 on renewing its lock the leader reads `<scope>-leader` directly
 *                (`_update_leader_with_retry`); without it a retry would demote a healthy leader
 *   create       the first member creates `-config`/`-leader` when the cluster is initialised
 *   patch        every lock acquisition/renewal and config/sync/failover/history change is a PATCH
 *                carrying resourceVersion (the compare-and-swap the leader race relies on)
 * pods (members are pods; Patroni stores its member state in an annotation and the role in a label):
 *   list, watch  the member cache
 *   patch        the pod's own `status` annotation and `spilo-role` label (which the Services select on)
 *
 * Left out on purpose: `update` (Patroni never PUTs), `delete`/`deletecollection` (only
 * `patronictl remove`, which an operator runs with their own credentials), every `endpoints`
 * verb and `services: create` (only the Endpoints mode uses them), and the cluster-wide
 * `get` on `default/endpoints/kubernetes` that `bypass_api_service` wants: without it Patroni
 * logs one warning and talks to the API through the `kubernetes` Service.
 */
import type * as k8s from "@pulumi/kubernetes";
import { clusterLabels, kubernetesNames } from "./model";

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export const PATRONI_RBAC_RULES: readonly PolicyRule[] = Object.freeze([
  { apiGroups: [""], resources: ["configmaps"], verbs: ["create", "get", "list", "patch", "watch"] },
  { apiGroups: [""], resources: ["pods"], verbs: ["list", "patch", "watch"] },
]);

export function patroniServiceAccount(
  cluster: string,
  namespace: string,
  gcpServiceAccountEmail?: string,
): k8s.types.input.core.v1.ServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: kubernetesNames(cluster).serviceAccount,
      namespace,
      labels: clusterLabels(cluster),
      // Workload Identity: pods act as this GCP service account (WAL-G to GCS without key files).
      ...(gcpServiceAccountEmail ? { annotations: { "iam.gke.io/gcp-service-account": gcpServiceAccountEmail } } : {}),
    },
    // Patroni authenticates to the API server with the projected token.
    automountServiceAccountToken: true,
  };
}

export function patroniRole(cluster: string, namespace: string): k8s.types.input.rbac.v1.Role {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: kubernetesNames(cluster).role, namespace, labels: clusterLabels(cluster) },
    rules: PATRONI_RBAC_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
  };
}

export function patroniRoleBinding(cluster: string, namespace: string): k8s.types.input.rbac.v1.RoleBinding {
  const names = kubernetesNames(cluster);
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: names.roleBinding, namespace, labels: clusterLabels(cluster) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: names.role },
    subjects: [{ kind: "ServiceAccount", name: names.serviceAccount, namespace }],
  };
}
