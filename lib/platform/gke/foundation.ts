/**
 * What every Patroni cluster on GKE stands on: the VPC, one regional GKE cluster (with its
 * node pool and Kubernetes provider) per region that hosts Patroni clusters, and the pgha
 * namespace in each. Patroni clusters and client VMs are added on top of it.
 */
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Topology } from "../../config";
import { namespaceManifest } from "../../kubernetes/policy";
import { type ClientService, clientUserData } from "./clientCloudInit";
import { gcpImage } from "../gcp/sizing";
import { createClientVm } from "./clientVm";
import { createGkeCluster, type GkeClusterHandle } from "./cluster";
import { createGkeNetwork, type GkeNetworkHandle } from "./network";
import { type GkePlan, planGke } from "./plan";
import type { GkeSettings } from "./settings";

export interface GkeFoundationArgs {
  /** Validated (parseTopology) with platform.kind gke. */
  topology: Topology;
  /** Validated (parseGkeSettings). */
  gke: GkeSettings;
}

export interface GkeRegionHandle extends GkeClusterHandle {
  namespace: k8s.core.v1.Namespace;
}

/** Plain facts Patroni clusters need from the foundation (kept off the component's public surface). */
export interface GkeFoundationContext {
  topology: Topology;
  gke: GkeSettings;
  plan: GkePlan;
  project: string;
  network: GkeNetworkHandle;
  regions: Record<string, GkeRegionHandle>;
}

const contexts = new WeakMap<GkeFoundation, GkeFoundationContext>();

export function gkeFoundationContext(f: GkeFoundation): GkeFoundationContext {
  const ctx = contexts.get(f);
  if (!ctx) throw new Error("not a GkeFoundation created by pgha");
  return ctx;
}

/** `platform.project`, else the provider's `gcp:project`: Workload Identity pool names need it before anything exists. */
export function gkeProject(t: Topology): string {
  const project = t.platform.project ?? gcp.config.project;
  if (!project) throw new Error("gke: set platform.project or the gcp:project config (the Workload Identity pool is <project>.svc.id.goog)");
  return project;
}

export class GkeFoundation extends pulumi.ComponentResource {
  readonly networkId: pulumi.Output<string>;
  /** GKE cluster name per region. */
  readonly clusterNames: pulumi.Output<Record<string, string>>;
  /** Kubeconfig per region (gke-gcloud-auth-plugin; no credential inside). */
  readonly kubeconfigs: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: GkeFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planGke(args.topology, args.gke);
    const project = gkeProject(args.topology);
    super("pgha:index:GkeFoundation", name, {}, opts);
    const t = args.topology;
    const network = createGkeNetwork({ name, project, subnets: t.subnets, regions: plan.regions }, this);
    const regions: Record<string, GkeRegionHandle> = {};
    for (const r of plan.regions) {
      const handle = createGkeCluster(
        {
          plan: r,
          project,
          networkId: network.network.id,
          subnetworkId: network.subnetworks[r.subnet.name].id,
          settings: args.gke,
          deletionProtection: args.gke.deletionProtection ?? t.platform.deletionProtection,
          labels: { "pgha-stack": t.name },
        },
        this,
      );
      const ns = namespaceManifest(args.gke.namespace);
      const namespace = new k8s.core.v1.Namespace(`${r.clusterName}-${args.gke.namespace}`, { metadata: ns.metadata }, { parent: this, provider: handle.provider });
      regions[r.region] = { ...handle, namespace };
    }
    contexts.set(this, { topology: t, gke: args.gke, plan, project, network, regions });
    this.networkId = network.network.id;
    this.clusterNames = pulumi.all(Object.fromEntries(Object.entries(regions).map(([k, v]) => [k, v.cluster.name])));
    this.kubeconfigs = pulumi.all(Object.fromEntries(Object.entries(regions).map(([k, v]) => [k, v.kubeconfig])));
    this.registerOutputs({ networkId: this.networkId, clusterNames: this.clusterNames, kubeconfigs: this.kubeconfigs });
  }
}

/**
 * The topology's client VMs, each with psql and a pg_service.conf listing `services`
 * (typically every cluster's primary and replicas load balancer).
 */
export function createGkeClients(
  foundation: GkeFoundation,
  services: pulumi.Input<pulumi.Input<ClientService>[]>,
  parent: pulumi.Resource = foundation,
): gcp.compute.Instance[] {
  const ctx = gkeFoundationContext(foundation);
  const userData = pulumi.output(services).apply((s) => clientUserData(s as ClientService[]));
  return ctx.plan.clients.map((c) =>
    createClientVm(
      c.name,
      {
        project: ctx.project,
        zone: c.zone,
        subnetworkId: ctx.network.subnetworks[c.subnet].id,
        machineType: ctx.gke.clientMachineType,
        image: gcpImage(ctx.topology.platform.os),
        userData,
        deletionProtection: false,
        labels: { "pgha-stack": ctx.topology.name },
      },
      parent,
    ),
  );
}
