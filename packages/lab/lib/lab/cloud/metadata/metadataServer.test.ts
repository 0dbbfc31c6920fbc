// The metadata + secret stand-in against a hand-made plan fragment with the local platform's
// resource types, served by node's http on 127.0.0.1; callers are told apart by their source
// address (127.0.0.1, .2, .3 on loopback), as nodes are by theirs in the lab.
import { type Server, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SynthPlanResource } from "../../../synth/plan";
import { metadataAccessPlan } from "./accessPlan";
import { METADATA_TOKEN_PATH, createMetadataHandler } from "./metadataServer";

const res = (type: string, name: string, inputs: Record<string, unknown>): SynthPlanResource => ({
  type,
  name,
  parent: null,
  urn: `urn:pulumi:lab::pgha::${type}::${name}`,
  custom: true,
  inputs,
});

const PLAN = {
  resources: [
    res("pgha-lab:index:ServiceAccount", "main-patroni", { name: "main-patroni" }),
    res("pgha-lab:index:ServiceAccount", "main-haproxy", { name: "main-haproxy" }),
    res("pgha-lab:index:Vm", "main-pg-0", { name: "main-pg-0", ip: "127.0.0.1", serviceAccount: "main-patroni" }),
    res("pgha-lab:index:Vm", "main-haproxy-0", { name: "main-haproxy-0", ip: "127.0.0.2", serviceAccount: "main-haproxy" }),
    res("pgha-lab:index:Vm", "anonymous", { name: "anonymous", ip: "127.0.0.4" }),
    res("pgha-lab:index:Secret", "main-pg-0", { name: "main-pg-0", entries: "secrets/main-pg-0.json" }),
    res("pgha-lab:index:Secret", "main-haproxy-0", { name: "main-haproxy-0", entries: "secrets/main-haproxy-0.json" }),
    res("pgha-lab:index:SecretAccess", "main-pg-0-main-patroni", { secret: "main-pg-0", serviceAccount: "main-patroni" }),
    res("pgha-lab:index:SecretAccess", "main-haproxy-0-main-haproxy", { secret: "main-haproxy-0", serviceAccount: "main-haproxy" }),
  ],
};
const FILES: Record<string, string> = {
  "secrets/main-pg-0.json": `${JSON.stringify({ PGHA_SECRET_SUPERUSER_PASSWORD: "s3cret-superuser-value" })}\n`,
  "secrets/main-haproxy-0.json": `${JSON.stringify({ PGHA_SECRET_KEEPALIVED_AUTH_PASS: "kaPass12" })}\n`,
};

let server: Server;
let port: number;
const logLines: string[] = [];

interface Reply {
  status: number;
  body: string;
  flavor?: string;
}

function get(from: string, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers, localAddress: from }, (r) => {
      let body = "";
      r.setEncoding("utf8");
      r.on("data", (d: string) => (body += d));
      r.on("end", () => resolve({ status: r.statusCode ?? 0, body, flavor: r.headers["metadata-flavor"] as string | undefined }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function tokenFor(from: string): Promise<string> {
  const r = await get(from, METADATA_TOKEN_PATH, { "Metadata-Flavor": "Google" });
  expect(r.status).toBe(200);
  expect(r.flavor).toBe("Google"); // as GCE's metadata server marks its answers
  const t = JSON.parse(r.body) as { access_token: string; token_type: string; expires_in: number };
  expect(t.token_type).toBe("Bearer");
  expect(t.expires_in).toBeGreaterThan(0);
  return t.access_token;
}

const access = (secret: string, project = "lab", version = "latest") =>
  `/v1/projects/${project}/secrets/${secret}/versions/${version}:access`;

beforeAll(async () => {
  const handler = createMetadataHandler({
    plan: metadataAccessPlan(PLAN),
    readSecret: (f) => {
      const text = FILES[f];
      if (text === undefined) throw new Error(`no file ${f}`);
      return text;
    },
    log: (l) => logLines.push(l),
  });
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("lab metadata stand-in", () => {
  it("gives a VM a token for its own account and serves it its own secret, base64 JSON as Secret Manager does", async () => {
    const token = await tokenFor("127.0.0.1");
    const r = await get("127.0.0.1", access("main-pg-0"), { Authorization: `Bearer ${token}` });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as { name: string; payload: { data: string } };
    expect(body.name).toBe("projects/lab/secrets/main-pg-0/versions/1");
    expect(JSON.parse(Buffer.from(body.payload.data, "base64").toString("utf8"))).toEqual({
      PGHA_SECRET_SUPERUSER_PASSWORD: "s3cret-superuser-value",
    });
  });

  it("refuses another role's secret with 403 PERMISSION_DENIED, and an unknown secret the same way", async () => {
    const token = await tokenFor("127.0.0.2"); // the HAProxy node's account
    const other = await get("127.0.0.2", access("main-pg-0"), { Authorization: `Bearer ${token}` });
    expect(other.status).toBe(403);
    expect((JSON.parse(other.body) as { error: { status: string } }).error.status).toBe("PERMISSION_DENIED");
    expect(other.body).not.toContain("s3cret-superuser-value");
    expect((await get("127.0.0.2", access("no-such-secret"), { Authorization: `Bearer ${token}` })).status).toBe(403);
    const own = await get("127.0.0.2", access("main-haproxy-0"), { Authorization: `Bearer ${token}` });
    expect(own.status).toBe(200);
  });

  it("refuses a token request without Metadata-Flavor: Google, or with X-Forwarded-For, with 403 as GCE does", async () => {
    const bare = await get("127.0.0.1", METADATA_TOKEN_PATH);
    expect(bare.status).toBe(403);
    expect(bare.body).not.toContain("access_token");
    expect((await get("127.0.0.1", METADATA_TOKEN_PATH, { "Metadata-Flavor": "google-ish" })).status).toBe(403);
    const proxied = await get("127.0.0.1", METADATA_TOKEN_PATH, { "Metadata-Flavor": "Google", "X-Forwarded-For": "10.0.0.1" });
    expect(proxied.status).toBe(403);
  });

  it("gives no token to an address that is no VM of the plan, nor to a VM without an account", async () => {
    expect((await get("127.0.0.3", METADATA_TOKEN_PATH, { "Metadata-Flavor": "Google" })).status).toBe(403);
    expect((await get("127.0.0.4", METADATA_TOKEN_PATH, { "Metadata-Flavor": "Google" })).status).toBe(404);
  });

  it("answers 401 without a valid bearer token, and serves no version but latest and no project but lab", async () => {
    expect((await get("127.0.0.1", access("main-pg-0"))).status).toBe(401);
    expect((await get("127.0.0.1", access("main-pg-0"), { Authorization: "Bearer lab.forged" })).status).toBe(401);
    const token = await tokenFor("127.0.0.1");
    expect((await get("127.0.0.1", access("main-pg-0", "lab", "1"), { Authorization: `Bearer ${token}` })).status).toBe(404);
    expect((await get("127.0.0.1", access("main-pg-0", "other"), { Authorization: `Bearer ${token}` })).status).toBe(403);
    expect((await get("127.0.0.1", "/computeMetadata/v1/instance/", { "Metadata-Flavor": "Google" })).status).toBe(404);
    expect((await get("127.0.0.1", METADATA_TOKEN_PATH, { "Metadata-Flavor": "Google" }, "POST")).status).toBe(405);
  });

  it("logs every decision with the caller and the reason, never a token or a value", () => {
    const text = logLines.join("\n");
    expect(text).toMatch(/127\.0\.0\.2 \(VM main-haproxy-0\) GET \/v1\/projects\/lab\/secrets\/main-pg-0\/versions\/latest:access -> 403/);
    expect(text).toMatch(/127\.0\.0\.1 \(VM main-pg-0\) GET .*token -> 200 token for main-patroni/);
    expect(text).toMatch(/127\.0\.0\.3 \(no planned VM\) .* -> 403/);
    expect(text).not.toContain("s3cret-superuser-value");
    expect(text).not.toContain("kaPass12");
    expect(text).not.toMatch(/lab\.[A-Za-z0-9_-]{20,}/);
  });
});

describe("metadataAccessPlan", () => {
  it("maps addresses to VMs and their accounts, and secrets to their files and readers", () => {
    const p = metadataAccessPlan(PLAN);
    expect(p.vms["127.0.0.2"]).toEqual({ name: "main-haproxy-0", serviceAccount: "main-haproxy" });
    expect(p.secrets["main-pg-0"]).toBe("secrets/main-pg-0.json");
    expect(p.grants).toEqual({ "main-pg-0": ["main-patroni"], "main-haproxy-0": ["main-haproxy"] });
  });

  it("refuses a plan whose grants name no secret or no account, or whose secret has no entries file", () => {
    const bad = {
      resources: [
        ...PLAN.resources,
        res("pgha-lab:index:SecretAccess", "stray", { secret: "nope", serviceAccount: "ghost" }),
        res("pgha-lab:index:Secret", "old", { name: "old", entries: "[secret]" }),
      ],
    };
    expect(() => metadataAccessPlan(bad)).toThrow(
      /access grant stray names secret nope.*\n.*access grant stray names account ghost|secret old: the plan records no entries file/s,
    );
    expect(() => metadataAccessPlan(bad)).toThrow(/secret old: the plan records no entries file/);
  });
});
