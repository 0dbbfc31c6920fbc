import * as pulumi from "@pulumi/pulumi";
import { clusterBlock, type ClusterSpec, etcdClusterName, etcdRegion, etcdRegions, standbySlotOf, type Topology } from "../config";
import type { PlatformSettings } from "../platform";
import { ClientVm } from "./clientVm";
import { composeGke } from "./composeGke";
import { EtcdCluster } from "./etcdCluster";
import { HaproxyPair } from "./haproxyPair";
import { Network } from "./network";
import { PatroniCluster, type PatroniClusterArgs } from "./patroniCluster";
import type { PlanLoadBalancer, PlanNode, PlanStandbyLink } from "./plan";
import { StandbyCluster } from "./standbyCluster";
import { TcpLoadBalancer } from "./tcpLoadBalancer";
import { WalgBucket } from "./walgBucket";

export interface ComposedStack {
  nodes: pulumi.Output<PlanNode[]>;
  loadBalancers: pulumi.Output<PlanLoadBalancer[]>;
  standbyLinks: pulumi.Output<PlanStandbyLink[]>;
  /**
   * Per cluster: endpoints users connect to: the load balancer's or HAProxy's, or without either
   * the members' multi-host list (connect with target_session_attrs=read-write).
   */
  endpoints: pulumi.Output<Record<string, { primary: string; replicas: string }>>;
  /**
   * Per cluster with an application role: that role's libpq URL through the front-most endpoint
   * (load balancer, else HAProxy, else the members), TLS verified against the cluster CA
   * (sslrootcert `<cluster>-ca.crt`); a secret. Never the superuser's.
   */
  connectionStrings: pulumi.Output<Record<string, string>>;
  /** Per cluster: its CA certificate (PEM, not secret), to save as `<cluster>-ca.crt` for sslrootcert. */
  caCertificates: pulumi.Output<Record<string, string>>;
}

/**
 * Build a whole validated topology from pgha's components: the network, one etcd cluster
 * per region with Patroni clusters, backups, Patroni clusters with their HAProxy pairs and
 * TCP load balancers, standby clusters (streaming through their source's load balancer), and
 * client VMs.
 */
export function composeTopology(t: Topology, cloud: PlatformSettings = {}, parent?: pulumi.Resource): ComposedStack {
  if (t.platform.kind === "gke") return composeGke(t, (cloud as { gke?: unknown }).gke, parent);
  const opts = parent ? { parent } : undefined;
  const network = new Network(
    t.name,
    { name: t.name, platform: t.platform, regions: t.regions, subnets: t.subnets, tls: t.tls, lab: t.lab, cloud },
    opts,
  );

  const etcds = new Map<string, EtcdCluster>();
  for (const region of etcdRegions(t)) {
    const { subnets, region: _r, ...etcd } = t.etcd;
    const own = region === etcdRegion(t);
    etcds.set(region, new EtcdCluster(etcdClusterName(t, region), { ...etcd, network, region, subnets: own ? subnets : undefined }, opts));
  }

  const nodes: pulumi.Output<PlanNode[]>[] = [...etcds.values()].map((e) => e.nodes);
  const lbs: pulumi.Output<PlanLoadBalancer | undefined>[] = [];
  const links: pulumi.Output<PlanStandbyLink | undefined>[] = [];
  const endpoints: Record<string, pulumi.Output<{ primary: string; replicas: string }>> = {};
  const connections: Record<string, pulumi.Output<string | undefined>> = {};
  const caCertificates: Record<string, pulumi.Output<string>> = {};
  // What a standby of each source streams through: the TCP LB in front, else the HAProxy pair
  // (the first with a direct listener); undefined leaves the standby on the source's members.
  const built = new Map<string, { cluster: PatroniCluster; via?: HaproxyPair | TcpLoadBalancer }>();

  // Each source with its HAProxy pair and load balancer before any standby: a standby is given
  // its source's load balancer as `via`, whatever order the topology lists the clusters in.
  const ordered = [...t.clusters.filter((c) => !c.standby), ...t.clusters.filter((c) => c.standby)];
  for (const c of ordered) {
    const backups = c.backups ? new WalgBucket(`${c.name}-backups`, { ...c.backups, network, region: c.region }, opts) : undefined;
    const standbySlots = t.clusters.filter((s) => s.standby?.source === c.name).map(standbySlotOf);
    const args: PatroniClusterArgs = {
      ...clusterFields(c),
      network,
      etcd: etcds.get(c.region),
      backups,
      standbySlots,
      addressBlock: clusterBlock(t, c),
    };
    const cluster = c.standby
      ? buildStandby(c.name, args, c.standby, built.get(c.standby.source), opts)
      : new PatroniCluster(c.name, args, opts);
    nodes.push(cluster.nodes);

    // Without HAProxy or a load balancer, writes go to the members' multi-host list.
    let primary: pulumi.Output<string> = cluster.membersEndpoint;
    let connection = cluster.connectionString;
    let replicas: pulumi.Output<string> = cluster.replicasEndpoint;
    const pair = c.haproxy.enabled ? new HaproxyPair(c.name, { ...c.haproxy, cluster }, opts) : undefined;
    if (pair) {
      nodes.push(pair.nodes);
      lbs.push(pair.loadBalancer);
      primary = pair.primaryEndpoint;
      replicas = pair.replicasEndpoint;
      connection = pair.connectionString;
    }
    const lb = c.loadBalancer.enabled
      ? new TcpLoadBalancer(c.name, pair ? { haproxy: pair, scope: c.loadBalancer.scope } : { cluster, scope: c.loadBalancer.scope }, opts)
      : undefined;
    if (lb) {
      lbs.push(lb.loadBalancer);
      primary = lb.primaryEndpoint;
      connection = lb.connectionString;
    }
    if (!c.standby) built.set(c.name, { cluster, via: [lb, pair].find((x) => x?.replicationEndpoint !== undefined) });
    endpoints[c.name] = pulumi.all([primary, replicas]).apply(([p, r]) => ({ primary: p, replicas: r }));
    connections[c.name] = connection;
    caCertificates[c.name] = cluster.caCert;
    links.push(cluster.standbyOf.apply((s) => (s ? { cluster: c.name, ...s } : undefined)));
  }

  t.clients.forEach((client, i) => {
    const vm = new ClientVm(
      `${t.name}-client-${i}`,
      { network, region: client.region, subnet: client.subnet, index: i, postgresMajor: t.clusters[0].postgres.major },
      opts,
    );
    nodes.push(vm.nodes);
  });

  return {
    nodes: pulumi.all(nodes).apply((groups) => groups.flat()),
    loadBalancers: pulumi.all(lbs).apply((list) => list.filter((x): x is PlanLoadBalancer => x !== undefined)),
    standbyLinks: pulumi.all(links).apply((list) => list.filter((x): x is PlanStandbyLink => x !== undefined)),
    endpoints: pulumi.all(endpoints),
    connectionStrings: pulumi.secret(pulumi.all(connections).apply(definedValues)),
    caCertificates: pulumi.all(caCertificates),
  };
}

function buildStandby(
  name: string,
  args: PatroniClusterArgs,
  standby: NonNullable<ClusterSpec["standby"]>,
  source: { cluster: PatroniCluster; via?: HaproxyPair | TcpLoadBalancer } | undefined,
  opts: pulumi.ComponentResourceOptions | undefined,
): StandbyCluster {
  // The topology rules reject unknown and standby sources, and sources are built first.
  if (!source) throw new Error(`composeTopology: source '${standby.source}' of '${name}' was not built before it`);
  const { slotName, restoreFromSourceBackups } = standby;
  return new StandbyCluster(name, { ...args, source: source.cluster, via: source.via, slotName, restoreFromSourceBackups }, opts);
}

/** ClusterSpec fields a PatroniCluster takes as args (the rest come as components). */
function clusterFields(c: ClusterSpec) {
  const { name: _n, standby: _s, backups: _b, ...fields } = c;
  return fields;
}

/** The entries that have a value (clusters without an application role export no connection string). */
function definedValues(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => e[1] !== undefined));
}
