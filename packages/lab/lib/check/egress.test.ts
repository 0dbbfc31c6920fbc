// The egress derivation on hand-built plans: one node per plan, references written the way
// synth's mocks record them (`<name>-id`, GCP names).
import { describe, expect, it } from "vitest";
import type { SynthPlan, SynthPlanNode, SynthPlanResource } from "../synth/plan";
import { EGRESS_TYPES as T, egressOfNodes, nodeEgress } from "./egress";

const res = (type: string, name: string, inputs: Record<string, unknown>): SynthPlanResource => ({
  type,
  name,
  parent: null,
  urn: `urn:${type}::${name}`,
  custom: true,
  inputs,
});
const NODE: SynthPlanNode = {
  name: "main-pg-0",
  ip: "10.130.1.32",
  role: "patroni",
  component: "main",
  region: "r",
  zone: "z",
  subnet: "a",
  gateway: "10.130.1.1",
  prefixLength: 24,
  userDataFile: "user-data/main-pg-0.yaml",
};
const plan = (...resources: SynthPlanResource[]): Pick<SynthPlan, "resources" | "nodes"> => ({ resources, nodes: [NODE] });
const provided = (type: string = T.network) => ({ ...res(type, "net", { egress: "provided" }), custom: false });

describe("yandex egress", () => {
  const vm = (nat = false) =>
    res(T.yandexVm, "main-pg-0", { networkInterfaces: [{ ipAddress: "10.130.1.32", nat, subnetId: "net-a-id" }] });
  const subnet = (routeTableId?: string) =>
    res(T.yandexSubnet, "net-a", { networkId: "net-id", ...(routeTableId ? { routeTableId } : {}) });
  const table = (route: Record<string, unknown>) =>
    res(T.yandexRouteTable, "rt", {
      networkId: "net-id",
      staticRoutes: [{ destinationPrefix: "10.0.0.0/8", nextHopAddress: "10.130.1.5" }, route],
    });
  const gateway = res(T.yandexGateway, "gw", { sharedEgressGateway: {} });
  const natRoute = { destinationPrefix: "0.0.0.0/0", gatewayId: "gw-id" };

  it("finds the NAT gateway through the subnet's route table", () => {
    expect(egressOfNodes(plan(vm(), subnet("rt-id"), table(natRoute), gateway))).toEqual([
      { node: "main-pg-0", internet: true, via: "NAT gateway gw via route table rt on subnet net-a" },
    ]);
  });

  it("finds no path without a route table, and names the field", () => {
    const e = nodeEgress(plan(vm(), subnet()), NODE);
    expect(e).toMatchObject({ internet: false, via: "none" });
    expect(e.reason).toContain("subnet net-a has no route table with a NAT gateway");
    expect(e.reason).toContain("platform.egress");
  });

  it("finds no path when the route table has no 0.0.0.0/0 route", () => {
    const e = nodeEgress(
      plan(
        vm(),
        subnet("rt-id"),
        res(T.yandexRouteTable, "rt", { staticRoutes: [{ destinationPrefix: "10.0.0.0/8", gatewayId: "gw-id" }] }),
        gateway,
      ),
      NODE,
    );
    expect(e.internet).toBe(false);
    expect(e.reason).toContain("route table rt on subnet net-a has no 0.0.0.0/0 route");
  });

  it("finds no path when the default route goes to an address, not a gateway", () => {
    const e = nodeEgress(plan(vm(), subnet("rt-id"), table({ destinationPrefix: "0.0.0.0/0", nextHopAddress: "10.130.1.5" })), NODE);
    expect(e.internet).toBe(false);
    expect(e.reason).toContain("next hop 10.130.1.5, not a NAT gateway");
  });

  it("finds no path when the gateway is not in the plan or is not a NAT gateway", () => {
    expect(nodeEgress(plan(vm(), subnet("rt-id"), table(natRoute)), NODE).reason).toContain(
      "names gateway gw-id, which is not in the plan",
    );
    expect(nodeEgress(plan(vm(), subnet("rt-id"), table(natRoute), res(T.yandexGateway, "gw", {})), NODE).reason).toContain(
      "gateway gw is not a NAT gateway",
    );
  });

  it("finds no path when the route table exists but the subnet is not attached to it", () => {
    const e = nodeEgress(plan(vm(), subnet(), table(natRoute), gateway), NODE);
    expect(e.internet).toBe(false);
    expect(e.reason).toContain("subnet net-a is not attached to a route table (no routeTableId; the plan has rt)");
  });

  it("takes a public IP (nat: true) as a path without any route table", () => {
    expect(nodeEgress(plan(vm(true), subnet()), NODE)).toEqual({
      node: "main-pg-0",
      internet: true,
      via: "public IP (nat: true on its interface)",
    });
  });

  it("reports platform.egress: provided as an assumption, not a path it found", () => {
    const e = nodeEgress(plan(vm(), subnet(), provided()), NODE);
    expect(e).toMatchObject({ internet: true, assumption: true });
    expect(e.via).toContain("platform.egress: provided");
    expect(e.reason).toBeUndefined();
    // A path the plan does show is reported as found, not assumed.
    expect(nodeEgress(plan(vm(), subnet("rt-id"), table(natRoute), gateway, provided()), NODE).assumption).toBeUndefined();
  });
});

describe("gcp egress", () => {
  const NODE_GCP = { ...NODE, ip: "10.140.0.32" } as SynthPlanNode;
  const gplan = (...resources: SynthPlanResource[]) => ({ resources, nodes: [NODE_GCP] });
  const vm = (accessConfigs?: unknown[]) =>
    res(T.gcpVm, "main-pg-0", {
      zone: "europe-west1-b",
      networkInterfaces: [{ networkIp: "10.140.0.32", subnetwork: "net-ew1-id", ...(accessConfigs ? { accessConfigs } : {}) }],
    });
  const subnet = res(T.gcpSubnet, "net-ew1", { region: "europe-west1", network: "net-id" });
  const other = res(T.gcpSubnet, "net-ew1-b", { region: "europe-west1", network: "net-id" });
  const router = (region: string) => res(T.gcpRouter, `net-${region}-router`, { region, network: "net-id" });
  const nat = (region: string, extra: Record<string, unknown> = {}) =>
    res(T.gcpRouterNat, `net-${region}-nat`, {
      region,
      router: `net-${region}-router`,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
      ...extra,
    });

  it("finds Cloud NAT in the subnet's region", () => {
    expect(nodeEgress(gplan(vm(), subnet, router("europe-west1"), nat("europe-west1")), NODE_GCP)).toEqual({
      node: "main-pg-0",
      internet: true,
      via: "Cloud NAT net-europe-west1-nat on router net-europe-west1-router in region europe-west1",
    });
  });

  it("finds no path without any Cloud NAT", () => {
    const e = nodeEgress(gplan(vm(), subnet), NODE_GCP);
    expect(e.internet).toBe(false);
    expect(e.reason).toContain("no Cloud NAT (RouterNat) in the plan");
  });

  it("finds no path when Cloud NAT is only in another region", () => {
    const e = nodeEgress(gplan(vm(), subnet, router("europe-west4"), nat("europe-west4")), NODE_GCP);
    expect(e.internet).toBe(false);
    expect(e.reason).toContain("Cloud NAT only in region(s) europe-west4, not in europe-west1 where subnet net-ew1 is");
  });

  it("finds no path when the NAT lists only other subnetworks, and one when it lists this one", () => {
    const listing = (name: string, ranges: string[]) =>
      nat("europe-west1", { sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS", subnetworks: [{ name, sourceIpRangesToNats: ranges }] });
    const e = nodeEgress(gplan(vm(), subnet, other, router("europe-west1"), listing("net-ew1-b-id", ["ALL_IP_RANGES"])), NODE_GCP);
    expect(e.internet).toBe(false);
    expect(e.reason).toContain("does not translate subnet net-ew1");
    // Secondary ranges only: the VM's primary address is not translated.
    expect(
      nodeEgress(gplan(vm(), subnet, router("europe-west1"), listing("net-ew1-id", ["LIST_OF_SECONDARY_IP_RANGES"])), NODE_GCP).internet,
    ).toBe(false);
    expect(nodeEgress(gplan(vm(), subnet, router("europe-west1"), listing("net-ew1-id", ["PRIMARY_IP_RANGE"])), NODE_GCP).internet).toBe(
      true,
    );
  });

  it("finds no path through a MANUAL_ONLY NAT without addresses", () => {
    expect(
      nodeEgress(gplan(vm(), subnet, router("europe-west1"), nat("europe-west1", { natIpAllocateOption: "MANUAL_ONLY" })), NODE_GCP).reason,
    ).toContain("MANUAL_ONLY with no natIps");
  });

  it("takes an external IP (accessConfigs) as a path", () => {
    expect(nodeEgress(gplan(vm([{}]), subnet), NODE_GCP)).toMatchObject({
      internet: true,
      via: "public IP (accessConfigs on its interface)",
    });
  });

  it("reports platform.egress: provided as an assumption", () => {
    expect(nodeEgress(gplan(vm(), subnet, provided()), NODE_GCP)).toMatchObject({ internet: true, assumption: true });
  });
});

describe("lab (local) egress", () => {
  const vm = res(T.labVm, "main-pg-0", { ip: "10.130.1.32", subnet: "a" });

  it("is the lab network's unless the plan says otherwise", () => {
    expect(nodeEgress(plan(vm, res(T.labNetwork, "lab", { subnets: [] })), NODE)).toEqual({
      node: "main-pg-0",
      internet: true,
      via: "the lab network's NAT",
    });
    expect(nodeEgress(plan(vm, res(T.labNetwork, "lab", { egress: "provided" })), NODE)).toMatchObject({
      internet: true,
      assumption: true,
    });
  });

  it("finds no path for a node no VM carries", () => {
    expect(nodeEgress(plan(), NODE)).toMatchObject({
      internet: false,
      reason: expect.stringContaining("no VM resource in the plan carries 10.130.1.32"),
    });
  });
});
