// `pgha lab up`'s metadata + secret stand-in: one server process in the lab's fabric namespace on
// the link-local 169.254.169.254, which every node reaches through its subnet gateway
// (network/network.ts routes it; nothing outside the lab's namespaces can). It serves the plan's
// secrets (the files `pgha synth` wrote beside the plan) to the VMs whose account the plan grants
// them, as metadataServer.ts describes: the lab's own store over HTTP on port 80; for a cloud plan
// also the store's API (Yandex Lockbox, GCP Secret Manager) over HTTPS on port 443, at the API's
// real host name, which the node resolves and trusts through its own root (nodeTrust.ts).
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type DetachedProcess, spawnDetached } from "../../host/daemon";
import { isSameProcess, terminate } from "../../host/procs";
import type { LabContext } from "../../cli/labContext";
import type { LabImages } from "../../node/image/debianImage";
import { nodeRootfs } from "../../node/nodeView";
import { METADATA_ADDRESS, readNetworkState } from "../../network/network";
import { writeNodeTrust } from "../objectStorage/nodeTrust";
import { ensureLabTls } from "../objectStorage/tls";
import { type SecretStoreKind, metadataAccessPlan, planSecretStore } from "./accessPlan";
import { GCE_METADATA_HOST, LOCKBOX_PAYLOAD_HOST, METADATA_READY_LINE, SECRET_MANAGER_HOST } from "./metadataServer";

export const METADATA_PORT = 80;
export const SECRET_API_PORT = 443;

/** Printed by `lab up` with the other stand-ins (LAB_REPLACEMENTS). */
export const METADATA_STAND_IN =
  `metadata service and secret store: an HTTP server of the lab on ${METADATA_ADDRESS}:${METADATA_PORT}, routed from every node ` +
  "namespace to the fabric (link-local, as on a cloud). It emulates GCE's metadata token endpoint, which Yandex's metadata " +
  "service mirrors (/computeMetadata/v1/instance/service-accounts/default/token, only with Metadata-Flavor: Google; the caller is " +
  "identified by its source address -> the plan's VM -> the VM's service account), and for the local platform Secret Manager's " +
  "access call (/v1/projects/lab/secrets/<secret>/versions/latest:access, only for a token whose account the plan's SecretAccess " +
  "grants: 403 otherwise), serving the secret files pgha synth wrote (0600) beside the plan. Not emulated: token expiry, " +
  "IAM conditions, versions other than latest, payload checksums";

/** The cloud stores, printed by `lab up` for a plan that uses one (LAB_REPLACEMENTS lists both). */
export const CLOUD_SECRET_STAND_INS: Record<Exclude<SecretStoreKind, "lab">, string> = {
  "yandex-lockbox":
    `Yandex Lockbox: the same server answers https://${LOCKBOX_PAYLOAD_HOST}/lockbox/v1/secrets/<secretId>/payload on ` +
    `${METADATA_ADDRESS}:${SECRET_API_PORT} ({entries: [{key, textValue}], versionId}) for a token whose account the plan's ` +
    "LockboxSecretIamBinding (lockbox.payloadViewer, serviceAccount:<VM's serviceAccountId>) names; 403 for another account, " +
    "404 for a secret the plan lacks, 401 without a valid token; the payload is the LockboxSecretVersion's entries, written by " +
    "pgha synth to secrets/ (0600, never in plan.json). Not emulated: token expiry, IAM conditions and folder roles, the " +
    "key/version model beyond the latest payload (no version ids to ask for, no scheduled destruction), KMS encryption, and the " +
    "network path to the API (any node reaches it; in the cloud it needs a NAT gateway or a route out)",
  "gcp-secret-manager":
    `GCP Secret Manager: the same server answers https://${SECRET_MANAGER_HOST}/v1/projects/<project>/secrets/<secret>/` +
    `versions/latest:access on ${METADATA_ADDRESS}:${SECRET_API_PORT} ({name, payload: {data: base64}}) for a token whose account ` +
    "a SecretIamMember (roles/secretmanager.secretAccessor, serviceAccount:<VM's serviceAccount.email>) names, 403 otherwise " +
    "(as Secret Manager answers, also for a secret that does not exist), 401 without a valid token; " +
    `${GCE_METADATA_HOST} resolves to ${METADATA_ADDRESS} as on GCE, which also answers /computeMetadata/v1/project/project-id ` +
    "(the project of the plan's service accounts). Not emulated: token expiry and scopes, IAM conditions and project roles, " +
    "versions other than latest, replication, CMEK encryption, payload checksums, and the network path to the API (Private " +
    "Google Access or NAT in the cloud)",
};

/** DNS and TLS for a cloud store's API, printed by `lab up` with it. */
export const SECRET_API_TRUST_STAND_IN =
  "secret store DNS and TLS: the store's API name (and metadata.google.internal on GCP) resolves to the lab's metadata " +
  "address through a line the lab adds to the node's cloud-init hosts template; the API serves a certificate for that name " +
  "from a CA made for this lab, which the lab adds to the node's CA bundle (the node's user-data is the cloud's, unchanged)";

/** The API host names a node of a cloud plan resolves to the stand-in. */
export function secretStoreHosts(store: SecretStoreKind): string[] {
  if (store === "yandex-lockbox") return [LOCKBOX_PAYLOAD_HOST];
  if (store === "gcp-secret-manager") return [GCE_METADATA_HOST, SECRET_MANAGER_HOST];
  return [];
}

const TRUST_MARK = "# pgha lab: the metadata and secret store stand-in (the cloud's DNS would answer these names)";
const NODE_CA_FILE = "/usr/local/share/ca-certificates/pgha-lab-secret-store.crt";

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

/** Start the stand-in (if not running) for the lab's plan. Nothing for a plan without secrets. */
export async function setupLabMetadata(ctx: LabContext, images: LabImages, log: (line: string) => void): Promise<void> {
  const store = planSecretStore(ctx.plan);
  if (!store) return;
  const access = metadataAccessPlan(ctx.plan); // fails here, before any node boots, on an inconsistent plan
  log(`  stand-in: ${METADATA_STAND_IN}`);
  const dir = metadataDir(ctx.labDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const hosts = secretStoreHosts(store);
  let https: string[] = [];
  if (store !== "lab") {
    log(`  stand-in: ${CLOUD_SECRET_STAND_INS[store]}`);
    log(`  stand-in: ${SECRET_API_TRUST_STAND_IN}`);
    const tlsDir = join(dir, "tls");
    // A certificate for the API names only (metadata.google.internal is plain HTTP).
    await ensureLabTls(
      tlsDir,
      hosts.filter((h) => h !== GCE_METADATA_HOST),
      "pgha lab secret store CA",
    );
    // Before any node boots: written every time, so a node created since the last `lab up` gets them too.
    for (const n of ctx.plan.nodes) {
      await writeNodeTrust(nodeRootfs(ctx.labDir, n.name), images.base, {
        mark: TRUST_MARK,
        address: METADATA_ADDRESS,
        hosts,
        caPemFile: join(tlsDir, "ca.pem"),
        caFile: NODE_CA_FILE,
      });
    }
    https = [String(SECRET_API_PORT), tlsDir];
  }
  const previous = readMetadataState(ctx.labDir);
  if (previous && isSameProcess(previous.server)) return;
  const net = readNetworkState(ctx.netStateFile);
  if (!net) throw new Error(`no lab network recorded in ${ctx.netStateFile}: set up the network first`);
  const server = await spawnDetached(
    ["ip", "netns", "exec", net.fabricNetns, ...entryArgv(), ctx.planDir, METADATA_ADDRESS, String(METADATA_PORT), ...https],
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
  const api = https.length > 0 ? ` and :${SECRET_API_PORT} (${hosts.join(", ")})` : "";
  log(
    `  metadata: pid ${server.pid} on ${METADATA_ADDRESS}:${METADATA_PORT}${api} ` +
      `in ${net.fabricNetns}: ${store} store, ${state.secrets} secret(s), ` +
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
