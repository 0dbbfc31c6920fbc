/**
 * Yandex Cloud implementation of the Platform interface (Compute Cloud VMs, VPC security
 * groups, Network Load Balancer, Object Storage), on pgha's typed subset of @pulumi/yandex.
 */
import * as pulumi from "@pulumi/pulumi";
import * as yandex from "../../../sdks/yandex/bin/index";
import { ConfigError } from "../../config/errors";
import {
  assertIngressHasSource,
  dataResourceOptions,
  type Labels,
  METADATA_USER_DATA_PATH,
  vmResourceOptions,
  withLabels,
  withParent,
} from "../options";
import type {
  BucketArgs,
  ExistingNetwork,
  BucketCredentials,
  BucketGrantArgs,
  BucketHandle,
  FirewallArgs,
  FirewallHandle,
  LoadBalancerAddressArgs,
  LoadBalancerArgs,
  LoadBalancerHandle,
  NetworkArgs,
  NetworkHandle,
  Platform,
  SecretArgs,
  SecretHandle,
  ServiceAccountHandle,
  VmArgs,
  VmHandle,
  PlatformCapabilities,
  ReservedAddress,
} from "../types";
import { BucketAcl } from "./bucketAcl";
import { createYandexLoadBalancer, reserveYandexAddress } from "./loadBalancer";
import { securityGroupIngresses, YANDEX_IMAGE_FAMILIES, yandexDiskSizeGb, yandexDiskType } from "./mappings";

export { YANDEX_IMAGE_FAMILIES } from "./mappings";

export interface YandexSettings {
  /** Folder for every resource; defaults to the provider's `yandex:folderId` (buckets need it explicitly). */
  folderId?: string;
  /**
   * Boot image id for every VM (see YANDEX_IMAGE_FAMILIES for how to find one). An Input: it
   * only reaches the boot disk, so it may come from another resource or stack (e.g. an image
   * pgha does not build, or `yandex.getComputeImage`).
   */
  imageId?: pulumi.Input<string>;
  /** Boot image id per OS; wins over `imageId`. Inputs, as `imageId`. */
  imageIds?: Partial<Record<VmArgs["os"], pulumi.Input<string>>>;
  /** Hardware platform, default standard-v3 (Intel Ice Lake). */
  platformId?: string;
  /**
   * Labels added to VMs, disks, networks, security groups and load balancers (VMs and disks
   * also get `pgha-role`). Default none. A map or an Input of one (values may be Inputs).
   */
  labels?: Labels;
}

/** Guest device name of the data disk; Linux shows it as /dev/disk/by-id/virtio-<name>. */
export const YANDEX_DATA_DEVICE_NAME = "data";

/** The Lockbox role that reads a secret's payload (and only that). */
export const YANDEX_SECRET_READER_ROLE = "lockbox.payloadViewer";

/** S3 endpoint of Yandex Object Storage (WAL-G/pgBackRest S3 mode). */
export const YANDEX_STORAGE_ENDPOINT = "https://storage.yandexcloud.net";

export class YandexPlatform implements Platform {
  readonly kind = "yandex" as const;
  readonly capabilities: PlatformCapabilities = {
    // Yandex VPC delivers a private address only to the VM interface it is assigned to (no
    // gratuitous-ARP takeover, no alias IPs in this provider schema), so a keepalived VIP would
    // not receive traffic: clusters sit behind the Network Load Balancer instead.
    vip: false,
    // The Network Load Balancer is regional; Yandex has no cross-region TCP load balancer.
    globalLoadBalancer: false,
    vms: true,
    existingNetwork: true,
    // NAT is a route table on each subnet (subnet.route_table_id): pgha cannot set it on
    // subnets it does not own, so an existing network must bring its own egress.
    natForExistingSubnets: false,
  };
  private readonly placementGroups = new Map<string, yandex.ComputePlacementGroup>();
  /** ACL grants per bucket (pgha resource name), collected from `grantBucket`. */
  private readonly acls = new Map<string, BucketAcl>();
  /** One static access key per service account (pgha resource name). */
  private readonly keys = new Map<string, yandex.IamServiceAccountStaticAccessKey>();

  constructor(private readonly settings: YandexSettings = {}) {}

  network(args: NetworkArgs, parent: pulumi.Resource): NetworkHandle {
    if (args.proxyOnlySubnets.length > 0) {
      throw new Error(
        `yandex: network ${args.name}: proxy-only subnets are a GCP load-balancer feature; ` +
          `Yandex has no use for them (drop regions[].proxyOnlyCidr)`,
      );
    }
    if (args.existing) return this.existingNetwork(args, args.existing);
    const { folderId, labels } = this.settings;
    const net = new yandex.VpcNetwork(args.name, { name: args.name, folderId, labels }, { parent });
    // `egress: provided`: the network's owner already routes the subnets out; pgha adds nothing.
    const routeTable = args.egress === "nat" ? this.egressRouteTable(args.name, net, parent) : undefined;
    const subnetIds: Record<string, pulumi.Output<string>> = {};
    for (const s of args.subnets) {
      if (!s.zone) throw new Error(`yandex: subnet ${s.name} needs a zone: Yandex subnets are zonal`);
      const sub = new yandex.VpcSubnet(
        `${args.name}-${s.name}`,
        { name: `${args.name}-${s.name}`, folderId, networkId: net.id, zone: s.zone, v4CidrBlocks: [s.cidr], routeTableId: routeTable?.id },
        { parent },
      );
      subnetIds[s.name] = sub.id;
    }
    // route_table_id is updated in place (terraform-provider-yandex 0.139,
    // resource_yandex_vpc_subnet.go: not ForceNew, sent with an update mask), so adding egress
    // to an existing stack does not replace subnets that hold VMs.
    return { networkId: net.id, subnetIds, subnets: args.subnets };
  }

  /**
   * A network and subnets made elsewhere: nothing is created, the handle carries their ids.
   * Egress must already exist (the Network component refuses `nat` here with a ConfigError;
   * this guards direct callers of the platform).
   */
  private existingNetwork(args: NetworkArgs, existing: ExistingNetwork): NetworkHandle {
    if (args.egress === "nat") {
      throw new Error(
        `yandex: network ${args.name}: egress nat needs a route table on each subnet, ` +
          `which pgha cannot attach to existing subnets; use egress provided`,
      );
    }
    const subnetIds: Record<string, pulumi.Output<string>> = {};
    for (const s of args.subnets) {
      if (!s.zone) throw new Error(`yandex: subnet ${s.name} needs a zone: Yandex subnets are zonal`);
      const id = existing.subnetIds[s.name];
      if (id === undefined) throw new Error(`yandex: network ${args.name}: no id for existing subnet ${s.name}`);
      subnetIds[s.name] = pulumi.output(id);
    }
    return { networkId: pulumi.output(existing.networkId), subnetIds, subnets: args.subnets };
  }

  /**
   * The nodes' only way out (apt, the pinned WAL-G download, Object Storage): VMs have no public
   * address (`nat: false`), and a Yandex VPC has no default route to the internet. One NAT
   * gateway and a route table whose default route points at it, attached to every subnet.
   * Yandex docs (vpc/concepts/gateways): a NAT gateway is regional, reached as the next hop of
   * a route table, and takes only the 0.0.0.0/0 destination prefix.
   */
  private egressRouteTable(name: string, net: yandex.VpcNetwork, parent: pulumi.Resource): yandex.VpcRouteTable {
    const { folderId, labels } = this.settings;
    const gateway = new yandex.VpcGateway(
      `${name}-egress`,
      {
        name: `${name}-egress`,
        folderId,
        labels,
        description: "pgha: NAT for the nodes' package and release downloads",
        sharedEgressGateway: {},
      },
      { parent },
    );
    return new yandex.VpcRouteTable(
      `${name}-egress`,
      {
        name: `${name}-egress`,
        folderId,
        labels,
        networkId: net.id,
        description: "pgha: default route through the NAT gateway",
        staticRoutes: [{ destinationPrefix: "0.0.0.0/0", gatewayId: gateway.id }],
      },
      { parent },
    );
  }

  firewall(args: FirewallArgs, parent: pulumi.Resource): FirewallHandle {
    for (const rule of args.ingress) assertIngressHasSource(args.name, rule);
    const group = new yandex.VpcSecurityGroup(
      args.name,
      {
        name: args.name,
        folderId: this.settings.folderId,
        networkId: args.network.networkId,
        labels: this.settings.labels,
        ingresses: securityGroupIngresses(args.ingress),
        // Egress stays open: the nodes reach package mirrors, release downloads and Object Storage
        // by name, on addresses pgha cannot pin as CIDRs, plus the other region's nodes. The way out
        // is decided by the route table (NAT or none), and exposure is an ingress matter.
        egresses: [{ protocol: "ANY", v4CidrBlocks: ["0.0.0.0/0"] }],
      },
      { parent },
    );
    return { securityGroupId: group.id, targetTag: args.targetTag };
  }

  vm(args: VmArgs, parent: pulumi.Resource): VmHandle {
    const folderId = this.settings.folderId;
    const subnet = args.network.subnets.find((s) => s.name === args.subnet);
    const subnetId = args.network.subnetIds[args.subnet];
    if (!subnet || !subnetId) throw new Error(`yandex: VM ${args.name}: unknown subnet ${args.subnet}`);
    if (subnet.zone !== args.zone) {
      throw new Error(`yandex: VM ${args.name} is in zone ${args.zone} but subnet ${subnet.name} is in ${subnet.zone}`);
    }
    const labels = withLabels(this.settings.labels, { "pgha-role": args.role });

    const disk = args.dataDisk
      ? new yandex.ComputeDisk(
          `${args.name}-data`,
          {
            name: `${args.name}-data`,
            folderId,
            zone: args.zone,
            size: yandexDiskSizeGb(args.dataDisk.type, args.dataDisk.sizeGb),
            type: yandexDiskType(args.dataDisk.type),
            labels,
          },
          withParent(parent, dataResourceOptions),
        )
      : undefined;
    const placementGroup = args.spreadGroup ? this.placementGroup(args.spreadGroup, parent) : undefined;
    const securityGroupIds = args.firewalls.flatMap((f) => (f.securityGroupId ? [f.securityGroupId] : []));

    const instance = new yandex.ComputeInstance(
      args.name,
      {
        name: args.name,
        hostname: args.name,
        folderId,
        zone: args.zone,
        platformId: this.settings.platformId ?? "standard-v3",
        resources: { cores: args.cores, memory: args.memoryGb, coreFraction: 100 },
        bootDisk: { initializeParams: { imageId: this.imageId(args), size: args.bootDiskGb, type: "network-ssd" } },
        // autoDelete false: deleting the VM must leave the data disk alone.
        secondaryDisks: disk ? [{ diskId: disk.id, deviceName: YANDEX_DATA_DEVICE_NAME, autoDelete: false }] : undefined,
        networkInterfaces: [{ subnetId, ipAddress: args.ip, nat: false, securityGroupIds }],
        metadata: { "user-data": args.userData },
        placementPolicy: placementGroup ? { placementGroupId: placementGroup.id } : undefined,
        serviceAccountId: args.serviceAccount,
        allowStoppingForUpdate: true,
        labels,
      },
      // The instance schema has no deletion-protection field: Pulumi's `protect` stands in for it.
      withParent(parent, vmResourceOptions(METADATA_USER_DATA_PATH), { protect: args.deletionProtection, dependsOn: args.dependsOn ?? [] }),
    );
    return {
      name: args.name,
      role: args.role,
      zone: args.zone,
      region: args.region,
      subnet: args.subnet,
      ip: args.ip,
      tags: args.firewalls.map((f) => f.targetTag),
      instanceId: instance.id,
      resources: disk ? [instance, disk] : [instance],
    };
  }

  loadBalancer(args: LoadBalancerArgs, parent: pulumi.Resource): LoadBalancerHandle {
    return createYandexLoadBalancer(args, parent, this.settings);
  }

  loadBalancerAddress(args: LoadBalancerAddressArgs, parent: pulumi.Resource): ReservedAddress {
    return reserveYandexAddress(args, parent, this.settings);
  }

  /**
   * A private bucket that grants nobody anything by itself. It is created with the deployer's
   * own IAM token (no static key on the resource; `folderId` makes the provider create it through
   * the Storage API, which a user account's token needs), so no account of pgha's holds a folder
   * role. Access comes only from `grantBucket`: ACL grants on this bucket (the deployer needs
   * `storage.admin` to set them, as the provider docs say for `grant`).
   */
  bucket(args: BucketArgs, parent: pulumi.Resource): BucketHandle {
    const folderId = this.settings.folderId ?? new pulumi.Config("yandex").get("folderId");
    if (!folderId) throw new Error(`yandex: bucket ${args.name} needs a folder id: set the platform folderId or yandex:folderId`);
    if (this.acls.has(args.name)) throw new Error(`yandex: bucket ${args.name} is declared twice`);
    const acl = new BucketAcl(args.name);
    this.acls.set(args.name, acl);
    const bucket = new yandex.StorageBucket(
      args.name,
      {
        ...(args.bucketName ? { bucket: args.bucketName } : { bucketPrefix: `${args.name}-` }),
        folderId,
        // `grant` is applied in place with PutBucketAcl, never a replacement (terraform-provider-yandex
        // 0.139, resource_yandex_storage_bucket.go: not ForceNew), so a grant added later (a new
        // standby) updates the protected bucket. `folder_id` is ForceNew: it must stay the same.
        grants: acl.grants,
        forceDestroy: false,
        versioning: { enabled: false },
        // WAL-G/pgBackRest retention does the real pruning; this is only a safety net.
        lifecycleRules:
          args.expireDays > 0 ? [{ id: "expire-old-objects", enabled: true, expiration: { days: args.expireDays } }] : undefined,
      },
      withParent(parent, dataResourceOptions),
    );
    return { name: args.name, bucket: bucket.bucket, resource: bucket };
  }

  /** A service account with no role anywhere; its only rights are the bucket grants it is given. */
  serviceAccount(name: string, parent: pulumi.Resource): ServiceAccountHandle {
    const account = new yandex.IamServiceAccount(name, { name, folderId: this.settings.folderId }, { parent });
    return { name, id: account.id };
  }

  /**
   * Lockbox: one secret, one version with an entry per token (textValue, a Pulumi secret), and a
   * secret-level `lockbox.payloadViewer` binding for the readers (the role that reads a payload,
   * and nothing else: yandex.cloud/docs/lockbox/security). The VM reads it as its service account.
   */
  secret(args: SecretArgs, parent: pulumi.Resource): SecretHandle {
    const { folderId, labels } = this.settings;
    const secret = new yandex.LockboxSecret(
      args.name,
      { name: args.name, folderId, labels, description: "pgha: secrets of one node, read by it at first boot" },
      { parent },
    );
    const version = new yandex.LockboxSecretVersion(
      args.name,
      {
        secretId: secret.id,
        entries: pulumi.secret(pulumi.output(args.entries).apply((e) => Object.entries(e).map(([key, textValue]) => ({ key, textValue })))),
      },
      { parent },
    );
    // A binding owns the role's whole member list on this secret: exactly the readers.
    const binding = new yandex.LockboxSecretIamBinding(
      `${args.name}-readers`,
      {
        secretId: secret.id,
        role: YANDEX_SECRET_READER_ROLE,
        members: args.readers.map((r) => pulumi.interpolate`serviceAccount:${r.id}`),
      },
      { parent },
    );
    return { store: secret.id.apply((secretId) => ({ kind: "yandex-lockbox" as const, secretId })), resources: [version, binding] };
  }

  /**
   * Object Storage speaks S3 with static keys (WAL-G and pgBackRest cannot use the metadata
   * token), so the account gets one static key, shared by all its grants, and the bucket's ACL
   * names the account: READ for a reader, READ and WRITE for a writer (see bucketAcl.ts). The
   * grant reaches this bucket only; the account holds no role on the folder.
   */
  grantBucket(args: BucketGrantArgs, parent: pulumi.Resource): BucketCredentials {
    const acl = this.acls.get(args.bucket.name);
    if (!acl) throw new Error(`yandex: grant ${args.name}: bucket ${args.bucket.name} was not created by this platform`);
    acl.grant(args.account.id, args.access, args.name);
    const key = this.staticKey(args.account, parent);
    return { accessKeyId: pulumi.secret(key.accessKey), secretAccessKey: pulumi.secret(key.secretKey) };
  }

  private staticKey(account: ServiceAccountHandle, parent: pulumi.Resource): yandex.IamServiceAccountStaticAccessKey {
    let key = this.keys.get(account.name);
    if (!key) {
      key = new yandex.IamServiceAccountStaticAccessKey(`${account.name}-key`, { serviceAccountId: account.id }, { parent });
      this.keys.set(account.name, key);
    }
    return key;
  }

  private imageId(args: VmArgs): pulumi.Input<string> {
    const id = this.settings.imageIds?.[args.os] ?? this.settings.imageId;
    if (!id) {
      const family = YANDEX_IMAGE_FAMILIES[args.os];
      // A user error (exit 2 in pgha synth), named as in a stack file: `pgha validate` checks the same there.
      throw new ConfigError(
        [
          {
            path: `pgha:cloud.imageIds.${args.os}`,
            message:
              `is required on yandex (VM ${args.name} has none): the boot image id for ${args.os}, or pgha:cloud.imageId; ` +
              `the current one of family ${family}: yc compute image get-latest-from-family ${family} --folder-id standard-images`,
          },
        ],
        "invalid yandex platform settings (composeTopology's cloud argument, pgha:cloud in a stack file)",
      );
    }
    return id;
  }

  /** One spread placement group per group name, created by its first member. */
  private placementGroup(group: string, parent: pulumi.Resource): yandex.ComputePlacementGroup {
    let pg = this.placementGroups.get(group);
    if (!pg) {
      pg = new yandex.ComputePlacementGroup(
        `${group}-spread`,
        { name: `${group}-spread`, folderId: this.settings.folderId, labels: this.settings.labels },
        { parent },
      );
      this.placementGroups.set(group, pg);
    }
    return pg;
  }
}
