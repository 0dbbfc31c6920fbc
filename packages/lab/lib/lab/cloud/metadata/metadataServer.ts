// The lab's stand-in for a cloud's metadata service and secret store, as one HTTP handler:
//  - GET /computeMetadata/v1/instance/service-accounts/default/token (GCE metadata server, which
//    Yandex's metadata service mirrors: needs `Metadata-Flavor: Google`, refuses requests carrying
//    X-Forwarded-For; answers {access_token, expires_in, token_type};
//    https://cloud.google.com/compute/docs/metadata/overview, .../compute/docs/access/authenticate-workloads,
//    yandex.cloud/docs/compute/operations/vm-connect/auth-inside-vm). The token is bound to the
//    account of the VM at the caller's address. GCP plans: also /computeMetadata/v1/project/project-id.
//  - GCP Secret Manager (and the lab's own store): GET /v1/projects/{project}/secrets/{secret}/
//    versions/latest:access -> {name, payload: {data: base64}} (AccessSecretVersion,
//    https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access).
//  - Yandex Lockbox: GET /lockbox/v1/secrets/{secretId}/payload -> {entries: [{key, textValue}],
//    versionId} (Payload.Get, https://yandex.cloud/docs/lockbox/api-ref/Payload/get).
//  A secret is served only for a bearer token whose account the plan grants it: 403 otherwise, 404
//  for a secret the plan does not hold, 401 without a valid token. A cloud store's API answers only
//  over TLS at its own host name (secretmanager.googleapis.com, payload.lockbox.api.cloud.yandex.net);
//  the lab's store answers on the metadata address, as the lab platform's nodes call it.
// Not emulated: token expiry (expires_in is reported, never enforced), IAM conditions, versions
// other than latest, Lockbox's key/version model beyond the latest payload, KMS encryption, the
// CRC32C checksum. Values are never logged.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { type MetadataAccessPlan, isGranted } from "./accessPlan";

/** What the server prints once it listens (the lab waits for it). */
export const METADATA_READY_LINE = "pgha-lab metadata stand-in listening";
export const METADATA_TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
export const METADATA_PROJECT_PATH = "/computeMetadata/v1/project/project-id";
/** The project every lab secret lives in (the manifest's lab store names only the secret). */
export const LAB_PROJECT = "lab";
/** The API host names pgha-secrets calls (templates/pgha-secrets.py ENDPOINTS). */
export const SECRET_MANAGER_HOST = "secretmanager.googleapis.com";
export const LOCKBOX_PAYLOAD_HOST = "payload.lockbox.api.cloud.yandex.net";
/** GCE's metadata server name (the node script's metadata URL for GCP). */
export const GCE_METADATA_HOST = "metadata.google.internal";
const ACCESS_PATH = /^\/v1\/projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/:]+):access$/;
const LOCKBOX_PATH = /^\/lockbox\/v1\/secrets\/([^/]+)\/payload$/;
const TOKEN_LIFETIME_S = 3599;

export interface MetadataHandlerOptions {
  plan: MetadataAccessPlan;
  /** The entries file of a secret (a path from the access plan), as JSON text. */
  readSecret: (file: string) => string;
  /** One line per decision: caller, request, status, reason; never a token or a value. */
  log: (line: string) => void;
}

/** Node gives IPv4 callers of a dual-stack socket as ::ffff:a.b.c.d. */
export function callerAddress(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? "";
  return a.startsWith("::ffff:") ? a.slice(7) : a;
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  const text = typeof body === "string" ? body : `${JSON.stringify(body)}\n`;
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** Google APIs' error shape. */
function apiError(res: ServerResponse, code: number, status: string, message: string): void {
  send(res, code, { error: { code, message, status } });
}

/** Yandex Cloud APIs' error shape (gRPC status code in JSON). */
function yandexError(res: ServerResponse, http: number, code: number, message: string): void {
  send(res, http, { code, message, details: [] });
}

/** The host the caller asked for, without the port. */
function requestHost(req: IncomingMessage): string {
  return (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
}

export function createMetadataHandler(o: MetadataHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  /** token -> account; opaque random strings, kept in memory only. */
  const tokens = new Map<string, string>();
  const store = o.plan.store;
  // A cloud store's API is an HTTPS service at its own name; the lab's store shares the metadata address.
  const apiHost = store === "yandex-lockbox" ? LOCKBOX_PAYLOAD_HOST : store === "gcp-secret-manager" ? SECRET_MANAGER_HOST : undefined;

  return (req, res) => {
    const caller = callerAddress(req);
    const vm = o.plan.vms[caller];
    const path = (req.url ?? "/").split("?")[0];
    const tls = (req.socket as Partial<TLSSocket>).encrypted === true;
    const atApi = apiHost ? tls && requestHost(req) === apiHost : !tls;
    const isMetadata = path.startsWith("/computeMetadata/") && !tls;
    // The metadata server marks its answers (clients check it to know they did not reach something else).
    if (isMetadata) res.setHeader("Metadata-Flavor", "Google");
    const decide = (status: number, reason: string) =>
      o.log(
        `${caller} (${vm ? `VM ${vm.name}` : "no planned VM"}) ${req.method} ${tls ? `https://${requestHost(req)}` : ""}${path} -> ${status} ${reason}`,
      );
    /** The account of the request's bearer token, or why there is none. */
    const bearerAccount = (): { account: string } | { reason: string } => {
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
      const account = bearer ? tokens.get(bearer) : undefined;
      return account ? { account } : { reason: bearer ? "unknown token" : "no bearer token" };
    };

    if (req.method !== "GET") {
      decide(405, "method not allowed");
      return send(res, 405, "method not allowed\n", "text/plain");
    }
    if (isMetadata && (path === METADATA_TOKEN_PATH || path === METADATA_PROJECT_PATH)) {
      if (req.headers["x-forwarded-for"] !== undefined) {
        decide(403, "X-Forwarded-For present (the metadata server refuses proxied requests)");
        return send(res, 403, "Request had X-Forwarded-For header; refused.\n", "text/plain");
      }
      if (req.headers["metadata-flavor"] !== "Google") {
        decide(403, "no Metadata-Flavor: Google header");
        return send(res, 403, "Missing Metadata-Flavor:Google header.\n", "text/plain");
      }
      if (!vm) {
        decide(403, "the caller's address is no VM of the plan");
        return send(res, 403, `no VM of the plan at ${caller}\n`, "text/plain");
      }
      if (path === METADATA_PROJECT_PATH) {
        if (!o.plan.project || store === "yandex-lockbox") {
          decide(404, "no project (not a GCP plan)");
          return send(res, 404, "not found\n", "text/plain");
        }
        decide(200, `project ${o.plan.project}`);
        return send(res, 200, o.plan.project, "application/text");
      }
      if (!vm.serviceAccount) {
        decide(404, "the VM has no service account");
        return send(res, 404, "The VM has no service account.\n", "text/plain");
      }
      const token = `lab.${randomBytes(24).toString("base64url")}`;
      tokens.set(token, vm.serviceAccount);
      decide(200, `token for ${vm.serviceAccount}`);
      return send(res, 200, { access_token: token, expires_in: TOKEN_LIFETIME_S, token_type: "Bearer" });
    }
    const sm = store !== "yandex-lockbox" && atApi ? ACCESS_PATH.exec(path) : null;
    if (sm) {
      const [, project, secret, version] = sm;
      const name = `projects/${project}/secrets/${secret}/versions/${version}`;
      const who = bearerAccount();
      if (!("account" in who)) {
        decide(401, who.reason);
        return apiError(res, 401, "UNAUTHENTICATED", "Request is missing or has an invalid authentication credential.");
      }
      // Secret Manager answers a secret that does not exist as one the caller may not read ("or it may not exist").
      if (project !== o.plan.project || !isGranted(o.plan, secret, who.account)) {
        decide(403, `${who.account} is not granted ${secret}${project !== o.plan.project ? ` (project ${project})` : ""}`);
        return apiError(
          res,
          403,
          "PERMISSION_DENIED",
          `Permission 'secretmanager.versions.access' denied for resource '${name}' (or it may not exist).`,
        );
      }
      if (version !== "latest") {
        decide(404, `version ${version}: the lab keeps only latest`);
        return apiError(res, 404, "NOT_FOUND", `Secret Version [${name}] not found (the lab serves only 'latest').`);
      }
      const payload = readPayload(secret);
      if (payload === undefined) return apiError(res, 500, "INTERNAL", "the lab could not read the secret's file");
      decide(200, `${secret} for ${who.account}`);
      const data = Buffer.from(payload).toString("base64");
      return send(res, 200, { name: `projects/${project}/secrets/${secret}/versions/1`, payload: { data } });
    }
    const lb = store === "yandex-lockbox" && atApi ? LOCKBOX_PATH.exec(path) : null;
    if (lb) {
      const secretId = decodeURIComponent(lb[1]);
      const who = bearerAccount();
      if (!("account" in who)) {
        decide(401, who.reason);
        return yandexError(res, 401, 16, "The token is invalid");
      }
      if (!o.plan.secrets[secretId]) {
        decide(404, `no secret ${secretId} in the plan`);
        return yandexError(res, 404, 5, `Secret ${secretId} not found`);
      }
      if (!isGranted(o.plan, secretId, who.account)) {
        decide(403, `${who.account} is not granted ${secretId}`);
        return yandexError(res, 403, 7, "Permission denied");
      }
      const payload = readPayload(secretId);
      if (payload === undefined) return yandexError(res, 500, 13, "the lab could not read the secret's file");
      const entries = Object.entries(JSON.parse(payload) as Record<string, string>).map(([key, textValue]) => ({ key, textValue }));
      decide(200, `${secretId} for ${who.account}`);
      return send(res, 200, { entries, versionId: o.plan.versions[secretId] ?? `${secretId}-latest` });
    }
    decide(404, "no such endpoint");
    return send(res, 404, "not found\n", "text/plain");

    function readPayload(secret: string): string | undefined {
      try {
        return o.readSecret(o.plan.secrets[secret]);
      } catch (e) {
        decide(500, `reading ${o.plan.secrets[secret]}: ${(e as Error).message}`);
        return undefined;
      }
    }
  };
}
