import { z } from "zod";
import { backupSpec } from "./backups";
import { ADMIN_CIDR_MIN_PREFIX, egressModes, loadBalancerExposure, PROXY_ONLY_MAX_PREFIX, sourceCidr } from "./access";
import { cidr, cidrPattern, dnsName } from "./common";
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
  kind: z.enum(PLATFORM_KINDS).describe("yandex, gcp, gke (Patroni on Kubernetes) or local (the lab)."),
  folderId: z.string().optional().describe("Yandex folder; default: the provider's folderId."),
  project: z.string().optional().describe("GCP project; default: the provider's project."),
  os: z
    .enum(OS_IMAGES)
    .default("debian-13")
    .describe(
      "Node image: ubuntu-22.04, ubuntu-24.04, debian-12 or debian-13; " +
        "default debian-13 (its own archive has PostgreSQL 17 and Patroni 4).",
    ),
  clientCidrs: z
    .array(cidr)
    .default([])
    .describe("IPv4 CIDRs (/8 to /29) allowed to reach client ports (HAProxy, PgBouncer, PostgreSQL, LB listeners); default none."),
  sshKeys: z
    .array(z.string().regex(/^(ssh-(ed25519|rsa)|ecdsa-sha2-\S+) \S+/, "must be an OpenSSH public key line"))
    .default([])
    .describe("OpenSSH public key lines of the `pgha` ops user (lib/ops needs one to push day-2 changes); default none."),
  deletionProtection: z.boolean().default(true).describe("Cloud-side deletion protection on VMs and disks; default true."),
  egress: egressModes
    .default("nat")
    .describe(
      "How nodes reach package mirrors and release downloads. nat (default): pgha builds the path (Yandex NAT gateway + route table, " +
        "GCP Cloud NAT). provided: the network already has one; the plan check reports this as an assumption it cannot verify.",
    ),
  adminCidrs: z
    // The width limit is a rule (networkAccessRules, with its own message); the pattern shows it to editors.
    .array(sourceCidr.meta({ pattern: cidrPattern(ADMIN_CIDR_MIN_PREFIX, 32) }))
    .default([])
    .describe(
      "IPv4 CIDRs (/8 or narrower) SSH for lib/ops may come from (port 22 on the Patroni nodes); " +
        "nothing else opens 22. Needs sshKeys. Default none.",
    ),
  iap: z
    .boolean()
    .default(false)
    .describe("gcp and gke: also admit SSH through Identity-Aware Proxy (35.235.240.0/20). Needs sshKeys. Default false."),
});

export const regionSpec = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9-]+$/, "region names are lowercase letters, digits and '-'")
    .describe("Region name, e.g. ru-central1 or europe-west1: lowercase letters, digits and '-'."),
  zones: z
    .array(z.string().regex(/^[a-z0-9-]+$/))
    .min(1, "a region needs at least one zone")
    .describe("Zones of the region pgha places nodes in; at least one."),
  proxyOnlyCidr: cidr
    // "/26 or wider" is a rule (networkAccessRules); the pattern shows it to editors.
    .meta({ pattern: cidrPattern(8, PROXY_ONLY_MAX_PREFIX) })
    .optional()
    .describe(
      "gcp: the proxy-only subnet (purpose GLOBAL_MANAGED_PROXY) of this region, /26 or wider. " +
        "The cross-region internal proxy load balancer (a global, internal loadBalancer) " +
        "needs one in every region it has a frontend in; its proxies reach the backends from this range.",
    ),
});

export const subnetSpec = z.strictObject({
  name: dnsName.describe("Subnet name, referenced by clusters, etcd and clients: DNS-safe, 1-40 characters."),
  region: z.string().describe("Region (one of `regions`) the subnet is in."),
  zone: z.string().optional().describe("Zone of the subnet: required on yandex (subnets are zonal), omitted on gcp and gke (regional)."),
  cidr: cidr.describe("IPv4 range, /8 to /29 with no host bits set (e.g. 10.10.1.0/24); must not overlap another subnet."),
});
export type SubnetSpec = z.infer<typeof subnetSpec>;

export const standbySpec = z.strictObject({
  source: dnsName.describe("Name of the cluster this one follows; it must not be a standby itself."),
  slotName: z
    .string()
    .regex(/^[a-z0-9_]{1,63}$/)
    .optional()
    .describe(
      "Permanent physical slot on the source for this standby (lowercase letters, digits and '_', at most 63); default `standby_<name>`.",
    ),
  restoreFromSourceBackups: z
    .boolean()
    .default(true)
    .describe(
      "Fall back to the source's backup archive when streaming is not possible; " +
        "the source then needs object-storage backups. Default true.",
    ),
});

export const loadBalancerSpec = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Build the load balancer; default true."),
    scope: z
      .enum(["regional", "global"])
      .default("regional")
      .describe("regional (default): passthrough NLB in the cluster's region; global: cross-region TCP proxy (gcp)."),
    exposure: loadBalancerExposure
      .default("internal")
      .describe("internal (default): a private address in the VPC; public: an internet address, which needs sourceRanges."),
    sourceRanges: z.array(sourceCidr).default([]).describe("exposure public only: the client IPv4 CIDRs allowed to connect; default none."),
    publicDirect: z
      .boolean()
      .default(false)
      .describe("exposure public only: also publish the direct (raw PostgreSQL, replication-capable) port; default false."),
  })
  .prefault({});

/** At most one entry per node, and a cluster has at most this many. */
const MAX_CLUSTER_NODES = 9;

export const clusterSpec = z.strictObject({
  name: dnsName.describe("Cluster name, prefix of its nodes' names (`<name>-pg-0`): DNS-safe, 1-40 characters, unique in the stack."),
  region: z.string().describe("Region (one of `regions`) of the cluster."),
  subnets: z.array(dnsName).optional().describe("Subnets (in the cluster's region) for the members; default: every subnet of the region."),
  nodes: z
    .number()
    .int()
    .min(1)
    .max(MAX_CLUSTER_NODES, `at most ${MAX_CLUSTER_NODES} Patroni nodes per cluster`)
    .default(3)
    .describe("Patroni (PostgreSQL) nodes: 1-9; default 3."),
  addressBlock: z
    .number()
    .int()
    .min(0)
    .max(60)
    .optional()
    .describe(
      "Which block of 16 host addresses the cluster's nodes take in each subnet: 0-60, unique in the stack. " +
        "Default: the cluster's position in `clusters`; pin it before reordering clusters.",
    ),
  nodeSettings: z
    .array(nodeSettings.partial().prefault({}))
    .max(MAX_CLUSTER_NODES, `at most ${MAX_CLUSTER_NODES} entries: one per Patroni node`)
    .default([])
    .describe("Per-member overrides by index (tags, node-local parameters), at most one per node; an undefined entry keeps the defaults."),
  postgres: postgresSpec.describe("PostgreSQL version, port, parameters, pg_hba rules, roles and databases."),
  patroni: patroniSpec.describe("Patroni's dynamic configuration, callbacks, watchdog and REST API."),
  pgbouncer: pgbouncerSpec.describe("PgBouncer on the Patroni nodes."),
  haproxy: haproxySpec.describe("The HAProxy pair that routes clients to the member in each role."),
  loadBalancer: loadBalancerSpec.describe("The cloud TCP load balancer in front of HAProxy (or of the members without HAProxy)."),
  backups: backupSpec.optional().describe("WAL archiving and base backups; default none."),
  hardware: hardwareSpec.describe("Size of each Patroni node; PostgreSQL's memory settings are tuned to it."),
  standby: standbySpec.optional().describe("Make this cluster a standby cluster that follows another one."),
});
export type ClusterSpec = z.infer<typeof clusterSpec>;

export const clientSpec = z.strictObject({
  region: z.string().describe("Region (one of `regions`) of the client VM."),
  subnet: dnsName.optional().describe("Subnet of the client VM; default: the region's subnets."),
});

export const labSpec = z
  .strictObject({
    interRegionDelayMs: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(50)
      .describe("One-way delay the lab adds between regions, in milliseconds: 0-1000; default 50."),
  })
  .prefault({});

export const topologyShape = z.strictObject({
  name: dnsName
    .default("pgha")
    .describe("Stack name, prefix of the shared nodes' names (`<name>-etcd-0`): DNS-safe, 1-40 characters; default pgha."),
  platform: platformSpec.describe("Where the stack runs and who may reach it."),
  regions: z.array(regionSpec).min(1, "at least one region is required").describe("Regions the stack uses; at least one, names unique."),
  subnets: z
    .array(subnetSpec)
    .min(1, "at least one subnet is required")
    .describe("Subnets pgha creates; at least one, names unique, ranges not overlapping."),
  etcd: etcdSpec.describe("The etcd cluster that is Patroni's DCS (not used on gke, where Kubernetes is)."),
  tls: tlsSpec.describe("TLS on etcd, Patroni's REST API and PostgreSQL."),
  clusters: z.array(clusterSpec).min(1, "at least one cluster is required").describe("Patroni clusters; at least one, names unique."),
  clients: z.array(clientSpec).default([]).describe("Client VMs with psql and pgbench, one per entry; default none."),
  lab: labSpec.describe("Settings of the local lab."),
});
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
