/**
 * GCP TCP load balancers. Regional: passthrough Network Load Balancer (backend-service based,
 * internal or external), which keeps client addresses and cannot translate ports. Global:
 * external proxy Network Load Balancer (EXTERNAL_MANAGED TargetTCPProxy), which reaches
 * backends in any region and can map a listener port to another target port.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { cidrContains, parseCidr, parseIpv4 } from "../../config";
import type { HealthCheck, LoadBalancerArgs, LoadBalancerHandle, VmHandle } from "../types";
import { GCP_HEALTH_CHECK_RANGES } from "./sizing";

/** A passthrough forwarding rule lists at most five ports. */
const MAX_PASSTHROUGH_PORTS = 5;
/** TCP proxy idle timeout: PostgreSQL sessions sit idle for long stretches. */
const PROXY_IDLE_TIMEOUT_S = 86_400;

interface NamedPort {
  name: string;
  port: number;
}

interface RegisteredGroup {
  group: gcp.compute.InstanceGroup;
  namedPorts: NamedPort[];
  members: string;
}

/**
 * Unmanaged instance groups, shared between load balancers. GCP lets a VM belong to only one
 * load-balanced unmanaged instance group, so a second load balancer over the same VMs must
 * reuse the group rather than create another.
 */
export class InstanceGroupRegistry {
  private readonly byKey = new Map<string, RegisteredGroup>();
  private readonly groupOfVm = new Map<string, string>();

  get(
    lbName: string,
    zone: string,
    vms: VmHandle[],
    namedPorts: NamedPort[],
    networkId: pulumi.Input<string>,
    project: string | undefined,
    parent: pulumi.Resource,
  ): gcp.compute.InstanceGroup {
    const members = vms
      .map((v) => v.name)
      .sort()
      .join(",");
    const key = `${zone}/${members}`;
    const existing = this.byKey.get(key);
    if (existing) {
      const missing = namedPorts.filter((p) => !existing.namedPorts.some((e) => e.name === p.name && e.port === p.port));
      if (missing.length > 0) {
        throw new Error(
          `gcp: load balancer ${lbName} needs named ports ${missing.map((p) => `${p.name}:${p.port}`).join(", ")} on the instance group of ${members}, which an earlier load balancer created without them; create the global (named-port) load balancer first`,
        );
      }
      return existing.group;
    }
    for (const v of vms) {
      const other = this.groupOfVm.get(v.name);
      if (other) {
        throw new Error(
          `gcp: load balancer ${lbName}: VM ${v.name} is already in the load-balanced instance group of ${other}; GCP allows one such group per VM, so load balancers must target the same VM sets`,
        );
      }
    }
    const group = new gcp.compute.InstanceGroup(
      `${lbName}-${zone}`,
      {
        project,
        zone,
        network: networkId,
        instances: vms.map((v) => instanceOf(v).selfLink),
        namedPorts: namedPorts.length > 0 ? namedPorts : undefined,
      },
      { parent },
    );
    this.byKey.set(key, { group, namedPorts, members });
    for (const v of vms) this.groupOfVm.set(v.name, key);
    return group;
  }
}

function instanceOf(vm: VmHandle): gcp.compute.Instance {
  const instance = vm.resources.find((r): r is gcp.compute.Instance => r instanceof gcp.compute.Instance);
  if (!instance) throw new Error(`gcp: load balancer target ${vm.name} is not a GCP VM`);
  return instance;
}

function byZone(vms: VmHandle[]): Map<string, VmHandle[]> {
  const zones = new Map<string, VmHandle[]>();
  for (const vm of vms) zones.set(vm.zone, [...(zones.get(vm.zone) ?? []), vm]);
  return zones;
}

/** The protocol block of a (Region)HealthCheck. */
function healthCheckBlock(hc: HealthCheck) {
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

export function createGcpLoadBalancer(
  args: LoadBalancerArgs,
  parent: pulumi.Resource,
  project: string | undefined,
  groups: InstanceGroupRegistry,
): LoadBalancerHandle {
  if (args.targets.length === 0) throw new Error(`gcp: load balancer ${args.name} has no targets`);
  if (args.listeners.length === 0) throw new Error(`gcp: load balancer ${args.name} has no listeners`);
  const address = args.scope === "global" ? globalProxy(args, parent, project, groups) : regionalPassthrough(args, parent, project, groups);
  return { address, listeners: args.listeners };
}

function regionalPassthrough(
  args: LoadBalancerArgs,
  parent: pulumi.Resource,
  project: string | undefined,
  groups: InstanceGroupRegistry,
): pulumi.Output<string> {
  for (const l of args.listeners) {
    if (l.port !== l.targetPort) {
      throw new Error(
        `gcp: load balancer ${args.name}: a passthrough load balancer cannot map port ${l.port} to ${l.targetPort}; listen on the target port or use scope "global"`,
      );
    }
  }
  if (args.listeners.length > MAX_PASSTHROUGH_PORTS) {
    throw new Error(`gcp: load balancer ${args.name}: a passthrough forwarding rule takes at most ${MAX_PASSTHROUGH_PORTS} ports`);
  }
  const scheme = args.internal ? "INTERNAL" : "EXTERNAL";
  const hc = new gcp.compute.RegionHealthCheck(
    `${args.name}-hc`,
    { project, region: args.region, ...healthCheckBlock(args.healthCheck) },
    { parent },
  );
  const backends = [...byZone(args.targets)].map(([zone, vms]) => ({
    group: groups.get(args.name, zone, vms, [], args.network.networkId, project, parent).selfLink,
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
      // Short drain: after a failover the old primary's connections are dead anyway.
      connectionDrainingTimeoutSec: 10,
      network: args.internal ? args.network.networkId : undefined,
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
      ...(args.internal
        ? {
            network: args.network.networkId,
            subnetwork: args.network.subnetIds[listenerSubnet(args)],
            ipAddress: args.address,
            // Standby clusters in other regions stream through this internal address.
            allowGlobalAccess: true,
          }
        : {}),
    },
    { parent },
  );
  if (args.sourceRanges.length > 0) {
    // Passthrough keeps client addresses, so a VPC firewall rule on the targets enforces the ranges.
    targetFirewall(args, `${args.name}-clients`, args.sourceRanges, args.listeners.map((l) => l.targetPort), parent, project);
  }
  return rule.ipAddress;
}

function globalProxy(
  args: LoadBalancerArgs,
  parent: pulumi.Resource,
  project: string | undefined,
  groups: InstanceGroupRegistry,
): pulumi.Output<string> {
  if (args.internal) {
    throw new Error(
      `gcp: load balancer ${args.name}: scope "global" is the external proxy load balancer; set internal: false, or use scope "regional" with internal: true (its internal address is reachable from every region of the VPC)`,
    );
  }
  const hc = new gcp.compute.HealthCheck(`${args.name}-hc`, { project, ...healthCheckBlock(args.healthCheck) }, { parent });
  const ip = new gcp.compute.GlobalAddress(`${args.name}-ip`, { project, addressType: "EXTERNAL", ipVersion: "IPV4" }, { parent });
  const namedPorts = args.listeners.map((l) => ({ name: l.name, port: l.targetPort }));
  const instanceGroups = [...byZone(args.targets)].map(([zone, vms]) =>
    groups.get(args.name, zone, vms, namedPorts, args.network.networkId, project, parent),
  );
  // A TCP proxy targets one backend service, and a backend service one named port: one chain per listener.
  for (const l of args.listeners) {
    const backend = new gcp.compute.BackendService(
      `${args.name}-${l.name}`,
      {
        project,
        protocol: "TCP",
        loadBalancingScheme: "EXTERNAL_MANAGED",
        portName: l.name,
        healthChecks: hc.id,
        timeoutSec: PROXY_IDLE_TIMEOUT_S,
        connectionDrainingTimeoutSec: 10,
        backends: instanceGroups.map((g) => ({ group: g.selfLink, balancingMode: "UTILIZATION", capacityScaler: 1 })),
      },
      { parent },
    );
    const proxy = new gcp.compute.TargetTCPProxy(
      `${args.name}-${l.name}`,
      { project, backendService: backend.id, proxyHeader: "NONE" },
      { parent },
    );
    new gcp.compute.GlobalForwardingRule(
      `${args.name}-${l.name}`,
      {
        project,
        target: proxy.id,
        ipAddress: ip.address,
        ipProtocol: "TCP",
        portRange: String(l.port),
        loadBalancingScheme: "EXTERNAL_MANAGED",
      },
      { parent },
    );
  }
  // Proxies and health checkers connect from Google's front-end ranges, not from the clients:
  // open the target and health-check ports to those ranges. Client ranges cannot be enforced by
  // a VPC firewall behind a proxy (that needs Cloud Armor), so `sourceRanges` is not applied here.
  const ports = [...new Set([...args.listeners.map((l) => l.targetPort), args.healthCheck.port])];
  targetFirewall(args, `${args.name}-proxies`, [...GCP_HEALTH_CHECK_RANGES], ports, parent, project);
  return ip.address;
}

/** Allow `ranges` to reach `ports` on the load balancer's targets (by their network tags). */
function targetFirewall(
  args: LoadBalancerArgs,
  name: string,
  ranges: string[],
  ports: number[],
  parent: pulumi.Resource,
  project: string | undefined,
): void {
  const targetTags = [...new Set(args.targets.flatMap((t) => t.tags))];
  if (targetTags.length === 0) throw new Error(`gcp: load balancer ${args.name}: targets carry no network tags to aim a firewall rule at`);
  new gcp.compute.Firewall(
    name,
    {
      project,
      network: args.network.networkId,
      description: `pgha load balancer ${args.name}`,
      direction: "INGRESS",
      allows: [{ protocol: "tcp", ports: ports.map(String) }],
      sourceRanges: ranges,
      targetTags,
    },
    { parent },
  );
}

/** Subnet of the internal listener: the one holding `address`, else the first target's. */
function listenerSubnet(args: LoadBalancerArgs): string {
  if (args.address) {
    const ip = parseIpv4(args.address);
    const subnet = args.network.subnets.find((s) => ip !== undefined && cidrContains(parseCidr(s.cidr), ip));
    if (!subnet) throw new Error(`gcp: load balancer ${args.name}: address ${args.address} is in none of the network's subnets`);
    return subnet.name;
  }
  return args.targets[0].subnet;
}
