/**
 * What a topology means on GKE, before any resource exists (pure): one GKE cluster per
 * region that hosts Patroni clusters, the subnet and secondary ranges it uses, and per
 * Patroni cluster its namespace, slots, load balancer exposure and archive paths.
 */
import { type ClusterSpec, placementsFor, type SubnetSpec, type Topology } from "../../config";
import { type KubernetesLoadBalancer, kubernetesNames, type PermanentSlot, standbySlotName } from "../../kubernetes/model";
import { spiloImageRef, walgArchivePath } from "../../kubernetes/spilo";
import { defaultStorageClass, type GkeSettings, gkeRegions } from "./settings";

export interface GkeRegionPlan {
  region: string;
  zones: string[];
  /** GKE cluster name (also the prefix of its node pool). */
  clusterName: string;
  /** Subnet the nodes live in; it carries the pod and service secondary ranges. */
  subnet: SubnetSpec;
  podRangeName: string;
  serviceRangeName: string;
  podCidr: string;
  serviceCidr: string;
  masterCidr?: string;
}

export interface GkeClusterPlan {
  spec: ClusterSpec;
  region: string;
  namespace: string;
  image: string;
  storageClass: string;
  permanentSlots: Record<string, PermanentSlot>;
  loadBalancer: KubernetesLoadBalancer;
  /** Path of the cluster's archive inside its bucket. */
  archivePath?: string;
  standby?: { source: string; slot: string; restoreFromSourceBackups: boolean };
  /** Kubernetes service account the pods run as (Workload Identity principal). */
  kubernetesServiceAccount: string;
}

export interface GkeClientPlan {
  name: string;
  region: string;
  zone: string;
  subnet: string;
}

export interface GkePlan {
  regions: GkeRegionPlan[];
  clusters: GkeClusterPlan[];
  clients: GkeClientPlan[];
}

export function planGke(t: Topology, g: GkeSettings): GkePlan {
  const regions = gkeRegions(t).map((name): GkeRegionPlan => {
    const settings = g.regions[name];
    if (!settings) throw new Error(`gke: no settings for region ${name} (run parseGkeSettings first)`);
    const regionSpec = t.regions.find((r) => r.name === name);
    const firstCluster = t.clusters.find((c) => c.region === name);
    const subnet = placementsFor(t, name, firstCluster?.subnets)[0]?.subnet;
    if (!regionSpec || !subnet) throw new Error(`gke: region ${name} has no subnet`);
    return {
      region: name,
      zones: regionSpec.zones,
      clusterName: `${t.name}-${name}`,
      subnet,
      podRangeName: `${subnet.name}-pods`,
      serviceRangeName: `${subnet.name}-services`,
      podCidr: settings.podCidr,
      serviceCidr: settings.serviceCidr,
      masterCidr: settings.masterCidr,
    };
  });
  const clients = t.clients.map((c, i): GkeClientPlan => {
    const place = placementsFor(t, c.region, c.subnet ? [c.subnet] : undefined)[0];
    if (!place) throw new Error(`gke: client ${i} has no subnet in ${c.region}`);
    return { name: `${t.name}-client-${i}`, region: c.region, zone: place.zone, subnet: place.subnet.name };
  });
  const clusters = t.clusters.map((c): GkeClusterPlan => {
    const followers = t.clusters.filter((x) => x.standby?.source === c.name);
    const slots = Object.fromEntries(followers.map((f): [string, PermanentSlot] => [standbySlotName(f), { type: "physical" }]));
    return {
      spec: c,
      region: c.region,
      namespace: g.namespace,
      image: spiloImageRef(g.image),
      storageClass: g.storageClass ?? defaultStorageClass(c.hardware.diskType),
      permanentSlots: slots,
      loadBalancer: loadBalancerFor(t, c, regions, followers),
      archivePath: c.backups?.storage.kind === "gcs" ? walgArchivePath(c.backups.storage.prefix, c.name, c.postgres.major) : undefined,
      standby: c.standby
        ? { source: c.standby.source, slot: standbySlotName(c), restoreFromSourceBackups: c.standby.restoreFromSourceBackups }
        : undefined,
      kubernetesServiceAccount: kubernetesNames(c.name).serviceAccount,
    };
  });
  return { regions, clusters, clients };
}

/**
 * Who may connect through a cluster's load balancers: the stack's clientCidrs, the subnets
 * of the client VMs, and for every standby cluster following this one the node subnet and
 * pod range of its region (the standby leader streams from its pod IP; GKE does not
 * masquerade pod traffic to RFC 1918 destinations).
 */
export function loadBalancerFor(t: Topology, c: ClusterSpec, regions: GkeRegionPlan[], followers: ClusterSpec[]): KubernetesLoadBalancer {
  const lb = c.loadBalancer;
  if (!lb.enabled) return { kind: "none", globalAccess: false, sourceRanges: [] };
  const clientSubnets = t.clients.flatMap((cl) =>
    placementsFor(t, cl.region, cl.subnet ? [cl.subnet] : undefined)
      .slice(0, 1)
      .map((p) => p.subnet.cidr),
  );
  const standbyRanges = followers.flatMap((f) => {
    const r = regions.find((x) => x.region === f.region);
    return r ? [r.subnet.cidr, r.podCidr] : [];
  });
  const internal = lb.exposure === "internal";
  return {
    kind: internal ? "internal" : "external",
    globalAccess: internal && lb.scope === "global",
    // A public Service admits exactly the stack's sourceRanges (loadBalancerSourceRanges).
    sourceRanges: internal ? [...new Set([...t.platform.clientCidrs, ...clientSubnets, ...standbyRanges])] : lb.sourceRanges,
  };
}

/** Workload Identity principal of a Kubernetes service account. */
export function workloadIdentityMember(project: string, namespace: string, kubernetesServiceAccount: string): string {
  return `serviceAccount:${project}.svc.id.goog[${namespace}/${kubernetesServiceAccount}]`;
}
