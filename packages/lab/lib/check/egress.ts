/**
 * Which nodes of a plan reach the internet (package mirrors, release downloads), read from the
 * plan's resources the way the cloud would route a packet: a public IP on the VM's interface, or
 * a NAT its subnet is routed through. Pure: the plan check (lib/check) reports it, and the lab
 * (lib/lab/egress.ts) builds a path to its stand-in internet only where this finds one.
 */
import type { SynthPlan, SynthPlanNode, SynthPlanResource } from "../synth/plan";
import { inputText } from "../synth/inputText";

export interface NodeEgress {
  node: string;
  internet: boolean;
  /** How the node gets out, e.g. "public IP", "NAT gateway gw via route table rt on subnet s"; "none" without a path. */
  via: string;
  /** The stack says `platform.egress: provided`: the network is claimed to have a path the plan cannot show. */
  assumption?: true;
  /** Without a path: what is missing, and the stack field that fixes it. */
  reason?: string;
}

/** The stack field that decides whether pgha builds the path (lib/config/access.ts). */
export const EGRESS_FIELD = "platform.egress";

export const EGRESS_TYPES = {
  yandexVm: "yandex:index/computeInstance:ComputeInstance",
  yandexSubnet: "yandex:index/vpcSubnet:VpcSubnet",
  yandexRouteTable: "yandex:index/vpcRouteTable:VpcRouteTable",
  yandexGateway: "yandex:index/vpcGateway:VpcGateway",
  gcpVm: "gcp:compute/instance:Instance",
  gcpSubnet: "gcp:compute/subnetwork:Subnetwork",
  gcpRouter: "gcp:compute/router:Router",
  gcpRouterNat: "gcp:compute/routerNat:RouterNat",
  labVm: "pgha-lab:index:Vm",
  labNetwork: "pgha-lab:index:Network",
  network: "pgha:index:Network",
} as const;

type Plan = Pick<SynthPlan, "resources" | "nodes">;
type Inputs = Record<string, unknown>;
/** What is missing on the way out, or the path found. */
type Path = { via: string } | { missing: string };

/**
 * Does an input value point at resource `r`? Synth's mocks give every custom resource the id
 * `<name>-id` (lib/synth/mocks.ts); GCP resources also refer to each other by name or selfLink
 * (lib/synth/cloudOutputs.ts), as they do in GCP's API.
 */
export function refersTo(value: unknown, r: SynthPlanResource): boolean {
  if (typeof value !== "string" || value === "") return false;
  const name = typeof r.inputs.name === "string" ? r.inputs.name : r.name;
  return value === `${r.name}-id` || value === r.name || value === name || (value.includes("/") && value.endsWith(`/${name}`));
}

const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.custom && r.type === type);
const find = (plan: Plan, type: string, ref: unknown) => ofType(plan, type).find((r) => refersTo(ref, r));
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const names = (rs: SynthPlanResource[]) => rs.map((r) => r.name).join(", ");

/** `platform.egress` as the plan records it on the network ("nat" when not recorded: the schema's default). */
export function egressMode(plan: Plan): string {
  const net = plan.resources.find(
    (r) => (r.type === EGRESS_TYPES.network || r.type === EGRESS_TYPES.labNetwork) && typeof r.inputs.egress === "string",
  );
  return (net?.inputs.egress as string | undefined) ?? "nat";
}

function vmOf(plan: Plan, node: SynthPlanNode): SynthPlanResource | undefined {
  const vms = plan.resources.filter(
    (r) => r.custom && (r.type === EGRESS_TYPES.yandexVm || r.type === EGRESS_TYPES.gcpVm || r.type === EGRESS_TYPES.labVm),
  );
  const ipOf = (r: SynthPlanResource) => [
    r.inputs.ip,
    ...list<Inputs>(r.inputs.networkInterfaces).flatMap((i) => [i.ipAddress, i.networkIp]),
  ];
  return vms.find((r) => ipOf(r).includes(node.ip)) ?? vms.find((r) => r.name === node.name);
}

function interfaceOf(vm: SynthPlanResource, node: SynthPlanNode): Inputs | undefined {
  const ifaces = list<Inputs>(vm.inputs.networkInterfaces);
  return ifaces.find((i) => i.ipAddress === node.ip || i.networkIp === node.ip) ?? ifaces[0];
}

/**
 * Yandex: a VM gets out through a public address on its interface (`nat: true`), or through its
 * subnet's route table, whose 0.0.0.0/0 route names a NAT gateway (`gatewayId` of a VpcGateway
 * with `sharedEgressGateway`). Source: yandex.cloud/en/docs/vpc/concepts/gateways and
 * /docs/vpc/operations/create-nat-gateway ("create a route table ... 0.0.0.0/0 ... gateway, and
 * link it to the subnet"); terraform-provider-yandex vpc_route_table / vpc_gateway / vpc_subnet.
 */
function yandexPath(plan: Plan, vm: SynthPlanResource, node: SynthPlanNode): Path {
  const iface = interfaceOf(vm, node);
  if (list<Inputs>(vm.inputs.networkInterfaces).some((i) => i.nat === true)) return { via: "public IP (nat: true on its interface)" };
  const subnet = find(plan, EGRESS_TYPES.yandexSubnet, iface?.subnetId);
  if (!subnet) return { missing: `its interface's subnet ${String(iface?.subnetId)} is not in the plan` };
  const tables = ofType(plan, EGRESS_TYPES.yandexRouteTable);
  const tableRef = subnet.inputs.routeTableId;
  if (tableRef === undefined || tableRef === "") {
    return tables.length > 0
      ? { missing: `subnet ${subnet.name} is not attached to a route table (no routeTableId; the plan has ${names(tables)})` }
      : { missing: `subnet ${subnet.name} has no route table with a NAT gateway, and the VM no public IP` };
  }
  const table = tables.find((t) => refersTo(tableRef, t));
  if (!table) return { missing: `subnet ${subnet.name}'s routeTableId ${inputText(tableRef)} names no route table in the plan` };
  const route = list<Inputs>(table.inputs.staticRoutes).find((r) => r.destinationPrefix === "0.0.0.0/0");
  if (!route) return { missing: `route table ${table.name} on subnet ${subnet.name} has no 0.0.0.0/0 route` };
  if (route.gatewayId === undefined) {
    return {
      missing:
        `route table ${table.name}'s 0.0.0.0/0 route goes to next hop ${String(route.nextHopAddress)}, ` +
        `not a NAT gateway (a NAT instance is not part of the plan)`,
    };
  }
  const gateway = find(plan, EGRESS_TYPES.yandexGateway, route.gatewayId);
  if (!gateway)
    return { missing: `route table ${table.name}'s 0.0.0.0/0 route names gateway ${inputText(route.gatewayId)}, which is not in the plan` };
  if (gateway.inputs.sharedEgressGateway === undefined)
    return { missing: `gateway ${gateway.name} is not a NAT gateway (no sharedEgressGateway)` };
  return { via: `NAT gateway ${gateway.name} via route table ${table.name} on subnet ${subnet.name}` };
}

/** europe-west1-b -> europe-west1 (GCP zones are <region>-<letter>). */
const regionOfZone = (zone: unknown) => (typeof zone === "string" ? zone.replace(/-[a-z]$/, "") : undefined);

/**
 * Does this Cloud NAT translate the primary range of `subnet`? (RouterNat
 * sourceSubnetworkIpRangesToNat / subnetworks[].sourceIpRangesToNats, Compute API RouterNat:
 * cloud.google.com/compute/docs/reference/rest/v1/routers)
 */
function natCovers(nat: SynthPlanResource, subnet: SynthPlanResource | undefined): boolean {
  const mode = nat.inputs.sourceSubnetworkIpRangesToNat;
  if (mode === "ALL_SUBNETWORKS_ALL_IP_RANGES" || mode === "ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES") return true;
  if (mode !== "LIST_OF_SUBNETWORKS" || !subnet) return false;
  return list<Inputs>(nat.inputs.subnetworks).some(
    (s) => refersTo(s.name, subnet) && list<string>(s.sourceIpRangesToNats).some((r) => r === "ALL_IP_RANGES" || r === "PRIMARY_IP_RANGE"),
  );
}

/**
 * GCP: a VM with an external address (an `accessConfigs` entry) gets out by it; otherwise only
 * through Cloud NAT (a RouterNat on a Cloud Router) in its subnet's region and VPC that covers
 * the subnet. Cloud NAT is regional and applies to VMs without external IPs
 * (cloud.google.com/nat/docs/overview).
 */
function gcpPath(plan: Plan, vm: SynthPlanResource, node: SynthPlanNode): Path {
  const iface = interfaceOf(vm, node);
  if (list<unknown>(iface?.accessConfigs).length > 0) return { via: "public IP (accessConfigs on its interface)" };
  const subnet = find(plan, EGRESS_TYPES.gcpSubnet, iface?.subnetwork);
  const region = (subnet?.inputs.region as string | undefined) ?? regionOfZone(vm.inputs.zone) ?? "?";
  const network = subnet?.inputs.network ?? iface?.network;
  const subnetName = subnet?.name ?? String(iface?.subnetwork);
  const nats = ofType(plan, EGRESS_TYPES.gcpRouterNat).map((nat) => {
    const router = find(plan, EGRESS_TYPES.gcpRouter, nat.inputs.router);
    return { nat, router, region: (nat.inputs.region ?? router?.inputs.region) as string | undefined };
  });
  if (nats.length === 0) return { missing: `no Cloud NAT (RouterNat) in the plan and no external IP on the VM` };
  const here = nats.filter(
    (n) => n.region === region && (network === undefined || n.router === undefined || n.router.inputs.network === network),
  );
  if (here.length === 0)
    return {
      missing:
        `Cloud NAT only in region(s) ${[...new Set(nats.map((n) => n.region))].join(", ")}, ` +
        `not in ${region} where subnet ${subnetName} is`,
    };
  const covering = here.find((n) => natCovers(n.nat, subnet));
  if (!covering)
    return {
      missing:
        `Cloud NAT ${names(here.map((n) => n.nat))} in ${region} does not translate subnet ${subnetName} ` + `(it lists other subnetworks)`,
    };
  const ips = covering.nat.inputs.natIpAllocateOption === "MANUAL_ONLY" ? list<unknown>(covering.nat.inputs.natIps) : [true];
  if (ips.length === 0) return { missing: `Cloud NAT ${covering.nat.name} is MANUAL_ONLY with no natIps` };
  return { via: `Cloud NAT ${covering.nat.name}${covering.router ? ` on router ${covering.router.name}` : ""} in region ${region}` };
}

/** The lab's own platform: its network is the lab's, and it has a NAT unless the plan says otherwise. */
function labPath(plan: Plan): Path {
  const mode = egressMode(plan);
  return mode === "nat" ? { via: "the lab network's NAT" } : { missing: `the lab network has egress: ${mode}` };
}

function pathOf(plan: Plan, vm: SynthPlanResource, node: SynthPlanNode): Path {
  if (vm.type === EGRESS_TYPES.yandexVm) return yandexPath(plan, vm, node);
  if (vm.type === EGRESS_TYPES.gcpVm) return gcpPath(plan, vm, node);
  return labPath(plan);
}

const FIX =
  `fix: ${EGRESS_FIELD}: nat (the default; pgha builds a NAT gateway / Cloud NAT), ` +
  `or ${EGRESS_FIELD}: provided if the network has a path of its own`;

/** One node's way out. */
export function nodeEgress(plan: Plan, node: SynthPlanNode): NodeEgress {
  const vm = vmOf(plan, node);
  const path: Path = vm ? pathOf(plan, vm, node) : { missing: `no VM resource in the plan carries ${node.ip}` };
  if ("via" in path) return { node: node.name, internet: true, via: path.via };
  if (egressMode(plan) === "provided") {
    return { node: node.name, internet: true, assumption: true, via: `${EGRESS_FIELD}: provided (the plan shows none: ${path.missing})` };
  }
  return { node: node.name, internet: false, via: "none", reason: `no path to the internet: ${path.missing}; ${FIX}` };
}

/** Every planned node's way out, in plan order. */
export function egressOfNodes(plan: Plan): NodeEgress[] {
  return plan.nodes.map((n) => nodeEgress(plan, n));
}
