/**
 * The local platform: no cloud. Every request becomes a plain custom resource with a
 * `pgha-lab:index:*` type token, so that `pgha synth` (the program under Pulumi mocks) records
 * it in the plan and `pgha lab up` can realise it on this machine.
 *
 * FOR SYNTH/LAB ONLY: there is no `pgha-lab` resource provider, so `pulumi up` on a stack with
 * `platform.kind: local` fails at the first resource. The same resource options as the clouds
 * are applied (protected data disks and buckets, ignored user-data), so the lab exercises them.
 */
import * as pulumi from "@pulumi/pulumi";
import { assertIngressHasSource, dataResourceOptions, vmResourceOptions, withParent } from "./options";
import type {
  BucketArgs,
  BucketCredentials,
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
} from "./types";

export const LAB_TYPES = {
  network: "pgha-lab:index:Network",
  firewall: "pgha-lab:index:Firewall",
  vm: "pgha-lab:index:Vm",
  disk: "pgha-lab:index:Disk",
  loadBalancer: "pgha-lab:index:LoadBalancer",
  bucket: "pgha-lab:index:Bucket",
  serviceAccount: "pgha-lab:index:ServiceAccount",
  /** A secret's entries (a Pulumi secret); `pgha synth` moves them to out/<stack>/secrets/<name>.json. */
  secret: "pgha-lab:index:Secret",
  /** One reader of one secret: the lab's metadata stand-in serves the secret only to VMs of that account. */
  secretAccess: "pgha-lab:index:SecretAccess",
} as const;

/** Lab VMs have no metadata map; their user-data is a top-level input. */
export const LAB_USER_DATA_PATH = "userData";

export interface LocalSettings {
  /** Directory under which the lab keeps bucket contents (default /var/lib/pgha-lab/buckets). */
  bucketRoot?: string;
}

/** A lab resource: its inputs are what the plan records. */
class LabResource extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}

function labResource(type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions): LabResource {
  return new LabResource(type, name, props, opts);
}

/** Read back an input as an output of the resource (mocks echo inputs as state). */
function prop(r: LabResource, key: string): pulumi.Output<string> {
  return (r as unknown as Record<string, pulumi.Output<string>>)[key] ?? pulumi.output(r.id);
}

export class LocalPlatform implements Platform {
  readonly kind = "local" as const;
  readonly capabilities: PlatformCapabilities = {
    // Lab subnets are Linux bridges: a keepalived VIP moves by gratuitous ARP as on bare metal.
    vip: true,
    // The lab binds a "global" listener like a regional one; every region shares its bridges.
    globalLoadBalancer: true,
    vms: true,
    // The lab's subnets are bridges it creates from the stack; there is nothing to reuse.
    existingNetwork: false,
    natForExistingSubnets: false,
  };

  constructor(private readonly settings: LocalSettings = {}) {}

  network(args: NetworkArgs, parent: pulumi.Resource): NetworkHandle {
    if (args.existing)
      throw new Error(`local: network ${args.name}: the lab builds its own network; an existing network is for yandex and gcp`);
    // egress is what the lab reads to decide whether nodes reach its internet (lib/check/egress.ts).
    const net = labResource(LAB_TYPES.network, args.name, { name: args.name, subnets: args.subnets, egress: args.egress }, { parent });
    const subnetIds: Record<string, pulumi.Output<string>> = {};
    for (const s of args.subnets) subnetIds[s.name] = pulumi.interpolate`${net.id}/${s.name}`;
    return { networkId: net.id, subnetIds, subnets: args.subnets };
  }

  firewall(args: FirewallArgs, parent: pulumi.Resource): FirewallHandle {
    for (const rule of args.ingress) assertIngressHasSource(args.name, rule);
    labResource(LAB_TYPES.firewall, args.name, { name: args.name, targetTag: args.targetTag, ingress: args.ingress }, { parent });
    return { targetTag: args.targetTag };
  }

  vm(args: VmArgs, parent: pulumi.Resource): VmHandle {
    if (!args.network.subnetIds[args.subnet]) throw new Error(`local: VM ${args.name}: unknown subnet ${args.subnet}`);
    const disk = args.dataDisk
      ? labResource(
          LAB_TYPES.disk,
          `${args.name}-data`,
          { name: `${args.name}-data`, zone: args.zone, sizeGb: args.dataDisk.sizeGb, type: args.dataDisk.type },
          withParent(parent, dataResourceOptions),
        )
      : undefined;
    const tags = [...new Set(args.firewalls.map((f) => f.targetTag))];
    const vm = labResource(
      LAB_TYPES.vm,
      args.name,
      {
        name: args.name,
        role: args.role,
        region: args.region,
        zone: args.zone,
        subnet: args.subnet,
        ip: args.ip,
        userData: args.userData,
        cores: args.cores,
        memoryGb: args.memoryGb,
        bootDiskGb: args.bootDiskGb,
        os: args.os,
        dataDisk: disk && args.dataDisk ? { name: `${args.name}-data`, sizeGb: args.dataDisk.sizeGb, type: args.dataDisk.type } : undefined,
        tags,
        serviceAccount: args.serviceAccount,
        spreadGroup: args.spreadGroup,
        deletionProtection: args.deletionProtection,
      },
      withParent(parent, vmResourceOptions(LAB_USER_DATA_PATH), { dependsOn: [...(disk ? [disk] : []), ...(args.dependsOn ?? [])] }),
    );
    return {
      name: args.name,
      role: args.role,
      zone: args.zone,
      region: args.region,
      subnet: args.subnet,
      ip: args.ip,
      tags,
      instanceId: vm.id,
      resources: disk ? [vm, disk] : [vm],
    };
  }

  loadBalancer(args: LoadBalancerArgs, parent: pulumi.Resource): LoadBalancerHandle {
    if (!args.address) {
      throw new Error(`local: load balancer ${args.name} needs a planned address: the lab binds it on the subnet bridge`);
    }
    const lb = labResource(
      LAB_TYPES.loadBalancer,
      args.name,
      {
        name: args.name,
        scope: args.scope,
        region: args.region,
        exposure: args.exposure,
        address: args.address,
        listeners: args.listeners,
        targets: args.targets.map((t) => ({ name: t.name, ip: t.ip, zone: t.zone, region: t.region })),
        healthCheck: args.healthCheck,
        sourceRanges: args.sourceRanges,
      },
      { parent },
    );
    return { address: prop(lb, "address"), listeners: args.listeners };
  }

  /**
   * The lab has no internet addresses: a public load balancer listens on the cluster's planned
   * address on the subnet bridge, as an internal one does, and that address is the reservation.
   */
  loadBalancerAddress(args: LoadBalancerAddressArgs): ReservedAddress {
    if (!args.planned) throw new Error(`local: load balancer address ${args.name} needs the planned address: the lab binds it`);
    return { scope: args.scope, region: args.region, address: pulumi.output(args.planned) };
  }

  bucket(args: BucketArgs, parent: pulumi.Resource): BucketHandle {
    const root = this.settings.bucketRoot ?? "/var/lib/pgha-lab/buckets";
    // A local storage kind names its directory; otherwise one per bucket under the lab root.
    const path = args.bucketName ?? `${root}/${args.name}`;
    const resource = labResource(
      LAB_TYPES.bucket,
      args.name,
      { name: args.name, region: args.region, path, expireDays: args.expireDays },
      withParent(parent, dataResourceOptions),
    );
    return { name: args.name, bucket: pulumi.output(path), resource };
  }

  /**
   * The identity a lab VM acts as: the lab's metadata stand-in (169.254.169.254) finds the calling
   * VM by its address, and its `serviceAccount` by this name. Buckets ignore it (a local bucket is
   * a directory on the node's own disk).
   */
  serviceAccount(name: string, parent: pulumi.Resource): ServiceAccountHandle {
    const account = labResource(LAB_TYPES.serviceAccount, name, { name }, { parent });
    return { name, id: prop(account, "name") };
  }

  /** The entries (a Pulumi secret) and one access grant per reader, by account name. */
  secret(args: SecretArgs, parent: pulumi.Resource): SecretHandle {
    const secret = labResource(LAB_TYPES.secret, args.name, { name: args.name, entries: pulumi.secret(args.entries) }, { parent });
    const grants = args.readers.map((r) =>
      labResource(
        LAB_TYPES.secretAccess,
        `${args.name}-${r.name}`,
        { secret: args.name, serviceAccount: r.id },
        { parent, dependsOn: [secret] },
      ),
    );
    return { store: pulumi.output({ kind: "lab" as const, secret: args.name }), resources: [secret, ...grants] };
  }

  grantBucket(): BucketCredentials {
    return {};
  }
}
