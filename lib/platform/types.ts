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
  /**
   * The nodes' path to package mirrors and release downloads. `nat`: the platform builds it
   * (Yandex: one NAT gateway and a route table on every subnet; GCP: Cloud Router + Cloud NAT
   * per region). `provided`: the network already has one; nothing is created.
   */
  egress: "nat" | "provided";
  /** GCP: proxy-only subnets (GLOBAL_MANAGED_PROXY) for the cross-region internal proxy load balancer, one per region. */
  proxyOnlySubnets: { region: string; cidr: string }[];
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
  /** GCP Identity-Aware Proxy's TCP-forwarding range (35.235.240.0/20); other platforms refuse it. */
  iap?: boolean;
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
  /**
   * internal: a private address in the VPC (on GCP with scope global: the cross-region internal
   * proxy NLB, INTERNAL_MANAGED with global access). public: an internet-facing address that
   * admits only `sourceRanges`.
   */
  exposure: "internal" | "public";
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
  /**
   * CIDRs allowed to reach the listeners. Internal: the own subnets and the platform's client
   * CIDRs. Public: exactly the stack's `loadBalancer.sourceRanges` (never empty).
   */
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
}

/** A bucket. Creating one grants nobody anything: access comes only from `grantBucket`. */
export interface BucketHandle {
  /** pgha resource name of the bucket (grant resources are named after it). */
  name: string;
  bucket: pulumi.Output<string>;
  /** The bucket resource, for grants that must name or depend on it. */
  resource: pulumi.Resource;
}

/** An identity the VMs of one cluster act as. */
export interface ServiceAccountHandle {
  /** pgha resource name of the account. */
  name: string;
  /** GCP: the account's email (VMs run as it). Yandex: the account id (S3 keys belong to it). */
  id: pulumi.Output<string>;
}

export interface BucketGrantArgs {
  /** Resource name prefix for what the grant creates. */
  name: string;
  bucket: BucketHandle;
  account: ServiceAccountHandle;
  /** readWrite: the cluster's own backups (WAL archive, base backups, retention). read: a standby's restore_command on its source's bucket. */
  access: "read" | "readWrite";
}

/** How the account's VMs authenticate to object storage. */
export interface BucketCredentials {
  /** Yandex: a static access key of the account (secrets); the same key for every grant of one account. GCS: none (VMs use their service account). */
  accessKeyId?: pulumi.Output<string>;
  secretAccessKey?: pulumi.Output<string>;
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
  /** Identity for the VMs of one cluster (GCP service account / Yandex SA); undefined where the platform has none (local). */
  serviceAccount(name: string, parent: pulumi.Resource): ServiceAccountHandle | undefined;
  /** Let `account` use one bucket, and nothing else: never a project- or folder-wide role. */
  grantBucket(args: BucketGrantArgs, parent: pulumi.Resource): BucketCredentials;
}
