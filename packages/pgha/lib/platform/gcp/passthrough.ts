/**
 * Regional passthrough Network Load Balancer (backend-service based), internal or external.
 * Packets reach the targets with the client's own source address, so a VPC firewall rule on
 * the targets is what admits or refuses a client (cloud.google.com/load-balancing/docs/passthrough-network-load-balancer).
 * It cannot translate ports.
 */
import { gcpSdk } from "./sdk";
import type * as pulumi from "@pulumi/pulumi";
import type { LoadBalancerArgs } from "../types";
import { byZone, type InstanceGroupRegistry } from "./instanceGroups";
import { CONNECTION_DRAINING_S, healthCheckBlock, listenerSubnet, targetFirewall, targetPorts } from "./lbCommon";
import { GCP_EXTERNAL_PASSTHROUGH_HEALTH_CHECK_RANGES } from "./ranges";

/** A passthrough forwarding rule lists at most five ports (@pulumi/gcp compute.ForwardingRule `ports`). */
const MAX_PASSTHROUGH_PORTS = 5;

export function regionalPassthrough(
  args: LoadBalancerArgs,
  parent: pulumi.Resource,
  project: string | undefined,
  groups: InstanceGroupRegistry,
): pulumi.Output<string> {
  const gcp = gcpSdk();
  for (const l of args.listeners) {
    if (l.port !== l.targetPort) {
      throw new Error(
        `gcp: load balancer ${args.name}: a passthrough load balancer cannot map port ${l.port} to ${l.targetPort}; ` +
          `listen on the target port or use scope "global"`,
      );
    }
  }
  if (args.listeners.length > MAX_PASSTHROUGH_PORTS) {
    throw new Error(`gcp: load balancer ${args.name}: a passthrough forwarding rule takes at most ${MAX_PASSTHROUGH_PORTS} ports`);
  }
  const internal = args.exposure === "internal";
  // INTERNAL: internal passthrough NLB; EXTERNAL: backend-service-based external passthrough NLB
  // (@pulumi/gcp compute.RegionBackendService / ForwardingRule `loadBalancingScheme`).
  const scheme = internal ? "INTERNAL" : "EXTERNAL";
  const hc = new gcp.compute.RegionHealthCheck(
    `${args.name}-hc`,
    { project, region: args.region, ...healthCheckBlock(args.healthCheck) },
    { parent },
  );
  const backends = [...byZone(args.targets)].map(([zone, vms]) => ({
    group: groups.get(args.name, zone, vms, [], args.network.networkId, project, parent).selfLink,
    // Passthrough NLBs only take CONNECTION (cloud.google.com/load-balancing/docs/backend-service#balancing-mode).
    balancingMode: "CONNECTION",
  }));
  const backend = new gcp.compute.RegionBackendService(
    args.name,
    {
      project,
      region: args.region,
      protocol: "TCP",
      loadBalancingScheme: scheme,
      healthChecks: hc.id,
      backends,
      connectionDrainingTimeoutSec: CONNECTION_DRAINING_S,
      network: internal ? args.network.networkId : undefined,
    },
    { parent },
  );
  const rule = new gcp.compute.ForwardingRule(
    args.name,
    {
      project,
      region: args.region,
      loadBalancingScheme: scheme,
      ipProtocol: "TCP",
      ports: args.listeners.map((l) => String(l.port)),
      backendService: backend.id,
      ...(internal
        ? {
            network: args.network.networkId,
            subnetwork: args.network.subnetIds[listenerSubnet(args)],
            ipAddress: args.address,
            // Standby clusters in other regions stream through this internal address.
            allowGlobalAccess: true,
          }
        : // The address reserved before the members' certificates, which name it.
          { ipAddress: args.publicAddress?.address }),
    },
    { parent },
  );
  // Client addresses are preserved, so this VPC rule is the source restriction: internal, the own
  // subnets and client CIDRs; public, exactly the stack's sourceRanges (the component opens the
  // same ranges on the HAProxy firewall; either rule alone admits them, neither admits more).
  // (Public with no sourceRanges was refused before anything was built.)
  if (args.sourceRanges.length > 0)
    targetFirewall(args, `${args.name}-clients`, args.sourceRanges, targetPorts(args), "clients", parent, project);
  if (!internal) {
    // External passthrough health checks come from ranges the shared health-check rule
    // (35.191.0.0/16 + 130.211.0.0/22) does not cover: see ./ranges.
    targetFirewall(
      args,
      `${args.name}-health`,
      GCP_EXTERNAL_PASSTHROUGH_HEALTH_CHECK_RANGES,
      [args.healthCheck.port],
      "external passthrough health checks",
      parent,
      project,
    );
  }
  return rule.ipAddress;
}
