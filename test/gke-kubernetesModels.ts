/**
 * Validation of manifests against the Kubernetes API's OpenAPI schemas (kubernetes-models,
 * generated from the upstream spec): types, enums, required fields and formats.
 */
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { StatefulSet } from "kubernetes-models/apps/v1";
import { Namespace, Secret, Service, ServiceAccount } from "kubernetes-models/v1";

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => unknown;

const MODELS: Record<string, ModelClass> = {
  "v1/Namespace": Namespace,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "apps/v1/StatefulSet": StatefulSet,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
};

/** Throws with the schema error if `manifest` is not a valid object of its apiVersion/kind. */
export function validateManifest(manifest: object): void {
  const m = manifest as { apiVersion?: string; kind?: string };
  const Model = MODELS[`${m.apiVersion}/${m.kind}`];
  if (!Model) throw new Error(`no schema registered for ${m.apiVersion}/${m.kind}`);
  // JSON round trip: exactly what would be sent to the API server.
  (new Model(JSON.parse(JSON.stringify(manifest)) as never) as Validatable).validate();
}
