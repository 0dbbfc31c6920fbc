/**
 * GCP TCP load balancers: which product a (scope, exposure) pair maps to, and the checks every
 * one of them makes first.
 *
 * | scope    | exposure | product                                                   |
 * |----------|----------|-----------------------------------------------------------|
 * | regional | internal | internal passthrough NLB (global access on)               |
 * | regional | public   | external passthrough NLB, VPC firewall admits sourceRanges |
 * | global   | internal | cross-region internal proxy NLB (INTERNAL_MANAGED)        |
 * | global   | public   | global external proxy NLB + Cloud Armor on sourceRanges   |
 */
import type * as pulumi from "@pulumi/pulumi";
import type { LoadBalancerArgs, LoadBalancerHandle } from "../types";
import type { InstanceGroupRegistry } from "./instanceGroups";
import { regionalPassthrough } from "./passthrough";
import { crossRegionInternalProxy, globalExternalProxy } from "./proxy";

export { InstanceGroupRegistry } from "./instanceGroups";

export type GcpLoadBalancerKind = "internal-passthrough" | "external-passthrough" | "cross-region-internal-proxy" | "global-external-proxy";

export function gcpLoadBalancerKind(scope: LoadBalancerArgs["scope"], exposure: LoadBalancerArgs["exposure"]): GcpLoadBalancerKind {
  if (scope === "regional") return exposure === "internal" ? "internal-passthrough" : "external-passthrough";
  return exposure === "internal" ? "cross-region-internal-proxy" : "global-external-proxy";
}

/** A GCP load balancer handle also lists every internal frontend (one per region on the cross-region proxy). */
export interface GcpLoadBalancerHandle extends LoadBalancerHandle {
  frontends: { region: string; address: pulumi.Output<string> }[];
}

export function createGcpLoadBalancer(
  args: LoadBalancerArgs,
  parent: pulumi.Resource,
  project: string | undefined,
  groups: InstanceGroupRegistry,
): GcpLoadBalancerHandle {
  if (args.targets.length === 0) throw new Error(`gcp: load balancer ${args.name} has no targets`);
  if (args.listeners.length === 0) throw new Error(`gcp: load balancer ${args.name} has no listeners`);
  if (args.exposure === "public" && args.sourceRanges.length === 0) {
    throw new Error(
      `gcp: load balancer ${args.name}: exposure "public" needs sourceRanges (loadBalancer.sourceRanges); ` +
        `a public listener open to everyone is never built`,
    );
  }
  const kind = gcpLoadBalancerKind(args.scope, args.exposure);
  switch (kind) {
    case "internal-passthrough":
    case "external-passthrough": {
      const address = regionalPassthrough(args, parent, project, groups);
      return { address, listeners: args.listeners, frontends: kind === "internal-passthrough" ? [{ region: args.region, address }] : [] };
    }
    case "cross-region-internal-proxy": {
      const frontends = crossRegionInternalProxy(args, parent, project, groups);
      return { address: frontends[0].address, listeners: args.listeners, frontends };
    }
    case "global-external-proxy":
      return { address: globalExternalProxy(args, parent, project, groups), listeners: args.listeners, frontends: [] };
  }
}
