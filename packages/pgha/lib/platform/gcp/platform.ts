/**
 * Google Cloud implementation of the Platform interface (Compute Engine VMs, VPC firewall,
 * Cloud Load Balancing, Cloud Storage).
 */
import { gcpSdk } from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import {
  assertIngressHasSource,
  dataResourceOptions,
  type Labels,
  METADATA_USER_DATA_PATH,
  vmResourceOptions,
  withLabels,
  withParent,
} from "../options";
import { GCP_IAP_RANGE } from "../../config/access";
import type {
  BucketArgs,
  BucketCredentials,
  BucketGrantArgs,
  BucketHandle,
  FirewallArgs,
  FirewallHandle,
  FirewallRule,
  LoadBalancerAddressArgs,
  LoadBalancerArgs,
  LoadBalancerHandle,
  NetworkArgs,
  NetworkHandle,
  Platform,
  SecretArgs,
  SecretHandle,
  SecretStoreRef,
  ServiceAccountHandle,
  VmArgs,
  VmHandle,
  PlatformCapabilities,
  ReservedAddress,
} from "../types";
import { reserveGcpAddress } from "./lbCommon";
import { createGcpLoadBalancer, InstanceGroupRegistry } from "./loadBalancer";
import { createGcpNetwork } from "./network";
import { GCP_HEALTH_CHECK_RANGES } from "./ranges";
import { gcpAccountId, gcpDiskType, gcpImage, gcpMachineType } from "./sizing";

export interface GcpSettings {
  /** Project for every resource; defaults to the provider's `gcp:project`. */
  project?: string;
  /**
   * Labels added to VMs, disks and buckets (VMs and disks also get `pgha-role`). Default none.
   * A map or an Input of one (values may be Inputs).
   */
  labels?: Labels;
  // No `nat` switch here: the stack's `platform.egress` (NetworkArgs.egress) decides Cloud NAT.
}

/** Guest device name of the data disk; GCE exposes it as /dev/disk/by-id/google-<name>. */
export const GCP_DATA_DEVICE_NAME = "data";

export class GcpPlatform implements Platform {
  readonly kind = "gcp" as const;
  readonly capabilities: PlatformCapabilities = {
    // GCP routes a private IP only to the VM it is assigned to: no gratuitous-ARP VIP.
    vip: false,
    // Cross-region proxy load balancers (internal managed with global access, or external).
    globalLoadBalancer: true,
    vms: true,
    // Firewalls, VMs and load balancers name the network and subnets by id, whoever made them;
    // Cloud NAT attaches to a router of pgha's own in that network.
    existingNetwork: true,
    natForExistingSubnets: true,
  };
  private readonly instanceGroups = new InstanceGroupRegistry();

  constructor(private readonly settings: GcpSettings = {}) {
    // A missing @pulumi/gcp fails here, at createPlatform, not at the first resource.
    gcpSdk();
  }

  network(args: NetworkArgs, parent: pulumi.Resource): NetworkHandle {
    return createGcpNetwork(args, parent, this.settings.project);
  }

  firewall(args: FirewallArgs, parent: pulumi.Resource): FirewallHandle {
    const gcp = gcpSdk();
    for (const rule of args.ingress) {
      assertIngressHasSource(args.name, rule);
      const sourceRanges = firewallSourceRanges(rule.from);
      // keepalived is not used on GCP (no VIP), so VRRP rules have nothing to guard.
      if (rule.protocol === "vrrp") continue;
      new gcp.compute.Firewall(
        `${args.name}-${rule.name}`,
        {
          project: this.settings.project,
          network: args.network.networkId,
          description: rule.description,
          direction: "INGRESS",
          priority: 1000,
          allows: [{ protocol: rule.protocol, ports: rule.ports.map(String) }],
          sourceRanges: sourceRanges.length > 0 ? sourceRanges : undefined,
          sourceTags: rule.from.self ? [args.targetTag] : undefined,
          targetTags: [args.targetTag],
        },
        { parent },
      );
    }
    return { targetTag: args.targetTag };
  }

  vm(args: VmArgs, parent: pulumi.Resource): VmHandle {
    const gcp = gcpSdk();
    const project = this.settings.project;
    const subnetId = args.network.subnetIds[args.subnet];
    if (!subnetId) throw new Error(`gcp: VM ${args.name}: unknown subnet ${args.subnet}`);
    const labels = withLabels(this.settings.labels, { "pgha-role": args.role });

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
        // cloud-platform: what the account may do is decided by its IAM grants alone (its bucket, its secret).
        serviceAccount: args.serviceAccount ? { email: args.serviceAccount, scopes: ["cloud-platform"] } : undefined,
        tags,
        labels,
        deletionProtection: args.deletionProtection,
        allowStoppingForUpdate: true,
      },
      withParent(parent, vmResourceOptions(METADATA_USER_DATA_PATH), { dependsOn: args.dependsOn ?? [] }),
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

  loadBalancerAddress(args: LoadBalancerAddressArgs, parent: pulumi.Resource): ReservedAddress {
    return reserveGcpAddress(args, parent, this.settings.project);
  }

  bucket(args: BucketArgs, parent: pulumi.Resource): BucketHandle {
    const gcp = gcpSdk();
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
        lifecycleRules: args.expireDays > 0 ? [{ action: { type: "Delete" }, condition: { age: args.expireDays } }] : undefined,
        forceDestroy: false,
        labels: this.settings.labels,
      },
      withParent(parent, dataResourceOptions),
    );
    // Nobody is granted anything here: access comes only from grantBucket, one bucket at a time.
    return { name: args.name, bucket: bucket.name, resource: bucket };
  }

  serviceAccount(name: string, parent: pulumi.Resource): ServiceAccountHandle {
    const gcp = gcpSdk();
    // No project-level role: the account can do nothing until grantBucket gives it one bucket.
    const account = new gcp.serviceaccount.Account(
      name,
      { project: this.settings.project, accountId: gcpAccountId(name), displayName: `pgha ${name} VMs` },
      { parent },
    );
    return { name, id: account.email };
  }

  /**
   * Secret Manager: one secret (automatic replication), one version holding the entries as a JSON
   * object (what pgha-secrets decodes from `versions/latest:access`), and a secret-level
   * `roles/secretmanager.secretAccessor` binding per reader: no project-wide role.
   */
  secret(args: SecretArgs, parent: pulumi.Resource): SecretHandle {
    const gcp = gcpSdk();
    const project = this.settings.project;
    const secret = new gcp.secretmanager.Secret(
      args.name,
      { project, secretId: args.name, replication: { auto: {} }, labels: this.settings.labels },
      { parent },
    );
    const version = new gcp.secretmanager.SecretVersion(
      args.name,
      { secret: secret.id, secretData: pulumi.secret(pulumi.output(args.entries).apply((e) => JSON.stringify(e))) },
      { parent },
    );
    const grants = args.readers.map(
      (r) =>
        new gcp.secretmanager.SecretIamMember(
          `${args.name}-${r.name}`,
          {
            project: secret.project,
            secretId: secret.secretId,
            role: GCP_SECRET_READER_ROLE,
            member: pulumi.interpolate`serviceAccount:${r.id}`,
          },
          { parent },
        ),
    );
    // An empty project (provider default unknown at plan time) makes pgha-secrets ask the metadata server for it.
    const store: pulumi.Output<SecretStoreRef> = pulumi
      .all([secret.project, secret.secretId])
      .apply(([p, id]) => ({ kind: "gcp-secret-manager" as const, project: p ?? project ?? "", secret: id }));
    return { store, resources: [version, ...grants] };
  }

  grantBucket(args: BucketGrantArgs, parent: pulumi.Resource): BucketCredentials {
    const gcp = gcpSdk();
    const role = gcsBucketRole(args.access);
    // A bucket-level IAM binding (@pulumi/gcp storage.BucketIAMMember): this bucket only.
    new gcp.storage.BucketIAMMember(
      `${args.name}-${args.access === "read" ? "reader" : "writer"}`,
      { bucket: args.bucket.bucket, role, member: pulumi.interpolate`serviceAccount:${args.account.id}` },
      { parent, dependsOn: [args.bucket.resource] },
    );
    // VMs reach GCS as their attached service account (WAL-G/pgBackRest native GCS mode): no key.
    return {};
  }
}

/** The least predefined role that reads a secret's payload (cloud.google.com/secret-manager/docs/access-control). */
export const GCP_SECRET_READER_ROLE = "roles/secretmanager.secretAccessor";

/**
 * The least predefined role for each access (cloud.google.com/storage/docs/access-control/iam-roles):
 * - readWrite: roles/storage.objectUser creates, reads, lists, updates and deletes objects and
 *   multipart uploads: WAL-G/pgBackRest push WAL and base backups and delete old ones for
 *   retention. roles/storage.objectAdmin would add getIamPolicy/setIamPolicy on objects.
 * - read: roles/storage.objectViewer gets and lists objects: a standby's restore_command.
 */
export function gcsBucketRole(access: BucketGrantArgs["access"]): string {
  return access === "readWrite" ? "roles/storage.objectUser" : "roles/storage.objectViewer";
}

/** Source CIDRs of an ingress rule on GCP (self is a source tag, not a range). */
export function firewallSourceRanges(from: FirewallRule["from"]): string[] {
  const ranges = [
    ...(from.cidrs ?? []),
    ...(from.healthCheckers ? GCP_HEALTH_CHECK_RANGES : []),
    // SSH through IAP TCP forwarding arrives from IAP's range (see GCP_IAP_RANGE).
    ...(from.iap ? [GCP_IAP_RANGE] : []),
  ];
  return [...new Set(ranges)];
}
