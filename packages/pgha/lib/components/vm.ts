import type * as pulumi from "@pulumi/pulumi";
import type { PlannedNode } from "../config";
import type { VmArgs, VmHandle } from "../platform/types";
import type { NetworkContext } from "./context";
import type { PlanNode } from "./plan";

/**
 * Small service VMs (etcd, HAProxy, clients): what they get unless a role says otherwise. A shape
 * both clouds offer (config/invalid.shapes.test.ts), as they have no hardware field to validate.
 */
export const SERVICE_VM = { cores: 2, memoryGb: 2, bootDiskGb: 20 };

/** Ask the platform for the VM of a planned node; placement and OS come from the plan and the network. */
export function placeVm(
  net: NetworkContext,
  node: PlannedNode,
  userData: pulumi.Input<string>,
  extra: Pick<VmArgs, "firewalls"> & Partial<Omit<VmArgs, "name" | "role" | "region" | "zone" | "subnet" | "ip" | "userData" | "network">>,
  parent: pulumi.Resource,
): VmHandle {
  return net.platform.vm(
    {
      ...SERVICE_VM,
      os: net.base.platform.os,
      deletionProtection: net.base.platform.deletionProtection,
      ...extra,
      name: node.name,
      role: node.role,
      region: node.region,
      zone: node.zone,
      subnet: node.subnet,
      ip: node.ip,
      userData,
      network: net.handle,
    },
    parent,
  );
}

/** The plan entry of a planned node with its user-data. */
export function planNode(n: PlannedNode, userData: string): PlanNode {
  const { index: _i, offset: _o, ...rest } = n;
  return { ...rest, userData };
}
