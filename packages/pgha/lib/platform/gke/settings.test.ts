import { describe, expect, test } from "vitest";
import { ConfigError, parseTopology } from "../../config";
import { gkeStack, gkeStackConfig } from "../../../../../test/gke-fixtures";
import { defaultStorageClass, gkeIssues, parseGkeSettings } from "./settings";

const stackTopology = () => structuredClone(gkeStackConfig()["pgha:topology"]) as Record<string, any>;
const stackGke = () => structuredClone(gkeStackConfig()["pgha:gke"]) as Record<string, any>;

function messages(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

describe("GKE settings", () => {
  test("the gke-dr stack parses, with defaults filled in", () => {
    const { topology, gke } = gkeStack();
    expect(topology.platform.kind).toBe("gke");
    expect(gke.namespace).toBe("pgha");
    expect(gke.image).toEqual({ repository: "ghcr.io/zalando/spilo-17", tag: "4.0-p3" });
    expect(gke.nodePool).toMatchObject({ machineType: "e2-standard-4", spot: false, minNodesPerZone: 1, maxNodesPerZone: 2 });
    expect(gkeIssues(topology, gke)).toEqual([]);
  });

  test("every region with a Patroni cluster needs its secondary ranges", () => {
    const g = stackGke();
    delete g.regions["europe-west4"];
    const t = parseTopology(stackTopology());
    expect(messages(() => parseGkeSettings(g, t))).toEqual([
      expect.stringMatching(/^platform\.gke\.regions: missing settings for region 'europe-west4'/),
    ]);
  });

  test("pod/service ranges may not overlap subnets or each other", () => {
    const g = stackGke();
    g.regions["europe-west4"].podCidr = "10.64.0.0/14";
    g.regions["europe-west4"].serviceCidr = "10.161.0.0/24";
    const out = messages(() => parseGkeSettings(g, parseTopology(stackTopology())));
    expect(out).toContain("platform.gke.regions.europe-west4.podCidr: 10.64.0.0/14 overlaps europe-west1 podCidr (10.64.0.0/14)");
    expect(out).toContain("platform.gke.regions.europe-west4.serviceCidr: 10.161.0.0/24 overlaps subnet 'ew4' (10.161.0.0/24)");
  });

  test("private nodes need a /28 for the control plane", () => {
    const g = stackGke();
    delete g.regions["europe-west1"].masterCidr;
    g.regions["europe-west4"].masterCidr = "172.16.0.0/24";
    const out = messages(() => parseGkeSettings(g, parseTopology(stackTopology())));
    expect(out).toContain("platform.gke.regions.europe-west1.masterCidr: is required with privateNodes: a /28 for the GKE control plane");
    expect(out).toContain("platform.gke.regions.europe-west4.masterCidr: must be a /28 (got 172.16.0.0/24)");
  });

  test("a cross-region standby needs its source's internal LB to have global access", () => {
    const t = stackTopology();
    t.clusters[0].loadBalancer = { enabled: true, scope: "regional", exposure: "internal" };
    const out = messages(() => parseGkeSettings(stackGke(), parseTopology(t)));
    expect(out).toEqual([expect.stringMatching(/^clusters\[0\]\.loadBalancer: standby 'dr' in europe-west4 streams through/)]);
  });

  test("a standby must run the source's PostgreSQL major (a topology rule, before the GKE settings)", () => {
    const t = stackTopology();
    t.clusters[1].postgres.major = 15;
    expect(messages(() => parseTopology(t))).toEqual([
      expect.stringMatching(/^clusters\[1\]\.postgres\.major: PostgreSQL 15 cannot follow source 'main' on PostgreSQL 17: /),
    ]);
  });

  test("unknown fields and regions are errors, not silently ignored", () => {
    const g = { ...stackGke(), nodePools: {} };
    expect(messages(() => parseGkeSettings(g, parseTopology(stackTopology())))).toEqual([
      expect.stringMatching(/unknown field\(s\) 'nodePools'/),
    ]);
    const g2 = stackGke();
    g2.regions["us-east1"] = { podCidr: "10.100.0.0/14", serviceCidr: "10.104.0.0/20" };
    expect(messages(() => parseGkeSettings(g2, parseTopology(stackTopology())))).toEqual([
      expect.stringMatching(/^platform\.gke\.regions\.us-east1: unknown region/),
    ]);
  });

  test("only GCS archives on gke", () => {
    const t = stackTopology();
    t.clusters[0].backups.storage = { kind: "s3", bucket: "pgha-main", endpoint: "https://s3.example.com" };
    expect(messages(() => parseGkeSettings(stackGke(), parseTopology(t)))).toEqual([
      expect.stringMatching(/^clusters\[0\]\.backups\.storage\.kind: on gke/),
    ]);
  });

  test("storage class follows the disk type", () => {
    expect(defaultStorageClass("network-ssd")).toBe("premium-rwo");
    expect(defaultStorageClass("ssd")).toBe("premium-rwo");
    expect(defaultStorageClass("network-hdd")).toBe("standard-rwo");
  });
});
