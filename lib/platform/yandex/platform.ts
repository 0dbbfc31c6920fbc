/**
 * Yandex Cloud implementation of the Platform interface (Compute Cloud VMs, VPC security
 * groups, Network Load Balancer, Object Storage), on pgha's typed subset of @pulumi/yandex.
 */
import * as pulumi from "@pulumi/pulumi";
import * as yandex from "@pulumi/yandex";
import {
  assertIngressHasSource,
  dataResourceOptions,
  METADATA_USER_DATA_PATH,
  vmResourceOptions,
  withParent,
} from "../options";
import type {
  BucketArgs,
  BucketHandle,
  FirewallArgs,
  FirewallHandle,
  LoadBalancerArgs,
  LoadBalancerHandle,
  NetworkArgs,
  NetworkHandle,
  Platform,
  VmArgs,
  VmHandle,
} from "../types";
import { createYandexLoadBalancer } from "./loadBalancer";
import { securityGroupIngresses, YANDEX_IMAGE_FAMILIES, yandexDiskSizeGb, yandexDiskType } from "./mappings";

export { YANDEX_IMAGE_FAMILIES } from "./mappings";

export interface YandexSettings {
  /** Folder for every resource; defaults to the provider's `yandex:folderId` (buckets need it explicitly). */
  folderId?: string;
  /** Boot image id for every VM (see YANDEX_IMAGE_FAMILIES for how to find one). */
  imageId?: string;
  /** Boot image id per OS; wins over `imageId`. */
  imageIds?: Partial<Record<VmArgs["os"], string>>;
  /** Hardware platform, default standard-v3 (Intel Ice Lake). */
  platformId?: string;
  /** Labels added to VMs, disks and load balancers. */
  labels?: Record<string, string>;
}

/** Guest device name of the data disk; Linux shows it as /dev/disk/by-id/virtio-<name>. */
export const YANDEX_DATA_DEVICE_NAME = "data";

/** S3 endpoint of Yandex Object Storage (WAL-G/pgBackRest S3 mode). */
export const YANDEX_STORAGE_ENDPOINT = "https://storage.yandexcloud.net";

export class YandexPlatform implements Platform {
  readonly kind = "yandex" as const;
  /**
   * Yandex VPC delivers a private address only to the VM interface it is assigned to (no
   * gratuitous-ARP takeover, no alias IPs in this provider schema), so a keepalived VIP would
   * not receive traffic: clusters sit behind the Network Load Balancer instead.
   */
  readonly supportsVip = false;
  private readonly placementGroups = new Map<string, yandex.ComputePlacementGroup>();

  constructor(private readonly settings: YandexSettings = {}) {}

  network(args: NetworkArgs, parent: pulumi.Resource): NetworkHandle {
    const folderId = this.settings.folderId;
    const net = new yandex.VpcNetwork(args.name, { name: args.name, folderId, labels: this.settings.labels }, { parent });
    const subnetIds: Record<string, pulumi.Output<string>> = {};
    for (const s of args.subnets) {
      if (!s.zone) throw new Error(`yandex: subnet ${s.name} needs a zone: Yandex subnets are zonal`);
      const sub = new yandex.VpcSubnet(
        `${args.name}-${s.name}`,
        { name: `${args.name}-${s.name}`, folderId, networkId: net.id, zone: s.zone, v4CidrBlocks: [s.cidr] },
        { parent },
      );
      subnetIds[s.name] = sub.id;
    }
    return { networkId: net.id, subnetIds, subnets: args.subnets };
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
        // Package mirrors, Object Storage, the other region: egress is not what pgha guards.
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
    const labels = { ...this.settings.labels, "pgha-role": args.role };

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
      withParent(parent, vmResourceOptions(METADATA_USER_DATA_PATH), { protect: args.deletionProtection }),
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

  bucket(args: BucketArgs, parent: pulumi.Resource): BucketHandle {
    const folderId = this.settings.folderId ?? new pulumi.Config("yandex").get("folderId");
    if (!folderId) throw new Error(`yandex: bucket ${args.name} needs a folder id: set the platform folderId or yandex:folderId`);
    // Object Storage speaks S3 with static keys (WAL-G cannot use instance IAM tokens), so the
    // bucket gets its own service account whose key the VMs use; `writers` are not needed.
    const account = new yandex.IamServiceAccount(`${args.name}-sa`, { name: `${args.name}-sa`, folderId }, { parent });
    const editor = new yandex.ResourcemanagerFolderIamMember(
      `${args.name}-sa-storage-editor`,
      { folderId, role: "storage.editor", member: pulumi.interpolate`serviceAccount:${account.id}` },
      { parent },
    );
    const key = new yandex.IamServiceAccountStaticAccessKey(`${args.name}-key`, { serviceAccountId: account.id }, { parent });
    const bucket = new yandex.StorageBucket(
      args.name,
      {
        ...(args.bucketName ? { bucket: args.bucketName } : { bucketPrefix: `${args.name}-` }),
        accessKey: key.accessKey,
        secretKey: key.secretKey,
        forceDestroy: false,
        versioning: { enabled: false },
        // WAL-G/pgBackRest retention does the real pruning; this is only a safety net.
        lifecycleRules:
          args.expireDays > 0 ? [{ id: "expire-old-objects", enabled: true, expiration: { days: args.expireDays } }] : undefined,
      },
      // The key's account must hold storage.editor before the bucket can be created with it.
      withParent(parent, dataResourceOptions, { dependsOn: [editor] }),
    );
    return {
      bucket: bucket.bucket,
      accessKeyId: pulumi.secret(key.accessKey),
      secretAccessKey: pulumi.secret(key.secretKey),
      vmServiceAccount: account.id,
    };
  }

  serviceAccount(name: string, parent: pulumi.Resource): pulumi.Output<string> {
    return new yandex.IamServiceAccount(name, { name, folderId: this.settings.folderId }, { parent }).id;
  }

  private imageId(args: VmArgs): string {
    const id = this.settings.imageIds?.[args.os] ?? this.settings.imageId;
    if (!id) {
      const family = YANDEX_IMAGE_FAMILIES[args.os];
      throw new Error(
        `yandex: VM ${args.name}: no boot image for ${args.os}; set the platform setting imageIds["${args.os}"] (or imageId) to the current image of family ${family}: yc compute image get-latest-from-family ${family} --folder-id standard-images`,
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
