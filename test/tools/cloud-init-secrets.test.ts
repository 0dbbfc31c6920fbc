/**
 * User-data with secret references, as `pgha synth` writes it for every shipped VM stack, checked
 * by the tools image's cloud-init 25.1 (`cloud-init schema`), and pgha-secrets run by the image's
 * python3 (the interpreter nodes have) against a stand-in metadata server and store on 127.0.0.1.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { synthStack } from "../../packages/lab/lib/synth/synth";
import { SECRETS_MANIFEST, SECRETS_SCRIPT, renderSecretsManifest } from "../../packages/pgha/lib/render/secretRefs";
import { runImage } from "../support/image";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "pgha-cloud-init-secrets-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("user-data with secret references", () => {
  it.each(["lab", "yc-homework", "gcp-dr"])(
    "%s: every node's user-data is valid cloud-config, runs pgha-secrets fetch first and carries its manifest",
    async (env) => {
      const out = path.join(dir, env);
      await synthStack(path.join(__dirname, "../../stacks", `Pulumi.${env}.yaml`), out);
      const files = readdirSync(path.join(out, "user-data")).map((f) => path.join(out, "user-data", f));
      expect(files.length).toBeGreaterThanOrEqual(8);
      const results = await Promise.all(
        files.map(async (f) => ({ f, ...(await runImage(["cloud-init", "schema", "--config-file", f], { binds: [dir] })) })),
      );
      for (const r of results) {
        expect(r.stdout + r.stderr, r.f).toBe(`Valid schema ${r.f}\n`);
        expect(r.code, r.f).toBe(0);
      }
      let withSecrets = 0;
      for (const f of files) {
        const doc = YAML.parse(readFileSync(f, "utf8")) as { runcmd: string[][]; write_files: { path: string }[] };
        if (!doc.write_files.some((w) => w.path === SECRETS_MANIFEST)) continue;
        withSecrets++;
        expect(doc.runcmd[0], f).toEqual([SECRETS_SCRIPT, "fetch"]);
        expect(doc.write_files.map((w) => w.path)).toContain(SECRETS_SCRIPT);
      }
      // etcd members and Patroni members at least hold keys and passwords.
      expect(withSecrets).toBeGreaterThanOrEqual(6);
    },
    180_000,
  );
});

describe("pgha-secrets on the image's python3", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const payload = Buffer.from(JSON.stringify({ PGHA_SECRET_SUPERUSER_PASSWORD: "Sup3rSecretPassw0rdValue" })).toString("base64");
    server = createServer((req, res) => {
      if (req.url === "/computeMetadata/v1/instance/service-accounts/default/token" && req.headers["metadata-flavor"] === "Google") {
        res.writeHead(200, { "Content-Type": "application/json", "Metadata-Flavor": "Google" });
        return res.end(JSON.stringify({ access_token: "t", expires_in: 60, token_type: "Bearer" }));
      }
      if (req.url === "/v1/projects/lab/secrets/n-secrets/versions/latest:access" && req.headers.authorization === "Bearer t") {
        res.writeHead(200, { "Content-Type": "application/json" });
        return res.end(JSON.stringify({ payload: { data: payload } }));
      }
      return res.writeHead(403).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("fetch writes the file as root:root 0600 with the value in place of the token", async () => {
    const script = path.join(dir, "pgha-secrets");
    writeFileSync(script, readFileSync(path.join(__dirname, "../../packages/pgha/templates/pgha-secrets.py")));
    const target = path.join(dir, "patroni.yml");
    writeFileSync(target, "password: PGHA_SECRET_SUPERUSER_PASSWORD\n");
    writeFileSync(
      path.join(dir, "secrets.json"),
      renderSecretsManifest({ kind: "lab", secret: "n-secrets" }, [{ path: target, owner: "root:root", mode: "0600" }]),
    );
    const r = await runImage(["python3", script, "fetch"], {
      binds: [dir],
      env: {
        PGHA_SECRETS_MANIFEST: path.join(dir, "secrets.json"),
        PGHA_SECRETS_STATE_DIR: path.join(dir, "state"),
        PGHA_SECRETS_METADATA_URL: base,
        PGHA_SECRETS_API_URL: base,
        PGHA_SECRETS_RETRY_SECONDS: "0",
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain("Sup3rSecret");
    expect(readFileSync(target, "utf8")).toBe("password: Sup3rSecretPassw0rdValue\n");
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect([statSync(target).uid, statSync(target).gid]).toEqual([0, 0]);
  });
});
