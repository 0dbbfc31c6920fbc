/**
 * Reading `stacks/Pulumi.<env>.yaml`: the stack name comes from the file name (as Pulumi's
 * does), the topology from `config["pgha:topology"]`, checked with the platform settings in
 * `config["pgha:cloud"]`. Every user mistake is a ConfigError.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { ConfigError, parseTopology, type Topology } from "pgha/config";
import { parseGkeSettings } from "pgha/platform/gke/settings";
import { CLOUD_KEY, cloudSettingsIssues } from "./cloudSettings";

export const TOPOLOGY_KEY = "pgha:topology";
/** GKE settings of a gke stack (composeGke reads the same key). */
const GKE_KEY = "pgha:gke";

export interface StackFile {
  path: string;
  /** `<env>` of Pulumi.<env>.yaml. */
  stack: string;
  /** The whole `config:` map (the topology and any other keys). */
  config: Record<string, unknown>;
  topology: Topology;
}

export function stackNameFromPath(path: string): string {
  const file = basename(path);
  const m = /^Pulumi\.(.+)\.ya?ml$/.exec(file);
  return m ? m[1] : file.replace(/\.ya?ml$/, "");
}

function fileError(path: string, message: string): ConfigError {
  return new ConfigError([{ path, message }], "cannot read the stack file");
}

/** Read and validate a stack file; throws ConfigError (never a stack trace worth showing). */
export function loadStackFile(path: string): StackFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fileError(path, code === "ENOENT" ? "no such file" : `cannot read (${code ?? String(err)})`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) throw fileError(path, `YAML syntax: ${err.message.split("\n")[0]}`);
    throw err;
  }
  const config = (doc as { config?: unknown } | null)?.config;
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ConfigError([{ path: "config", message: "is required (a map with the key 'pgha:topology')" }], `invalid stack file ${path}`);
  }
  const raw = (config as Record<string, unknown>)[TOPOLOGY_KEY];
  if (raw === undefined) {
    throw new ConfigError([{ path: `config.${TOPOLOGY_KEY}`, message: "is required" }], `invalid stack file ${path}`);
  }
  const topology = parseTopology(raw, `invalid pgha stack configuration in ${path} (under config.${TOPOLOGY_KEY})`);
  const cloudIssues = cloudSettingsIssues(topology, (config as Record<string, unknown>)[CLOUD_KEY]);
  if (cloudIssues.length > 0) throw new ConfigError(cloudIssues, `invalid platform settings in ${path} (under config)`);
  // A gke stack's pgha:gke (node pool, ranges, pod sizes against the nodes) is checked here as synth would.
  if (topology.platform.kind === "gke") parseGkeSettings((config as Record<string, unknown>)[GKE_KEY] ?? {}, topology, GKE_KEY);
  return { path, stack: stackNameFromPath(path), config: config as Record<string, unknown>, topology };
}
