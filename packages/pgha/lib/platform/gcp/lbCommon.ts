/**
 * Pieces every GCP load balancer shares: the health-check block, firewall rules on the targets
 * and the subnet of an internal frontend.
 */
import type * as gcp from "@pulumi/gcp";
import { gcpSdk } from "./sdk";
import type * as pulumi from "@pulumi/pulumi";
import { cidrContains, parseCidr, parseIpv4 } from "../../config";
import type { HealthCheck, LoadBalancerAddressArgs, LoadBalancerArgs, ReservedAddress } from "../types";

/** Short drain: after a failover the old primary's connections are dead anyway. */
export const CONNECTION_DRAINING_S = 10;

/** The protocol block of a (Region)HealthCheck (@pulumi/gcp compute.HealthCheckArgs). */
export function healthCheckBlock(hc: HealthCheck) {
  const common = {
    checkIntervalSec: hc.intervalS,
    timeoutSec: hc.timeoutS,
    healthyThreshold: hc.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold,
  };
  switch (hc.protocol) {
    case "http":
      return { ...common, httpHealthCheck: { port: hc.port, requestPath: hc.path ?? "/" } };
    case "https":
      return { ...common, httpsHealthCheck: { port: hc.port, requestPath: hc.path ?? "/" } };
    case "tcp":
      return { ...common, tcpHealthCheck: { port: hc.port } };
  }
}

export function targetPorts(args: LoadBalancerArgs): number[] {
  return [...new Set(args.listeners.map((l) => l.targetPort))];
}

/** Allow `ranges` to reach `ports` on the load balancer's targets (by their network tags). */
export function targetFirewall(
  args: LoadBalancerArgs,
  name: string,
  ranges: readonly string[],
  ports: number[],
  description: string,
  parent: pulumi.Resource,
  project: string | undefined,
): gcp.compute.Firewall {
  const gcp = gcpSdk();
  const targetTags = [...new Set(args.targets.flatMap((t) => t.tags))];
  if (targetTags.length === 0) throw new Error(`gcp: load balancer ${args.name}: targets carry no network tags to aim a firewall rule at`);
  if (ranges.length === 0)
    throw new Error(`gcp: load balancer ${args.name}: firewall rule ${name} has no source range; refusing to open it to everyone`);
  return new gcp.compute.Firewall(
    name,
    {
      project,
      network: args.network.networkId,
      description: `pgha load balancer ${args.name}: ${description}`,
      direction: "INGRESS",
      allows: [{ protocol: "tcp", ports: [...new Set(ports)].map(String) }],
      sourceRanges: [...new Set(ranges)],
      targetTags,
    },
    { parent },
  );
}

/** Name of the pgha subnet holding `address`; throws when none does. */
export function subnetHolding(args: LoadBalancerArgs, address: string): string {
  const ip = parseIpv4(address);
  const subnet = args.network.subnets.find((s) => ip !== undefined && cidrContains(parseCidr(s.cidr), ip));
  if (!subnet) throw new Error(`gcp: load balancer ${args.name}: address ${address} is in none of the network's subnets`);
  return subnet.name;
}

/** Subnet of the internal frontend in the targets' region: the one holding `address`, else the first target's. */
export function listenerSubnet(args: LoadBalancerArgs): string {
  return args.address ? subnetHolding(args, args.address) : args.targets[0].subnet;
}

/**
 * A public load balancer's address, reserved before the load balancer: regional, an EXTERNAL
 * compute.Address the external passthrough forwarding rule takes as `ipAddress`; global, a
 * GlobalAddress for the global external proxy's forwarding rules (@pulumi/gcp compute.Address /
 * GlobalAddress, cloud.google.com/vpc/docs/reserve-static-external-ip-address). The global one
 * was created by the load balancer before; `formerParent` keeps it (no new address).
 */
export function reserveGcpAddress(args: LoadBalancerAddressArgs, parent: pulumi.Resource, project: string | undefined): ReservedAddress {
  const gcp = gcpSdk();
  const name = `${args.name}-ip`;
  const address =
    args.scope === "global"
      ? new gcp.compute.GlobalAddress(
          name,
          { project, addressType: "EXTERNAL", ipVersion: "IPV4" },
          { parent, aliases: args.formerParent ? [{ parent: args.formerParent }] : [] },
        ).address
      : new gcp.compute.Address(name, { project, region: args.region, addressType: "EXTERNAL" }, { parent }).address;
  return { scope: args.scope, region: args.region, address };
}
