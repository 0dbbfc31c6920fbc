// `pgha check` on the examples' plans: each example (a company stack using the components
// directly) runs under synth's mocks, and the plan is made from the components it built.
// gke-patroni-standby is not here: it builds no VMs (Patroni runs in GKE pods).
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import type { PlanLoadBalancer, PlanNode, PlanStandbyLink } from "pgha/components/plan";
import type { ComposedOutputs } from "../synth/synth";
import { synthStack } from "../synth/synth";
import { checkPlanDir } from "./run";

const tmp = mkdtempSync(join(tmpdir(), "pgha-check-examples-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What a pgha component exposes for the plan (duck-typed: examples import pgha by its package name). */
interface PlanParts {
  nodes?: pulumi.Output<PlanNode[]>;
  loadBalancer?: pulumi.Output<PlanLoadBalancer | undefined>;
  standbyOf?: pulumi.Output<Omit<PlanStandbyLink, "cluster"> | undefined>;
  urn: pulumi.Output<string>;
}

/**
 * Run an example and gather the plan from every component it registers, the way
 * composeTopology gathers it from its own: each component's nodes, load balancer and standby link.
 */
function composeExample(load: () => Promise<unknown>): ComposedOutputs {
  // A Set: a component may call registerOutputs more than once (a subclass after its base).
  const built = new Set<PlanParts>();
  const proto = pulumi.ComponentResource.prototype as unknown as { registerOutputs: (this: PlanParts, o?: unknown) => void };
  const register = proto.registerOutputs;
  proto.registerOutputs = function (this: PlanParts, outputs?: unknown) {
    built.add(this);
    return register.call(this, outputs);
  };
  const loaded = pulumi.output(
    load()
      .finally(() => (proto.registerOutputs = register))
      .then(() => [...built]),
  );
  return {
    nodes: loaded.apply((cs) => pulumi.all(cs.flatMap((c) => (c.nodes ? [c.nodes] : []))).apply((g) => g.flat())),
    loadBalancers: loaded.apply((cs) =>
      pulumi.all(cs.flatMap((c) => (c.loadBalancer ? [c.loadBalancer] : []))).apply((l) => l.filter((x): x is PlanLoadBalancer => !!x)),
    ),
    standbyLinks: loaded.apply((cs) =>
      pulumi
        .all(
          cs.flatMap((c) =>
            c.standbyOf
              ? [
                  pulumi
                    .all([c.urn, c.standbyOf])
                    .apply(([urn, s]) => (s ? { cluster: urn.slice(urn.lastIndexOf("::") + 2), ...s } : undefined)),
                ]
              : [],
          ),
        )
        .apply((l) => l.filter((x): x is PlanStandbyLink => !!x)),
    ),
  };
}

/** synth needs a stack file: a shipped stack of the same platform carries the config (the example ignores its topology). */
const EXAMPLES = [
  { name: "yandex-basic", like: "yc-homework", load: () => import("../../../../examples/yandex-basic/index"), standbyLinks: 0 },
  {
    name: "gcp-cross-region-standby",
    like: "gcp-dr",
    load: () => import("../../../../examples/gcp-cross-region-standby/index"),
    standbyLinks: 1,
  },
];

describe("pgha check on the examples", () => {
  it.each(EXAMPLES)("$name passes", async ({ name, like, load, standbyLinks }) => {
    const stackFile = join(tmp, `Pulumi.example-${name}.yaml`);
    copyFileSync(resolve(__dirname, `../../../../stacks/Pulumi.${like}.yaml`), stackFile);
    const dir = join(tmp, name);
    const result = await synthStack(stackFile, dir, { compose: () => composeExample(load) });
    expect(result.counts.nodes).toBeGreaterThan(5);
    expect(result.counts.loadBalancers).toBeGreaterThan(0);
    expect(result.counts.standbyLinks).toBe(standbyLinks);
    const run = checkPlanDir(dir, undefined);
    expect(run.text).toMatch(new RegExp(`^check example-${name}: OK \\(${result.counts.nodes} nodes, \\d+ needs checked`, "m"));
    expect(run.code, run.text).toBe(0);
  });
});
