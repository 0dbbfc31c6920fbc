/**
 * One regional GKE cluster (control plane and nodes spread over the region's zones), its
 * node pool, and a Kubernetes provider that talks to it.
 */
import type * as gcp from "@pulumi/gcp";
import { gcpSdk } from "../gcp/sdk";
import type * as k8s from "@pulumi/kubernetes";
import { kubernetesSdk } from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import { gkeKubeconfig } from "./kubeconfig";
import type { GkeRegionPlan } from "./plan";
import type { GkeSettings } from "./settings";

export interface GkeClusterArgs {
  plan: GkeRegionPlan;
  project: string;
  networkId: pulumi.Input<string>;
  subnetworkId: pulumi.Input<string>;
  settings: GkeSettings;
  deletionProtection: boolean;
  labels?: Record<string, string>;
}

export interface GkeClusterHandle {
  region: string;
  cluster: gcp.container.Cluster;
  nodePool: gcp.container.NodePool;
  provider: k8s.Provider;
  /** Kubeconfig using gke-gcloud-auth-plugin (holds no credential). */
  kubeconfig: pulumi.Output<string>;
}

export function createGkeCluster(args: GkeClusterArgs, parent: pulumi.Resource): GkeClusterHandle {
  const gcp = gcpSdk("gke");
  const k8s = kubernetesSdk();
  const { plan, project, settings } = args;
  const pool = settings.nodePool;
  const cluster = new gcp.container.Cluster(
    plan.clusterName,
    {
      project,
      name: plan.clusterName,
      // A region, not a zone: a regional control plane and nodes in every listed zone.
      location: plan.region,
      nodeLocations: plan.zones,
      // The default pool cannot be configured well; replace it by a managed pool below.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      network: args.networkId,
      subnetwork: args.subnetworkId,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: { clusterSecondaryRangeName: plan.podRangeName, servicesSecondaryRangeName: plan.serviceRangeName },
      // Pods act as GCP service accounts (WAL-G to GCS) without key files.
      workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
      releaseChannel: { channel: settings.releaseChannel },
      deletionProtection: args.deletionProtection,
      privateClusterConfig: settings.privateNodes
        ? { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: plan.masterCidr }
        : undefined,
      masterAuthorizedNetworksConfig:
        settings.masterAuthorizedCidrs.length > 0
          ? { cidrBlocks: settings.masterAuthorizedCidrs.map((cidrBlock) => ({ cidrBlock, displayName: cidrBlock })) }
          : undefined,
      resourceLabels: args.labels,
    },
    { parent },
  );

  const nodePool = new gcp.container.NodePool(
    `${plan.clusterName}-postgres`,
    {
      project,
      cluster: cluster.name,
      location: plan.region,
      nodeLocations: plan.zones,
      initialNodeCount: Math.max(1, pool.minNodesPerZone),
      autoscaling: { minNodeCount: pool.minNodesPerZone, maxNodeCount: pool.maxNodesPerZone },
      management: { autoRepair: true, autoUpgrade: true },
      // Surge upgrades replace one node at a time; the PodDisruptionBudget keeps Patroni's quorum.
      upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: {
        machineType: pool.machineType,
        spot: pool.spot,
        diskSizeGb: pool.diskSizeGb,
        diskType: "pd-balanced",
        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        // The GKE metadata server answers pods with their Workload Identity, never the node's.
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        labels: { "pgha.io/pool": "postgres" },
        resourceLabels: args.labels,
      },
    },
    // The autoscaler owns the node count after creation.
    { parent, ignoreChanges: ["initialNodeCount"] },
  );

  const kubeconfig = pulumi
    .all([cluster.name, cluster.endpoint, cluster.masterAuth])
    .apply(([name, endpoint, auth]) =>
      gkeKubeconfig({ context: `gke_${project}_${plan.region}_${name}`, endpoint, caCertificate: auth.clusterCaCertificate ?? "" }),
    );
  // Workloads wait for the node pool: a provider without nodes would leave pods Pending until await timeouts.
  const provider = new k8s.Provider(`${plan.clusterName}-k8s`, { kubeconfig }, { parent, dependsOn: [nodePool] });
  return { region: plan.region, cluster, nodePool, provider, kubeconfig };
}
