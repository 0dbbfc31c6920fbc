import { z } from "zod";
import { backupSpec } from "./backups";
import { egressModes, loadBalancerExposure, sourceCidr } from "./access";
import { cidr, dnsName } from "./common";
import { etcdSpec } from "./etcd";
import { haproxySpec } from "./haproxy";
import { nodeSettings, patroniSpec } from "./patroni";
import { pgbouncerSpec } from "./pgbouncer";
import { postgresSpec } from "./postgres";
import { tlsSpec } from "./tls";
import { hardwareSpec } from "./tuning";

export const PLATFORM_KINDS = ["yandex", "gcp", "gke", "local"] as const;
export type PlatformKind = (typeof PLATFORM_KINDS)[number];

/** Node images pgha renders user-data for. Debian 13 is the default: its own archive has PostgreSQL 17 and Patroni 4. */
export const OS_IMAGES = ["ubuntu-22.04", "ubuntu-24.04", "debian-12", "debian-13"] as const;
export type OsFamily = (typeof OS_IMAGES)[number];

export const platformSpec = z.strictObject({
  kind: z.enum(PLATFORM_KINDS),
  /** Yandex folder; defaults to the provider's folderId. */
  folderId: z.string().optional(),
  /** GCP project; defaults to the provider's project. */
  project: z.string().optional(),
  os: z.enum(OS_IMAGES).default("debian-13"),
  /** CIDRs allowed to reach client ports (HAProxy, PgBouncer, PostgreSQL, LB listeners). */
  clientCidrs: z.array(cidr).default([]),
  /** Public SSH keys for the `pgha` ops user (lib/ops needs one to push day-2 changes). */
  sshKeys: z.array(z.string().regex(/^(ssh-(ed25519|rsa)|ecdsa-sha2-\S+) \S+/, "must be an OpenSSH public key line")).default([]),
  /** Cloud-side deletion protection on VMs and disks. */
  deletionProtection: z.boolean().default(true),
  /** How nodes reach package mirrors and release downloads (default: pgha builds a NAT). */
  egress: egressModes.default("nat"),
  /** Where SSH for lib/ops may come from (port 22 on the Patroni nodes); nothing else opens 22. Needs sshKeys. */
  adminCidrs: z.array(sourceCidr).default([]),
  /** GCP: also admit SSH through Identity-Aware Proxy (35.235.240.0/20). Needs sshKeys. */
  iap: z.boolean().default(false),
});

export const regionSpec = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]+$/, "region names are lowercase letters, digits and '-'"),
  zones: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1, "a region needs at least one zone"),
  /**
   * GCP: the proxy-only subnet (purpose GLOBAL_MANAGED_PROXY) of this region, /26 or wider. The
   * cross-region internal proxy load balancer (a global, internal loadBalancer) needs one in every
   * region it has a frontend in; its proxies reach the backends from this range.
   */
  proxyOnlyCidr: cidr.optional(),
});

export const subnetSpec = z.strictObject({
  name: dnsName,
  region: z.string(),
  /** Yandex subnets are zonal (required there); GCP subnets are regional (omit). */
  zone: z.string().optional(),
  cidr,
});
export type SubnetSpec = z.infer<typeof subnetSpec>;

export const standbySpec = z.strictObject({
  /** Name of the cluster this one follows. */
  source: dnsName,
  /** Permanent physical slot created on the source for this standby. */
  slotName: z.string().regex(/^[a-z0-9_]{1,63}$/).optional(),
  /** Fall back to the source's backup archive when streaming is not possible. */
  restoreFromSourceBackups: z.boolean().default(true),
});

export const loadBalancerSpec = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** regional: passthrough NLB in the cluster's region; global: cross-region TCP proxy (GCP). */
    scope: z.enum(["regional", "global"]).default("regional"),
    /** internal (default): a private address in the VPC. public: an internet address, which needs sourceRanges. */
    exposure: loadBalancerExposure.default("internal"),
    /** exposure public: the client CIDRs allowed to connect. */
    sourceRanges: z.array(sourceCidr).default([]),
    /** exposure public: also publish the direct (raw PostgreSQL, replication-capable) port. */
    publicDirect: z.boolean().default(false),
  })
  .prefault({});

export const clusterSpec = z.strictObject({
  name: dnsName,
  region: z.string(),
  /** Subnets for members; defaults to every subnet of the region. */
  subnets: z.array(dnsName).optional(),
  nodes: z.number().int().min(1).max(9, "at most 9 Patroni nodes per cluster").default(3),
  /**
   * Which block of 16 host addresses the cluster's nodes take in each subnet (see addressPlan).
   * Defaults to the cluster's position in `clusters`; pin it before reordering clusters.
   */
  addressBlock: z.number().int().min(0).max(60).optional(),
  /** Per-member overrides by index (tags, node-local parameters). */
  nodeSettings: z.array(nodeSettings.partial().prefault({})).default([]),
  postgres: postgresSpec,
  patroni: patroniSpec,
  pgbouncer: pgbouncerSpec,
  haproxy: haproxySpec,
  loadBalancer: loadBalancerSpec,
  backups: backupSpec.optional(),
  hardware: hardwareSpec,
  standby: standbySpec.optional(),
});
export type ClusterSpec = z.infer<typeof clusterSpec>;

export const clientSpec = z.strictObject({
  region: z.string(),
  subnet: dnsName.optional(),
});

export const labSpec = z
  .strictObject({
    /** One-way delay added between regions in the lab. */
    interRegionDelayMs: z.number().int().min(0).max(1000).default(50),
  })
  .prefault({});

export const topologyShape = z.strictObject({
  name: dnsName.default("pgha"),
  platform: platformSpec,
  regions: z.array(regionSpec).min(1, "at least one region is required"),
  subnets: z.array(subnetSpec).min(1, "at least one subnet is required"),
  etcd: etcdSpec,
  tls: tlsSpec,
  clusters: z.array(clusterSpec).min(1, "at least one cluster is required"),
  clients: z.array(clientSpec).default([]),
  lab: labSpec,
});
export type TopologyInput = z.input<typeof topologyShape>;
/** The network part of a stack, validated on its own by the Network component. */
export const networkShape = topologyShape.pick({ name: true, platform: true, regions: true, subnets: true, tls: true, lab: true });
export type NetworkSpec = z.output<typeof networkShape>;
export type Topology = z.output<typeof topologyShape>;

/** Default permanent slot a standby cluster streams through on its source: `standby_<name>`. */
export function defaultStandbySlotName(cluster: string): string {
  return `standby_${cluster.replace(/-/g, "_")}`;
}

/** The slot a standby cluster uses on its source: its own `standby.slotName`, or the default. */
export function standbySlotOf(cluster: Pick<ClusterSpec, "name" | "standby">): string {
  return cluster.standby?.slotName ?? defaultStandbySlotName(cluster.name);
}
