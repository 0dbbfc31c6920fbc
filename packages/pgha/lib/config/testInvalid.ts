/**
 * Fixtures of the invalid-configuration tables (invalid*.test.ts): a small valid topology that
 * each case breaks in one place, and the assertion every refused case must pass.
 */
import { expect } from "vitest";
import { ConfigError, parseTopology, type TopologyInput } from ".";

/** A small valid topology; each case below breaks one thing. */
export function base(): TopologyInput {
  return {
    name: "shop",
    platform: { kind: "yandex" },
    regions: [{ name: "ru-central1", zones: ["ru-central1-a", "ru-central1-b", "ru-central1-d"] }],
    subnets: [
      { name: "a", region: "ru-central1", zone: "ru-central1-a", cidr: "10.10.1.0/24" },
      { name: "b", region: "ru-central1", zone: "ru-central1-b", cidr: "10.10.2.0/24" },
      { name: "d", region: "ru-central1", zone: "ru-central1-d", cidr: "10.10.3.0/24" },
    ],
    clusters: [{ name: "main", region: "ru-central1", nodes: 3 }],
  };
}

export type Mutate = (t: any) => void;
/** A GCP stack over europe-west1 (subnet a, cluster main) and europe-west4 (subnet b). */
export function gcpTwoRegions(t: TopologyInput): void {
  t.platform.kind = "gcp";
  t.regions = [
    { name: "europe-west1", zones: ["europe-west1-b"] },
    { name: "europe-west4", zones: ["europe-west4-a"] },
  ];
  t.subnets = [
    { name: "a", region: "europe-west1", cidr: "10.1.0.0/24" },
    { name: "b", region: "europe-west4", cidr: "10.2.0.0/24" },
  ];
  t.clusters[0].region = "europe-west1";
}

/** A refused case: its title, the edit, the field path it must be reported at, and the message. */
export type InvalidCase = [string, Mutate, string, RegExp];

/** `mutate` applied to base() is refused by parseTopology with `message` at `path`, as readable text. */
export function expectRefused(mutate: Mutate, path: string, message: RegExp): void {
  const input = structuredClone(base());
  mutate(input);
  let error: unknown;
  try {
    parseTopology(input);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const issues = (error as ConfigError).issues;
  const hit = issues.find((i) => i.path === path);
  expect(hit, `no issue at ${path}; got ${JSON.stringify(issues)}`).toBeDefined();
  expect(hit?.message).toMatch(message);
  // Human-readable: the error text names the path, and carries no stack frames.
  expect((error as Error).message).toContain(`${path}: `);
  expect((error as Error).message).not.toMatch(/\n\s+at /);
}

/** `mutate` applied to base() parses. */
export function expectAccepted(mutate: Mutate): void {
  const input = structuredClone(base());
  mutate(input);
  expect(() => parseTopology(input)).not.toThrow();
}
