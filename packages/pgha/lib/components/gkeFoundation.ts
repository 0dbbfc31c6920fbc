/**
 * The base of a GKE topology: the VPC, one regional GKE cluster per region hosting Patroni
 * clusters, and the pgha namespace in each, created by the gke platform. Patroni clusters
 * (KubernetesPatroniCluster) and psql client VMs (createGkeClients) are placed on it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Topology } from "../config";
import {
  type ClientService,
  clientUserData,
  createPlatform,
  type GkePlan,
  type GkeSettings,
  type KubernetesFoundationHandle,
  type KubernetesPlatform,
  planGke,
} from "../platform";

/**
 * A GKE topology is built whole from validated stack settings (the regions, GKE clusters and
 * namespaces follow from its clusters), so these are the parsed forms, not input objects.
 */
export interface GkeFoundationArgs {
  /**
   * The validated topology: `parseTopology(<pgha:topology>)`, with `platform.kind: gke`. Its
   * clusters decide the regions that get a GKE cluster; its subnets are created (an existing
   * network is not supported on gke). Required.
   */
  topology: Topology;
  /** The validated GKE settings: `parseGkeSettings(<pgha:gke>, topology)`. Required. */
  gke: GkeSettings;
}

/** @internal What Patroni clusters and client VMs placed on the foundation build on. */
export interface GkeFoundationContext {
  readonly platform: KubernetesPlatform;
  readonly topology: Topology;
  readonly gke: GkeSettings;
  readonly plan: GkePlan;
  readonly handle: KubernetesFoundationHandle;
}

export class GkeFoundation extends pulumi.ComponentResource {
  readonly networkId: pulumi.Output<string>;
  /** GKE cluster name per region. */
  readonly clusterNames: pulumi.Output<Record<string, string>>;
  /** Kubeconfig per region (gke-gcloud-auth-plugin; no credential inside). */
  readonly kubeconfigs: pulumi.Output<Record<string, string>>;
  /** @internal Set once here; read by the components placed on this foundation. */
  readonly context: GkeFoundationContext;

  constructor(name: string, args: GkeFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
    // Plan and project first: a bad topology or a missing project registers nothing.
    const plan = planGke(args.topology, args.gke);
    const platform = createPlatform("gke", { project: args.topology.platform.project });
    super("pgha:index:GkeFoundation", name, {}, opts);
    const handle = platform.foundation({ name, topology: args.topology, settings: args.gke, plan }, this);
    this.context = { platform, topology: args.topology, gke: args.gke, plan, handle };
    const perRegion = (f: (r: KubernetesFoundationHandle["regions"][string]) => pulumi.Output<string>) =>
      pulumi.all(Object.fromEntries(Object.entries(handle.regions).map(([k, v]) => [k, f(v)])));
    this.networkId = handle.networkId;
    this.clusterNames = perRegion((r) => r.clusterName);
    this.kubeconfigs = perRegion((r) => r.kubeconfig);
    this.registerOutputs({ networkId: this.networkId, clusterNames: this.clusterNames, kubeconfigs: this.kubeconfigs });
  }
}

/**
 * The topology's client VMs, each with psql and a pg_service.conf listing `services`
 * (typically every cluster's primary and replicas load balancer). They are children of the
 * foundation by default, as they share its network.
 */
export function createGkeClients(
  foundation: GkeFoundation,
  services: pulumi.Input<pulumi.Input<ClientService>[]>,
  parent: pulumi.Resource = foundation,
): { name: string; zone: string; instanceId: pulumi.Output<string> }[] {
  const ctx = foundation.context;
  const userData = pulumi.output(services).apply((s) => clientUserData(s as ClientService[]));
  return ctx.plan.clients.map((client) =>
    ctx.platform.clientVm(
      {
        client,
        subnetId: ctx.handle.subnetIds[client.subnet],
        machineType: ctx.gke.clientMachineType,
        os: ctx.topology.platform.os,
        userData,
        labels: { "pgha-stack": ctx.topology.name },
      },
      parent,
    ),
  );
}
