/**
 * GCP VPC: the network, one regional subnet per pgha subnet, the nodes' path out (Cloud NAT)
 * and the proxy-only subnets of the cross-region internal proxy load balancer.
 */
import type * as gcp from "@pulumi/gcp";
import { gcpSdk } from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import type { SubnetSpec } from "../../config";
import type { NetworkArgs, NetworkHandle } from "../types";

/** A proxy-only subnet: the Envoy proxies of cross-region internal load balancers live here. */
export interface GcpProxyOnlySubnet {
  region: string;
  cidr: string;
  subnet: gcp.compute.Subnetwork;
}

/** The GCP network handle also carries its proxy-only subnets, which the global internal LB needs. */
export interface GcpNetworkHandle extends NetworkHandle {
  proxyOnlySubnets: GcpProxyOnlySubnet[];
}

/** Proxy-only subnets of a handle made by `createGcpNetwork`; undefined for any other handle. */
export function proxyOnlySubnetsOf(network: NetworkHandle): GcpProxyOnlySubnet[] | undefined {
  return (network as Partial<GcpNetworkHandle>).proxyOnlySubnets;
}

/** The pgha subnets Cloud NAT serves, by region (only regions that hold VM subnets). */
export function natSubnetsByRegion(subnets: SubnetSpec[]): Map<string, SubnetSpec[]> {
  const byRegion = new Map<string, SubnetSpec[]>();
  for (const s of subnets) byRegion.set(s.region, [...(byRegion.get(s.region) ?? []), s]);
  return byRegion;
}

/**
 * GCP allows one active GLOBAL_MANAGED_PROXY subnet per region and VPC
 * (cloud.google.com/load-balancing/docs/proxy-only-subnets).
 */
export function assertOneProxyOnlySubnetPerRegion(list: NetworkArgs["proxyOnlySubnets"]): void {
  const seen = new Set<string>();
  for (const p of list) {
    if (seen.has(p.region))
      throw new Error(`gcp: two proxy-only subnets in region ${p.region}; GCP allows one active per region and network`);
    seen.add(p.region);
  }
}

export function createGcpNetwork(args: NetworkArgs, parent: pulumi.Resource, project: string | undefined): GcpNetworkHandle {
  const gcp = gcpSdk();
  assertOneProxyOnlySubnetPerRegion(args.proxyOnlySubnets);
  const existing = args.existing;
  // An existing network and its subnets are used by id; pgha creates neither.
  const networkId: pulumi.Output<string> = existing
    ? pulumi.output(existing.networkId)
    : new gcp.compute.Network(args.name, { project, autoCreateSubnetworks: false, description: `pgha network ${args.name}` }, { parent })
        .id;
  const subnetIds: Record<string, pulumi.Output<string>> = {};
  for (const s of args.subnets) {
    if (existing) {
      const id = existing.subnetIds[s.name];
      if (id === undefined) throw new Error(`gcp: network ${args.name}: no id for existing subnet ${s.name}`);
      subnetIds[s.name] = pulumi.output(id);
      continue;
    }
    // GCP subnets are regional: a zone on the pgha subnet only steers VM placement.
    subnetIds[s.name] = new gcp.compute.Subnetwork(
      `${args.name}-${s.name}`,
      {
        project,
        network: networkId,
        region: s.region,
        ipCidrRange: s.cidr,
        // No external IPs: Google APIs (GCS for WAL-G) are reached through Private Google Access.
        privateIpGoogleAccess: true,
      },
      { parent },
    ).id;
  }

  if (args.egress === "nat") {
    // VMs have no external IP; cloud-init's package installs and release downloads leave through
    // Cloud NAT (cloud.google.com/nat/docs/overview). LIST_OF_SUBNETWORKS names the VM subnets
    // only, never the proxy-only ones (@pulumi/gcp compute.RouterNat sourceSubnetworkIpRangesToNat).
    for (const [region, inRegion] of natSubnetsByRegion(args.subnets)) {
      // In an existing network too: the router and NAT are pgha's own and only name the subnets
      // (a subnet served by another Cloud NAT already: use egress provided instead).
      const router = new gcp.compute.Router(`${args.name}-${region}-router`, { project, region, network: networkId }, { parent });
      new gcp.compute.RouterNat(
        `${args.name}-${region}-nat`,
        {
          project,
          region,
          router: router.name,
          natIpAllocateOption: "AUTO_ONLY",
          sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
          subnetworks: inRegion.map((s) => ({ name: subnetIds[s.name], sourceIpRangesToNats: ["ALL_IP_RANGES"] })),
        },
        { parent },
      );
    }
  }
  // egress "provided": the stack says the network already has a path out; nothing to build.

  const proxyOnlySubnets = args.proxyOnlySubnets.map((p) => ({
    region: p.region,
    cidr: p.cidr,
    // purpose GLOBAL_MANAGED_PROXY + role ACTIVE: the proxy-only subnet shared by every
    // cross-region Envoy-based load balancer in the region (@pulumi/gcp compute.Subnetwork
    // `purpose`/`role`; cloud.google.com/load-balancing/docs/tcp/internal-proxy, "Proxy-only
    // subnet"). Proxy-only subnets refuse privateIpGoogleAccess and flow-log settings. In an
    // existing network pgha creates them too: regions[].proxyOnlyCidr asks for one.
    subnet: new gcp.compute.Subnetwork(
      `${args.name}-${p.region}-proxy-only`,
      { project, network: networkId, region: p.region, ipCidrRange: p.cidr, purpose: "GLOBAL_MANAGED_PROXY", role: "ACTIVE" },
      { parent },
    ),
  }));

  return { networkId, subnetIds, subnets: args.subnets, proxyOnlySubnets };
}
