/**
 * What every Patroni cluster on GKE stands on: the VPC, one regional GKE cluster (with its
 * node pool and Kubernetes provider) per region that hosts Patroni clusters, and the pgha
 * namespace in each. The GkeFoundation component (lib/components) creates it through the
 * platform and hands the handle to the Patroni clusters placed on it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { namespaceManifest } from "../../kubernetes/policy";
import type { KubernetesFoundationArgs, KubernetesFoundationHandle, KubernetesRegionHandle } from "../types";
import { createGkeCluster } from "./cluster";
import { createGkeNetwork } from "./network";
import { kubernetesSdk } from "./sdk";

export function createGkeFoundation(project: string, args: KubernetesFoundationArgs, parent: pulumi.Resource): KubernetesFoundationHandle {
  const k8s = kubernetesSdk();
  const { name, topology: t, settings, plan } = args;
  const network = createGkeNetwork({ name, project, subnets: t.subnets, regions: plan.regions }, parent);
  const regions: Record<string, KubernetesRegionHandle> = {};
  for (const r of plan.regions) {
    const handle = createGkeCluster(
      {
        plan: r,
        project,
        networkId: network.network.id,
        subnetworkId: network.subnetworks[r.subnet.name].id,
        settings,
        deletionProtection: settings.deletionProtection ?? t.platform.deletionProtection,
        labels: { "pgha-stack": t.name },
      },
      parent,
    );
    const ns = namespaceManifest(settings.namespace);
    const namespace = new k8s.core.v1.Namespace(
      `${r.clusterName}-${settings.namespace}`,
      { metadata: ns.metadata },
      { parent, provider: handle.provider },
    );
    regions[r.region] = {
      region: r.region,
      clusterName: handle.cluster.name,
      kubeconfig: handle.kubeconfig,
      provider: handle.provider,
      namespace,
    };
  }
  const subnetIds = Object.fromEntries(Object.entries(network.subnetworks).map(([k, s]) => [k, s.id]));
  return { networkId: network.network.id, subnetIds, regions };
}
