/**
 * What each component reports about itself for `pgha synth` and the lab, and what users
 * can export from their stacks: plain JSON, one entry per node / load balancer / link.
 */
import type { PlannedNode } from "../config";
import type { HealthCheck } from "../platform/types";

/** A planned node with the exact cloud-init user-data the VM receives (it contains secrets). */
export type PlanNode = Omit<PlannedNode, "index" | "offset"> & { userData: string };

export type PlanHealthCheck = HealthCheck;

export interface PlanLoadBalancer {
  name: string;
  /** cloud: a cloud TCP LB (the lab realises it locally); vip: a keepalived VIP on an HAProxy pair. */
  kind: "cloud" | "vip";
  scope: "regional" | "global";
  region: string;
  /** Frontend address if known at plan time (VIP); cloud LBs get one from the cloud. */
  address?: string;
  listeners: { name: string; port: number; targetPort: number }[];
  targets: { name: string; ip: string }[];
  healthCheck: PlanHealthCheck;
}

export interface PlanStandbyLink {
  /** The standby cluster. */
  cluster: string;
  source: string;
  /** Where the standby leader streams from: the LB or VIP address, an explicit sourceHost, or the source's members as `ip1,ip2,ip3`. */
  host: string;
  port: number;
  slot: string;
}
