/**
 * The VPC for GKE: one subnetwork per pgha subnet; the subnet a region's GKE cluster uses
 * carries its pod and service secondary ranges (VPC-native cluster). Cloud NAT per region
 * lets nodes without external IPs pull the Spilo image from ghcr.io and client VMs install psql.
 */
import type * as gcp from "@pulumi/gcp";
import { gcpSdk } from "../gcp/sdk";
import type * as pulumi from "@pulumi/pulumi";
import type { SubnetSpec } from "../../config";
import type { GkeRegionPlan } from "./plan";
import { GCP_IAP_RANGE } from "../../config";

export interface GkeNetworkArgs {
  name: string;
  project: string;
  subnets: SubnetSpec[];
  regions: GkeRegionPlan[];
}

export interface GkeNetworkHandle {
  network: gcp.compute.Network;
  subnetworks: Record<string, gcp.compute.Subnetwork>;
}

export const CLIENT_TAG = "pgha-client";

export function createGkeNetwork(args: GkeNetworkArgs, parent: pulumi.Resource): GkeNetworkHandle {
  const gcp = gcpSdk("gke");
  const { project } = args;
  const network = new gcp.compute.Network(
    args.name,
    { project, autoCreateSubnetworks: false, description: `pgha network ${args.name}` },
    { parent },
  );
  const subnetworks: Record<string, gcp.compute.Subnetwork> = {};
  for (const s of args.subnets) {
    const gke = args.regions.find((r) => r.subnet.name === s.name);
    subnetworks[s.name] = new gcp.compute.Subnetwork(
      `${args.name}-${s.name}`,
      {
        project,
        network: network.id,
        region: s.region,
        ipCidrRange: s.cidr,
        // WAL-G reaches GCS through Private Google Access, not through NAT.
        privateIpGoogleAccess: true,
        secondaryIpRanges: gke
          ? [
              { rangeName: gke.podRangeName, ipCidrRange: gke.podCidr },
              { rangeName: gke.serviceRangeName, ipCidrRange: gke.serviceCidr },
            ]
          : undefined,
      },
      { parent },
    );
  }
  for (const region of [...new Set(args.subnets.map((s) => s.region))]) {
    const router = new gcp.compute.Router(`${args.name}-${region}-router`, { project, region, network: network.id }, { parent });
    new gcp.compute.RouterNat(
      `${args.name}-${region}-nat`,
      {
        project,
        region,
        router: router.name,
        natIpAllocateOption: "AUTO_ONLY",
        sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
      },
      { parent },
    );
  }
  new gcp.compute.Firewall(
    `${args.name}-client-iap-ssh`,
    {
      project,
      network: network.id,
      description: "SSH to the pgha client VMs through Identity-Aware Proxy only",
      direction: "INGRESS",
      allows: [{ protocol: "tcp", ports: ["22"] }],
      // `gcloud compute ssh --tunnel-through-iap` reaches VMs without external IPs from IAP's range.
      sourceRanges: [GCP_IAP_RANGE],
      targetTags: [CLIENT_TAG],
    },
    { parent },
  );
  return { network, subnetworks };
}
