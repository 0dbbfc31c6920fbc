/**
 * A plan for the check made from what a Pulumi policy pack sees (`pulumi preview --policy-pack`):
 * every resource with its properties, parent and per-property dependencies. Nodes are the VMs
 * pgha labels with `pgha-role`; load balancers are read back from the cloud resources; and a
 * cloud id in a reference property is replaced by the `<name>-id` the check's index joins on,
 * using the dependency the engine recorded for that property. Pure.
 */
import type { PlanLoadBalancer } from "pgha/components/plan";
import type { SynthPlan, SynthPlanNode, SynthPlanResource } from "../synth/plan";
import { cloudName, PlanIndex, T } from "./planIndex";
import { inputText } from "../synth/inputText";

/** The part of @pulumi/policy's PolicyResource read here. */
export interface PolicyResourceLike {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  parent?: { name: string; type: string };
  provider?: unknown;
  propertyDependencies: Record<string, { name: string; type: string; urn: string }[]>;
}

/** Reference fields of the resources the rules join, and the type each names (Yandex: by id). */
export const REFERENCE_FIELDS: Record<string, string[]> = {
  subnetId: [T.yandexSubnet],
  securityGroupIds: [T.yandexSecurityGroup],
  securityGroupId: [T.yandexSecurityGroup],
  routeTableId: [T.yandexRouteTable],
  gatewayId: [T.yandexGateway],
  serviceAccountId: [T.yandexAccount],
  targetGroupId: ["yandex:index/lbTargetGroup:LbTargetGroup"],
  networkId: ["yandex:index/vpcNetwork:VpcNetwork"],
  member: [T.yandexAccount],
  id: [T.yandexAccount],
};

export interface PolicyPlan {
  plan: SynthPlan;
  /** Node name -> its user-data, or undefined while it is unknown (a preview before its secrets exist). */
  userData: Map<string, string | undefined>;
}

export function planFromPolicyResources(stack: string, resources: PolicyResourceLike[], platform?: string): PolicyPlan {
  const planResources = resources.map(toPlanResource);
  const index = new PlanIndex({ stack, platform: "", resources: planResources, nodes: [], loadBalancers: [], standbyLinks: [] });
  const userData = new Map<string, string | undefined>();
  const nodes: SynthPlanNode[] = [];
  for (const vm of planResources.filter((r) => [T.yandexInstance, T.gcpInstance].includes(r.type as never))) {
    const role = (vm.inputs.labels as Record<string, string> | undefined)?.["pgha-role"];
    const nic = ((vm.inputs.networkInterfaces as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
    const ip = (nic.ipAddress ?? nic.networkIp) as string | undefined;
    if (!role || !ip) continue;
    const name = cloudName(vm);
    const zone = inputText(vm.inputs.zone, "");
    nodes.push({
      name,
      role,
      component: vm.parent ?? name,
      ip,
      zone,
      region: zone.replace(/-[a-z]$/, ""),
      subnet: "",
      gateway: "",
      prefixLength: 0,
      userDataFile: "",
    } as unknown as SynthPlanNode);
    const text = (vm.inputs.metadata as Record<string, unknown> | undefined)?.["user-data"];
    userData.set(name, typeof text === "string" ? text : undefined);
  }
  const kind = platform ?? (nodes.length === 0 ? "unknown" : planResources.some((r) => r.type === T.gcpInstance) ? "gcp" : "yandex");
  const plan: SynthPlan = { stack, platform: kind, resources: planResources, nodes, loadBalancers: [], standbyLinks: [] };
  plan.loadBalancers = [...yandexLoadBalancers(index, nodes), ...gcpLoadBalancers(index, nodes)];
  return { plan, userData };
}

function toPlanResource(r: PolicyResourceLike): SynthPlanResource {
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(r.props)) inputs[key] = rewrite(key, value, r.propertyDependencies[key] ?? []);
  // Component resources have no provider; pgha's are pgha:index:*.
  const custom = r.provider !== undefined || !(r.type.startsWith("pgha:index:") || r.type === "pulumi:pulumi:Stack");
  return { type: r.type, name: r.name, parent: r.parent?.name ?? null, urn: r.urn, custom, inputs };
}

/** Replace ids under reference fields by `<name>-id` of the one dependency of the field's type. */
function rewrite(key: string, value: unknown, deps: { name: string; type: string }[], field = key): unknown {
  if (Array.isArray(value)) {
    const types = REFERENCE_FIELDS[field];
    const candidates = types ? deps.filter((d) => types.includes(d.type)) : [];
    // A list of ids (securityGroupIds): the dependencies of that type are the list, in some order.
    if (candidates.length > 0 && candidates.length === value.length && value.every((v) => typeof v === "string"))
      return candidates.map((d) => `${d.name}-id`);
    return value.map((v) => rewrite(key, v, deps, field));
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, rewrite(key, v, deps, k)]));
  }
  const types = REFERENCE_FIELDS[field];
  if (typeof value !== "string" || !types) return value;
  const candidates = deps.filter((d) => types.includes(d.type));
  if (candidates.length !== 1) return value;
  const id = `${candidates[0].name}-id`;
  return value.startsWith("serviceAccount:") ? `serviceAccount:${id}` : id;
}

function nodeByIp(nodes: SynthPlanNode[], ip: unknown): SynthPlanNode | undefined {
  return nodes.find((n) => n.ip === ip);
}

function healthCheckOf(port: number): PlanLoadBalancer["healthCheck"] {
  return { port, protocol: "http", path: "/health", intervalS: 0, timeoutS: 0, healthyThreshold: 0, unhealthyThreshold: 0 };
}

/** Yandex NLB: listeners, the attached target group's addresses and its health check port. */
function yandexLoadBalancers(index: PlanIndex, nodes: SynthPlanNode[]): PlanLoadBalancer[] {
  return index.ofType(T.yandexNlb).map((nlb) => {
    const attached = ((nlb.inputs.attachedTargetGroups as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
    const group = index.ref(attached.targetGroupId);
    const hc = ((attached.healthchecks as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
    const hcPort = Number(
      (hc.httpOptions as Record<string, unknown> | undefined)?.port ?? (hc.tcpOptions as Record<string, unknown> | undefined)?.port,
    );
    const listeners = (nlb.inputs.listeners as Record<string, unknown>[] | undefined) ?? [];
    const targets = ((group?.inputs.targets as Record<string, unknown>[] | undefined) ?? [])
      .map((t) => nodeByIp(nodes, t.address))
      .filter((n): n is SynthPlanNode => !!n);
    return {
      name: nlb.parent ?? nlb.name,
      kind: "cloud",
      scope: "regional",
      region: inputText(nlb.inputs.regionId, ""),
      address: (listeners[0]?.internalAddressSpec as Record<string, unknown> | undefined)?.address as string | undefined,
      listeners: listeners.map((l) => ({ name: String(l.name), port: Number(l.port), targetPort: Number(l.targetPort ?? l.port) })),
      targets: targets.map((n) => ({ name: n.name, ip: n.ip })),
      healthCheck: healthCheckOf(hcPort),
    };
  });
}

/** GCP: per pgha TcpLoadBalancer, its backend services' instance groups, named ports, health check and frontends. */
function gcpLoadBalancers(index: PlanIndex, nodes: SynthPlanNode[]): PlanLoadBalancer[] {
  const services = [...index.ofType(T.gcpBackendService), ...index.ofType(T.gcpRegionBackendService)];
  const byLb = new Map<string, SynthPlanResource[]>();
  for (const s of services) byLb.set(s.parent ?? s.name, [...(byLb.get(s.parent ?? s.name) ?? []), s]);
  return [...byLb].map(([name, svcs]) => {
    const groups = svcs.flatMap((s) =>
      ((s.inputs.backends as Record<string, unknown>[] | undefined) ?? []).map((b) =>
        index.ref(b.group, "gcp:compute/instanceGroup:InstanceGroup"),
      ),
    );
    const instances = [...new Set(groups.flatMap((g) => (g?.inputs.instances as string[] | undefined) ?? []))];
    const targets = instances
      .map((i) => index.ref(i, T.gcpInstance))
      .map((vm) => nodes.find((n) => vm && n.name === cloudName(vm)))
      .filter((n): n is SynthPlanNode => !!n);
    const hc = index.ref(svcs[0].inputs.healthChecks);
    const hcSpec = (hc?.inputs.httpHealthCheck ?? hc?.inputs.tcpHealthCheck) as Record<string, unknown> | undefined;
    const named = new Map<string, number>();
    for (const g of groups)
      for (const p of (g?.inputs.namedPorts as Record<string, unknown>[] | undefined) ?? []) named.set(String(p.name), Number(p.port));
    const frontends = index.plan.resources.filter(
      (r) => r.parent === name && (r.type === T.gcpForwardingRule || r.type === T.gcpGlobalForwardingRule),
    );
    const global = svcs.some((s) => s.type === T.gcpBackendService);
    const listeners = global
      ? svcs
          .filter((s) => typeof s.inputs.portName === "string")
          .map((s) => ({
            name: String(s.inputs.portName),
            port: named.get(String(s.inputs.portName)) ?? 0,
            targetPort: named.get(String(s.inputs.portName)) ?? 0,
          }))
      : frontends
          .flatMap((f) => ((f.inputs.ports as string[] | undefined) ?? []).map(Number))
          .map((p) => ({ name: [...named].find(([, v]) => v === p)?.[0] ?? `port-${p}`, port: p, targetPort: p }));
    return {
      name,
      kind: "cloud" as const,
      scope: global ? ("global" as const) : ("regional" as const),
      region: inputText(svcs[0].inputs.region, ""),
      address: frontends[0]?.inputs.ipAddress as string | undefined,
      listeners,
      targets: targets.map((n) => ({ name: n.name, ip: n.ip })),
      healthCheck: healthCheckOf(Number(hcSpec?.port)),
    };
  });
}
