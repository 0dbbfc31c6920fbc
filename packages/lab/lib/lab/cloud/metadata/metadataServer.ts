// The lab's stand-in for a cloud's metadata service and secret store, as one HTTP handler:
//  - GET /computeMetadata/v1/instance/service-accounts/default/token (GCE metadata server: needs
//    `Metadata-Flavor: Google`, refuses requests carrying X-Forwarded-For; answers
//    {access_token, expires_in, token_type}; https://cloud.google.com/compute/docs/metadata/overview
//    and .../compute/docs/access/authenticate-workloads). The token is bound to the account of
//    the VM at the caller's address.
//  - GET /v1/projects/{project}/secrets/{secret}/versions/latest:access (Secret Manager's
//    AccessSecretVersion: {name, payload: {data: base64}}; https://cloud.google.com/secret-manager/
//    docs/reference/rest/v1/projects.secrets.versions/access), for a bearer token whose account
//    the plan grants the secret; otherwise 403 PERMISSION_DENIED, as Secret Manager answers.
// Not emulated: token expiry (expires_in is reported, never enforced), IAM conditions, versions
// other than latest, the CRC32C checksum, Yandex Lockbox's protocol. Values are never logged.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type MetadataAccessPlan, isGranted } from "./accessPlan";

/** What the server prints once it listens (the lab waits for it). */
export const METADATA_READY_LINE = "pgha-lab metadata stand-in listening";
export const METADATA_TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
/** The project every lab secret lives in (the manifest's lab store names only the secret). */
export const LAB_PROJECT = "lab";
const ACCESS_PATH = /^\/v1\/projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/:]+):access$/;
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

export function createMetadataHandler(o: MetadataHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  /** token -> account; opaque random strings, kept in memory only. */
  const tokens = new Map<string, string>();

  return (req, res) => {
    const caller = callerAddress(req);
    const vm = o.plan.vms[caller];
    const path = (req.url ?? "/").split("?")[0];
    // The metadata server marks its answers (clients check it to know they did not reach something else).
    if (path.startsWith("/computeMetadata/")) res.setHeader("Metadata-Flavor", "Google");
    const decide = (status: number, reason: string) =>
      o.log(`${caller} (${vm ? `VM ${vm.name}` : "no planned VM"}) ${req.method} ${path} -> ${status} ${reason}`);

    if (req.method !== "GET") {
      decide(405, "method not allowed");
      return send(res, 405, "method not allowed\n", "text/plain");
    }
    if (path === METADATA_TOKEN_PATH) {
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
      if (!vm.serviceAccount) {
        decide(404, "the VM has no service account");
        return send(res, 404, "The VM has no service account.\n", "text/plain");
      }
      const token = `lab.${randomBytes(24).toString("base64url")}`;
      tokens.set(token, vm.serviceAccount);
      decide(200, `token for ${vm.serviceAccount}`);
      return send(res, 200, { access_token: token, expires_in: TOKEN_LIFETIME_S, token_type: "Bearer" });
    }
    const m = ACCESS_PATH.exec(path);
    if (m) {
      const [, project, secret, version] = m;
      const name = `projects/${project}/secrets/${secret}/versions/${version}`;
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
      const account = bearer ? tokens.get(bearer) : undefined;
      if (!account) {
        decide(401, bearer ? "unknown token" : "no bearer token");
        return apiError(res, 401, "UNAUTHENTICATED", "Request is missing or has an invalid authentication credential.");
      }
      if (project !== LAB_PROJECT || !isGranted(o.plan, secret, account)) {
        decide(403, `${account} is not granted ${secret}${project !== LAB_PROJECT ? ` (project ${project})` : ""}`);
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
      let data: string;
      try {
        data = Buffer.from(o.readSecret(o.plan.secrets[secret])).toString("base64");
      } catch (e) {
        decide(500, `reading ${o.plan.secrets[secret]}: ${(e as Error).message}`);
        return apiError(res, 500, "INTERNAL", "the lab could not read the secret's file");
      }
      decide(200, `${secret} for ${account}`);
      return send(res, 200, { name: `projects/${project}/secrets/${secret}/versions/1`, payload: { data } });
    }
    decide(404, "no such endpoint");
    return send(res, 404, "not found\n", "text/plain");
  };
}
