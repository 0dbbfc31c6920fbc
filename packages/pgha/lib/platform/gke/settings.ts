/**
 * GKE-specific settings. Proposed home in the Topology: `platform.gke` (only with
 * `platform.kind: gke`); until it is wired there, stacks keep them under the Pulumi
 * config key `pgha:gke` next to `pgha:topology`.
 */
import { z } from "zod";
import { type ConfigIssue, ConfigError, cidr, cidrsOverlap, dnsName, parseCidr, parseSection, type Topology } from "../../config";
import { gcpMachineCapacity } from "../../config/machineShapes";
import { SPILO_IMAGE } from "../../kubernetes/spilo";

/** Secondary ranges of the region's GKE subnet (VPC-native cluster). */
export const gkeRegionSettings = z.strictObject({
  /** Pod IPs; a /14 fits the GKE default of 110 pods per node on 1024 nodes. */
  podCidr: cidr,
  /** ClusterIP Services. */
  serviceCidr: cidr,
  /** Control-plane range for private nodes (a /28 that overlaps nothing). */
  masterCidr: cidr.optional(),
});
export type GkeRegionSettings = z.infer<typeof gkeRegionSettings>;

export const gkeNodePool = z
  .strictObject({
    /** Must fit one Patroni pod (hardware.vcpus/ramGb) plus GKE's system pods. */
    machineType: z
      .string()
      .regex(/^[a-z0-9]+-[a-z0-9-]+$/, "must be a GCE machine type like e2-standard-4")
      .default("e2-standard-4"),
    /** Spot VMs are reclaimed with 30 s notice: fine for a lab, a risk for a primary. */
    spot: z.boolean().default(false),
    /** Autoscaling bounds per zone. */
    minNodesPerZone: z.number().int().min(0).max(100).default(1),
    maxNodesPerZone: z.number().int().min(1).max(1000).default(3),
    diskSizeGb: z.number().int().min(20).max(4096).default(50),
  })
  .prefault({});

export const gkeSettings = z.strictObject({
  releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE", "EXTENDED"]).default("REGULAR"),
  /** GKE's own deletion protection on the clusters; defaults to platform.deletionProtection. */
  deletionProtection: z.boolean().optional(),
  /** Nodes without external IPs (Cloud NAT for image pulls); then every region needs masterCidr. */
  privateNodes: z.boolean().default(false),
  /** CIDRs allowed to reach the control plane; empty: GKE's default (any). */
  masterAuthorizedCidrs: z.array(cidr).default([]),
  nodePool: gkeNodePool,
  image: z
    .strictObject({
      repository: z.string().min(1).default(SPILO_IMAGE.repository),
      tag: z
        .string()
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be an image tag")
        .default(SPILO_IMAGE.tag),
    })
    .prefault({}),
  /** StorageClass for the data volumes; default from hardware.diskType (premium-rwo for SSD, standard-rwo otherwise). */
  storageClass: z.string().optional(),
  /** Namespace for the Patroni clusters in every GKE cluster. */
  namespace: dnsName.default("pgha"),
  /** Machine type of the psql client VMs. */
  clientMachineType: z.string().default("e2-small"),
  regions: z.record(z.string(), gkeRegionSettings),
});
export type GkeSettingsInput = z.input<typeof gkeSettings>;
export type GkeSettings = z.output<typeof gkeSettings>;

/** Regions that host a Patroni cluster (each gets one GKE cluster). */
export function gkeRegions(t: Topology): string[] {
  return [...new Set(t.clusters.map((c) => c.region))];
}

/** Cross-checks between the settings and the topology. Pure: returns every problem. */
export function gkeIssues(t: Topology, g: GkeSettings, path = "platform.gke"): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (p: string, message: string) => issues.push({ path: p ? `${path}.${p}` : path, message });
  if (t.platform.kind !== "gke") add("", `GKE settings need platform.kind: gke (got ${t.platform.kind})`);
  if (g.nodePool.minNodesPerZone > g.nodePool.maxNodesPerZone)
    add("nodePool.minNodesPerZone", `(${g.nodePool.minNodesPerZone}) must be <= maxNodesPerZone (${g.nodePool.maxNodesPerZone})`);

  const ranges: { what: string; cidr: string }[] = t.subnets.map((s) => ({ what: `subnet '${s.name}'`, cidr: s.cidr }));
  for (const region of gkeRegions(t)) {
    const r = g.regions[region];
    if (!r) {
      add("regions", `missing settings for region '${region}' (podCidr, serviceCidr), which hosts a Patroni cluster`);
      continue;
    }
    if (g.privateNodes && !r.masterCidr)
      add(`regions.${region}.masterCidr`, "is required with privateNodes: a /28 for the GKE control plane");
    if (r.masterCidr && parseCidr(r.masterCidr).prefix !== 28) add(`regions.${region}.masterCidr`, `must be a /28 (got ${r.masterCidr})`);
    for (const [key, value] of [
      ["podCidr", r.podCidr],
      ["serviceCidr", r.serviceCidr],
      ["masterCidr", r.masterCidr],
    ] as const) {
      if (!value) continue;
      const clash = ranges.find((x) => cidrsOverlap(parseCidr(x.cidr), parseCidr(value)));
      if (clash) add(`regions.${region}.${key}`, `${value} overlaps ${clash.what} (${clash.cidr})`);
      ranges.push({ what: `${region} ${key}`, cidr: value });
    }
  }
  for (const name of Object.keys(g.regions)) {
    if (!t.regions.some((r) => r.name === name))
      add(`regions.${name}`, `unknown region '${name}'; declared: ${t.regions.map((r) => r.name).join(", ")}`);
  }

  t.clusters.forEach((c, i) => {
    issues.push(...podFitsNodeIssues(c.hardware, g.nodePool.machineType, `clusters[${i}].hardware`));
    if (c.backups && c.backups.storage.kind !== "gcs")
      issues.push({
        path: `clusters[${i}].backups.storage.kind`,
        message: `on gke pgha writes WAL-G archives to GCS with Workload Identity; '${c.backups.storage.kind}' is not supported`,
      });
    const source = c.standby && t.clusters.find((x) => x.name === c.standby?.source);
    if (!c.standby || !source) return;
    // The same major as the source is a topology rule on every platform (config/memberRules.ts).
    const lb = source.loadBalancer;
    if (source.region !== c.region && (!lb.enabled || (lb.exposure === "internal" && lb.scope !== "global")))
      issues.push({
        path: `clusters[${t.clusters.indexOf(source)}].loadBalancer`,
        message:
          `standby '${c.name}' in ${c.region} streams through this cluster's load balancer: ` +
          `it needs enabled: true and, when internal, scope: global (GKE internal LB global access)`,
      });
  });
  return issues;
}

/**
 * A Patroni pod requests (requests = limits, statefulSet.ts) the cluster's hardware. GKE keeps part of
 * every node's CPU and memory for the kubelet, the OS and the eviction threshold ("Plan GKE Standard
 * node sizes", node allocatable resources), so a pod asking for a whole node, or more, never schedules.
 */
function podFitsNodeIssues(hw: { vcpus: number; ramGb: number }, machineType: string, path: string): ConfigIssue[] {
  const node = gcpMachineCapacity(machineType);
  if (!node) return [];
  const issues: ConfigIssue[] = [];
  const why =
    "GKE reserves part of every node for the kubelet and system, so the Patroni pod never schedules; " +
    "use a smaller pod or a larger nodePool.machineType";
  if (hw.vcpus >= node.vcpus)
    issues.push({
      path: `${path}.vcpus`,
      message: `a pod requesting ${hw.vcpus} vCPUs does not fit a ${machineType} node (${node.vcpus} vCPUs): ${why}`,
    });
  if (hw.ramGb >= node.memoryGb)
    issues.push({
      path: `${path}.ramGb`,
      message: `a pod requesting ${hw.ramGb} GB does not fit a ${machineType} node (${node.memoryGb} GB): ${why}`,
    });
  return issues;
}

/** GKE's built-in CSI StorageClasses: pd-ssd for SSD-class disks, pd-balanced otherwise. */
export function defaultStorageClass(diskType: string): string {
  return diskType === "ssd" || diskType === "network-ssd" || diskType === "nvme" ? "premium-rwo" : "standard-rwo";
}

/** Validate `pgha:gke` against its schema and the topology; throws ConfigError listing every problem. */
export function parseGkeSettings(input: unknown, topology: Topology, path = "platform.gke"): GkeSettings {
  const context = "invalid pgha GKE settings";
  const parsed = parseSection(gkeSettings, input, path, context);
  const issues = gkeIssues(topology, parsed, path);
  if (issues.length > 0) throw new ConfigError(issues, context);
  return parsed;
}
