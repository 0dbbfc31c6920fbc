/**
 * Every Kubernetes object of one Patroni cluster, as plain manifests (pure: same model,
 * same objects). The Secret is built separately (credentialsSecret) because its values are
 * Pulumi secrets that must never be resolved into these objects.
 */
import type * as k8s from "@pulumi/kubernetes";
import { type KubernetesPatroniModel } from "./model";
import { podDisruptionBudget } from "./policy";
import { patroniRole, patroniRoleBinding, patroniServiceAccount } from "./rbac";
import { membersService, roleService } from "./services";
import { patroniStatefulSet } from "./statefulSet";

export interface PatroniManifests {
  serviceAccount: k8s.types.input.core.v1.ServiceAccount;
  role: k8s.types.input.rbac.v1.Role;
  roleBinding: k8s.types.input.rbac.v1.RoleBinding;
  membersService: k8s.types.input.core.v1.Service;
  primaryService: k8s.types.input.core.v1.Service;
  replicasService: k8s.types.input.core.v1.Service;
  podDisruptionBudget: k8s.types.input.policy.v1.PodDisruptionBudget;
  statefulSet: k8s.types.input.apps.v1.StatefulSet;
}

export function buildPatroniManifests(m: KubernetesPatroniModel): PatroniManifests {
  const c = m.cluster;
  const ns = m.namespace;
  return {
    serviceAccount: patroniServiceAccount(c.name, ns, m.gcpServiceAccountEmail),
    role: patroniRole(c.name, ns),
    roleBinding: patroniRoleBinding(c.name, ns),
    membersService: membersService(c.name, ns, { postgres: c.postgres.port, restApi: c.patroni.restApiPort }),
    primaryService: roleService(c.name, ns, "primary", c.postgres.port, m.loadBalancer),
    replicasService: roleService(c.name, ns, "replicas", c.postgres.port, m.loadBalancer),
    podDisruptionBudget: podDisruptionBudget(c.name, ns),
    statefulSet: patroniStatefulSet(m),
  };
}

/** Env vars that make Spilo render a standby_cluster section; promotion removes exactly these. */
export const STANDBY_ENV_PREFIX = "STANDBY_";

/**
 * The manifests of a standby cluster after promotion: the same objects without the
 * STANDBY_* environment (and so without the standby_cluster section Spilo would render).
 * Equal to building the cluster without its `standby` block (tested), which is how a
 * promotion is recorded in the stack. The running cluster is promoted through Patroni
 * (`patronictl edit-config`, README "Promote"): bootstrap settings are only read once.
 */
export function promoteStandbyManifests(m: PatroniManifests): PatroniManifests {
  const copy = structuredClone<PatroniManifests>(m);
  const podSpec = (copy.statefulSet.spec as k8s.types.input.apps.v1.StatefulSetSpec).template as k8s.types.input.core.v1.PodTemplateSpec;
  const containers = (podSpec.spec as k8s.types.input.core.v1.PodSpec).containers as k8s.types.input.core.v1.Container[];
  for (const container of containers) {
    const env = (container.env ?? []) as k8s.types.input.core.v1.EnvVar[];
    container.env = env.filter((e) => !(typeof e.name === "string" && e.name.startsWith(STANDBY_ENV_PREFIX)));
  }
  return copy;
}

/** All manifests in apply order (RBAC before the pods that use it). */
export function manifestList(m: PatroniManifests): { kind: string; manifest: object }[] {
  return [
    { kind: "ServiceAccount", manifest: m.serviceAccount },
    { kind: "Role", manifest: m.role },
    { kind: "RoleBinding", manifest: m.roleBinding },
    { kind: "Service", manifest: m.membersService },
    { kind: "Service", manifest: m.primaryService },
    { kind: "Service", manifest: m.replicasService },
    { kind: "PodDisruptionBudget", manifest: m.podDisruptionBudget },
    { kind: "StatefulSet", manifest: m.statefulSet },
  ];
}
