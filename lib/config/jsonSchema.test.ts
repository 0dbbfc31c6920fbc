import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stackFileJsonSchema } from "./jsonSchema";

describe("stack file JSON Schema", () => {
  const schema = stackFileJsonSchema() as any;
  const topology = schema.properties.config.properties["pgha:topology"];

  it("describes the topology fields editors should complete", () => {
    expect(Object.keys(topology.properties)).toEqual(
      expect.arrayContaining(["platform", "regions", "subnets", "etcd", "clusters", "clients", "tls", "lab"]),
    );
    expect(topology.required).toEqual(expect.arrayContaining(["platform", "regions", "subnets", "clusters"]));
    const cluster = topology.properties.clusters.items;
    expect(cluster.properties.patroni.properties.dcs.properties.timing.enum).toEqual(["default", "fast"]);
    expect(cluster.additionalProperties).toBe(false);
  });

  it("is committed up to date at schema/pgha-stack.schema.json", () => {
    const committed = JSON.parse(readFileSync(path.join(__dirname, "../../schema/pgha-stack.schema.json"), "utf8"));
    expect(committed).toEqual(schema);
  });
});
