/**
 * A ConfigError raised inside an apply that feeds a resource input reaches `pgha synth` as a
 * ConfigError with its own message: Pulumi's 'error serializing property' prefixes are removed.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { afterAll, describe, expect, it } from "vitest";
import { stringify as toYaml } from "yaml";
import { labTopologyInput } from "../../../../test/support/fixtures";
import { ConfigError } from "pgha/config";
import type { PlanNode } from "pgha/components/plan";
import { type ComposeFn, synthStack } from "./synth";

const tmp = mkdtempSync(join(tmpdir(), "pgha-synth-errors-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const stackFile = join(tmp, "Pulumi.lab.yaml");
writeFileSync(stackFile, toYaml({ config: { "pgha:topology": labTopologyInput() } }));

class Raw extends pulumi.CustomResource {
  constructor(name: string, props: pulumi.Inputs) {
    super("pgha-lab:index:Vm", name, props, {});
  }
}

describe("synthStack with a ConfigError inside a resource input", () => {
  it("passes the ConfigError through without Pulumi's serialization wrapper", async () => {
    const compose: ComposeFn = () => {
      const pw = new random.RandomPassword("pw", { length: 8 });
      const userData = pw.result.apply((): string => {
        throw new ConfigError([{ path: "clusters[0].backups.schedule", message: "hour 25 is outside 0-23" }], "invalid pgha stack");
      });
      new Raw("vm", { metadata: { "user-data": userData } });
      return { nodes: pulumi.output<PlanNode[]>([]), loadBalancers: pulumi.output([]), standbyLinks: pulumi.output([]) };
    };
    const err = await synthStack(stackFile, join(tmp, "out"), { compose }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([{ path: "clusters[0].backups.schedule", message: "hour 25 is outside 0-23" }]);
    expect((err as Error).message).toBe("invalid pgha stack:\n  - clusters[0].backups.schedule: hour 25 is outside 0-23");
  });

  it("keeps a plain program error an exit-1 failure, also without the wrapper", async () => {
    const compose: ComposeFn = () => {
      const pw = new random.RandomPassword("pw", { length: 8 });
      new Raw("vm", {
        metadata: pw.result.apply((): string => {
          throw new Error("renderer exploded");
        }),
      });
      return { nodes: pulumi.output<PlanNode[]>([]), loadBalancers: pulumi.output([]), standbyLinks: pulumi.output([]) };
    };
    const err = await synthStack(stackFile, join(tmp, "out2"), { compose }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^the stack program failed under mocks: renderer exploded/);
  });
});
