/**
 * The only boundary between pgha's components and a cloud. Components ask a Platform
 * for networks, VMs, firewalls, load balancers and buckets; each implementation
 * (yandex | gcp | local) is the only code that names cloud resource types.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { NodeRole, OsFamily, PlatformKind, SubnetSpec } from "../config";

export interface NetworkArgs {
  /** Resource name prefix. */
  name: string;
  subnets: SubnetSpec[];
}

export interface NetworkHandle {
  /** Cloud id of the network (VPC). */
  networkId: pulumi.Output<string>;
  /** Cloud id of each subnet by pgha subnet name. */
  subnetIds: Record<string, pulumi.Output<string>>;
  subnets: SubnetSpec[];
}

/** Where a rule's traffic may come from. */
export interface TrafficSource {
  cidrs?: string[];
  /** The cloud's load-balancer health-checker ranges (Yandex predefined target, GCP 35.191/16 + 130.211/22). */
  healthCheckers?: boolean;
  /** The VMs this same firewall guards (Yandex `self_security_group`, GCP source tag = target tag). */
  self?: boolean;
}

export interface FirewallRule {
  /** DNS-safe rule name, unique within the group. */
  name: string;
  protocol: "tcp" | "udp" | "vrrp";
  ports: number[];
  from: TrafficSource;
  description: string;
}

export interface FirewallArgs {
  name: string;
  network: NetworkHandle;
  /** Role the rules guard; GCP applies them by network tag `${name}`. */
  targetTag: string;
  ingress: FirewallRule[];
}

export interface FirewallHandle {
  /** Yandex security group id (attached to VMs); GCP: undefined (tags do the binding). */
  securityGroupId?: pulumi.Output<string>;
  targetTag: string;
}

export interface VmArgs {
  name: string;
  role: NodeRole;
  region: string;
  zone: string;
  subnet: string;
  ip: string;
  /** cloud-init user-data; changes are ignored after creation (cloud-init runs once). */
  userData: pulumi.Input<string>;
  cores: number;
  memoryGb: number;
  bootDiskGb: number;
  /** Separate, protected disk for data (PostgreSQL or etcd). */
  dataDisk?: { sizeGb: number; type: "ssd" | "hdd" | "network-ssd" | "network-hdd" | "nvme" };
  firewalls: FirewallHandle[];
  network: NetworkHandle;
  /** GCP service account email / Yandex service account id for the VM (bucket access). */
  serviceAccount?: pulumi.Input<string>;
  /** VMs of one group are spread over hosts (Yandex placement group). */
  spreadGroup?: string;
  os: OsFamily;
  deletionProtection: boolean;
}

export interface VmHandle {
  name: string;
  role: NodeRole;
  zone: string;
  region: string;
  /** pgha subnet name the VM sits in. */
  subnet: string;
  ip: string;
  /** Firewall target tags the VM carries (GCP network tags). */
  tags: string[];
  instanceId: pulumi.Output<string>;
  /** Resources to depend on (readiness gates). */
  resources: pulumi.Resource[];
}

export interface HealthCheck {
  protocol: "http" | "https" | "tcp";
  port: number;
  /** HTTP path, e.g. `/primary` for Patroni or `/health` for the HAProxy monitor. */
  path?: string;
  intervalS: number;
  timeoutS: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export interface LoadBalancerArgs {
  name: string;
  /** regional: passthrough NLB; global: cross-region proxy (GCP TargetTCPProxy). */
  scope: "regional" | "global";
  region: string;
  internal: boolean;
  network: NetworkHandle;
  /**
   * Planned private address for an internal listener. Required by the local platform (the lab
   * binds it); Yandex internal NLB and GCP internal forwarding rules use it when given.
   */
  address?: string;
  /** Listener port -> target port. */
  listeners: { name: string; port: number; targetPort: number }[];
  targets: VmHandle[];
  healthCheck: HealthCheck;
  /** CIDRs allowed to reach the listeners (where the cloud supports it). */
  sourceRanges: string[];
}

export interface LoadBalancerHandle {
  /** Address clients connect to. */
  address: pulumi.Output<string>;
  listeners: { name: string; port: number; targetPort: number }[];
}

export interface BucketArgs {
  name: string;
  /** Exact bucket name (or local path) when the user chose one; otherwise the platform derives a unique one. */
  bucketName?: string;
  region: string;
  /** Delete objects after this many days (0: never). WAL-G/pgBackRest retention does the real pruning. */
  expireDays: number;
  /** Service accounts (GCP emails / Yandex ids) that read and write. */
  writers: pulumi.Input<string>[];
}

export interface BucketHandle {
  bucket: pulumi.Output<string>;
  /** S3-style credentials (Yandex): secrets. GCS: none, VMs use their service account. */
  accessKeyId?: pulumi.Output<string>;
  secretAccessKey?: pulumi.Output<string>;
  /** Identity the VMs run as (GCP service account email / Yandex service account id). */
  vmServiceAccount?: pulumi.Output<string>;
}

export interface Platform {
  readonly kind: PlatformKind;
  /** Whether a keepalived VIP can float between two VMs in one subnet. */
  readonly supportsVip: boolean;
  network(args: NetworkArgs, parent: pulumi.Resource): NetworkHandle;
  firewall(args: FirewallArgs, parent: pulumi.Resource): FirewallHandle;
  vm(args: VmArgs, parent: pulumi.Resource): VmHandle;
  loadBalancer(args: LoadBalancerArgs, parent: pulumi.Resource): LoadBalancerHandle;
  bucket(args: BucketArgs, parent: pulumi.Resource): BucketHandle;
  /** Identity for VMs of a cluster (GCP service account / Yandex SA); undefined where none is needed. */
  serviceAccount(name: string, parent: pulumi.Resource): pulumi.Output<string> | undefined;
}
