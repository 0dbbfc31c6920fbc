// The metadata + secret stand-in for cloud plans: hand-made plan fragments with the resource
// types the Yandex and GCP platforms create (lib/platform/{yandex,gcp}/platform.ts secret()), served
// as the lab serves them: metadata over HTTP, the store's API over HTTPS at its own host name with
// a certificate from a lab CA (the client verifies it). Callers are told apart by their source
// address on loopback (127.0.0.1, .2, ...), as nodes are by theirs in the lab.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type Server, createServer, request } from "node:http";
import { type Server as TlsServer, createServer as createTlsServer, request as tlsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SynthPlanResource } from "../../../synth/plan";
import { ensureLabTls } from "../objectStorage/tls";
import { metadataAccessPlan, secretFileOf } from "./accessPlan";
import {
  LOCKBOX_PAYLOAD_HOST,
  METADATA_PROJECT_PATH,
  METADATA_TOKEN_PATH,
  SECRET_MANAGER_HOST,
  createMetadataHandler,
} from "./metadataServer";

const res = (type: string, name: string, inputs: Record<string, unknown>): SynthPlanResource => ({
  type,
  name,
  parent: null,
  urn: `urn:pulumi:s::pgha::${type}::${name}`,
  custom: true,
  inputs,
});

const YANDEX_PLAN = {
  resources: [
    res("yandex:index/iamServiceAccount:IamServiceAccount", "main-patroni", { name: "main-patroni" }),
    res("yandex:index/iamServiceAccount:IamServiceAccount", "main-haproxy", { name: "main-haproxy" }),
    res("yandex:index/computeInstance:ComputeInstance", "main-pg-0", {
      name: "main-pg-0",
      networkInterfaces: [{ ipAddress: "127.0.0.1" }],
      serviceAccountId: "main-patroni-id",
    }),
    res("yandex:index/computeInstance:ComputeInstance", "main-haproxy-0", {
      name: "main-haproxy-0",
      networkInterfaces: [{ ipAddress: "127.0.0.2" }],
      serviceAccountId: "main-haproxy-id",
    }),
    res("yandex:index/lockboxSecret:LockboxSecret", "main-pg-0-secrets", { name: "main-pg-0-secrets" }),
    res("yandex:index/lockboxSecretVersion:LockboxSecretVersion", "main-pg-0-secrets", {
      secretId: "main-pg-0-secrets-id",
      entries: [{ key: "[secret]", textValue: "[secret]" }],
    }),
    res("yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding", "main-pg-0-secrets-readers", {
      secretId: "main-pg-0-secrets-id",
      role: "lockbox.payloadViewer",
      members: ["serviceAccount:main-patroni-id"],
    }),
    // lockbox.viewer sees the secret's metadata, not its payload: no read grant.
    res("yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding", "main-pg-0-secrets-viewers", {
      secretId: "main-pg-0-secrets-id",
      role: "lockbox.viewer",
      members: ["serviceAccount:main-haproxy-id"],
    }),
  ],
};

const EMAIL = (id: string) => `${id}@proj-1.iam.gserviceaccount.com`;
const GCP_PLAN = {
  resources: [
    res("gcp:serviceaccount/account:Account", "main-patroni", { accountId: "main-patroni" }),
    res("gcp:serviceaccount/account:Account", "main-haproxy", { accountId: "main-haproxy" }),
    res("gcp:compute/instance:Instance", "main-pg-0", {
      name: "main-pg-0",
      networkInterfaces: [{ networkIp: "127.0.0.1" }],
      serviceAccount: { email: EMAIL("main-patroni"), scopes: ["cloud-platform"] },
    }),
    res("gcp:compute/instance:Instance", "main-haproxy-0", {
      name: "main-haproxy-0",
      networkInterfaces: [{ networkIp: "127.0.0.2" }],
      serviceAccount: { email: EMAIL("main-haproxy"), scopes: ["cloud-platform"] },
    }),
    res("gcp:secretmanager/secret:Secret", "main-pg-0-secrets", { secretId: "main-pg-0-secrets", replication: { auto: {} } }),
    res("gcp:secretmanager/secretVersion:SecretVersion", "main-pg-0-secrets", { secret: "main-pg-0-secrets-id", secretData: "[secret]" }),
    res("gcp:secretmanager/secretIamMember:SecretIamMember", "main-pg-0-secrets-main-patroni", {
      secretId: "main-pg-0-secrets",
      role: "roles/secretmanager.secretAccessor",
      member: `serviceAccount:${EMAIL("main-patroni")}`,
    }),
    res("gcp:secretmanager/secretIamMember:SecretIamMember", "main-pg-0-secrets-main-haproxy", {
      secretId: "main-pg-0-secrets",
      role: "roles/secretmanager.viewer",
      member: `serviceAccount:${EMAIL("main-haproxy")}`,
    }),
  ],
};

const ENTRIES = { PGHA_SECRET_SUPERUSER_PASSWORD: "cl0ud-superuser-value", PGHA_SECRET_REPLICATION_PASSWORD: "repl-value-2" };

interface Reply {
  status: number;
  body: string;
  flavor?: string;
}

interface Stand {
  http: Server;
  https: TlsServer;
  log: string[];
}

const dir = mkdtempSync(join(tmpdir(), "pgha-cloud-stores-"));
let ca: string;
let cert: Buffer;
let key: Buffer;
const stands: Stand[] = [];

function stand(plan: { resources: SynthPlanResource[] }): Promise<Stand> {
  const log: string[] = [];
  const handler = createMetadataHandler({
    plan: metadataAccessPlan(plan),
    readSecret: (f) => {
      if (f !== "secrets/main-pg-0-secrets.json") throw new Error(`no file ${f}`);
      return JSON.stringify(ENTRIES);
    },
    log: (l) => log.push(l),
  });
  const s: Stand = { http: createServer(handler), https: createTlsServer({ cert, key }, handler), log };
  stands.push(s);
  return Promise.all([
    new Promise<void>((r) => s.http.listen(0, "127.0.0.1", r)),
    new Promise<void>((r) => s.https.listen(0, "127.0.0.1", r)),
  ]).then(() => s);
}

const portOf = (s: Server | TlsServer) => (s.address() as AddressInfo).port;

function call(s: Stand, o: { from: string; path: string; headers?: Record<string, string>; tlsHost?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const done = (r: import("node:http").IncomingMessage) => {
      let body = "";
      r.setEncoding("utf8");
      r.on("data", (d: string) => (body += d));
      r.on("end", () => resolve({ status: r.statusCode ?? 0, body, flavor: r.headers["metadata-flavor"] as string | undefined }));
    };
    const common = { host: "127.0.0.1", path: o.path, method: "GET", localAddress: o.from };
    const req = o.tlsHost
      ? tlsRequest({ ...common, port: portOf(s.https), servername: o.tlsHost, ca, headers: { Host: o.tlsHost, ...o.headers } }, done)
      : request({ ...common, port: portOf(s.http), headers: o.headers }, done);
    req.on("error", reject);
    req.end();
  });
}

async function tokenFor(s: Stand, from: string): Promise<string> {
  const r = await call(s, { from, path: METADATA_TOKEN_PATH, headers: { "Metadata-Flavor": "Google" } });
  expect(r.status).toBe(200);
  expect(r.flavor).toBe("Google");
  return (JSON.parse(r.body) as { access_token: string }).access_token;
}

let yc: Stand;
let gcp: Stand;
beforeAll(async () => {
  const files = await ensureLabTls(join(dir, "tls"), [LOCKBOX_PAYLOAD_HOST, SECRET_MANAGER_HOST], "pgha lab secret store CA");
  ca = readFileSync(join(dir, "tls", files.caCert), "utf8");
  cert = readFileSync(join(dir, "tls", files.cert));
  key = readFileSync(join(dir, "tls", files.key));
  yc = await stand(YANDEX_PLAN);
  gcp = await stand(GCP_PLAN);
}, 30_000);

afterAll(async () => {
  for (const s of stands) for (const srv of [s.http, s.https]) await new Promise((r) => srv.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const LOCKBOX = "/lockbox/v1/secrets/main-pg-0-secrets-id/payload";
const ACCESS = (project: string, secret = "main-pg-0-secrets") => `/v1/projects/${project}/secrets/${secret}/versions/latest:access`;

describe("Yandex Lockbox stand-in", () => {
  it("serves the payload to the VM whose service account the payloadViewer binding names, in Lockbox's shape", async () => {
    const token = await tokenFor(yc, "127.0.0.1");
    const r = await call(yc, {
      from: "127.0.0.1",
      path: LOCKBOX,
      tlsHost: LOCKBOX_PAYLOAD_HOST,
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as { entries: { key: string; textValue: string }[]; versionId: string };
    expect(body.versionId).toBe("main-pg-0-secrets-id");
    expect(Object.fromEntries(body.entries.map((e) => [e.key, e.textValue]))).toEqual(ENTRIES);
  });

  it("refuses another account (a lockbox.viewer binding reads no payload) with 403, an unknown secret with 404", async () => {
    const token = await tokenFor(yc, "127.0.0.2");
    const auth = { Authorization: `Bearer ${token}` };
    const other = await call(yc, { from: "127.0.0.2", path: LOCKBOX, tlsHost: LOCKBOX_PAYLOAD_HOST, headers: auth });
    expect(other.status).toBe(403);
    expect(JSON.parse(other.body)).toMatchObject({ code: 7 });
    expect(other.body).not.toContain("cl0ud-superuser-value");
    const unknown = await call(yc, {
      from: "127.0.0.2",
      path: "/lockbox/v1/secrets/nope/payload",
      tlsHost: LOCKBOX_PAYLOAD_HOST,
      headers: auth,
    });
    expect(unknown.status).toBe(404);
  });

  it("answers 401 without a token or with a forged one, and gives no token without Metadata-Flavor: Google", async () => {
    expect((await call(yc, { from: "127.0.0.1", path: LOCKBOX, tlsHost: LOCKBOX_PAYLOAD_HOST })).status).toBe(401);
    const forged = { Authorization: "Bearer lab.forged" };
    expect((await call(yc, { from: "127.0.0.1", path: LOCKBOX, tlsHost: LOCKBOX_PAYLOAD_HOST, headers: forged })).status).toBe(401);
    const bare = await call(yc, { from: "127.0.0.1", path: METADATA_TOKEN_PATH });
    expect(bare.status).toBe(403);
    expect(bare.body).not.toContain("access_token");
  });

  it("serves the payload API only over TLS at its own host name; no Secret Manager API or project id on a Yandex plan", async () => {
    const token = await tokenFor(yc, "127.0.0.1");
    const auth = { Authorization: `Bearer ${token}` };
    expect((await call(yc, { from: "127.0.0.1", path: LOCKBOX, headers: auth })).status).toBe(404); // plain HTTP, metadata address
    expect((await call(yc, { from: "127.0.0.1", path: LOCKBOX, tlsHost: SECRET_MANAGER_HOST, headers: auth })).status).toBe(404);
    expect((await call(yc, { from: "127.0.0.1", path: ACCESS("lab"), tlsHost: LOCKBOX_PAYLOAD_HOST, headers: auth })).status).toBe(404);
    const project = await call(yc, { from: "127.0.0.1", path: METADATA_PROJECT_PATH, headers: { "Metadata-Flavor": "Google" } });
    expect(project.status).toBe(404);
  });
});

describe("GCP Secret Manager stand-in", () => {
  it("reports the accounts' project and serves latest:access to the granted account, base64 JSON as Secret Manager does", async () => {
    const project = await call(gcp, { from: "127.0.0.2", path: METADATA_PROJECT_PATH, headers: { "Metadata-Flavor": "Google" } });
    expect([project.status, project.body]).toEqual([200, "proj-1"]);
    const token = await tokenFor(gcp, "127.0.0.1");
    const r = await call(gcp, {
      from: "127.0.0.1",
      path: ACCESS("proj-1"),
      tlsHost: SECRET_MANAGER_HOST,
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as { name: string; payload: { data: string } };
    expect(body.name).toBe("projects/proj-1/secrets/main-pg-0-secrets/versions/1");
    expect(JSON.parse(Buffer.from(body.payload.data, "base64").toString("utf8"))).toEqual(ENTRIES);
  });

  it("refuses another account (roles/secretmanager.viewer reads no payload), another project and an unknown secret with 403", async () => {
    const token = await tokenFor(gcp, "127.0.0.2");
    const auth = { Authorization: `Bearer ${token}` };
    for (const path of [ACCESS("proj-1"), ACCESS("proj-2"), ACCESS("proj-1", "nope")]) {
      const r = await call(gcp, { from: "127.0.0.2", path, tlsHost: SECRET_MANAGER_HOST, headers: auth });
      expect(r.status).toBe(403);
      expect((JSON.parse(r.body) as { error: { status: string } }).error.status).toBe("PERMISSION_DENIED");
    }
    const own = await tokenFor(gcp, "127.0.0.1");
    const elsewhere = await call(gcp, {
      from: "127.0.0.1",
      path: ACCESS("proj-2"),
      tlsHost: SECRET_MANAGER_HOST,
      headers: { Authorization: `Bearer ${own}` },
    });
    expect(elsewhere.status).toBe(403);
  });

  it("answers 401 without a valid token, 403 for a token request without Metadata-Flavor, 404 over plain HTTP", async () => {
    expect((await call(gcp, { from: "127.0.0.1", path: ACCESS("proj-1"), tlsHost: SECRET_MANAGER_HOST })).status).toBe(401);
    const forged = { Authorization: "Bearer lab.forged" };
    expect((await call(gcp, { from: "127.0.0.1", path: ACCESS("proj-1"), tlsHost: SECRET_MANAGER_HOST, headers: forged })).status).toBe(
      401,
    );
    expect((await call(gcp, { from: "127.0.0.1", path: METADATA_TOKEN_PATH, headers: { "Metadata-Flavor": "gcp" } })).status).toBe(403);
    const token = await tokenFor(gcp, "127.0.0.1");
    expect((await call(gcp, { from: "127.0.0.1", path: ACCESS("proj-1"), headers: { Authorization: `Bearer ${token}` } })).status).toBe(
      404,
    );
  });

  it("logs decisions without tokens or values", () => {
    const text = [...yc.log, ...gcp.log].join("\n");
    expect(text).toMatch(
      /127\.0\.0\.2 \(VM main-haproxy-0\) GET https:\/\/secretmanager\.googleapis\.com\/v1\/projects\/proj-1\/.* -> 403/,
    );
    expect(text).toMatch(/127\.0\.0\.1 \(VM main-pg-0\) GET https:\/\/payload\.lockbox\.api\.cloud\.yandex\.net.* -> 200/);
    for (const v of Object.values(ENTRIES)) expect(text).not.toContain(v);
    expect(text).not.toMatch(/lab\.[A-Za-z0-9_-]{20,}/);
  });
});

describe("metadataAccessPlan for cloud plans", () => {
  it("reads VMs' accounts, each secret's version file and only the payload-reading roles' members", () => {
    const y = metadataAccessPlan(YANDEX_PLAN);
    expect(y.store).toBe("yandex-lockbox");
    expect(y.vms["127.0.0.2"]).toEqual({ name: "main-haproxy-0", serviceAccount: "main-haproxy-id" });
    expect(y.secrets).toEqual({ "main-pg-0-secrets-id": "secrets/main-pg-0-secrets.json" });
    expect(y.grants).toEqual({ "main-pg-0-secrets-id": ["main-patroni-id"] });
    expect(secretFileOf(y, { kind: "yandex-lockbox", secretId: "main-pg-0-secrets-id" })).toBe("secrets/main-pg-0-secrets.json");
    expect(secretFileOf(y, { kind: "gcp-secret-manager", secret: "main-pg-0-secrets-id" })).toBeUndefined();
    const g = metadataAccessPlan(GCP_PLAN);
    expect([g.store, g.project]).toEqual(["gcp-secret-manager", "proj-1"]);
    expect(g.grants).toEqual({ "main-pg-0-secrets": [EMAIL("main-patroni")] });
    expect(secretFileOf(g, { kind: "gcp-secret-manager", secret: "main-pg-0-secrets" })).toBe("secrets/main-pg-0-secrets.json");
  });

  it("refuses a plan whose grants or versions name what it does not hold, and a secret without a version", () => {
    const bad = {
      resources: [
        ...YANDEX_PLAN.resources.filter((r) => r.type !== "yandex:index/lockboxSecretVersion:LockboxSecretVersion"),
        res("yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding", "stray", {
          secretId: "ghost-id",
          role: "lockbox.payloadViewer",
          members: ["serviceAccount:nobody-id"],
        }),
        res("yandex:index/lockboxSecretVersion:LockboxSecretVersion", "orphan", { secretId: "ghost-id", entries: [] }),
      ],
    };
    expect(() => metadataAccessPlan(bad)).toThrow(/secret version orphan belongs to ghost-id, which is no secret of the plan/);
    expect(() => metadataAccessPlan(bad)).toThrow(/access grant stray names secret ghost-id/);
    expect(() => metadataAccessPlan(bad)).toThrow(/access grant stray names account nobody-id/);
    expect(() => metadataAccessPlan(bad)).toThrow(/secret main-pg-0-secrets-id has no version in the plan/);
  });
});
