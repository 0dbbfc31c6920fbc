import { describe, expect, test } from "vitest";
import { gkeModel } from "../../../../test/gke-fixtures";
import { buildPatroniManifests } from "./manifests";
import { PATRONI_RBAC_RULES, patroniRole } from "./rbac";

describe("Patroni RBAC", () => {
  test("exactly the verbs Patroni's Kubernetes DCS uses in ConfigMaps mode", () => {
    const role = patroniRole("main", "pgha");
    expect(role.metadata).toMatchObject({ name: "main-patroni", namespace: "pgha" });
    expect(role.rules).toEqual([
      { apiGroups: [""], resources: ["configmaps"], verbs: ["create", "get", "list", "patch", "watch"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["list", "patch", "watch"] },
    ]);
  });

  test("no wildcards, no endpoints, no services, no deletes, no secrets", () => {
    for (const rule of PATRONI_RBAC_RULES) {
      for (const list of [rule.apiGroups, rule.resources, rule.verbs]) expect(list).not.toContain("*");
      expect(rule.resources).not.toContain("endpoints");
      expect(rule.resources).not.toContain("services");
      expect(rule.resources).not.toContain("secrets");
      expect(rule.verbs).not.toContain("delete");
      expect(rule.verbs).not.toContain("deletecollection");
      expect(rule.verbs).not.toContain("update");
    }
  });

  test("a namespaced Role (not a ClusterRole) bound to the cluster's own service account", () => {
    const m = buildPatroniManifests(gkeModel("dr"));
    expect(m.role.kind).toBe("Role");
    expect(m.roleBinding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "dr-patroni" });
    expect(m.roleBinding.subjects).toEqual([{ kind: "ServiceAccount", name: "dr-postgres", namespace: "pgha" }]);
    expect((m.statefulSet.spec as { template: { spec: { serviceAccountName: string } } }).template.spec.serviceAccountName).toBe(
      "dr-postgres",
    );
  });
});
