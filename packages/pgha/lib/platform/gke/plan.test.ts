import { describe, expect, test } from "vitest";
import { gkeStack } from "../../../../../test/gke-fixtures";
import { planGke, workloadIdentityMember } from "./plan";

describe("GKE plan", () => {
  const { topology, gke } = gkeStack();
  const plan = planGke(topology, gke);

  test("one regional GKE cluster per region with Patroni clusters, on the region's subnet", () => {
    expect(plan.regions.map((r) => [r.region, r.clusterName, r.subnet.name, r.podCidr, r.serviceCidr])).toEqual([
      ["europe-west1", "gkedr-europe-west1", "ew1", "10.64.0.0/14", "10.68.0.0/20"],
      ["europe-west4", "gkedr-europe-west4", "ew4", "10.72.0.0/14", "10.76.0.0/20"],
    ]);
    expect(plan.regions[0].zones).toEqual(["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
  });

  test("the source keeps a permanent slot named after the standby, the standby uses it", () => {
    const [main, dr] = plan.clusters;
    expect(main.permanentSlots).toEqual({ standby_dr: { type: "physical" } });
    expect(dr.standby).toEqual({ source: "main", slot: "standby_dr", restoreFromSourceBackups: true });
    expect(dr.permanentSlots).toEqual({});
  });

  test("an explicit standby.slotName wins", () => {
    const t = structuredClone(topology);
    t.clusters[1].standby = { source: "main", slotName: "dr_from_main", restoreFromSourceBackups: true };
    const p = planGke(t, gke);
    expect(p.clusters[0].permanentSlots).toEqual({ dr_from_main: { type: "physical" } });
    expect(p.clusters[1].standby?.slot).toBe("dr_from_main");
  });

  test("load balancer source ranges: client CIDRs, client subnets, and the standby's region for its source", () => {
    const [main, dr] = plan.clusters;
    expect(main.loadBalancer).toEqual({
      kind: "internal",
      globalAccess: true,
      sourceRanges: ["10.150.0.0/16", "10.160.0.0/24", "10.161.0.0/24", "10.72.0.0/14"],
    });
    expect(dr.loadBalancer.sourceRanges).toEqual(["10.150.0.0/16", "10.160.0.0/24", "10.161.0.0/24"]);
  });

  test("archive paths separate clusters and majors", () => {
    expect(plan.clusters.map((c) => c.archivePath)).toEqual(["pgha/main/17", "pgha/dr/17"]);
  });

  test("client VMs, one per declared client, in their region's subnet", () => {
    expect(plan.clients).toEqual([
      { name: "gkedr-client-0", region: "europe-west1", zone: "europe-west1-b", subnet: "ew1" },
      { name: "gkedr-client-1", region: "europe-west4", zone: "europe-west4-a", subnet: "ew4" },
    ]);
  });

  test("Workload Identity principal", () => {
    expect(workloadIdentityMember("pgha-demo", "pgha", "main-postgres")).toBe("serviceAccount:pgha-demo.svc.id.goog[pgha/main-postgres]");
  });
});
