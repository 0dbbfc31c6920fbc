/**
 * A small VM with psql in a region's subnet: the place to test a cluster through its load
 * balancer from outside Kubernetes (and across regions). No external IP: egress by Cloud
 * NAT, SSH through IAP.
 */
import type * as gcp from "@pulumi/gcp";
import { gcpSdk } from "../gcp/sdk";
import type * as pulumi from "@pulumi/pulumi";
import { CLIENT_TAG } from "./network";

export interface ClientVmArgs {
  project: string;
  zone: string;
  subnetworkId: pulumi.Input<string>;
  machineType: string;
  /** Image family, e.g. debian-cloud/debian-13 (gcpImage of the stack's platform.os). */
  image: string;
  userData: pulumi.Input<string>;
  deletionProtection: boolean;
  labels?: Record<string, string>;
}

export function createClientVm(name: string, args: ClientVmArgs, parent: pulumi.Resource): gcp.compute.Instance {
  const gcp = gcpSdk("gke");
  return new gcp.compute.Instance(
    name,
    {
      project: args.project,
      name,
      zone: args.zone,
      machineType: args.machineType,
      bootDisk: { autoDelete: true, initializeParams: { image: args.image, size: 10, type: "pd-balanced" } },
      networkInterfaces: [{ subnetwork: args.subnetworkId }],
      metadata: { "user-data": args.userData, "enable-oslogin": "TRUE" },
      tags: [CLIENT_TAG],
      labels: { ...args.labels, "pgha-role": "client" },
      deletionProtection: args.deletionProtection,
      allowStoppingForUpdate: true,
    },
    // cloud-init reads user-data once, at first boot: later changes would do nothing.
    { parent, ignoreChanges: ['metadata["user-data"]'] },
  );
}
