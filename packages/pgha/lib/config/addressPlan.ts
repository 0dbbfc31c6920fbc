import { type Cidr, formatIpv4, parseCidr } from "./common";
import type { ClusterSpec, SubnetSpec, Topology } from "./topology";

/**
 * Static private addresses, planned from subnet CIDRs before any VM exists, so that
 * etcd's initial-cluster, Patroni's etcd3.hosts and HAProxy backends can be rendered
 * up front and the lab can reuse the very same addresses.
 *
 * Host offsets inside every subnet (stable when replicas are added or removed):
 *   10-14  etcd members
 *   16-19  client VMs
 *   32 + 16*block + 0..8   Patroni nodes of the cluster with that address block
 *   32 + 16*block + 10,11  its HAProxy pair, + 12 its keepalived VIP, + 13 its internal TCP LB
 * Offsets 0-9 stay free for the cloud's own reservations (gateway, DNS).
 */
export const ETCD_OFFSET = 10;
export const CLIENT_OFFSET = 16;
export const CLUSTER_BLOCK_BASE = 32;
export const CLUSTER_BLOCK_SIZE = 16;
const HAPROXY_IN_BLOCK = 10;
const VIP_IN_BLOCK = 12;
const LB_IN_BLOCK = 13;
/** Addresses at the top of a subnet that clouds reserve (broadcast, GCP's second-to-last). */
const RESERVED_TAIL = 2;

export type NodeRole = "etcd" | "patroni" | "haproxy" | "client";

export interface PlannedNode {
  name: string;
  /** Name of the component the node belongs to (cluster name, or topology name for etcd/clients). */
  component: string;
  role: NodeRole;
  index: number;
  region: string;
  zone: string;
  subnet: string;
  ip: string;
  prefixLength: number;
  gateway: string;
  offset: number;
}

export interface PlannedVip {
  cluster: string;
  subnet: string;
  ip: string;
  offset: number;
}

/** Frontend address of a cluster's internal TCP load balancer. */
export interface PlannedLoadBalancer {
  cluster: string;
  subnet: string;
  ip: string;
  offset: number;
}

export interface AddressPlan {
  nodes: PlannedNode[];
  vips: PlannedVip[];
  loadBalancers: PlannedLoadBalancer[];
}

interface Placement {
  zone: string;
  subnet: SubnetSpec;
}

/** Zone-ordered placements in a region; a regional subnet serves every zone. */
export function placementsFor(t: Topology, region: string, subnetNames?: string[]): Placement[] {
  const regionSpec = t.regions.find((r) => r.name === region);
  if (!regionSpec) return [];
  const allowed = t.subnets.filter((s) => s.region === region && (!subnetNames || subnetNames.includes(s.name)));
  const out: Placement[] = [];
  for (const zone of regionSpec.zones) {
    const subnet = allowed.find((s) => s.zone === zone) ?? allowed.find((s) => s.zone === undefined);
    if (subnet) out.push({ zone, subnet });
  }
  return out;
}

export function clusterBlock(t: Topology, cluster: ClusterSpec): number {
  return cluster.addressBlock ?? t.clusters.indexOf(cluster);
}

function addressAt(subnet: SubnetSpec, offset: number): { ip: string; cidr: Cidr } {
  const c = parseCidr(subnet.cidr);
  return { ip: formatIpv4(c.network + offset), cidr: c };
}

function node(name: string, component: string, role: NodeRole, index: number, region: string, p: Placement, offset: number): PlannedNode {
  const { ip, cidr } = addressAt(p.subnet, offset);
  return {
    name,
    component,
    role,
    index,
    region,
    zone: p.zone,
    subnet: p.subnet.name,
    ip,
    prefixLength: cidr.prefix,
    gateway: formatIpv4(cidr.network + 1),
    offset,
  };
}

export function etcdRegion(t: Topology): string {
  return t.etcd.region ?? t.clusters.find((c) => !c.standby)?.region ?? t.regions[0].name;
}

/**
 * One etcd cluster per region that holds Patroni clusters: a standby cluster in another
 * region must keep its DCS when the primary region is lost. The first is the stack's own.
 */
export function etcdRegions(t: Pick<Topology, "etcd" | "clusters" | "regions" | "platform">): string[] {
  if (t.platform.kind === "gke") return [];
  const first = etcdRegion(t as Topology);
  const others = t.regions.map((r) => r.name).filter((r) => r !== first && t.clusters.some((c) => c.region === r));
  return [first, ...others];
}

/** Name prefix of a region's etcd cluster: the stack name in the first region, `${stack}-${region}` elsewhere. */
export function etcdClusterName(t: Pick<Topology, "name" | "etcd" | "clusters" | "regions" | "platform">, region: string): string {
  return region === etcdRegions(t)[0] ? t.name : `${t.name}-${region}`;
}

/** Pure and deterministic: the same topology always yields the same plan. */
export function planAddresses(t: Topology): AddressPlan {
  const nodes: PlannedNode[] = [];
  const vips: PlannedVip[] = [];
  const loadBalancers: PlannedLoadBalancer[] = [];

  for (const region of etcdRegions(t)) {
    const name = etcdClusterName(t, region);
    const places = placementsFor(t, region, region === etcdRegion(t) ? t.etcd.subnets : undefined);
    for (let i = 0; i < t.etcd.members && places.length > 0; i++) {
      nodes.push(node(`${name}-etcd-${i}`, name, "etcd", i, region, places[i % places.length], ETCD_OFFSET + i));
    }
  }

  for (const cluster of t.clusters) {
    const base = CLUSTER_BLOCK_BASE + CLUSTER_BLOCK_SIZE * clusterBlock(t, cluster);
    const places = placementsFor(t, cluster.region, cluster.subnets);
    if (places.length === 0) continue;
    if (t.platform.kind === "gke") continue; // pods get addresses from Kubernetes
    for (let i = 0; i < cluster.nodes; i++) {
      nodes.push(node(`${cluster.name}-pg-${i}`, cluster.name, "patroni", i, cluster.region, places[i % places.length], base + i));
    }
    if (cluster.haproxy.enabled) {
      const haPlaces = haproxyPlacements(t, cluster, places);
      for (let i = 0; i < cluster.haproxy.nodes; i++) {
        nodes.push(
          node(
            `${cluster.name}-haproxy-${i}`,
            cluster.name,
            "haproxy",
            i,
            cluster.region,
            haPlaces[i % haPlaces.length],
            base + HAPROXY_IN_BLOCK + i,
          ),
        );
      }
      if (keepalivedEnabled(t, cluster)) {
        const subnet = haPlaces[0].subnet;
        const ip = cluster.haproxy.keepalived.vip ?? addressAt(subnet, base + VIP_IN_BLOCK).ip;
        vips.push({ cluster: cluster.name, subnet: subnet.name, ip, offset: base + VIP_IN_BLOCK });
      }
    }
    if (cluster.loadBalancer.enabled) {
      const subnet = places[0].subnet;
      loadBalancers.push({
        cluster: cluster.name,
        subnet: subnet.name,
        ip: addressAt(subnet, base + LB_IN_BLOCK).ip,
        offset: base + LB_IN_BLOCK,
      });
    }
  }

  t.clients.forEach((client, i) => {
    const places = placementsFor(t, client.region, client.subnet ? [client.subnet] : undefined);
    if (places.length > 0) nodes.push(node(`${t.name}-client-${i}`, t.name, "client", i, client.region, places[0], CLIENT_OFFSET + i));
  });
  return { nodes, vips, loadBalancers };
}

/** A VIP moves by gratuitous ARP inside one L2 segment, so with keepalived both HAProxy nodes share a subnet. */
function haproxyPlacements(t: Topology, cluster: ClusterSpec, places: Placement[]): Placement[] {
  const wanted = cluster.haproxy.subnet ? places.filter((p) => p.subnet.name === cluster.haproxy.subnet) : places;
  const pool = wanted.length > 0 ? wanted : places;
  if (!keepalivedEnabled(t, cluster)) return pool;
  const same = pool.filter((p) => p.subnet.name === pool[0].subnet.name);
  return same;
}

/**
 * Cloud VPCs (GCP, Yandex) deliver a private IP only to the VM it is assigned to, so a
 * gratuitous-ARP VIP gets no traffic there: HAProxy sits behind a cloud TCP LB instead.
 * Only the lab's bridges carry a keepalived VIP.
 */
export function platformSupportsVip(kind: Topology["platform"]["kind"]): boolean {
  return kind === "local";
}

export function keepalivedEnabled(t: Topology, cluster: ClusterSpec): boolean {
  const supportsVip = platformSupportsVip(t.platform.kind);
  return supportsVip && cluster.haproxy.enabled && (cluster.haproxy.keepalived.enabled ?? true);
}

export function subnetCapacity(subnet: SubnetSpec): number {
  return parseCidr(subnet.cidr).size - RESERVED_TAIL;
}
