/**
 * templates/pgha-secrets.py run with python3 against a fake metadata server and secret store on
 * 127.0.0.1 (one Node HTTP server plays both; the script's endpoint bases are overridden by the
 * test-only environment variables), for the three store kinds.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { userInfo } from "node:os";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageFile } from "../packageRoot";
import { renderSecretsManifest, type SecretStoreRef } from "./secretRefs";

const SCRIPT = packageFile("templates/pgha-secrets.py");
const ME = userInfo();
const OWNER = `${ME.username}:${groupName()}`;
const ENTRIES = {
  PGHA_SECRET_SUPERUSER_PASSWORD: "Sup3rSecretPassw0rdValue",
  PGHA_SECRET_TLS_KEY: "-----BEGIN KEY-----\nQUJD\n-----END KEY-----\n",
};

function groupName(): string {
  const line = readFileSync("/etc/group", "utf8")
    .split("\n")
    .find((l) => l.split(":")[2] === String(ME.gid));
  return line ? line.split(":")[0] : ME.username;
}

interface Fake {
  url: string;
  log: string[];
  /** What the fake answers; changed by tests. */
  flavorOut: string;
  deny: boolean;
  entries: Record<string, string>;
  close(): Promise<void>;
}

/** GCP/lab protocol and Lockbox's, as the script calls them; token "tok-1" only with Metadata-Flavor: Google. */
async function fakeStore(): Promise<Fake> {
  const fake: Fake = {
    url: "",
    log: [],
    flavorOut: "Google",
    deny: false,
    entries: { ...ENTRIES },
    close: () => Promise.resolve(),
  };
  const send = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(code, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "";
    fake.log.push(`${req.method} ${url}`);
    if (url === "/computeMetadata/v1/instance/service-accounts/default/token") {
      if (req.headers["metadata-flavor"] !== "Google") return send(res, 403, { error: "Metadata-Flavor" });
      const flavor: Record<string, string> = fake.flavorOut ? { "Metadata-Flavor": fake.flavorOut } : {};
      return send(res, 200, { access_token: "tok-1", expires_in: 3600, token_type: "Bearer" }, flavor);
    }
    if (url === "/computeMetadata/v1/project/project-id" && req.headers["metadata-flavor"] === "Google") {
      res.writeHead(200, { "Content-Type": "text/plain", "Metadata-Flavor": "Google" });
      return res.end("proj-from-metadata");
    }
    if (req.headers.authorization !== "Bearer tok-1" || fake.deny) return send(res, 403, { error: "denied" });
    if (/^\/v1\/projects\/[a-z0-9-]+\/secrets\/node-0-secrets\/versions\/latest:access$/.test(url))
      return send(res, 200, { payload: { data: Buffer.from(JSON.stringify(fake.entries)).toString("base64") } });
    if (url === "/lockbox/v1/secrets/e6q0123/payload")
      return send(res, 200, { versionId: "v1", entries: Object.entries(fake.entries).map(([key, textValue]) => ({ key, textValue })) });
    send(res, 404, { error: "not found" });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((r) => server.close(() => r()));
  return fake;
}

let dir: string;
let fake: Fake;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "pgha-secrets-"));
  fake = await fakeStore();
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const STORES: Record<SecretStoreRef["kind"], SecretStoreRef> = {
  "gcp-secret-manager": { kind: "gcp-secret-manager", project: "proj-1", secret: "node-0-secrets" },
  "yandex-lockbox": { kind: "yandex-lockbox", secretId: "e6q0123" },
  lab: { kind: "lab", secret: "node-0-secrets" },
};

/** A node's files as user-data writes them (tokens, their modes) and its manifest. */
function node(store: SecretStoreRef, files: { name: string; content: string; mode: string }[]) {
  const entries = files.map((f) => {
    const p = path.join(dir, f.name);
    writeFileSync(p, f.content);
    chmodSync(p, 0o644);
    return { path: p, owner: OWNER, mode: f.mode };
  });
  writeFileSync(path.join(dir, "secrets.json"), renderSecretsManifest(store, entries));
  return entries.map((e) => e.path);
}

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn("python3", [SCRIPT, ...args], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        PGHA_SECRETS_MANIFEST: path.join(dir, "secrets.json"),
        PGHA_SECRETS_STATE_DIR: path.join(dir, "state"),
        PGHA_SECRETS_METADATA_URL: fake.url,
        PGHA_SECRETS_API_URL: fake.url,
        PGHA_SECRETS_RETRY_SECONDS: "0",
        ...env,
      },
    });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("close", (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const noValueIn = (text: string) => {
  for (const v of Object.values(ENTRIES)) expect(text).not.toContain(v.trim().split("\n")[1] ?? v);
  expect(text).not.toContain(ENTRIES.PGHA_SECRET_SUPERUSER_PASSWORD);
};

describe("pgha-secrets fetch", () => {
  for (const kind of Object.keys(STORES) as SecretStoreRef["kind"][]) {
    it(`${kind}: substitutes every token, writes each file with its manifest mode and owner, prints no value`, async () => {
      const [yml, key] = node(STORES[kind], [
        { name: "patroni.yml", content: "superuser:\n  password: PGHA_SECRET_SUPERUSER_PASSWORD\n", mode: "0600" },
        { name: "server.key", content: "PGHA_SECRET_TLS_KEY", mode: "0640" },
      ]);
      const r = await run(["fetch"]);
      expect(r.code, r.err).toBe(0);
      expect(readFileSync(yml, "utf8")).toBe(`superuser:\n  password: ${ENTRIES.PGHA_SECRET_SUPERUSER_PASSWORD}\n`);
      expect(readFileSync(key, "utf8")).toBe(ENTRIES.PGHA_SECRET_TLS_KEY);
      expect(statSync(yml).mode & 0o777).toBe(0o600);
      expect(statSync(key).mode & 0o777).toBe(0o640);
      expect([statSync(yml).uid, statSync(yml).gid]).toEqual([ME.uid, ME.gid]);
      noValueIn(r.out + r.err);
      // The token came from the metadata path with the flavor header; the store was asked once.
      expect(fake.log[0]).toBe("GET /computeMetadata/v1/instance/service-accounts/default/token");
      const storePath =
        kind === "yandex-lockbox"
          ? "GET /lockbox/v1/secrets/e6q0123/payload"
          : `GET /v1/projects/${kind === "lab" ? "lab" : "proj-1"}/secrets/node-0-secrets/versions/latest:access`;
      expect(fake.log.slice(1)).toEqual([storePath]);
      // No temp file is left behind.
      expect(readFileSync(path.join(dir, "secrets.json"), "utf8")).not.toContain("Sup3r");
      const check = await run(["check"]);
      expect(check.code).toBe(0);
    });
  }

  it("refuses a metadata answer without Metadata-Flavor: Google (not the metadata server)", async () => {
    node(STORES["gcp-secret-manager"], [{ name: "a.conf", content: "pw=PGHA_SECRET_SUPERUSER_PASSWORD\n", mode: "0600" }]);
    fake.flavorOut = "Other";
    const r = await run(["fetch"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe("pgha-secrets: metadata token: the answer lacks Metadata-Flavor: Google (not the metadata server)\n");
  });

  it("gcp: a manifest without a project (unknown when planned) takes the VM's project from the metadata server", async () => {
    const [f] = node({ kind: "gcp-secret-manager", project: "", secret: "node-0-secrets" }, [
      { name: "a.conf", content: "pw=PGHA_SECRET_SUPERUSER_PASSWORD\n", mode: "0600" },
    ]);
    const r = await run(["fetch"]);
    expect(r.code, r.err).toBe(0);
    expect(fake.log).toContain("GET /v1/projects/proj-from-metadata/secrets/node-0-secrets/versions/latest:access");
    expect(readFileSync(f, "utf8")).toBe(`pw=${ENTRIES.PGHA_SECRET_SUPERUSER_PASSWORD}\n`);
  });

  it("needs the answer's Metadata-Flavor only from GCE's metadata server (not from Yandex's or the lab's)", async () => {
    for (const kind of ["lab", "yandex-lockbox", "gcp-secret-manager"] as const) {
      node(STORES[kind], [{ name: "a.conf", content: "pw=PGHA_SECRET_SUPERUSER_PASSWORD\n", mode: "0600" }]);
      fake.flavorOut = "";
      const r = await run(["fetch"]);
      expect(r.code, `${kind}: ${r.err}`).toBe(kind === "gcp-secret-manager" ? 1 : 0);
    }
  });

  it("fails on 403 from the store (after its bounded retries) and leaves the files as they were", async () => {
    const [f] = node(STORES.lab, [{ name: "a.conf", content: "pw=PGHA_SECRET_SUPERUSER_PASSWORD\n", mode: "0600" }]);
    fake.deny = true;
    const r = await run(["fetch"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^pgha-secrets: secret access: HTTP 403 \(gave up after 0s\)\n$/);
    expect(readFileSync(f, "utf8")).toBe("pw=PGHA_SECRET_SUPERUSER_PASSWORD\n");
    const check = await run(["check"]);
    expect(check.code).toBe(1);
    expect(check.out).toBe(`${f}\n`);
  });

  it("fails naming a token the secret has no entry for, printing no value and writing no file", async () => {
    const [a, b] = node(STORES["yandex-lockbox"], [
      { name: "a.conf", content: "pw=PGHA_SECRET_SUPERUSER_PASSWORD\n", mode: "0600" },
      { name: "b.conf", content: "x=PGHA_SECRET_NOT_THERE y=PGHA_SECRET_TLS_KEY\n", mode: "0600" },
    ]);
    const r = await run(["fetch"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`pgha-secrets: ${b}: the secret has no entry for PGHA_SECRET_NOT_THERE\n`);
    noValueIn(r.out + r.err);
    expect(readFileSync(a, "utf8")).toBe("pw=PGHA_SECRET_SUPERUSER_PASSWORD\n");
  });

  it("retries while the store is unreachable, within its bound", async () => {
    node(STORES.lab, [{ name: "a.conf", content: "pw=PGHA_SECRET_SUPERUSER_PASSWORD\n", mode: "0600" }]);
    const r = await run(["fetch"], { PGHA_SECRETS_METADATA_URL: "http://127.0.0.1:9", PGHA_SECRETS_RETRY_SECONDS: "3" });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/metadata token: unreachable .*; retrying\n/);
    expect(r.err).toMatch(/gave up after 3s\)\n$/);
  });
});

describe("pgha-secrets refresh", () => {
  it("rewrites only files whose values changed and prints their paths, one per line", async () => {
    const [a, b] = node(STORES.lab, [
      { name: "a.conf", content: "pw=PGHA_SECRET_SUPERUSER_PASSWORD\n", mode: "0600" },
      { name: "b.key", content: "PGHA_SECRET_TLS_KEY", mode: "0600" },
    ]);
    expect((await run(["fetch"])).code).toBe(0);
    const unchanged = await run(["refresh"]);
    expect(unchanged.code, unchanged.err).toBe(0);
    expect(unchanged.out).toBe("");
    const before = statSync(a).ino;
    fake.entries = { ...ENTRIES, PGHA_SECRET_TLS_KEY: "-----BEGIN KEY-----\nTkVX\n-----END KEY-----\n" };
    const r = await run(["refresh"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`${b}\n`);
    expect(readFileSync(b, "utf8")).toContain("TkVX");
    expect(statSync(a).ino).toBe(before);
    expect(statSync(path.join(dir, "state")).mode & 0o777).toBe(0o700);
  });

  it("--only DIR: rewrites changed files under DIR only; a changed file elsewhere stays as it is and is named on stderr", async () => {
    mkdirSync(path.join(dir, "tls"));
    const [yml, key, ca] = node(STORES.lab, [
      { name: "patroni.yml", content: "superuser:\n  password: PGHA_SECRET_SUPERUSER_PASSWORD\n", mode: "0600" },
      { name: "tls/postgres.key", content: "PGHA_SECRET_TLS_KEY", mode: "0600" },
      { name: "tls/ca.crt", content: "PGHA_SECRET_CA", mode: "0644" },
    ]);
    fake.entries = { ...ENTRIES, PGHA_SECRET_CA: "CA-1" };
    expect((await run(["fetch"])).code).toBe(0);
    const ymlBefore = readFileSync(yml, "utf8");
    const ymlInode = statSync(yml).ino;
    fake.entries = {
      PGHA_SECRET_SUPERUSER_PASSWORD: "An0therPasswordValue99",
      PGHA_SECRET_TLS_KEY: "-----BEGIN KEY-----\nTkVX\n-----END KEY-----\n",
      PGHA_SECRET_CA: "CA-1",
    };
    const r = await run(["refresh", "--only", path.join(dir, "tls")]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`${key}\n`);
    expect(readFileSync(key, "utf8")).toContain("TkVX");
    expect(readFileSync(ca, "utf8")).toBe("CA-1");
    expect(readFileSync(yml, "utf8")).toBe(ymlBefore);
    expect(statSync(yml).ino).toBe(ymlInode);
    expect(r.err).toBe(`pgha-secrets: ${yml}: differs from the secret; left unchanged (outside --only)\npgha-secrets: rewrote ${key}\n`);
    expect(r.out + r.err).not.toContain("An0therPasswordValue99");
    // A file outside --only whose entry is gone does not stop the TLS refresh either.
    fake.entries = { PGHA_SECRET_TLS_KEY: "-----BEGIN KEY-----\nTkVXMg==\n-----END KEY-----\n", PGHA_SECRET_CA: "CA-1" };
    const r2 = await run(["refresh", "--only", `${path.join(dir, "tls")}/`]);
    expect(r2.code, r2.err).toBe(0);
    expect(r2.out).toBe(`${key}\n`);
    expect(r2.err).toBe(
      `pgha-secrets: ${yml}: the secret has no entry for PGHA_SECRET_SUPERUSER_PASSWORD; left unchanged (outside --only)\n` +
        `pgha-secrets: rewrote ${key}\n`,
    );
    // Without --only the password file is rewritten (issue 13's day-2 path, run by hand).
    fake.entries = { ...fake.entries, PGHA_SECRET_SUPERUSER_PASSWORD: "An0therPasswordValue99" };
    const all = await run(["refresh"]);
    expect(all.out).toBe(`${yml}\n`);
  });

  it("refuses --only with fetch, a relative DIR or a missing DIR (usage, exit 2)", async () => {
    for (const args of [
      ["fetch", "--only", "/etc"],
      ["refresh", "--only", "etc/pgha"],
      ["refresh", "--only"],
      ["refresh", "--tls"],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toMatch(/^usage: pgha-secrets/);
    }
  });
});
