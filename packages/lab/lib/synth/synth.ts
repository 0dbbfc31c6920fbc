/**
 * `pgha synth`: run a stack's Pulumi program in-process under mocks (no Pulumi CLI, no cloud)
 * and write its plan — every resource with its (scrubbed) inputs, every node with its address
 * and user-data file, every load balancer and standby link — for `pgha lab up` to boot.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { composeTopology } from "pgha/components/compose";
import { ConfigError, type Topology } from "pgha/config";
import type { PlatformSettings } from "pgha/platform";
import type { PlanLoadBalancer, PlanNode, PlanStandbyLink } from "pgha/components/plan";
import { DEFAULT_NOT_BEFORE, installSynthMocks, type RecordedResource, SynthMocks } from "./mocks";
import { PLAN_FILE, type SynthPlan, type SynthPlanNode, type SynthPlanResource, USER_DATA_DIR, userDataPath } from "./plan";
import { issuance } from "./renewal";
import { Scrubber } from "./scrub";
import {
  LAB_SECRET_TYPE,
  type LabSecret,
  cloudSecretsOf,
  labSecretsOf,
  SECRETS_DIR,
  secretFilePath,
  writePrivateFiles,
  writeSecretFiles,
} from "./secretFiles";
import { stableJson } from "./stableJson";
import { loadStackFile, TOPOLOGY_KEY } from "./stackFile";

export const SYNTH_PROJECT = "pgha";
/** Platform settings (image ids, projects), read the way stacks/index.ts reads them. */
export const CLOUD_KEY = "pgha:cloud";
/** GKE-only settings (lib/platform/gke/settings.ts). */
export const GKE_KEY = "pgha:gke";

/** The part of composeTopology's ComposedStack that synth writes. */
export interface ComposedOutputs {
  nodes: pulumi.Output<PlanNode[]>;
  loadBalancers: pulumi.Output<PlanLoadBalancer[]>;
  standbyLinks: pulumi.Output<PlanStandbyLink[]>;
}
/** Same arguments as composeTopology: the topology and the stack's `pgha:cloud` settings. */
export type ComposeFn = (t: Topology, cloud: PlatformSettings) => ComposedOutputs;

export interface SynthOptions {
  /** Registers the program's resources; defaults to lib/components' composeTopology (tests inject stand-ins). */
  compose?: ComposeFn;
  /** Root of every generated secret; default `pgha/<stack>`. */
  seed?: string;
  /** Start of every certificate's validity (default DEFAULT_NOT_BEFORE). */
  notBefore?: Date;
  /**
   * The synthesized `pulumi up`'s clock: certificates due for renewal by then (the tls provider's
   * ready_for_renewal: within earlyRenewalHours of their end) are renewed, the CA kept unless it
   * expired. Default: $PGHA_SYNTH_NOW (ISO 8601), else the real clock.
   */
  now?: Date;
}

export interface SynthResult {
  stack: string;
  platform: string;
  outDir: string;
  planFile: string;
  userDataFiles: string[];
  /** The local platform's secrets, one file each (mode 0600): what the lab's metadata stand-in serves. */
  secretFiles: string[];
  counts: { resources: number; nodes: number; loadBalancers: number; standbyLinks: number };
  warnings: string[];
  elapsedMs: number;
}

/** Pulumi's runtime state is global: one synth at a time per process. */
let running = false;

export async function synthStack(stackFile: string, outDir: string, options: SynthOptions = {}): Promise<SynthResult> {
  if (running) throw new Error("synthStack is already running in this process (Pulumi's runtime state is global)");
  running = true;
  try {
    return await synth(stackFile, outDir, options);
  } finally {
    running = false;
  }
}

async function synth(stackFile: string, outDir: string, options: SynthOptions): Promise<SynthResult> {
  const started = performance.now();
  const file = loadStackFile(stackFile);
  const compose = options.compose ?? composeTopology;
  const now = options.now ?? synthNowFromEnv() ?? new Date();
  const mocks = new SynthMocks({ seed: options.seed ?? `${SYNTH_PROJECT}/${file.stack}`, notBefore: options.notBefore, now });
  await installSynthMocks(mocks, SYNTH_PROJECT, file.stack);
  const warnings = setProgramConfig(file.config);

  // An exception inside the program's applies rejects promises nobody awaits; collect them
  // for the duration of the run instead of letting Node abort the process.
  const stray: unknown[] = [];
  const onRejection = (reason: unknown) => void stray.push(reason);
  process.on("unhandledRejection", onRejection);
  let outputs: { nodes: PlanNode[]; loadBalancers: PlanLoadBalancer[]; standbyLinks: PlanStandbyLink[] } | undefined;
  try {
    // async: runInPulumiStack wants a promise, and a throw in compose must become its rejection.
    // eslint-disable-next-line @typescript-eslint/require-await
    const result = await pulumi.runtime.runInPulumiStack(async () => {
      const composed = compose(file.topology, { ...((file.config[CLOUD_KEY] ?? {}) as PlatformSettings), gke: file.config[GKE_KEY] });
      return { nodes: composed.nodes, loadBalancers: composed.loadBalancers, standbyLinks: composed.standbyLinks };
    });
    outputs = result as typeof outputs;
  } catch (err) {
    stray.unshift(err);
  } finally {
    // Drain registrations that no output depends on, so the resource list is complete.
    await pulumi.runtime.disconnect();
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onRejection);
  }
  // Mock failures first: the program's own errors are often their consequence.
  if (mocks.errors.length > 0)
    throw new Error(`synth: ${mocks.errors.length} resource(s) failed under mocks:\n  ${mocks.errors.join("\n  ")}`);
  if (stray.length > 0 || !outputs) throw programError(stray);
  for (const key of ["nodes", "loadBalancers", "standbyLinks"] as const) {
    if (!Array.isArray(outputs[key])) throw new Error(`synth: composeTopology's ${key} did not resolve to a list`);
  }

  const nodes = [...outputs.nodes].sort(byKey((n) => n.name));
  assertUnique(
    nodes.map((n) => n.name),
    "node name",
  );
  const userDataFiles = new Map<string, string>();
  for (const n of nodes) if (!userDataFiles.has(n.userData)) userDataFiles.set(n.userData, userDataPath(n.name));
  // The lab's own store and the cloud stores' versions alike: each node's payload goes to secrets/, never the plan.
  const labSecrets = [...labSecretsOf(mocks.resources), ...cloudSecretsOf(mocks.resources)];
  // Every value a node fetches is a secret, generated by the mocks or not (e.g. a truncated or hashed form).
  const scrubber = new Scrubber({
    userDataFiles,
    secrets: [...mocks.generatedSecrets, ...labSecrets.flatMap((s) => Object.values(s.entries))],
  });

  const plan: SynthPlan = {
    stack: file.stack,
    platform: file.topology.platform.kind,
    resources: planResources(mocks.resources, scrubber),
    nodes: nodes.map(({ userData: _, ...rest }) => scrubber.scrub({ ...rest, userDataFile: userDataPath(rest.name) }) as SynthPlanNode),
    loadBalancers: scrubber.scrub([...outputs.loadBalancers].sort(byKey((l) => l.name))) as PlanLoadBalancer[],
    standbyLinks: scrubber.scrub([...outputs.standbyLinks].sort(byKey((l) => `${l.cluster}\0${l.source}`))) as PlanStandbyLink[],
  };
  const planText = stableJson(plan);
  const leaks = scrubber.leaks(planText);
  if (leaks > 0) throw new Error(`synth: internal error: ${leaks} generated secret(s) survived scrubbing; plan not written`);

  writePlan(outDir, planText, nodes, labSecrets);
  warnings.push(...certificateWarnings(mocks.resources, options.notBefore ?? DEFAULT_NOT_BEFORE, now));
  if (mocks.unmodelledCalls.size > 0) {
    warnings.push(
      `provider functions answered with their own inputs (not modelled by the mocks): ${[...mocks.unmodelledCalls].sort().join(", ")}`,
    );
  }
  return {
    stack: file.stack,
    platform: plan.platform,
    outDir,
    planFile: join(outDir, PLAN_FILE),
    userDataFiles: nodes.map((n) => join(outDir, userDataPath(n.name))),
    secretFiles: labSecrets.map((s) => join(outDir, secretFilePath(s.name))),
    counts: {
      resources: plan.resources.length,
      nodes: plan.nodes.length,
      loadBalancers: plan.loadBalancers.length,
      standbyLinks: plan.standbyLinks.length,
    },
    warnings,
    elapsedMs: Math.round(performance.now() - started),
  };
}

export function formatSynthSummary(r: SynthResult): string {
  const c = r.counts;
  const lines = [
    `synthesized stack ${r.stack} (${r.platform}): ${c.resources} resources, ${c.nodes} nodes, ` +
      `${c.loadBalancers} load balancers, ${c.standbyLinks} standby links in ${r.elapsedMs} ms`,
    `  plan:      ${r.planFile}`,
    `  user-data: ${join(r.outDir, USER_DATA_DIR)}/ (${r.userDataFiles.length} files, mode 0600)`,
    ...(r.secretFiles.length > 0
      ? [
          `  secrets:   ${join(r.outDir, SECRETS_DIR)}/ (${r.secretFiles.length} files, mode 0600: ` +
            "each node's secret, served by the lab's metadata stand-in)",
        ]
      : []),
    ...r.warnings.map((w) => `  warning: ${w}`),
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * Give the program the stack's plain config values (as `pulumi up` would), so
 * `new pulumi.Config()` works. Encrypted values need the Pulumi CLI: reported, left unset.
 */
/** `error serializing property "<key>": ` as many times as resource inputs nest (@pulumi/pulumi runtime/rpc.ts). */
const PULUMI_SERIALIZATION_PREFIX = /^(error serializing property "[^"]*": )+/;

/** The first failure of the program (a ConfigError stays one: the CLI prints it as such, exit 2). */
function programError(errors: unknown[]): Error {
  if (errors.length === 0) return new Error("the stack program returned no outputs");
  const first = errors.find((e) => e instanceof ConfigError) ?? errors[0];
  // Pulumi prefixes the message of an error thrown inside an apply that feeds a resource input
  // ('error serializing property "metadata": ...', same object): the user needs only the error.
  if (first instanceof Error) first.message = first.message.replace(PULUMI_SERIALIZATION_PREFIX, "");
  if (first instanceof ConfigError) return first;
  const message = first instanceof Error ? first.message : String(first);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error(s))` : "";
  const err = new Error(`the stack program failed under mocks: ${message}${more}`, { cause: first });
  if (first instanceof Error && first.stack) err.stack = first.stack;
  return err;
}

function setProgramConfig(config: Record<string, unknown>): string[] {
  const plain: Record<string, string> = {};
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === "object" && value !== null && "secure" in value) {
      warnings.push(`config ${key} is encrypted; synth cannot decrypt it, so the program sees it unset`);
      continue;
    }
    const fullKey = key.includes(":") ? key : `${SYNTH_PROJECT}:${key}`;
    plain[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
  }
  if (!(TOPOLOGY_KEY in plain)) throw new Error(`synth: ${TOPOLOGY_KEY} missing from config`);
  pulumi.runtime.setAllConfig(plain);
  return warnings;
}

function planResources(recorded: RecordedResource[], scrubber: Scrubber): SynthPlanResource[] {
  assertUnique(
    recorded.map((r) => r.urn),
    "resource URN",
  );
  return [...recorded].sort(byKey((r) => r.urn)).map((r) => ({
    type: r.type,
    name: r.name,
    parent: r.parentUrn ? r.parentUrn.slice(r.parentUrn.lastIndexOf("::") + 2) : null,
    urn: r.urn,
    custom: r.custom,
    // A lab secret's entries live in their own file; the plan records its path, as for user-data.
    inputs: scrubber.scrub(r.type === LAB_SECRET_TYPE ? { ...r.inputs, entries: secretFilePath(r.name) } : r.inputs) as Record<
      string,
      unknown
    >,
    ...(Object.keys(r.options).length > 0 ? { options: r.options } : {}),
  }));
}

function writePlan(outDir: string, planText: string, nodes: PlanNode[], secrets: LabSecret[]): void {
  mkdirSync(outDir, { recursive: true });
  writePrivateFiles(join(outDir, USER_DATA_DIR), ".yaml", new Map(nodes.map((n) => [basename(userDataPath(n.name)), n.userData])));
  writeSecretFiles(outDir, secrets);
  const tmp = join(outDir, `.${PLAN_FILE}.tmp`);
  writeFileSync(tmp, planText, { mode: 0o644 });
  renameSync(tmp, join(outDir, PLAN_FILE));
}

const CERT_TYPES = new Set(["tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert"]);

function certificateWarnings(resources: RecordedResource[], notBefore: Date, now: Date): string[] {
  const expired: string[] = [];
  for (const r of resources) {
    if (!CERT_TYPES.has(r.type)) continue;
    // The issue in force at `now` (renewals included): only a clock before notBefore leaves one not valid yet.
    const issued = issuance(notBefore, now, Number(r.inputs.validityPeriodHours), Number(r.inputs.earlyRenewalHours ?? 0));
    if (now < issued.notBefore || now >= issued.notAfter)
      expired.push(`${r.name} (valid ${issued.notBefore.toISOString()} .. ${issued.notAfter.toISOString()})`);
  }
  return expired.length === 0
    ? []
    : [
        `${expired.length} certificate(s) are not valid now; TLS will fail in the lab: ` +
          `${expired.sort().join(", ")}. Use --not-before to move the validity window.`,
      ];
}

function byKey<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

function assertUnique(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new Error(`synth: duplicate ${what} ${v}`);
    seen.add(v);
  }
}

/** The environment's "as of" clock for synth (PGHA_SYNTH_NOW, ISO 8601), if set. */
export function synthNowFromEnv(env: NodeJS.ProcessEnv = process.env): Date | undefined {
  const text = env.PGHA_SYNTH_NOW;
  if (text === undefined || text === "") return undefined;
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new Error(`PGHA_SYNTH_NOW: '${text}' is not a date (ISO 8601)`);
  return at;
}
