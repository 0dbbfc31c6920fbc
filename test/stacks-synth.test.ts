import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { synthStack } from "../packages/lab/lib/synth/synth";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function synth(env: string) {
  const dir = mkdtempSync(path.join(tmpdir(), `pgha-synth-${env}-`));
  dirs.push(dir);
  await synthStack(path.join(__dirname, "../stacks", `Pulumi.${env}.yaml`), dir);
  return JSON.parse(readFileSync(path.join(dir, "plan.json"), "utf8"));
}

describe("every shipped stack evaluates with pgha synth", () => {
  it.each(["lab", "yc-homework", "gcp-dr"])("%s: nodes with user-data, and no secret in the plan", async (env) => {
    const plan = await synth(env);
    expect(plan.nodes.length).toBeGreaterThanOrEqual(8);
    for (const n of plan.nodes) expect(n.userDataFile).toMatch(/^user-data\/.+\.yaml$/);
    expect(JSON.stringify(plan)).not.toMatch(/PRIVATE KEY/);
  });

  it("gke-dr: two GKE regions, the standby follows the source's load balancer with its slot", async () => {
    const plan = await synth("gke-dr");
    const types = plan.resources.map((r: { type: string }) => r.type);
    expect(types.filter((t: string) => t === "gcp:container/cluster:Cluster")).toHaveLength(2);
    expect(types.filter((t: string) => t === "kubernetes:apps/v1:StatefulSet")).toHaveLength(2);
    expect(plan.loadBalancers).toHaveLength(2);
    const main = plan.loadBalancers.find((l: { name: string }) => l.name === "main-primary");
    expect(plan.standbyLinks).toEqual([{ cluster: "dr", source: "main", host: main.address, port: 5432, slot: "standby_dr" }]);
  });
});
