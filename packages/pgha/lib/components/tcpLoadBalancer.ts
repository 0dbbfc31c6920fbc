import * as pulumi from "@pulumi/pulumi";
import { applicationConnectionString, plannedLoadBalancerAddress } from "./clientEndpoints";
import { ConfigError, PUBLIC_MEMBERS_MESSAGE } from "../config";
import { HAPROXY_HEALTH_PATH } from "../render/haproxy";
import type { HealthCheck, ReservedAddress } from "../platform/types";
import { type ClusterContext, contextOf, type LoadBalancerContext, type PairContext, type ReplicationEndpoint } from "./context";
import { type HaproxyPair, loadBalancerListeners } from "./haproxyPair";
import type { PatroniCluster } from "./patroniCluster";
import type { StandbyCluster } from "./standbyCluster";
import type { PlanLoadBalancer } from "./plan";

/**
 * Where the load balancer goes and how far it reaches. Its exposure (internal or public, source
 * ranges, publicDirect) is the cluster's `loadBalancer` setting (see LoadBalancerInput).
 */
export interface TcpLoadBalancerArgs {
  /**
   * Put the LB in front of an HAProxy pair: it publishes the pair's listeners, and its health
   * check asks HAProxy's monitor port. Exactly one of `haproxy` and `cluster`.
   */
  haproxy?: HaproxyPair;
  /**
   * Or straight in front of the Patroni members: one listener on the PostgreSQL port, health
   * check Patroni's `GET /primary`. Exactly one of `haproxy` and `cluster`.
   */
  cluster?: PatroniCluster | StandbyCluster;
  /**
   * regional: a passthrough network load balancer in the cluster's region. global: a
   * cross-region TCP proxy reachable from every region (platforms with a global load balancer:
   * gcp and the lab; yandex refuses it). Default: the cluster's `loadBalancer.scope` (regional
   * unless set); a public load balancer must have that scope, as its address was reserved for it.
   */
  scope?: "regional" | "global";
}

// Exposure is not an argument here: it is the cluster's `loadBalancer.exposure` (with
// sourceRanges and publicDirect), because the HAProxy or Patroni firewall, created before this
// load balancer, must already admit exactly those sources.

/** A cloud TCP load balancer whose health checks know which member is the primary. */
export class TcpLoadBalancer extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;
  /** `address:port` for writes. */
  readonly primaryEndpoint: pulumi.Output<string>;
  readonly loadBalancer: pulumi.Output<PlanLoadBalancer>;
  /**
   * The first application role's libpq URL through the load balancer's primary listener, against
   * the cluster CA (`<cluster>-ca.crt`); a secret, undefined without an application role.
   * sslmode=verify-full: the members' certificates name the address, planned for an internal LB,
   * reserved by the cluster before its certificates for a public one.
   */
  readonly connectionString: pulumi.Output<string | undefined>;
  /**
   * The `direct` listener (raw PostgreSQL on the primary, replication included) on the LB's
   * address: what a StandbyCluster given this load balancer as `via` streams from. Undefined when
   * the LB publishes no direct listener (an HAProxy pair without one, or public without publicDirect).
   */
  readonly replicationEndpoint: ReplicationEndpoint | undefined;
  /** @internal The cluster it follows, for a standby streaming through it. */
  readonly context: LoadBalancerContext;

  constructor(name: string, args: TcpLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const context = `invalid pgha TcpLoadBalancer '${name}'`;
    if ((args.haproxy === undefined) === (args.cluster === undefined))
      throw new ConfigError(
        [{ path: "haproxy", message: "give exactly one of haproxy (an HaproxyPair) and cluster (a PatroniCluster)" }],
        context,
      );
    const pair = args.haproxy ? contextOf(args.haproxy, "haproxy") : undefined;
    const owner = pair ? pair.cluster : contextOf(args.cluster, "cluster");
    const net = owner.network;
    const scope = args.scope ?? owner.spec.loadBalancer.scope;
    // The cluster's rules (lib/config/access.ts) already checked its exposure and sources; which
    // targets a load balancer gets is decided here, so publishing raw PostgreSQL is checked here too.
    const lbSpec = owner.spec.loadBalancer;
    if (!pair && lbSpec.exposure === "public" && !lbSpec.publicDirect)
      throw new ConfigError([{ path: "loadBalancer.publicDirect", message: PUBLIC_MEMBERS_MESSAGE }], context);
    if (scope === "global" && !net.platform.capabilities.globalLoadBalancer)
      throw new ConfigError(
        [{ path: "scope", message: `a global (cross-region) TCP load balancer exists only on gcp, not ${net.base.platform.kind}` }],
        context,
      );
    const publicAddress = lbSpec.exposure === "public" ? reservedPublicAddress(owner, scope, context) : undefined;
    super("pgha:index:TcpLoadBalancer", name, {}, opts);

    const vmsAndChecks = pair ? pairTargets(pair) : memberTargets(owner);
    const handle = net.platform.loadBalancer(
      {
        name,
        scope,
        region: vmsAndChecks.region,
        exposure: lbSpec.exposure,
        network: net.handle,
        listeners: vmsAndChecks.listeners,
        targets: [...vmsAndChecks.targets],
        healthCheck: vmsAndChecks.healthCheck,
        sourceRanges:
          lbSpec.exposure === "public" ? lbSpec.sourceRanges : [...net.base.subnets.map((s) => s.cidr), ...net.base.platform.clientCidrs],
        address: plannedLoadBalancerAddress(net, owner.spec),
        publicAddress,
      },
      this,
    );
    this.replicationEndpoint = vmsAndChecks.directPort !== undefined ? { host: handle.address, port: vmsAndChecks.directPort } : undefined;
    this.context = { name, cluster: owner };

    const primary = vmsAndChecks.listeners[0];
    this.address = handle.address;
    this.primaryEndpoint = pulumi.interpolate`${handle.address}:${primary.port}`;
    this.connectionString = applicationConnectionString(owner, this.primaryEndpoint);
    this.loadBalancer = handle.address.apply((address) => ({
      name,
      kind: "cloud" as const,
      scope,
      region: vmsAndChecks.region,
      address,
      listeners: vmsAndChecks.listeners,
      targets: vmsAndChecks.targets.map((t) => ({ name: t.name, ip: t.ip })),
      healthCheck: vmsAndChecks.healthCheck,
    }));
    this.registerOutputs({ address: this.address, primaryEndpoint: this.primaryEndpoint, connectionString: this.connectionString });
  }
}

/**
 * The public address the cluster reserved for this load balancer (its certificates name it).
 * The cluster reserves one only with `loadBalancer.enabled` (which also opens its firewall to the
 * sources), for its `loadBalancer.scope`.
 */
function reservedPublicAddress(cluster: ClusterContext, scope: "regional" | "global", context: string): ReservedAddress {
  const reserved = cluster.publicLoadBalancerAddress;
  if (!reserved)
    throw new ConfigError(
      [
        {
          path: "loadBalancer.enabled",
          message:
            `cluster '${cluster.spec.name}' has loadBalancer.enabled: false, so it reserved no public address and admits no ` +
            `public sources; set loadBalancer.enabled: true on the cluster`,
        },
      ],
      context,
    );
  if (reserved.scope !== scope)
    throw new ConfigError(
      [
        {
          path: "scope",
          message:
            `cluster '${cluster.spec.name}' reserved a ${reserved.scope} public address (its loadBalancer.scope); ` +
            `use scope "${reserved.scope}"`,
        },
      ],
      context,
    );
  return reserved;
}

function check(protocol: HealthCheck["protocol"], port: number, path: string): HealthCheck {
  return { protocol, port, path, intervalS: 2, timeoutS: 1, healthyThreshold: 2, unhealthyThreshold: 2 };
}

/** The HAProxy pair as targets: its monitor's `/health` follows the primary. */
function pairTargets(pair: PairContext) {
  const listeners = loadBalancerListeners(pair.spec, pair.cluster.spec.loadBalancer);
  return {
    targets: pair.vms,
    listeners,
    healthCheck: check("http", pair.spec.listeners.monitor, HAPROXY_HEALTH_PATH),
    region: pair.vms[0].region,
    directPort: listeners.find((x) => x.name === "direct")?.port,
  };
}

/**
 * Patroni members as targets: only the primary passes `GET /primary`. The cloud's HTTPS check
 * cannot verify Patroni's certificate: GCP's HealthCheck (httpsHealthCheck) and Yandex's target
 * group health check have no field for a CA or an expected name. HAProxy's checks do verify it.
 */
function memberTargets(cluster: ClusterContext) {
  const spec = cluster.spec;
  return {
    targets: cluster.vms,
    listeners: [{ name: "primary", port: spec.postgres.port, targetPort: spec.postgres.port }],
    healthCheck: check(cluster.network.base.tls.restApi ? "https" : "http", spec.patroni.restApiPort, "/primary"),
    region: spec.region,
    directPort: spec.postgres.port,
  };
}
