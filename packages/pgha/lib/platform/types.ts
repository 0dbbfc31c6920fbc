/**
 * The only boundary between pgha's components and a cloud. Components ask a Platform
 * for networks, VMs, firewalls, load balancers and buckets; each implementation
 * (yandex | gcp | local) is the only code that names cloud resource types. GKE runs Patroni
 * in pods, not VMs: its boundary is the KubernetesPlatform below.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec, NodeRole, OsFamily, PlatformKind, SubnetSpec, Topology } from "../config";
import type { KubernetesLoadBalancer, PermanentSlot } from "../kubernetes/model";
import type { GkeClientPlan, GkePlan } from "./gke/plan";
import type { GkeSettings } from "./gke/settings";

/**
 * What a platform can build, so components decide by capability and never by `kind`.
 */
export interface PlatformCapabilities {
  /**
   * A keepalived VIP can float between two VMs of one subnet. It moves by gratuitous ARP: the
   * lab's Linux bridges honour that; GCP's and Yandex's VPCs deliver a private address only to
   * the VM it is assigned to and ignore it, and GKE has no VMs to float it between.
   */
  readonly vip: boolean;
  /**
   * One load balancer address reachable from every region. GCP has cross-region proxy load
   * balancers (and GKE internal Services with global access); Yandex's Network Load Balancer is
   * regional only. The lab emulates a global listener on its bridges.
   */
  readonly globalLoadBalancer: boolean;
  /**
   * Patroni members are VMs pgha creates and configures by cloud-init (the VM methods of
   * Platform). False on GKE, where they are pods of a StatefulSet (KubernetesPlatform).
   */
  readonly vms: boolean;
  /**
   * Nodes can be placed in a VPC network and subnets made outside pgha, given by id
   * (Network's `existing`): the clouds' VPCs. Not the lab, which builds its own bridges.
   */
  readonly existingNetwork: boolean;
  /**
   * With an existing network, `egress: nat` can still be built without changing the user's
   * subnets. GCP: Cloud NAT names the subnets from a router of its own. Yandex: its NAT is a
   * route table attached to each subnet, which pgha cannot attach to a subnet it does not own.
   */
  readonly natForExistingSubnets: boolean;
}

/** Platforms whose Patroni members are VMs (everything but gke). */
export type VmPlatformKind = Exclude<PlatformKind, "gke">;

/**
 * A VPC network and its subnets created outside pgha (another stack, a landing zone), used
 * instead of creating them. pgha then creates no network and no subnet; firewalls, VMs and
 * load balancers reference these ids. The stack's `subnets` still describe them: their
 * `cidr` (and on Yandex their `zone`) are what the address plan places nodes by, and nothing
 * can check them at plan time, so the user asserts they match the real subnets.
 */
export interface ExistingNetwork {
  /**
   * Cloud id of the network. Yandex: the VPC network id (`enp...`). GCP: the network's id or
   * self link (`projects/<project>/global/networks/<name>`).
   */
  networkId: pulumi.Input<string>;
  /**
   * Cloud id of each subnet by pgha subnet name: exactly one per entry of `subnets`, no others.
   * Yandex: the subnet id (`e9b...`). GCP: the subnetwork's id or self link
   * (`projects/<project>/regions/<region>/subnetworks/<name>`).
   */
  subnetIds: Record<string, pulumi.Input<string>>;
}

export interface NetworkArgs {
  /** Resource name prefix. */
  name: string;
  subnets: SubnetSpec[];
  /** Use this network and these subnets instead of creating them (platforms with `existingNetwork`). */
  existing?: ExistingNetwork;
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
  /**
   * The identity the VM acts as (ServiceAccountHandle.id): GCP service account email, Yandex
   * service account id, the lab's account name. It reads the node's secret and its buckets.
   */
  serviceAccount?: pulumi.Input<string>;
  /** Resources that must exist before the VM boots (its secret's version and access grant). */
  dependsOn?: pulumi.Resource[];
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
  /**
   * A public listener's address, reserved by `loadBalancerAddress` before the members'
   * certificates were issued (they name it): the load balancer uses it instead of allocating one.
   * Without it a public load balancer gets whatever address the cloud assigns.
   */
  publicAddress?: ReservedAddress;
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

/** A public load balancer address reserved ahead of the load balancer (see Platform.loadBalancerAddress). */
export interface LoadBalancerAddressArgs {
  /** Resource name prefix: the cluster whose load balancer will use it. */
  name: string;
  /** regional: a regional address (GCP Address, Yandex VpcAddress); global: GCP GlobalAddress for the global proxy. */
  scope: "regional" | "global";
  region: string;
  /** Yandex reserves a static external address in a zone: one of `region`'s (kept once reserved). */
  zone: string;
  /** The cluster's planned load balancer address: the lab binds it whatever the exposure. */
  planned?: string;
  /** URN of the resource that created this address before (the old parent), so moving it here does not replace it. */
  formerParent?: pulumi.Input<string>;
}

export interface ReservedAddress {
  scope: "regional" | "global";
  region: string;
  address: pulumi.Output<string>;
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

/** An identity the VMs of one role of one cluster act as. */
export interface ServiceAccountHandle {
  /** pgha resource name of the account. */
  name: string;
  /** GCP: the account's email (VMs run as it). Yandex: the account id (S3 keys belong to it). Lab: the account name. */
  id: pulumi.Output<string>;
}

/**
 * Where a node's secrets are, as its manifest (/etc/pgha/secrets.json, `store`) names them for
 * pgha-secrets: no value, only a reference the node's own identity can resolve.
 */
export type SecretStoreRef =
  | { kind: "gcp-secret-manager"; project: string; secret: string }
  | { kind: "yandex-lockbox"; secretId: string }
  | { kind: "lab"; secret: string };

export interface SecretArgs {
  /** pgha resource name of the secret (one per node: the node's name). */
  name: string;
  /** Entries by reference token (`PGHA_SECRET_<NAME>`); held as a Pulumi secret. */
  entries: pulumi.Input<Record<string, string>>;
  /** The only identities that may read the secret. */
  readers: ServiceAccountHandle[];
}

export interface SecretHandle {
  store: pulumi.Output<SecretStoreRef>;
  /** The secret's value and access grants: a VM reading it at first boot depends on them. */
  resources: pulumi.Resource[];
}

export interface BucketGrantArgs {
  /** Resource name prefix for what the grant creates. */
  name: string;
  bucket: BucketHandle;
  account: ServiceAccountHandle;
  /**
   * readWrite: the cluster's own backups (WAL archive, base backups, retention). read: a standby's
   * restore_command on its source's bucket.
   */
  access: "read" | "readWrite";
}

/** How the account's VMs authenticate to object storage. */
export interface BucketCredentials {
  /**
   * Yandex: a static access key of the account (secrets); the same key for every grant of one
   * account. GCS: none (VMs use their service account).
   */
  accessKeyId?: pulumi.Output<string>;
  secretAccessKey?: pulumi.Output<string>;
}

/** A platform whose Patroni members are VMs: yandex, gcp or the local lab. */
export interface Platform {
  readonly kind: VmPlatformKind;
  readonly capabilities: PlatformCapabilities;
  network(args: NetworkArgs, parent: pulumi.Resource): NetworkHandle;
  firewall(args: FirewallArgs, parent: pulumi.Resource): FirewallHandle;
  vm(args: VmArgs, parent: pulumi.Resource): VmHandle;
  loadBalancer(args: LoadBalancerArgs, parent: pulumi.Resource): LoadBalancerHandle;
  /**
   * Reserve a public load balancer's address before the load balancer exists, so the members'
   * certificates can name it (sslmode=verify-full); `loadBalancer` then takes it as `publicAddress`.
   */
  loadBalancerAddress(args: LoadBalancerAddressArgs, parent: pulumi.Resource): ReservedAddress;
  bucket(args: BucketArgs, parent: pulumi.Resource): BucketHandle;
  /** Identity for the VMs of one role of one cluster (GCP service account / Yandex SA / lab account), with no role anywhere. */
  serviceAccount(name: string, parent: pulumi.Resource): ServiceAccountHandle;
  /** A secret in the cloud's secret store, readable only by `readers` (nodes fetch it at first boot). */
  secret(args: SecretArgs, parent: pulumi.Resource): SecretHandle;
  /** Let `account` use one bucket, and nothing else: never a project- or folder-wide role. */
  grantBucket(args: BucketGrantArgs, parent: pulumi.Resource): BucketCredentials;
}

/** The VPC, one Kubernetes cluster per region hosting Patroni clusters, and the namespace in each. */
export interface KubernetesFoundationArgs {
  /** Resource name prefix (the stack name). */
  name: string;
  /** Validated topology with platform.kind gke. */
  topology: Topology;
  /** Validated GKE settings (parseGkeSettings). */
  settings: GkeSettings;
  /** planGke(topology, settings). */
  plan: GkePlan;
}

/** One region's Kubernetes cluster, as workloads placed in it need it. */
export interface KubernetesRegionHandle {
  region: string;
  clusterName: pulumi.Output<string>;
  /** Kubeconfig for the cluster (no credential inside: an exec plugin fetches tokens). */
  kubeconfig: pulumi.Output<string>;
  /** Provider that creates objects in this cluster. */
  provider: pulumi.ProviderResource;
  /** The pgha namespace; workloads depend on it. */
  namespace: pulumi.Resource;
}

export interface KubernetesFoundationHandle {
  networkId: pulumi.Output<string>;
  /** Cloud id of each subnet by pgha subnet name. */
  subnetIds: Record<string, pulumi.Output<string>>;
  regions: Record<string, KubernetesRegionHandle>;
}

/** A cluster's WAL-G archive bucket; never deleted with the stack. */
export interface ArchiveBucketArgs {
  /** Location of the bucket (GCS: region, dual- or multi-region). */
  location: string;
  /** Fixed bucket name; auto-named with a random suffix when omitted. */
  bucketName?: string;
  /** Lifecycle safety net (0: never); WAL-G retention does the real pruning. */
  expireDays: number;
  labels?: Record<string, string>;
}

/** The cloud identity the pods of one cluster act as, without key files. */
export interface WorkloadIdentityArgs {
  namespace: string;
  kubernetesServiceAccount: string;
  /** Bucket the pods write (their own archive). */
  writeBucket?: pulumi.Input<string>;
  /** Buckets the pods only read, e.g. a standby's source archive. */
  readBuckets?: pulumi.Input<string>[];
}

export interface WorkloadIdentityHandle {
  /** The cloud service account the pods act as (GCP: its email). */
  email: pulumi.Output<string>;
  /** The grants: pods that start before them get 403s from the bucket. */
  bindings: pulumi.Resource[];
}

/** A WAL-G archive as the Kubernetes layer sees it (bucket names may be Outputs). */
export interface KubernetesArchive {
  bucket: pulumi.Input<string>;
  /** Path inside the bucket (walgArchivePath). */
  path: string;
  /** 64 hex digits (32 bytes), required when the archive is encrypted (backups.encrypt). */
  encryptionKey?: pulumi.Input<string>;
}

export interface KubernetesPatroniArgs {
  /** Validated cluster spec. */
  cluster: ClusterSpec;
  /** Provider of the Kubernetes cluster the objects go to. */
  provider: pulumi.ProviderResource;
  /** Existing namespace (several clusters may share one). */
  namespace: string;
  /** Defaults to the pinned Spilo image. */
  image?: string;
  /** Defaults from hardware.diskType. */
  storageClass?: string;
  /** Clients must use TLS (Spilo's self-signed certificate); default true. */
  requireTls?: boolean;
  /** Pulumi secrets. A standby cluster must get its source's passwords (it is a physical copy). */
  passwords: { superuser: pulumi.Input<string>; replication: pulumi.Input<string> };
  /** The cluster's own archive; its settings (schedule, retention, compression) come from cluster.backups. */
  backups?: KubernetesArchive;
  /** Cloud service account the pods act as (Workload Identity): must be able to write `backups.bucket`. */
  gcpServiceAccountEmail?: pulumi.Input<string>;
  /** Slots for standby clusters following this one (added to cluster.patroni.dcs.slots). */
  permanentSlots?: Record<string, PermanentSlot>;
  /** Defaults from cluster.loadBalancer, without source ranges. */
  loadBalancer?: KubernetesLoadBalancer;
  standby?: {
    sourceCluster: ClusterSpec;
    /** The source's primary load balancer address. */
    host: pulumi.Input<string>;
    port: number;
    primarySlotName: string;
    /** Read-only fallback: the source's archive. */
    sourceBackups?: KubernetesArchive;
  };
  /** Resources the pods need first (e.g. the Workload Identity binding, the namespace). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export interface KubernetesPatroniHandle {
  namespace: string;
  /** Primary (or standby leader) address: the load balancer IP, or the ClusterIP without one. */
  primaryAddress: pulumi.Output<string>;
  replicaAddress: pulumi.Output<string>;
  port: number;
  /** Superuser libpq URL to the primary service; a secret. */
  connectionString: pulumi.Output<string>;
  replicaConnectionString: pulumi.Output<string>;
  /** As stored in the cluster's Secret; a secret. */
  superuserPassword: pulumi.Output<string>;
  statefulSet: pulumi.CustomResource;
  primaryService: pulumi.CustomResource;
  replicasService: pulumi.CustomResource;
  secret: pulumi.CustomResource;
}

/** A psql client VM next to the Kubernetes clusters. */
export interface KubernetesClientVmArgs {
  client: GkeClientPlan;
  /** Cloud id of the client's subnet. */
  subnetId: pulumi.Input<string>;
  machineType: string;
  os: OsFamily;
  userData: pulumi.Input<string>;
  labels?: Record<string, string>;
}

/**
 * GKE: Patroni (Spilo) runs as a StatefulSet in one regional Kubernetes cluster per region,
 * behind LoadBalancer Services, archiving to GCS through Workload Identity. There are no VMs
 * to place members on, so this is not a Platform: components that build VMs cannot be handed
 * one by mistake.
 */
export interface KubernetesPlatform {
  readonly kind: "gke";
  readonly capabilities: PlatformCapabilities;
  /** Cloud project every resource is created in. */
  readonly project: string;
  foundation(args: KubernetesFoundationArgs, parent: pulumi.Resource): KubernetesFoundationHandle;
  archiveBucket(name: string, args: ArchiveBucketArgs, parent: pulumi.Resource): { bucket: pulumi.Output<string> };
  workloadIdentity(name: string, args: WorkloadIdentityArgs, parent: pulumi.Resource): WorkloadIdentityHandle;
  /** One Patroni cluster's Kubernetes objects, built from lib/kubernetes's manifests. */
  patroni(args: KubernetesPatroniArgs, parent: pulumi.Resource): KubernetesPatroniHandle;
  clientVm(args: KubernetesClientVmArgs, parent: pulumi.Resource): { name: string; zone: string; instanceId: pulumi.Output<string> };
}

/** What `createPlatform` returns for any kind. */
export type AnyPlatform = Platform | KubernetesPlatform;
