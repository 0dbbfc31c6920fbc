import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { TopologyInput } from "./inputs";
import { stackFileJsonSchema } from "./jsonSchema";
import { parseTopology } from "./parse";
import { schemaErrors } from "./testSchemaValidator";
import { topologyShape } from "./topology";

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

  it("accepts every stack file in stacks/", () => {
    const dir = path.join(__dirname, "../../../../stacks");
    const files = readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const doc = parseYaml(readFileSync(path.join(dir, f), "utf8"));
      expect(() => parseTopology(doc.config["pgha:topology"]), f).not.toThrow();
      expect(schemaErrors(schema, doc), f).toEqual([]);
    }
  });
});

/** A valid stack; each case below changes one field. */
function base(): TopologyInput {
  return {
    platform: { kind: "yandex", sshKeys: ["ssh-ed25519 AAAA ops"], adminCidrs: ["203.0.113.7/32"] },
    regions: [{ name: "ru-central1", zones: ["ru-central1-a", "ru-central1-b"] }],
    subnets: [
      { name: "a", region: "ru-central1", zone: "ru-central1-a", cidr: "10.10.1.0/24" },
      { name: "b", region: "ru-central1", zone: "ru-central1-b", cidr: "10.10.2.0/24" },
    ],
    clusters: [{ name: "main", region: "ru-central1", backups: { storage: { kind: "yandex" } } }],
  };
}

type Mutate = (t: any) => void;

function verdicts(mutate: Mutate): { parser: boolean; schema: string[] } {
  const t = structuredClone(base());
  mutate(t);
  let parser = true;
  try {
    parseTopology(t);
  } catch {
    parser = false;
  }
  return { parser, schema: schemaErrors(stackFileJsonSchema(), { config: { "pgha:topology": t } }) };
}

describe("the JSON Schema's bounds are the parser's", () => {
  it("accepts the base stack", () => {
    expect(verdicts(() => {})).toEqual({ parser: true, schema: [] });
  });

  it.each<[string, Mutate]>([
    ["9 etcd members", (t) => (t.etcd = { members: 9 })],
    ["4 etcd members", (t) => (t.etcd = { members: 4 })],
    ["1 etcd member", (t) => (t.etcd = { members: 1 })],
    ["a listener on port 70000", (t) => (t.clusters[0].haproxy = { listeners: { primary: 70000 } })],
    ["PostgreSQL on port 80", (t) => (t.clusters[0].postgres = { port: 80 })],
    ["10 Patroni nodes", (t) => (t.clusters[0].nodes = 10)],
    ["10 nodeSettings entries", (t) => (t.clusters[0].nodeSettings = Array.from({ length: 10 }, () => ({})))],
    ["loop_wait 3595", (t) => (t.clusters[0].patroni = { dcs: { ttl: 3600, loop_wait: 3595, retry_timeout: 3 } })],
    ["synchronous_node_count 9", (t) => (t.clusters[0].patroni = { dcs: { synchronous_node_count: 9 } })],
    ["an admin CIDR wider than /8", (t) => (t.platform.adminCidrs = ["0.0.0.0/4"])],
    ["a subnet CIDR that is not one", (t) => (t.subnets[0].cidr = "10.10.1/24")],
    ["a /30 subnet", (t) => (t.subnets[0].cidr = "10.10.1.0/30")],
    ["a VIP octet above 255", (t) => (t.clusters[0].haproxy = { keepalived: { vip: "10.10.1.256" } })],
    ["a fractional vCPU count", (t) => (t.clusters[0].hardware = { vcpus: 1.5 })],
    ["an unknown field", (t) => (t.clusters[0].replicas = 3)],
  ])("both reject %s", (_title, mutate) => {
    const v = verdicts(mutate);
    expect(v.parser).toBe(false);
    expect(v.schema).not.toEqual([]);
  });

  it.each<[string, Mutate]>([
    ["7 etcd members", (t) => (t.etcd = { members: 7 })],
    ["a listener on port 65535", (t) => (t.clusters[0].haproxy = { listeners: { stats: 65535 } })],
    ["loop_wait 3594", (t) => (t.clusters[0].patroni = { dcs: { ttl: 3600, loop_wait: 3594, retry_timeout: 3 } })],
    ["retry_timeout 1799", (t) => (t.clusters[0].patroni = { dcs: { ttl: 3600, loop_wait: 1, retry_timeout: 1799 } })],
    ["an admin CIDR of exactly /8", (t) => (t.platform.adminCidrs = ["10.0.0.0/8"])],
    ["a prefix written with a leading zero", (t) => (t.platform.adminCidrs = ["10.0.0.0/08"])],
    ["an s3 bucket", (t) => (t.clusters[0].backups = { storage: { kind: "s3", bucket: "b-1", endpoint: "https://s3.example.com" } })],
    [
      "a logical permanent slot",
      (t) => (t.clusters[0].patroni = { dcs: { slots: { cdc: { type: "logical", database: "app", plugin: "pgoutput" } } } }),
    ],
  ])("both accept %s", (_title, mutate) => {
    expect(verdicts(mutate)).toEqual({ parser: true, schema: [] });
  });

  // Every bounded number in the schema, at and just past its bounds, against the field schemas
  // (cross-field rules are out of a JSON Schema's reach, so topologyShape, not parseTopology).
  it("agrees with the field schemas at every numeric bound", () => {
    const topology = (stackFileJsonSchema() as any).properties.config.properties["pgha:topology"];
    const bounded = numericFields(topology, []);
    expect(bounded.length).toBeGreaterThan(40);
    const disagreements: string[] = [];
    for (const { at, node } of bounded) {
      const step = node.type === "integer" ? 1 : 0.5;
      const candidates = [node.minimum - step, node.minimum, node.maximum, node.maximum + step].filter((x) =>
        Number.isSafeInteger(Math.ceil(x)),
      );
      for (const value of candidates) {
        const t = structuredClone(base()) as any;
        setAt(t, at, value);
        const parser = topologyShape.safeParse(t).success;
        const editor = schemaErrors(topology, t).length === 0;
        if (parser !== editor)
          disagreements.push(
            `${at.join(".")} = ${value}: parser ${parser ? "accepts" : "rejects"}, schema ${editor ? "accepts" : "rejects"}`,
          );
      }
    }
    expect(disagreements).toEqual([]);
  });
});

interface NumericField {
  at: (string | number)[];
  node: { type: string; minimum: number; maximum: number };
}

/** Paths (arrays at index 0; tagged unions skipped) of numbers with both bounds. */
function numericFields(node: any, at: (string | number)[]): NumericField[] {
  if ((node.type === "integer" || node.type === "number") && typeof node.minimum === "number" && typeof node.maximum === "number")
    return [{ at, node }];
  if (node.type === "array" && node.items) return numericFields(node.items, [...at, 0]);
  if (node.type === "object" && node.properties) return Object.entries(node.properties).flatMap(([k, v]) => numericFields(v, [...at, k]));
  return [];
}

/** Set a value at a path, creating the objects and first array entries on the way. */
function setAt(root: any, at: (string | number)[], value: unknown): void {
  let o = root;
  at.slice(0, -1).forEach((key, i) => {
    if (o[key] === undefined) o[key] = typeof at[i + 1] === "number" ? [] : {};
    o = o[key];
  });
  o[at[at.length - 1]] = value;
}
