/**
 * Proxy Network Load Balancers (scope global). A proxy ends the client's TCP connection and
 * opens its own to a target in any region, so it can map a listener port to another target
 * port (through a named port) and the targets never see the client's address.
 * - internal: the cross-region internal proxy NLB, Envoy proxies in each region's proxy-only
 *   subnet, one internal frontend per region (cloud.google.com/load-balancing/docs/tcp/internal-proxy).
 * - public: the global external proxy NLB on Google Front Ends, restricted to the stack's
 *   sourceRanges by a Cloud Armor policy (cloud.google.com/load-balancing/docs/tcp).
 */
import type * as gcp from "@pulumi/gcp";
import { gcpSdk } from "./sdk";
import type * as pulumi from "@pulumi/pulumi";
import type { LoadBalancerArgs } from "../types";
import { byZone, type InstanceGroupRegistry } from "./instanceGroups";
import { CONNECTION_DRAINING_S, healthCheckBlock, listenerSubnet, targetFirewall, targetPorts } from "./lbCommon";
import { type GcpProxyOnlySubnet, proxyOnlySubnetsOf } from "./network";
import { GCP_HEALTH_CHECK_RANGES } from "./ranges";

/** Backend service timeout, the proxies' idle timeout for TCP: PostgreSQL sessions sit idle for long stretches. */
const PROXY_IDLE_TIMEOUT_S = 86_400;
/** Cloud Armor: at most 10 ranges in one SRC_IPS_V1 match (@pulumi/gcp SecurityPolicyRuleMatchConfig.srcIpRanges). */
const ARMOR_RANGES_PER_RULE = 10;
/** The default rule of a Cloud Armor policy has the lowest priority, 2147483647 (cloud.google.com/armor/docs/security-policy-overview). */
const ARMOR_DEFAULT_PRIORITY = 2_147_483_647;
const ARMOR_FIRST_ALLOW_PRIORITY = 1000;

type ProxyScheme = "INTERNAL_MANAGED" | "EXTERNAL_MANAGED";

/** One internal frontend of the cross-region internal proxy NLB. */
export interface FrontendPlan {
  region: string;
  /** pgha subnet (a VM subnet, never the proxy-only one) the frontend address is taken from. */
  subnet: string;
  /** Fixed address (the planned one, in the targets' region); undefined: GCP picks a free one. */
  address?: string;
  proxyOnly: GcpProxyOnlySubnet;
}

/**
 * Where the cross-region internal proxy NLB gets a frontend: every region with a proxy-only
 * subnet and a VM subnet to take an address from. The targets' region gets the planned address.
 */
export function frontendPlan(args: LoadBalancerArgs, proxyOnly: GcpProxyOnlySubnet[]): FrontendPlan[] {
  const home = proxyOnly.find((p) => p.region === args.region);
  if (!home) {
    throw new Error(
      `gcp: load balancer ${args.name}: the cross-region internal proxy load balancer (scope "global", ` +
        `exposure "internal") needs a proxy-only subnet in the targets' region ${args.region}: set regions[].proxyOnlyCidr`,
    );
  }
  const plans: FrontendPlan[] = [{ region: args.region, subnet: listenerSubnet(args), address: args.address, proxyOnly: home }];
  for (const p of proxyOnly) {
    if (p.region === args.region) continue;
    const subnet = args.network.subnets.find((s) => s.region === p.region);
    if (subnet) plans.push({ region: p.region, subnet: subnet.name, proxyOnly: p });
  }
  return plans;
}

/** Cloud Armor rules admitting exactly `sourceRanges` and refusing everything else. */
export function cloudArmorSourceRules(sourceRanges: string[]) {
  if (sourceRanges.length === 0) throw new Error("gcp: a Cloud Armor source policy needs at least one range");
  const unique = [...new Set(sourceRanges)];
  const allow = [];
  for (let i = 0; i < unique.length; i += ARMOR_RANGES_PER_RULE) {
    allow.push({
      priority: ARMOR_FIRST_ALLOW_PRIORITY + i / ARMOR_RANGES_PER_RULE,
      action: "allow",
      description: "loadBalancer.sourceRanges",
      // SRC_IPS_V1 matches the client address the Google Front End saw (@pulumi/gcp SecurityPolicyRuleMatch.versionedExpr).
      match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: unique.slice(i, i + ARMOR_RANGES_PER_RULE) } },
    });
  }
  const refuseRest = {
    priority: ARMOR_DEFAULT_PRIORITY,
    action: "deny(403)",
    description: "every other source",
    match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
  };
  return [...allow, refuseRest];
}

/** Global health check, instance groups with one named port per listener, one backend service + TCP proxy per listener. */
function proxyChains(
  args: LoadBalancerArgs,
  scheme: ProxyScheme,
  parent: pulumi.Resource,
  project: string | undefined,
  groups: InstanceGroupRegistry,
  securityPolicy?: pulumi.Input<string>,
): Map<string, gcp.compute.TargetTCPProxy> {
  const gcp = gcpSdk();
  const hc = new gcp.compute.HealthCheck(`${args.name}-hc`, { project, ...healthCheckBlock(args.healthCheck) }, { parent });
  const namedPorts = args.listeners.map((l) => ({ name: l.name, port: l.targetPort }));
  const instanceGroups = [...byZone(args.targets)].map(([zone, vms]) =>
    groups.get(args.name, zone, vms, namedPorts, args.network.networkId, project, parent),
  );
  const proxies = new Map<string, gcp.compute.TargetTCPProxy>();
  // A TCP proxy targets one backend service, and a backend service one named port: one chain per listener.
  for (const l of args.listeners) {
    const backend = new gcp.compute.BackendService(
      `${args.name}-${l.name}`,
      {
        project,
        protocol: "TCP",
        loadBalancingScheme: scheme,
        portName: l.name,
        healthChecks: hc.id,
        timeoutSec: PROXY_IDLE_TIMEOUT_S,
        connectionDrainingTimeoutSec: CONNECTION_DRAINING_S,
        // Instance-group backends of a proxy NLB balance by UTILIZATION or CONNECTION; UTILIZATION
        // needs no per-VM connection cap (cloud.google.com/load-balancing/docs/backend-service#balancing-mode).
        backends: instanceGroups.map((g) => ({ group: g.selfLink, balancingMode: "UTILIZATION", capacityScaler: 1 })),
        securityPolicy,
      },
      { parent },
    );
    // proxyHeader NONE: HAProxy and PostgreSQL expect the raw stream, no PROXY protocol preamble.
    proxies.set(
      l.name,
      new gcp.compute.TargetTCPProxy(`${args.name}-${l.name}`, { project, backendService: backend.id, proxyHeader: "NONE" }, { parent }),
    );
  }
  return proxies;
}

/**
 * Cross-region internal proxy NLB: INTERNAL_MANAGED backend services and a global TCP proxy
 * per listener, and in every region with a proxy-only subnet an internal frontend (a
 * SHARED_LOADBALANCER_VIP address, as the listeners' forwarding rules share it) reachable from
 * the whole VPC. Returns each region's frontend address; the targets' region comes first.
 */
export function crossRegionInternalProxy(
  args: LoadBalancerArgs,
  parent: pulumi.Resource,
  project: string | undefined,
  groups: InstanceGroupRegistry,
): { region: string; address: pulumi.Output<string> }[] {
  const gcp = gcpSdk();
  const proxyOnly = proxyOnlySubnetsOf(args.network);
  if (!proxyOnly)
    throw new Error(`gcp: load balancer ${args.name}: its network was not built by the gcp platform (no proxy-only subnets known)`);
  const plans = frontendPlan(args, proxyOnly);
  const proxies = proxyChains(args, "INTERNAL_MANAGED", parent, project, groups);
  const frontends = plans.map((plan) => {
    // purpose SHARED_LOADBALANCER_VIP: one internal address used by several internal forwarding
    // rules (@pulumi/gcp compute.Address `purpose`).
    const ip = new gcp.compute.Address(
      `${args.name}-${plan.region}-ip`,
      {
        project,
        region: plan.region,
        subnetwork: args.network.subnetIds[plan.subnet],
        addressType: "INTERNAL",
        purpose: "SHARED_LOADBALANCER_VIP",
        address: plan.address,
      },
      { parent },
    );
    for (const l of args.listeners) {
      // A global INTERNAL_MANAGED forwarding rule takes its region from `subnetwork`, which must
      // be a VM subnet, not the proxy-only one; the proxy-only subnet must exist first
      // (@pulumi/gcp compute.GlobalForwardingRule; cloud.google.com/load-balancing/docs/tcp/setup-cross-reg-proxy-migs).
      new gcp.compute.GlobalForwardingRule(
        `${args.name}-${l.name}-${plan.region}`,
        {
          project,
          loadBalancingScheme: "INTERNAL_MANAGED",
          network: args.network.networkId,
          subnetwork: args.network.subnetIds[plan.subnet],
          ipAddress: ip.address,
          ipProtocol: "TCP",
          portRange: String(l.port),
          target: (proxies.get(l.name) as gcp.compute.TargetTCPProxy).id,
        },
        { parent, dependsOn: [plan.proxyOnly.subnet] },
      );
    }
    return { region: plan.region, address: ip.address };
  });
  // Envoy proxies connect to the targets from their region's proxy-only subnet; health checks come
  // from Google's health-check ranges (cloud.google.com/load-balancing/docs/firewall-rules,
  // "Cross-region internal proxy Network Load Balancer"). Clients reach the proxies, never the
  // targets: an internal frontend is reachable from the VPC and connected networks only.
  targetFirewall(
    args,
    `${args.name}-proxies`,
    plans.map((p) => p.proxyOnly.cidr),
    targetPorts(args),
    "Envoy proxies (proxy-only subnets)",
    parent,
    project,
  );
  targetFirewall(args, `${args.name}-health`, GCP_HEALTH_CHECK_RANGES, [args.healthCheck.port], "health checks", parent, project);
  return frontends;
}

/**
 * Global external proxy NLB (EXTERNAL_MANAGED) on one public address. The proxies hide client
 * addresses from the VPC firewall, so the source restriction is a Cloud Armor backend security
 * policy, which this load balancer supports with IP allow/deny rules
 * (cloud.google.com/armor/docs/security-policy-overview, "Global external proxy Network Load
 * Balancer (TCP/SSL)"; cloud.google.com/armor/docs/common-use-cases, "IP allow/deny rules").
 */
export function globalExternalProxy(
  args: LoadBalancerArgs,
  parent: pulumi.Resource,
  project: string | undefined,
  groups: InstanceGroupRegistry,
): pulumi.Output<string> {
  const gcp = gcpSdk();
  // type CLOUD_ARMOR: a backend security policy (@pulumi/gcp compute.SecurityPolicy `type`).
  const policy = new gcp.compute.SecurityPolicy(
    `${args.name}-sources`,
    {
      project,
      type: "CLOUD_ARMOR",
      description: `pgha load balancer ${args.name}: loadBalancer.sourceRanges only`,
      rules: cloudArmorSourceRules(args.sourceRanges),
    },
    { parent },
  );
  const proxies = proxyChains(args, "EXTERNAL_MANAGED", parent, project, groups, policy.id);
  if (args.publicAddress?.scope !== "global")
    throw new Error(`gcp: load balancer ${args.name}: the global external proxy needs its global address reserved first (publicAddress)`);
  const ip = args.publicAddress;
  for (const l of args.listeners) {
    new gcp.compute.GlobalForwardingRule(
      `${args.name}-${l.name}`,
      {
        project,
        target: (proxies.get(l.name) as gcp.compute.TargetTCPProxy).id,
        ipAddress: ip.address,
        ipProtocol: "TCP",
        portRange: String(l.port),
        loadBalancingScheme: "EXTERNAL_MANAGED",
      },
      { parent },
    );
  }
  // Google Front Ends proxy from the health-check ranges for instance-group backends
  // (cloud.google.com/load-balancing/docs/firewall-rules): open target and health ports to them only.
  const ports = [...targetPorts(args), args.healthCheck.port];
  targetFirewall(
    args,
    `${args.name}-proxies`,
    GCP_HEALTH_CHECK_RANGES,
    ports,
    "Google Front End proxies and health checks",
    parent,
    project,
  );
  return ip.address;
}
