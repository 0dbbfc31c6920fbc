/** What a user writes for a whole stack (`pgha:topology`) and its network, clusters and clients. */
import type { NodeSettingsInput, PatroniInput, PostgresInput } from "./postgres";
import type { BackupsInput, EtcdInput, HaproxyInput, HardwareInput, PgbouncerInput, TlsInput } from "./services";

export interface TopologyInput {
  /** Stack name, prefix of the shared nodes' names (`<name>-etcd-0`): DNS-safe, 1-40 characters; default pgha. */
  name?: string;
  /** Where the stack runs and who may reach it. */
  platform: PlatformInput;
  /** Regions the stack uses; at least one, names unique. */
  regions: RegionInput[];
  /** Subnets pgha creates; at least one, names unique, ranges not overlapping. */
  subnets: SubnetInput[];
  /** The etcd cluster that is Patroni's DCS (not used on gke, where Kubernetes is). */
  etcd?: EtcdInput;
  /** TLS on etcd, Patroni's REST API and PostgreSQL. */
  tls?: TlsInput;
  /** Patroni clusters; at least one, names unique. */
  clusters: ClusterInput[];
  /** Client VMs with psql and pgbench, one per entry; default none. */
  clients?: ClientInput[];
  /** Settings of the local lab. */
  lab?: LabInput;
}

/** The network part of a stack, validated on its own by the Network component. */
export type NetworkInput = Pick<TopologyInput, "name" | "platform" | "regions" | "subnets" | "tls" | "lab">;

export interface PlatformInput {
  /** yandex, gcp, gke (Patroni on Kubernetes) or local (the lab). */
  kind: "yandex" | "gcp" | "gke" | "local";
  /** Yandex folder; default: the provider's folderId. */
  folderId?: string;
  /** GCP project; default: the provider's project. */
  project?: string;
  /**
   * Node image: ubuntu-22.04, ubuntu-24.04, debian-12 or debian-13; default debian-13 (its own
   * archive has PostgreSQL 17 and Patroni 4).
   */
  os?: "ubuntu-22.04" | "ubuntu-24.04" | "debian-12" | "debian-13";
  /** IPv4 CIDRs (/8 to /29) allowed to reach client ports (HAProxy, PgBouncer, PostgreSQL, LB listeners); default none. */
  clientCidrs?: string[];
  /** OpenSSH public key lines of the `pgha` ops user (lib/ops needs one to push day-2 changes); default none. */
  sshKeys?: string[];
  /** Cloud-side deletion protection on VMs and disks; default true. */
  deletionProtection?: boolean;
  /**
   * How nodes reach package mirrors and release downloads. nat (default): pgha builds the path
   * (Yandex NAT gateway + route table, GCP Cloud NAT). provided: the network already has one; the
   * plan check reports this as an assumption it cannot verify.
   */
  egress?: "nat" | "provided";
  /**
   * IPv4 CIDRs (/8 or narrower) SSH for lib/ops may come from (port 22 on the Patroni nodes);
   * nothing else opens 22. Needs sshKeys. Default none.
   */
  adminCidrs?: string[];
  /** gcp and gke: also admit SSH through Identity-Aware Proxy (35.235.240.0/20). Needs sshKeys. Default false. */
  iap?: boolean;
}

export interface RegionInput {
  /** Region name, e.g. ru-central1 or europe-west1: lowercase letters, digits and '-'. */
  name: string;
  /** Zones of the region pgha places nodes in; at least one. */
  zones: string[];
  /**
   * gcp: the proxy-only subnet (purpose GLOBAL_MANAGED_PROXY) of this region, /26 or wider. The
   * cross-region internal proxy load balancer (a global, internal loadBalancer) needs one in every
   * region it has a frontend in; its proxies reach the backends from this range.
   */
  proxyOnlyCidr?: string;
}

export interface SubnetInput {
  /** Subnet name, referenced by clusters, etcd and clients: DNS-safe, 1-40 characters. */
  name: string;
  /** Region (one of `regions`) the subnet is in. */
  region: string;
  /** Zone of the subnet: required on yandex (subnets are zonal), omitted on gcp and gke (regional). */
  zone?: string;
  /** IPv4 range, /8 to /29 with no host bits set (e.g. 10.10.1.0/24); must not overlap another subnet. */
  cidr: string;
}

export interface ClusterInput {
  /** Cluster name, prefix of its nodes' names (`<name>-pg-0`): DNS-safe, 1-40 characters, unique in the stack. */
  name: string;
  /** Region (one of `regions`) of the cluster. */
  region: string;
  /** Subnets (in the cluster's region) for the members; default: every subnet of the region. */
  subnets?: string[];
  /** Patroni (PostgreSQL) nodes: 1-9; default 3. */
  nodes?: number;
  /**
   * Which block of 16 host addresses the cluster's nodes take in each subnet: 0-60, unique in the
   * stack. Default: the cluster's position in `clusters`; pin it before reordering clusters.
   */
  addressBlock?: number;
  /** Per-member overrides by index (tags, node-local parameters), at most one per node; an undefined entry keeps the defaults. */
  nodeSettings?: (NodeSettingsInput | undefined)[];
  /** PostgreSQL version, port, parameters, pg_hba rules, roles and databases. */
  postgres?: PostgresInput;
  /** Patroni's dynamic configuration, callbacks, watchdog and REST API. */
  patroni?: PatroniInput;
  /** PgBouncer on the Patroni nodes. */
  pgbouncer?: PgbouncerInput;
  /** The HAProxy pair that routes clients to the member in each role. */
  haproxy?: HaproxyInput;
  /** The cloud TCP load balancer in front of HAProxy (or of the members without HAProxy). */
  loadBalancer?: LoadBalancerInput;
  /** WAL archiving and base backups; default none. */
  backups?: BackupsInput;
  /** Size of each Patroni node; PostgreSQL's memory settings are tuned to it. */
  hardware?: HardwareInput;
  /** Make this cluster a standby cluster that follows another one. */
  standby?: StandbyInput;
}

export interface LoadBalancerInput {
  /** Build the load balancer; default true. */
  enabled?: boolean;
  /** regional (default): passthrough NLB in the cluster's region; global: cross-region TCP proxy (gcp). */
  scope?: "regional" | "global";
  /** internal (default): a private address in the VPC; public: an internet address, which needs sourceRanges. */
  exposure?: "internal" | "public";
  /** exposure public only: the client IPv4 CIDRs allowed to connect; default none. */
  sourceRanges?: string[];
  /** exposure public only: also publish the direct (raw PostgreSQL, replication-capable) port; default false. */
  publicDirect?: boolean;
}

export interface StandbyInput {
  /** Name of the cluster this one follows; it must not be a standby itself. */
  source: string;
  /** Permanent physical slot on the source for this standby (lowercase letters, digits and '_', at most 63); default `standby_<name>`. */
  slotName?: string;
  /**
   * Fall back to the source's backup archive when streaming is not possible; the source then needs
   * object-storage backups. Default true.
   */
  restoreFromSourceBackups?: boolean;
}

export interface ClientInput {
  /** Region (one of `regions`) of the client VM. */
  region: string;
  /** Subnet of the client VM; default: the region's subnets. */
  subnet?: string;
}

export interface LabInput {
  /** One-way delay the lab adds between regions, in milliseconds: 0-1000; default 50. */
  interRegionDelayMs?: number;
}
