import * as pulumi from "@pulumi/pulumi";
import { standbySlotOf, type Topology } from "../config";
import { type ClientService, parseGkeSettings } from "../platform";
import type { ComposedStack } from "./compose";
import { createGkeClients, GkeFoundation } from "./gkeFoundation";
import { KubernetesPatroniCluster } from "./kubernetesPatroni";
import type { PlanLoadBalancer, PlanStandbyLink } from "./plan";

/**
 * The GKE form of composeTopology: one regional GKE cluster per region, Patroni (Spilo) as a
 * StatefulSet behind LoadBalancer Services, standby clusters following their source's LB,
 * and a psql client VM per region. `gke` is the stack's `pgha:gke` settings.
 */
export function composeGke(t: Topology, gkeInput: unknown, parent?: pulumi.Resource): ComposedStack {
  const gke = parseGkeSettings(gkeInput ?? {}, t, "pgha:gke");
  const foundation = new GkeFoundation(t.name, { topology: t, gke }, parent ? { parent } : undefined);
  const clusters = new Map<string, KubernetesPatroniCluster>();
  for (const spec of [...t.clusters.filter((c) => !c.standby), ...t.clusters.filter((c) => c.standby)]) {
    const source = spec.standby ? clusters.get(spec.standby.source) : undefined;
    clusters.set(spec.name, new KubernetesPatroniCluster(spec.name, { foundation, source }, parent ? { parent } : undefined));
  }
  const services: pulumi.Output<ClientService>[] = t.clusters.flatMap((spec) => {
    const c = clusters.get(spec.name) as KubernetesPatroniCluster;
    const user = spec.postgres.users.superuser;
    const entry = (suffix: string, host: pulumi.Output<string>) =>
      host.apply((h): ClientService => ({
        name: `${spec.name}${suffix}`,
        host: h,
        port: spec.postgres.port,
        user,
        dbname: "postgres",
        sslmode: "require",
      }));
    return [entry("", c.primaryAddress), entry("-replicas", c.replicaAddress)];
  });
  createGkeClients(foundation, pulumi.all(services));

  const loadBalancers = t.clusters.map((spec) =>
    (clusters.get(spec.name) as KubernetesPatroniCluster).primaryAddress.apply((address): PlanLoadBalancer => ({
      name: `${spec.name}-primary`,
      kind: "cloud",
      scope: "regional",
      region: spec.region,
      address,
      listeners: [{ name: "primary", port: spec.postgres.port, targetPort: spec.postgres.port }],
      targets: [],
      healthCheck: {
        protocol: "http",
        port: spec.patroni.restApiPort,
        path: "/readiness",
        intervalS: 10,
        timeoutS: 5,
        healthyThreshold: 1,
        unhealthyThreshold: 3,
      },
    })),
  );
  const links = t.clusters
    .filter((spec) => spec.standby)
    .map((spec) => {
      const source = t.clusters.find((s) => s.name === spec.standby?.source);
      return (clusters.get(source?.name ?? "") as KubernetesPatroniCluster).primaryAddress.apply((host): PlanStandbyLink => ({
        cluster: spec.name,
        source: source?.name ?? "",
        host,
        port: source?.postgres.port ?? 5432,
        slot: standbySlotOf(spec),
      }));
    });
  const byName = <T>(f: (c: KubernetesPatroniCluster) => pulumi.Output<T>) =>
    pulumi.all(Object.fromEntries([...clusters].map(([n, c]) => [n, f(c)])));
  return {
    // No pgha-rendered VMs on GKE: pods are configured by the image from the StatefulSet.
    nodes: pulumi.output([]),
    loadBalancers: pulumi.all(loadBalancers),
    standbyLinks: pulumi.all(links),
    endpoints: byName((c) =>
      pulumi
        .all([c.primaryAddress, c.replicaAddress, c.port])
        .apply(([p, r, port]) => ({ primary: `${p}:${port}`, replicas: `${r}:${port}` })),
    ),
    // None on GKE yet: pgha creates no application role in Spilo, and the superuser's DSN is never a
    // stack output. Spilo serves its own self-signed certificate: there is no pgha CA to export.
    connectionStrings: pulumi.secret(pulumi.output<Record<string, string>>({})),
    caCertificates: pulumi.output<Record<string, string>>({}),
  };
}
