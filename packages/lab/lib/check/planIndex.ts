/**
 * Looking resources up in a synthesized plan the way the cloud joins them. Under pgha's mocks
 * (lib/synth/mocks.ts, cloudOutputs.ts) a resource's id is `${name}-id`, a GCP resource's
 * selfLink ends in `/<Kind>/<name>` and its `name` output is its `name` input (or the resource
 * name), so a reference in one resource's inputs is the id, self link or name of another.
 */
import type { SynthPlan, SynthPlanNode, SynthPlanResource } from "../synth/plan";

export const T = {
  yandexInstance: "yandex:index/computeInstance:ComputeInstance",
  yandexSecurityGroup: "yandex:index/vpcSecurityGroup:VpcSecurityGroup",
  yandexSubnet: "yandex:index/vpcSubnet:VpcSubnet",
  yandexRouteTable: "yandex:index/vpcRouteTable:VpcRouteTable",
  yandexGateway: "yandex:index/vpcGateway:VpcGateway",
  yandexBucket: "yandex:index/storageBucket:StorageBucket",
  yandexStaticKey: "yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey",
  yandexAccount: "yandex:index/iamServiceAccount:IamServiceAccount",
  yandexNlb: "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer",
  gcpInstance: "gcp:compute/instance:Instance",
  gcpFirewall: "gcp:compute/firewall:Firewall",
  gcpSubnetwork: "gcp:compute/subnetwork:Subnetwork",
  gcpBucket: "gcp:storage/bucket:Bucket",
  gcpBucketIamMember: "gcp:storage/bucketIAMMember:BucketIAMMember",
  gcpBucketIamBinding: "gcp:storage/bucketIAMBinding:BucketIAMBinding",
  gcpForwardingRule: "gcp:compute/forwardingRule:ForwardingRule",
  gcpGlobalForwardingRule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  gcpAddress: "gcp:compute/address:Address",
  gcpGlobalAddress: "gcp:compute/globalAddress:GlobalAddress",
  gcpBackendService: "gcp:compute/backendService:BackendService",
  gcpRegionBackendService: "gcp:compute/regionBackendService:RegionBackendService",
  localVm: "pgha-lab:index:Vm",
  localFirewall: "pgha-lab:index:Firewall",
  localBucket: "pgha-lab:index:Bucket",
} as const;

export class PlanIndex {
  private readonly byId = new Map<string, SynthPlanResource>();

  constructor(readonly plan: SynthPlan) {
    for (const r of plan.resources) if (r.custom) this.byId.set(mockId(r), r);
  }

  ofType(type: string): SynthPlanResource[] {
    return this.plan.resources.filter((r) => r.type === type);
  }

  /** The resource a reference (id, self link or name) in another resource's inputs points at. */
  ref(value: unknown, type?: string): SynthPlanResource | undefined {
    if (typeof value !== "string") return undefined;
    const direct = this.byId.get(value);
    if (direct && (!type || direct.type === type)) return direct;
    const last = value.includes("/") ? value.slice(value.lastIndexOf("/") + 1) : value;
    return this.plan.resources.find((r) => r.custom && (!type || r.type === type) && cloudName(r) === last);
  }

  /** The VM resource a plan node runs as. */
  vmOf(node: SynthPlanNode): SynthPlanResource | undefined {
    const vmTypes: string[] = [T.yandexInstance, T.gcpInstance, T.localVm];
    return this.plan.resources.find((r) => vmTypes.includes(r.type) && cloudName(r) === node.name);
  }

  /** The node whose VM is this resource. */
  nodeOfVm(vm: SynthPlanResource): SynthPlanNode | undefined {
    return this.plan.nodes.find((n) => n.name === cloudName(vm));
  }

  /** Direct children of a component (`pgha:index:<Kind>` named `name`), read from URNs. */
  childrenOf(componentType: string, name: string): SynthPlanResource[] {
    return this.plan.resources.filter((r) => r.parent === name && parentType(r) === componentType);
  }
}

export function mockId(r: SynthPlanResource): string {
  return `${r.name}-id`;
}

/** The resource's cloud-side name: its `name` input where it has one (GCP), else the Pulumi name. */
export function cloudName(r: SynthPlanResource): string {
  return typeof r.inputs.name === "string" ? r.inputs.name : r.name;
}

/** Type of the parent resource, from the URN's type chain (`parent$child`). */
export function parentType(r: SynthPlanResource): string | undefined {
  const chain = r.urn.split("::")[2]?.split("$") ?? [];
  return chain.length >= 2 ? chain[chain.length - 2] : undefined;
}
