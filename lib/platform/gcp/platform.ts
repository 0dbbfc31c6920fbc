/**
 * Google Cloud implementation of the Platform interface (Compute Engine VMs, VPC firewall,
 * Cloud Load Balancing, Cloud Storage).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
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
import { createGcpLoadBalancer, InstanceGroupRegistry } from "./loadBalancer";
import { GCP_HEALTH_CHECK_RANGES, gcpAccountId, gcpDiskType, gcpImage, gcpMachineType } from "./sizing";

export interface GcpSettings {
  /** Project for every resource; defaults to the provider's `gcp:project`. */
  project?: string;
  /** Labels added to VMs, disks and buckets. */
  labels?: Record<string, string>;
  /**
   * Create a Cloud Router + Cloud NAT per region (default true). VMs have no external IP,
   * and cloud-init must still reach package mirrors.
   */
  nat?: boolean;
}

/** Guest device name of the data disk; GCE exposes it as /dev/disk/by-id/google-<name>. */
export const GCP_DATA_DEVICE_NAME = "data";

export class GcpPlatform implements Platform {
  readonly kind = "gcp" as const;
  /** GCP routes a private IP only to the VM it is assigned to: no gratuitous-ARP VIP. */
  readonly supportsVip = false;
  private readonly instanceGroups = new InstanceGroupRegistry();

  constructor(private readonly settings: GcpSettings = {}) {}

  network(args: NetworkArgs, parent: pulumi.Resource): NetworkHandle {
    const project = this.settings.project;
    const net = new gcp.compute.Network(
      args.name,
      { project, autoCreateSubnetworks: false, description: `pgha network ${args.name}` },
      { parent },
    );
    const subnetIds: Record<string, pulumi.Output<string>> = {};
    for (const s of args.subnets) {
      // GCP subnets are regional: a zone on the pgha subnet only steers VM placement.
      const sub = new gcp.compute.Subnetwork(
        `${args.name}-${s.name}`,
        {
          project,
          network: net.id,
          region: s.region,
          ipCidrRange: s.cidr,
          // No external IPs: Google APIs (GCS for WAL-G) are reached through Private Google Access.
          privateIpGoogleAccess: true,
        },
        { parent },
      );
      subnetIds[s.name] = sub.id;
    }
    if (this.settings.nat ?? true) {
      for (const region of [...new Set(args.subnets.map((s) => s.region))]) {
        const router = new gcp.compute.Router(`${args.name}-${region}-router`, { project, region, network: net.id }, { parent });
        new gcp.compute.RouterNat(
          `${args.name}-${region}-nat`,
          {
            project,
            region,
            router: router.name,
            natIpAllocateOption: "AUTO_ONLY",
            sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
          },
          { parent },
        );
      }
    }
    return { networkId: net.id, subnetIds, subnets: args.subnets };
  }

  firewall(args: FirewallArgs, parent: pulumi.Resource): FirewallHandle {
    for (const rule of args.ingress) {
      assertIngressHasSource(args.name, rule);
      // keepalived is not used on GCP (no VIP), so VRRP rules have nothing to guard.
      if (rule.protocol === "vrrp") continue;
      const sourceRanges = [...(rule.from.cidrs ?? []), ...(rule.from.healthCheckers ? GCP_HEALTH_CHECK_RANGES : [])];
      new gcp.compute.Firewall(
        `${args.name}-${rule.name}`,
        {
          project: this.settings.project,
          network: args.network.networkId,
          description: rule.description,
          direction: "INGRESS",
          priority: 1000,
          allows: [{ protocol: rule.protocol, ports: rule.ports.map(String) }],
          sourceRanges: sourceRanges.length > 0 ? [...new Set(sourceRanges)] : undefined,
          sourceTags: rule.from.self ? [args.targetTag] : undefined,
          targetTags: [args.targetTag],
        },
        { parent },
      );
    }
    return { targetTag: args.targetTag };
  }

  vm(args: VmArgs, parent: pulumi.Resource): VmHandle {
    const project = this.settings.project;
    const subnetId = args.network.subnetIds[args.subnet];
    if (!subnetId) throw new Error(`gcp: VM ${args.name}: unknown subnet ${args.subnet}`);
    const labels = { ...this.settings.labels, "pgha-role": args.role };

    // Reserving the planned IP keeps it ours while the VM is replaced.
    const address = new gcp.compute.Address(
      `${args.name}-ip`,
      { project, region: args.region, subnetwork: subnetId, addressType: "INTERNAL", address: args.ip },
      { parent },
    );
    const disk = args.dataDisk
      ? new gcp.compute.Disk(
          `${args.name}-data`,
          {
            project,
            name: `${args.name}-data`,
            zone: args.zone,
            size: args.dataDisk.sizeGb,
            type: gcpDiskType(args.dataDisk.type),
            labels,
          },
          withParent(parent, dataResourceOptions),
        )
      : undefined;

    const tags = [...new Set(args.firewalls.map((f) => f.targetTag))];
    const instance = new gcp.compute.Instance(
      args.name,
      {
        project,
        name: args.name,
        zone: args.zone,
        machineType: gcpMachineType(args.cores, args.memoryGb),
        bootDisk: {
          autoDelete: true,
          initializeParams: { image: gcpImage(args.os), size: args.bootDiskGb, type: "pd-balanced" },
        },
        attachedDisks: disk ? [{ source: disk.id, deviceName: GCP_DATA_DEVICE_NAME, mode: "READ_WRITE" }] : undefined,
        // No accessConfigs: no external IP. Egress goes through Cloud NAT.
        networkInterfaces: [{ subnetwork: subnetId, networkIp: address.address }],
        // cloud-init reads `user-data`; a startup script would force replacement on every change.
        metadata: { "user-data": args.userData },
        serviceAccount: args.serviceAccount ? { email: args.serviceAccount, scopes: ["cloud-platform"] } : undefined,
        tags,
        labels,
        deletionProtection: args.deletionProtection,
        allowStoppingForUpdate: true,
      },
      withParent(parent, vmResourceOptions(METADATA_USER_DATA_PATH)),
    );
    return {
      name: args.name,
      role: args.role,
      zone: args.zone,
      region: args.region,
      subnet: args.subnet,
      ip: args.ip,
      tags,
      instanceId: instance.id,
      resources: disk ? [instance, address, disk] : [instance, address],
    };
  }

  loadBalancer(args: LoadBalancerArgs, parent: pulumi.Resource): LoadBalancerHandle {
    return createGcpLoadBalancer(args, parent, this.settings.project, this.instanceGroups);
  }

  bucket(args: BucketArgs, parent: pulumi.Resource): BucketHandle {
    const bucket = new gcp.storage.Bucket(
      args.name,
      {
        project: this.settings.project,
        name: args.bucketName,
        location: args.region.toUpperCase(),
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        versioning: { enabled: false },
        // WAL-G/pgBackRest retention does the real pruning; this is only a safety net.
        lifecycleRules:
          args.expireDays > 0 ? [{ action: { type: "Delete" }, condition: { age: args.expireDays } }] : undefined,
        forceDestroy: false,
        labels: this.settings.labels,
      },
      withParent(parent, dataResourceOptions),
    );
    args.writers.forEach((writer, i) => {
      // VMs write with their own service account (WAL-G native GCS mode): no key to leak.
      new gcp.storage.BucketIAMMember(
        `${args.name}-writer-${i}`,
        { bucket: bucket.name, role: "roles/storage.objectAdmin", member: pulumi.interpolate`serviceAccount:${writer}` },
        { parent },
      );
    });
    return { bucket: bucket.name };
  }

  serviceAccount(name: string, parent: pulumi.Resource): pulumi.Output<string> {
    const account = new gcp.serviceaccount.Account(
      name,
      { project: this.settings.project, accountId: gcpAccountId(name), displayName: `pgha ${name} VMs` },
      { parent },
    );
    return account.email;
  }
}
