/**
 * Unmanaged instance groups: how GCP load balancers reach pgha's fixed VMs.
 */
import type * as gcp from "@pulumi/gcp";
import { gcpSdk } from "./sdk";
import type * as pulumi from "@pulumi/pulumi";
import type { VmHandle } from "../types";

export interface NamedPort {
  name: string;
  port: number;
}

interface RegisteredGroup {
  group: gcp.compute.InstanceGroup;
  namedPorts: NamedPort[];
  members: string;
}

/**
 * Unmanaged instance groups, shared between load balancers. GCP lets a VM belong to only one
 * load-balanced unmanaged instance group, so a second load balancer over the same VMs must
 * reuse the group rather than create another.
 */
export class InstanceGroupRegistry {
  private readonly byKey = new Map<string, RegisteredGroup>();
  private readonly groupOfVm = new Map<string, string>();

  get(
    lbName: string,
    zone: string,
    vms: VmHandle[],
    namedPorts: NamedPort[],
    networkId: pulumi.Input<string>,
    project: string | undefined,
    parent: pulumi.Resource,
  ): gcp.compute.InstanceGroup {
    const gcp = gcpSdk();
    const members = vms
      .map((v) => v.name)
      .sort()
      .join(",");
    const key = `${zone}/${members}`;
    const existing = this.byKey.get(key);
    if (existing) {
      const missing = namedPorts.filter((p) => !existing.namedPorts.some((e) => e.name === p.name && e.port === p.port));
      if (missing.length > 0) {
        throw new Error(
          `gcp: load balancer ${lbName} needs named ports ${missing.map((p) => `${p.name}:${p.port}`).join(", ")} ` +
            `on the instance group of ${members}, which an earlier load balancer created without them; ` +
            `create the global (named-port) load balancer first`,
        );
      }
      return existing.group;
    }
    for (const v of vms) {
      const other = this.groupOfVm.get(v.name);
      if (other) {
        throw new Error(
          `gcp: load balancer ${lbName}: VM ${v.name} is already in the load-balanced instance group of ${other}; ` +
            `GCP allows one such group per VM, so load balancers must target the same VM sets`,
        );
      }
    }
    const group = new gcp.compute.InstanceGroup(
      `${lbName}-${zone}`,
      {
        project,
        zone,
        network: networkId,
        instances: vms.map((v) => instanceOf(v).selfLink),
        namedPorts: namedPorts.length > 0 ? namedPorts : undefined,
      },
      { parent },
    );
    this.byKey.set(key, { group, namedPorts, members });
    for (const v of vms) this.groupOfVm.set(v.name, key);
    return group;
  }
}

export function instanceOf(vm: VmHandle): gcp.compute.Instance {
  const gcp = gcpSdk();
  const instance = vm.resources.find((r): r is gcp.compute.Instance => r instanceof gcp.compute.Instance);
  if (!instance) throw new Error(`gcp: load balancer target ${vm.name} is not a GCP VM`);
  return instance;
}

export function byZone(vms: VmHandle[]): Map<string, VmHandle[]> {
  const zones = new Map<string, VmHandle[]>();
  for (const vm of vms) zones.set(vm.zone, [...(zones.get(vm.zone) ?? []), vm]);
  return zones;
}
