/**
 * The gke platform: GCP networking and GKE clusters (@pulumi/gcp), Kubernetes objects
 * (@pulumi/kubernetes) from lib/kubernetes's manifests, GCS archives and Workload Identity.
 * Both SDKs are optional peer dependencies, loaded when the platform is created.
 */
import type * as pulumi from "@pulumi/pulumi";
import { gcpImage } from "../gcp/sizing";
import { gcpSdk } from "../gcp/sdk";
import type {
  ArchiveBucketArgs,
  KubernetesClientVmArgs,
  KubernetesFoundationArgs,
  KubernetesFoundationHandle,
  KubernetesPatroniArgs,
  KubernetesPatroniHandle,
  KubernetesPlatform,
  PlatformCapabilities,
  WorkloadIdentityArgs,
  WorkloadIdentityHandle,
} from "../types";
import { createClientVm } from "./clientVm";
import { createGkeFoundation } from "./foundation";
import { createBackupBucket, createWorkloadIdentity } from "./identity";
import { deployPatroniOnKubernetes } from "./patroni";
import { kubernetesSdk } from "./sdk";

export interface GkePlatformSettings {
  /** GCP project; defaults to the provider's `gcp:project`. */
  project?: string;
}

export class GkePlatform implements KubernetesPlatform {
  readonly kind = "gke" as const;
  readonly capabilities: PlatformCapabilities = {
    // Members are pods: there is no VM pair to float a keepalived VIP between.
    vip: false,
    // An internal LoadBalancer Service with global access is reachable from every region.
    globalLoadBalancer: true,
    vms: false,
    // The foundation builds the VPC the GKE clusters need (secondary ranges, master CIDRs).
    existingNetwork: false,
    natForExistingSubnets: false,
  };
  /** Workload Identity pool names (`<project>.svc.id.goog`) need it before anything exists. */
  readonly project: string;

  constructor(settings: GkePlatformSettings = {}) {
    const gcp = gcpSdk("gke");
    kubernetesSdk();
    const project = settings.project ?? gcp.config.project;
    if (!project)
      throw new Error("gke: set platform.project or the gcp:project config (the Workload Identity pool is <project>.svc.id.goog)");
    this.project = project;
  }

  foundation(args: KubernetesFoundationArgs, parent: pulumi.Resource): KubernetesFoundationHandle {
    return createGkeFoundation(this.project, args, parent);
  }

  archiveBucket(name: string, args: ArchiveBucketArgs, parent: pulumi.Resource): { bucket: pulumi.Output<string> } {
    return { bucket: createBackupBucket(name, { project: this.project, ...args }, parent).name };
  }

  workloadIdentity(name: string, args: WorkloadIdentityArgs, parent: pulumi.Resource): WorkloadIdentityHandle {
    const wi = createWorkloadIdentity(name, { project: this.project, ...args }, parent);
    return { email: wi.email, bindings: wi.bindings };
  }

  patroni(args: KubernetesPatroniArgs, parent: pulumi.Resource): KubernetesPatroniHandle {
    return deployPatroniOnKubernetes(parent, args);
  }

  clientVm(args: KubernetesClientVmArgs, parent: pulumi.Resource): { name: string; zone: string; instanceId: pulumi.Output<string> } {
    const { client } = args;
    const vm = createClientVm(
      client.name,
      {
        project: this.project,
        zone: client.zone,
        subnetworkId: args.subnetId,
        machineType: args.machineType,
        image: gcpImage(args.os),
        userData: args.userData,
        deletionProtection: false,
        labels: args.labels,
      },
      parent,
    );
    return { name: client.name, zone: client.zone, instanceId: vm.instanceId };
  }
}
