import type { IService } from "kubernetes-models/v1/Service";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { gkeModel } from "../../../../test/gke-fixtures";
import { validateManifest } from "../../../../test/gke-kubernetesModels";
import { buildPatroniManifests, manifestList } from "./manifests";
import { clusterLabels } from "./model";
import { credentialsSecret, namespaceManifest } from "./policy";
import { PATRONI_LABELS, SPILO_IMAGE } from "./spilo";

const plain = <T>(x: unknown): T => JSON.parse(JSON.stringify(x)) as T;

describe("Patroni manifests", () => {
  const main = buildPatroniManifests(gkeModel("main"));
  const dr = buildPatroniManifests(gkeModel("dr"));

  test("every object is valid against the Kubernetes API schemas", () => {
    for (const m of [main, dr]) for (const { manifest } of manifestList(m)) validateManifest(manifest);
    validateManifest(namespaceManifest("pgha"));
    validateManifest(credentialsSecret("main", "pgha", { "superuser-password": "x" }));
  });

  test("the schema check catches a broken object", () => {
    const broken = plain<IStatefulSet>(main.statefulSet);
    (broken.spec as { replicas: unknown }).replicas = "three";
    expect(() => validateManifest(broken)).toThrow(/replicas/);
  });

  test("StatefulSet: members, pinned image, volumes, probes on Patroni's REST API", () => {
    const sts = plain<IStatefulSet>(main.statefulSet);
    const spec = sts.spec!;
    expect(spec.replicas).toBe(3);
    expect(spec.podManagementPolicy).toBe("Parallel");
    expect(spec.updateStrategy?.type).toBe("OnDelete");
    expect(spec.serviceName).toBe("main-members");
    expect(spec.selector.matchLabels).toEqual({ application: "pgha", "cluster-name": "main" });
    // The selector must not include the role label Patroni changes at runtime.
    expect(Object.keys(spec.selector.matchLabels ?? {})).not.toContain(PATRONI_LABELS.roleLabel);
    const pod = spec.template.spec!;
    expect(pod.serviceAccountName).toBe("main-postgres");
    const c = pod.containers[0];
    expect(c.image).toBe(`${SPILO_IMAGE.repository}:${SPILO_IMAGE.tag}`);
    expect(c.readinessProbe?.httpGet).toMatchObject({ path: "/readiness", port: 8008 });
    expect(c.livenessProbe?.httpGet).toMatchObject({ path: "/liveness", port: 8008 });
    expect(c.resources).toEqual({ requests: { cpu: "2", memory: "8192Mi" }, limits: { cpu: "2", memory: "8192Mi" } });
    expect(c.volumeMounts).toContainEqual({ name: "pgdata", mountPath: "/home/postgres/pgdata" });
    const claim = spec.volumeClaimTemplates![0];
    expect(claim.spec?.storageClassName).toBe("premium-rwo");
    expect(claim.spec?.resources?.requests).toEqual({ storage: "100Gi" });
    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
  });

  test("members spread over zones and never share a node", () => {
    const pod = plain<IStatefulSet>(main.statefulSet).spec!.template.spec!;
    expect(pod.topologySpreadConstraints).toEqual([
      expect.objectContaining({
        topologyKey: "topology.kubernetes.io/zone",
        maxSkew: 1,
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: { matchLabels: clusterLabels("main") },
      }),
    ]);
    expect(pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: clusterLabels("main") } },
    ]);
  });

  test("Services select on the labels Patroni maintains", () => {
    const primary = plain<IService>(main.primaryService);
    const replicas = plain<IService>(main.replicasService);
    const members = plain<IService>(main.membersService);
    const env = plain<IStatefulSet>(main.statefulSet).spec!.template.spec!.containers[0].env!;
    const envValue = (n: string) => env.find((e) => e.name === n)?.value;
    // The selector values are exactly what Spilo tells Patroni to write.
    expect(primary.spec?.selector).toEqual({
      ...clusterLabels("main"),
      [envValue("KUBERNETES_ROLE_LABEL")!]: envValue("KUBERNETES_LEADER_LABEL_VALUE"),
    });
    // Patroni 4's own value (the image carries 4.0.4), for the standby leader too: the Service follows promotion.
    expect(primary.spec?.selector?.["spilo-role"]).toBe("primary");
    expect(envValue("KUBERNETES_STANDBY_LEADER_LABEL_VALUE")).toBe("primary");
    expect(replicas.spec?.selector?.["spilo-role"]).toBe("replica");
    expect(JSON.parse(envValue("KUBERNETES_LABELS")!)).toEqual({ application: "pgha" });
    expect(envValue("KUBERNETES_SCOPE_LABEL")).toBe("cluster-name");
    // The pods carry KUBERNETES_LABELS + scope label: Patroni finds them with that selector.
    expect(plain<IStatefulSet>(main.statefulSet).spec!.template.metadata?.labels).toEqual({ application: "pgha", "cluster-name": "main" });
    expect(members.spec).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: true });
  });

  test("the primary and replicas are internal TCP load balancers with global access and source ranges", () => {
    const primary = plain<IService>(main.primaryService);
    expect(primary.spec?.type).toBe("LoadBalancer");
    expect(primary.metadata?.annotations).toEqual({
      "networking.gke.io/load-balancer-type": "Internal",
      "networking.gke.io/internal-load-balancer-allow-global-access": "true",
    });
    expect(primary.spec?.ports).toEqual([{ name: "postgresql", port: 5432, targetPort: 5432, protocol: "TCP" }]);
    // The standby region's nodes and pods may stream from main's primary.
    expect(primary.spec?.loadBalancerSourceRanges).toEqual(expect.arrayContaining(["10.161.0.0/24", "10.72.0.0/14", "10.150.0.0/16"]));
    expect(primary.spec?.externalTrafficPolicy).toBe("Cluster");
  });

  test("a cluster without a load balancer gets ClusterIP services and no LB annotations", () => {
    const m = gkeModel("main");
    const svc = plain<IService>(
      buildPatroniManifests({ ...m, loadBalancer: { kind: "none", globalAccess: false, sourceRanges: [] } }).primaryService,
    );
    expect(svc.spec?.type).toBe("ClusterIP");
    expect(svc.metadata?.annotations).toBeUndefined();
    expect(svc.spec?.loadBalancerSourceRanges).toBeUndefined();
    const ext = plain<IService>(
      buildPatroniManifests({ ...m, loadBalancer: { kind: "external", globalAccess: false, sourceRanges: ["1.2.3.0/24"] } }).primaryService,
    );
    expect(ext.metadata?.annotations).toEqual({ "cloud.google.com/l4-rbs": "enabled" });
  });

  test("the ServiceAccount is bound to the GCP service account (Workload Identity)", () => {
    const m = buildPatroniManifests(gkeModel("main", { gsa: "sa@p.iam.gserviceaccount.com" }));
    expect(m.serviceAccount.metadata).toMatchObject({
      name: "main-postgres",
      annotations: { "iam.gke.io/gcp-service-account": "sa@p.iam.gserviceaccount.com" },
    });
    expect(m.roleBinding.subjects).toEqual([{ kind: "ServiceAccount", name: "main-postgres", namespace: "pgha" }]);
  });

  test("PodDisruptionBudget: one member at a time", () => {
    expect(main.podDisruptionBudget.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: clusterLabels("main") } });
  });

  test("same model, same manifests (deterministic)", () => {
    expect(JSON.stringify(buildPatroniManifests(gkeModel("dr")))).toBe(JSON.stringify(dr));
  });

  test("SPILO_CONFIGURATION is the cluster's dynamic configuration", () => {
    const env = plain<IStatefulSet>(main.statefulSet).spec!.template.spec!.containers[0].env!;
    const config = parse(env.find((e) => e.name === "SPILO_CONFIGURATION")!.value!);
    expect(config.bootstrap.dcs).toMatchObject({ ttl: 30, loop_wait: 10, retry_timeout: 10, synchronous_mode: true, failsafe_mode: true });
    expect(config.bootstrap.dcs.slots).toEqual({ standby_dr: { type: "physical" } });
  });
});
