// `pgha lab up`'s metadata + secret stand-in: one HTTP server in the lab's fabric namespace on
// the link-local 169.254.169.254:80, which every node reaches through its subnet gateway
// (network/network.ts routes it; nothing outside the lab's namespaces can). It serves the plan's
// `pgha-lab:index:Secret`s (the files `pgha synth` wrote beside the plan) to the VMs whose
// account a `pgha-lab:index:SecretAccess` grants, as metadataServer.ts describes.
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type DetachedProcess, spawnDetached } from "../../host/daemon";
import { isSameProcess, terminate } from "../../host/procs";
import type { LabContext } from "../../cli/labContext";
import { METADATA_ADDRESS, readNetworkState } from "../../network/network";
import { metadataAccessPlan } from "./accessPlan";
import { METADATA_READY_LINE } from "./metadataServer";

export const METADATA_PORT = 80;

/** Printed by `lab up` with the other stand-ins (LAB_REPLACEMENTS). */
export const METADATA_STAND_IN =
  `metadata service and secret store: an HTTP server of the lab on ${METADATA_ADDRESS}:${METADATA_PORT}, routed from every node ` +
  "namespace to the fabric (link-local, as on a cloud). It emulates GCE's metadata token endpoint " +
  "(/computeMetadata/v1/instance/service-accounts/default/token, only with Metadata-Flavor: Google; the caller is identified by " +
  "its source address -> the plan's VM -> the VM's serviceAccount) and Secret Manager's access call " +
  "(/v1/projects/lab/secrets/<secret>/versions/latest:access, only for a token whose account the plan's SecretAccess grants: 403 " +
  "otherwise), serving the secret files pgha synth wrote (0600) beside the plan. Not emulated: token expiry, IAM conditions, " +
  "versions other than latest, payload checksums, Yandex Lockbox's protocol " +
  "(the node script's Lockbox path is covered by its unit tests only)";

export const metadataDir = (labDir: string) => join(labDir, "metadata");
const stateFile = (labDir: string) => join(metadataDir(labDir), "state.json");

export interface MetadataState {
  version: 1;
  server: DetachedProcess;
  netns: string;
  address: string;
  port: number;
  secrets: number;
}

export function readMetadataState(labDir: string): MetadataState | undefined {
  const f = stateFile(labDir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as MetadataState) : undefined;
}

/** node + (tsx's loader when running from sources) + the entry: the same process runs from lib/ or dist/. */
function entryArgv(): string[] {
  const ts = join(__dirname, "metadata-main.ts");
  if (existsSync(ts)) return [process.execPath, "--import", pathToFileURL(createRequire(__filename).resolve("tsx")).href, ts];
  return [process.execPath, join(__dirname, "metadata-main.js")];
}

/** Does the plan hold lab secrets (the local platform with pgha's secret store)? */
export function planHasLabSecrets(ctx: LabContext): boolean {
  return ctx.plan.resources.some((r) => r.type === "pgha-lab:index:Secret");
}

/** Start the stand-in (if not running) for the lab's plan. Nothing for a plan without lab secrets. */
export async function setupLabMetadata(ctx: LabContext, log: (line: string) => void): Promise<void> {
  if (!planHasLabSecrets(ctx)) return;
  const access = metadataAccessPlan(ctx.plan); // fails here, before any node boots, on an inconsistent plan
  log(`  stand-in: ${METADATA_STAND_IN}`);
  const previous = readMetadataState(ctx.labDir);
  if (previous && isSameProcess(previous.server)) return;
  const net = readNetworkState(ctx.netStateFile);
  if (!net) throw new Error(`no lab network recorded in ${ctx.netStateFile}: set up the network first`);
  const dir = metadataDir(ctx.labDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const server = await spawnDetached(
    ["ip", "netns", "exec", net.fabricNetns, ...entryArgv(), ctx.planDir, METADATA_ADDRESS, String(METADATA_PORT)],
    join(dir, "metadata.log"),
    (text) => text.includes(METADATA_READY_LINE),
    { timeoutMs: 30_000 },
  );
  const state: MetadataState = {
    version: 1,
    server,
    netns: net.fabricNetns,
    address: METADATA_ADDRESS,
    port: METADATA_PORT,
    secrets: Object.keys(access.secrets).length,
  };
  writeFileSync(stateFile(ctx.labDir), `${JSON.stringify(state, null, 2)}\n`);
  const grants = Object.values(access.grants).reduce((n, g) => n + g.length, 0);
  log(
    `  metadata: pid ${server.pid} on ${METADATA_ADDRESS}:${METADATA_PORT} in ${net.fabricNetns}: ${state.secrets} secret(s), ` +
      `${grants} grant(s), decisions logged to ${join(dir, "metadata.log")}`,
  );
}

/** `lab down`'s one call: stop the server by its recorded pid + start time. */
export async function teardownLabMetadata(labDir: string, log: (line: string) => void): Promise<void> {
  const state = readMetadataState(labDir);
  if (!state) return;
  await terminate(state.server, 5_000);
  rmSync(metadataDir(labDir), { recursive: true, force: true });
  log(`  metadata stand-in (pid ${state.server.pid}) stopped`);
}

/** `lab status`'s line. */
export function metadataStatus(labDir: string): string[] {
  const state = readMetadataState(labDir);
  if (!state) return [];
  const up = isSameProcess(state.server);
  return [
    `metadata + secret stand-in: ${up ? `running (pid ${state.server.pid})` : "NOT running"} at ${state.address}:${state.port} ` +
      `in ${state.netns}, ${state.secrets} secret(s); log ${join(metadataDir(labDir), "metadata.log")}`,
  ];
}
