import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError } from "pgha/config";
import { gkeStackConfig } from "../../../../test/gke-fixtures";
import { loadStackFile } from "./stackFile";

const dir = mkdtempSync(join(tmpdir(), "pgha-stackfile-gke-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stackFile(edit: (config: Record<string, any>) => void): string {
  const config = structuredClone(gkeStackConfig()) as Record<string, any>;
  edit(config);
  const path = join(dir, "Pulumi.gke-test.yaml");
  writeFileSync(path, stringify({ config }));
  return path;
}

describe("pgha validate on a gke stack reads pgha:gke as synth does", () => {
  it("accepts the gke-dr settings", () => {
    expect(loadStackFile(stackFile(() => undefined)).topology.platform.kind).toBe("gke");
  });

  it("refuses a Patroni pod as large as a node of the pool, at its hardware path", () => {
    let error: unknown;
    try {
      loadStackFile(stackFile((c) => (c["pgha:topology"].clusters[0].hardware = { vcpus: 4, ramGb: 8 })));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { path: "clusters[0].hardware.vcpus", message: expect.stringMatching(/^a pod requesting 4 vCPUs does not fit a e2-standard-4 node/) },
    ]);
  });

  it("refuses a malformed pgha:gke under its key", () => {
    expect(() => loadStackFile(stackFile((c) => (c["pgha:gke"].nodePool = { minNodesPerZone: 3, maxNodesPerZone: 2 })))).toThrow(
      /pgha:gke\.nodePool\.minNodesPerZone: \(3\) must be <= maxNodesPerZone \(2\)/,
    );
  });
});
