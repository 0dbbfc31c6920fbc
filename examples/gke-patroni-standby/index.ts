/**
 * A company stack on GKE: a Patroni cluster in one region and a standby cluster in another,
 * each behind an internal TCP load balancer, WAL-G backups to GCS through Workload Identity,
 * and a psql client VM per region. Configuration: stacks/Pulumi.gke-dr.yaml
 * (`pgha:topology` and `pgha:gke`); see README.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { type ClientService, createGkeClients, GkeFoundation, KubernetesPatroniCluster, parseGkeSettings, parseTopology } from "pgha";

function main() {
  const config = new pulumi.Config("pgha");
  const topology = parseTopology(config.requireObject("topology"), "invalid pgha:topology");
  const gke = parseGkeSettings(config.requireObject("gke"), topology, "pgha:gke");

  // VPC, one regional GKE cluster per region, the pgha namespace in each.
  const foundation = new GkeFoundation(topology.name, { topology, gke });

  // Sources first: a standby takes its source's load balancer address, slot and archive.
  const clusters = new Map<string, KubernetesPatroniCluster>();
  for (const spec of [...topology.clusters].sort((a, b) => Number(!!a.standby) - Number(!!b.standby))) {
    const source = spec.standby ? clusters.get(spec.standby.source) : undefined;
    clusters.set(spec.name, new KubernetesPatroniCluster(spec.name, { foundation, source }));
  }

  // Every client VM can reach every cluster: `psql service=<cluster>` / `service=<cluster>-replicas`.
  const services: pulumi.Output<ClientService>[] = [...clusters.entries()].flatMap(([name, c]) => {
    const spec = topology.clusters.find((x) => x.name === name);
    const user = spec?.postgres.users.superuser ?? "postgres";
    const service = (suffix: string, host: pulumi.Output<string>) =>
      host.apply((h): ClientService => ({
        name: `${name}${suffix}`,
        host: h,
        port: spec?.postgres.port ?? 5432,
        user,
        dbname: "postgres",
        sslmode: "require",
      }));
    return [service("", c.primaryAddress), service("-replicas", c.replicaAddress)];
  });
  createGkeClients(foundation, pulumi.all(services));

  const byName = <T>(f: (c: KubernetesPatroniCluster) => pulumi.Output<T>) =>
    pulumi.all(Object.fromEntries([...clusters.entries()].map(([n, c]) => [n, f(c)])));
  return {
    kubeconfigs: foundation.kubeconfigs,
    primaryAddresses: byName((c) => c.primaryAddress),
    replicaAddresses: byName((c) => c.replicaAddress),
    backupBuckets: byName((c) => c.bucketName),
  };
}

// A configuration mistake throws ConfigError, which Pulumi prints as a RunError (no stack trace).
const stack = main();
export const kubeconfigs = stack.kubeconfigs;
export const primaryAddresses = stack.primaryAddresses;
export const replicaAddresses = stack.replicaAddresses;
export const backupBuckets = stack.backupBuckets;
