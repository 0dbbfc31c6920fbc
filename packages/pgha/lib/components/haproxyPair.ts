import * as pulumi from "@pulumi/pulumi";
import {
  type ClusterSpec,
  ConfigError,
  type HaproxyInput,
  type HaproxySpec,
  haproxySpec,
  keepalivedEnabled,
  parseSection,
  planAddresses,
} from "../config";
import { HAPROXY_HEALTH_PATH } from "../render/haproxy";
import { vrrpAuthPass } from "../render/keepalived";
import type { HaproxyNodeModel } from "../render/model";
import { applicationConnectionString } from "./clientEndpoints";
import { contextOf, type PairContext, type ReplicationEndpoint, topologyOf } from "./context";
import { placeVm, planNode } from "./vm";
import { clusterFirewall } from "./firewalls";
import { type PatroniCluster, publicListenersOf } from "./patroniCluster";
import type { StandbyCluster } from "./standbyCluster";
import type { PlanLoadBalancer, PlanNode } from "./plan";
import { generatedPassword } from "./secrets";
import { haproxySecretEntries, haproxyUserData, nodeSecret, nodeTarget } from "./userData";
import type { VmHandle } from "../platform/types";

/**
 * An HAProxy pair's settings as in a stack file's `clusters[].haproxy` (see HaproxyInput for
 * each field; `enabled` has no meaning here: creating the component is enabling it).
 */
export interface HaproxyPairArgs extends Omit<HaproxyInput, "enabled"> {
  /**
   * The cluster the pair routes to, in the same network. Its `haproxy` settings are not used:
   * these arguments are. Required.
   */
  cluster: PatroniCluster | StandbyCluster;
}

/**
 * Two HAProxy VMs routing to the Patroni member in each role (primary, replicas, sync, async),
 * with a keepalived unicast VIP where the platform can float one. On GCP there is no VIP:
 * put a TcpLoadBalancer in front (its health check asks the monitor port).
 */
export class HaproxyPair extends pulumi.ComponentResource {
  /** The VIP, or undefined where the platform has none (use a TcpLoadBalancer). */
  readonly vip: pulumi.Output<string | undefined>;
  readonly nodeIps: pulumi.Output<string[]>;
  /** `host:port` for writes (VIP or first node). */
  readonly primaryEndpoint: pulumi.Output<string>;
  readonly replicasEndpoint: pulumi.Output<string>;
  readonly statsUrl: pulumi.Output<string>;
  /**
   * The first application role's libpq URL through the primary listener (VIP or first node),
   * sslmode=verify-full against the cluster CA (`<cluster>-ca.crt`: the cluster's `caCert`);
   * a secret. Undefined without an application role.
   */
  readonly connectionString: pulumi.Output<string | undefined>;
  readonly nodes: pulumi.Output<PlanNode[]>;
  /** The VIP as a load balancer, for the plan (undefined without VIP). */
  readonly loadBalancer: pulumi.Output<PlanLoadBalancer | undefined>;
  /**
   * The `direct` listener (raw PostgreSQL on the primary, replication included) on the VIP or
   * first node: what a StandbyCluster given this pair as `via` streams from. Undefined without
   * a direct listener.
   */
  readonly replicationEndpoint: ReplicationEndpoint | undefined;
  /** @internal What a TcpLoadBalancer in front of the pair, or a standby streaming through it, needs. */
  readonly context: PairContext;

  constructor(name: string, args: HaproxyPairArgs, opts?: pulumi.ComponentResourceOptions) {
    const cluster = contextOf(args.cluster, "cluster");
    const net = cluster.network;
    const context = `invalid pgha HaproxyPair '${name}'`;
    const { cluster: _c, ...fields } = args;
    const spec = parseSection(haproxySpec, { ...fields, enabled: true }, "haproxy", context);
    const clusterSpec = { ...cluster.spec, haproxy: spec };
    const topology = topologyOf(net, [clusterSpec]);
    if (!net.platform.capabilities.vip && spec.keepalived.enabled === true)
      throw new ConfigError(
        [
          {
            path: "haproxy.keepalived.enabled",
            message: `${net.platform.kind} VPCs cannot move a VIP by gratuitous ARP; put a TcpLoadBalancer in front`,
          },
        ],
        context,
      );
    const plan = planAddresses(topology);
    const planned = plan.nodes.filter((n) => n.role === "haproxy");
    const vip = plan.vips[0];
    const withVip = keepalivedEnabled(topology, clusterSpec) && net.platform.capabilities.vip;
    super("pgha:index:HaproxyPair", name, {}, opts);

    const peers = planned.map((n) => ({ name: n.name, ip: n.ip }));
    const vrrpSecret = withVip ? generatedPassword(`${name}-vrrp-password`, this, 16) : pulumi.output("");
    const backendPort = cluster.spec.pgbouncer.enabled ? cluster.spec.pgbouncer.port : cluster.spec.postgres.port;
    const l = spec.listeners;
    const firewall = clusterFirewall(net, `${name}-haproxy`, "haproxy", this, {
      internal: [l.stats],
      clients: [l.primary, l.replicas, ...(l.sync ? [l.sync] : []), ...(l.async ? [l.async] : []), ...(l.direct ? [l.direct] : [])],
      healthChecked: [l.monitor],
      vrrp: withVip,
      publicListeners: publicListenersOf(
        cluster.spec,
        loadBalancerListeners(spec, cluster.spec.loadBalancer).map((x) => x.targetPort),
      ),
    });

    const vms: VmHandle[] = [];
    // The pair's identity; it reads the nodes' secrets (keepalived's auth_pass, with a VIP only).
    const account = net.platform.serviceAccount(`${name}-haproxy`, this);
    const nodes = planned.map((n, i) => {
      const rendered = pulumi
        .all([vrrpSecret, nodeTarget(net), cluster.caCert ?? pulumi.output(undefined)])
        .apply(([secret, target, caCert]) => {
          const model: HaproxyNodeModel = {
            cluster: cluster.spec.name,
            spec,
            node: { name: n.name, ip: n.ip },
            peers,
            backends: [...cluster.members],
            backendPort,
            directPort: cluster.spec.postgres.port,
            patroniRestPort: cluster.spec.patroni.restApiPort,
            restApiTls: net.base.tls.restApi,
            restApiCaCert: caCert,
            standbyCluster: cluster.spec.standby !== undefined,
            synchronousMode: cluster.spec.patroni.dcs.synchronous_mode,
            vip:
              withVip && vip
                ? { ip: vip.ip, prefixLength: n.prefixLength, priority: spec.keepalived.priority - 10 * i, authPass: vrrpAuthPass(secret) }
                : null,
          };
          return { model, target };
        });
      const secret = withVip
        ? nodeSecret(
            net,
            n.name,
            account,
            rendered.apply((r) => haproxySecretEntries(r.model)),
            this,
          )
        : undefined;
      const userData = pulumi.secret(
        pulumi
          .all([rendered, secret?.store ?? pulumi.output(undefined)])
          .apply(([r, store]) => haproxyUserData({ ...r, os: net.base.platform.os, store })),
      );
      const placement = { firewalls: [firewall], serviceAccount: account.id, dependsOn: secret?.resources, spreadGroup: `${name}-haproxy` };
      vms.push(placeVm(net, n, userData, placement, this));
      return userData.apply((ud: string) => planNode(n, ud));
    });
    this.context = { name, cluster, spec, vms };

    const front = withVip && vip ? vip.ip : planned[0].ip;
    this.replicationEndpoint = l.direct !== undefined ? { host: pulumi.output(front), port: l.direct } : undefined;
    this.vip = pulumi.output(withVip && vip ? vip.ip : undefined);
    this.nodeIps = pulumi.output(planned.map((n) => n.ip));
    this.primaryEndpoint = pulumi.output(`${front}:${l.primary}`);
    this.replicasEndpoint = pulumi.output(`${front}:${l.replicas}`);
    this.statsUrl = pulumi.output(`http://${front}:${l.stats}/`);
    this.connectionString = applicationConnectionString(cluster, `${front}:${l.primary}`);
    this.nodes = pulumi.all(nodes);
    this.loadBalancer = pulumi.output(
      withVip && vip
        ? {
            name: `${name}-vip`,
            kind: "vip" as const,
            scope: "regional" as const,
            region: planned[0].region,
            address: vip.ip,
            listeners: listenersOf(spec),
            targets: peers,
            healthCheck: {
              protocol: "http" as const,
              port: l.monitor,
              path: HAPROXY_HEALTH_PATH,
              intervalS: 2,
              timeoutS: 1,
              healthyThreshold: 2,
              unhealthyThreshold: 2,
            },
          }
        : undefined,
    );
    this.registerOutputs({
      vip: this.vip,
      nodeIps: this.nodeIps,
      primaryEndpoint: this.primaryEndpoint,
      replicasEndpoint: this.replicasEndpoint,
      connectionString: this.connectionString,
      nodes: this.nodes,
    });
  }
}

/**
 * The listeners a cloud load balancer in front of the pair publishes: all of them, except that a
 * public one leaves off `direct` (raw PostgreSQL, replication included) unless publicDirect says so.
 */
export function loadBalancerListeners(
  spec: HaproxySpec,
  lb: ClusterSpec["loadBalancer"],
): { name: string; port: number; targetPort: number }[] {
  const all = listenersOf(spec);
  return lb.exposure === "public" && !lb.publicDirect ? all.filter((x) => x.name !== "direct") : all;
}

/** Listener name -> port, same port behind a LB. */
export function listenersOf(spec: HaproxySpec): { name: string; port: number; targetPort: number }[] {
  const l = spec.listeners;
  const named: [string, number | undefined][] = [
    ["primary", l.primary],
    ["replicas", l.replicas],
    ["sync", l.sync],
    ["async", l.async],
    ["direct", l.direct],
  ];
  return named.filter((x): x is [string, number] => x[1] !== undefined).map(([name, port]) => ({ name, port, targetPort: port }));
}
