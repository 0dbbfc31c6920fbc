/**
 * No secret in instance metadata: every shipped stack with VMs is synthesized with the real
 * `pgha synth`, and each node's user-data (write_files decoded as cloud-init would) is checked
 * against every value the mocks generated (passwords, private keys, access keys) and every value
 * of every node's secret, verbatim and in base64. Every token in user-data must have an entry in
 * that node's own secret, and the secret must be readable by the node's service account only.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { SynthMocks } from "../packages/lab/lib/synth/mocks";
import { unwrapSecrets } from "../packages/lab/lib/synth/secretValues";
import { synthStack } from "../packages/lab/lib/synth/synth";
import { SECRET_TOKEN_PATTERN, SECRETS_MANIFEST, SECRETS_SCRIPT, type SecretsManifest } from "../packages/pgha/lib/render/secretRefs";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Synthesize a shipped stack; return the mocks' records (raw inputs) and generated secrets. */
async function synth(env: string) {
  const spy = vi.spyOn(SynthMocks.prototype, "newResource");
  try {
    const dir = mkdtempSync(path.join(tmpdir(), `pgha-ud-${env}-`));
    dirs.push(dir);
    const result = await synthStack(path.join(__dirname, "../stacks", `Pulumi.${env}.yaml`), dir);
    const mocks = spy.mock.contexts[0] as SynthMocks;
    const resources = mocks.resources.map((r) => ({
      type: r.type,
      name: r.name,
      inputs: unwrapSecrets(r.inputs) as Record<string, unknown>,
    }));
    const userData = new Map(result.userDataFiles.map((f) => [path.basename(f, ".yaml"), readFileSync(f, "utf8")]));
    return { resources, generated: [...mocks.generatedSecrets].filter((s) => s.length >= 8), userData };
  } finally {
    spy.mockRestore();
  }
}

/** Entries (token -> value) of every node secret, by secret name, whichever store holds it. */
function secretEntries(resources: Recorded[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const r of resources) {
    if (r.type === "pgha-lab:index:Secret") out.set(r.name, r.inputs.entries as Record<string, string>);
    if (r.type === "gcp:secretmanager/secretVersion:SecretVersion") out.set(r.name, JSON.parse(r.inputs.secretData as string));
    if (r.type === "yandex:index/lockboxSecretVersion:LockboxSecretVersion")
      out.set(r.name, Object.fromEntries((r.inputs.entries as { key: string; textValue: string }[]).map((e) => [e.key, e.textValue])));
  }
  return out;
}

/** Readers (service account ids) of each secret by name, from the platform's grant resources. */
function secretReaders(resources: Recorded[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (secret: string, reader: string) => out.set(secret, [...(out.get(secret) ?? []), reader]);
  for (const r of resources) {
    if (r.type === "pgha-lab:index:SecretAccess") add(r.inputs.secret as string, r.inputs.serviceAccount as string);
    if (r.type === "gcp:secretmanager/secretIamMember:SecretIamMember") {
      expect(r.inputs.role).toBe("roles/secretmanager.secretAccessor");
      add(r.inputs.secretId as string, String(r.inputs.member).replace(/^serviceAccount:/, ""));
    }
    if (r.type === "yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding") {
      expect(r.inputs.role).toBe("lockbox.payloadViewer");
      const secret = resources.find((s) => s.type === "yandex:index/lockboxSecret:LockboxSecret" && `${s.name}-id` === r.inputs.secretId);
      for (const m of r.inputs.members as string[]) add(secret?.name ?? "?", m.replace(/^serviceAccount:/, ""));
    }
  }
  return out;
}

/** The VM's identity as each platform records it. */
function vmAccount(resources: Recorded[], node: string): string | undefined {
  const vm = resources.find(
    (r) =>
      r.name === node &&
      ["pgha-lab:index:Vm", "gcp:compute/instance:Instance", "yandex:index/computeInstance:ComputeInstance"].includes(r.type),
  );
  const i = vm?.inputs ?? {};
  return (i.serviceAccount as { email?: string } | string | undefined) !== undefined
    ? typeof i.serviceAccount === "string"
      ? i.serviceAccount
      : (i.serviceAccount as { email: string }).email
    : (i.serviceAccountId as string | undefined);
}

/** write_files contents as the node gets them (cloud-init's b64 / gzip+b64 encodings decoded). */
function writtenFiles(userData: string): { path: string; content: string }[] {
  const doc = parse(userData) as { write_files?: { path: string; content: string; encoding?: string }[] };
  return (doc.write_files ?? []).map((f) => {
    const enc = f.encoding ?? "text/plain";
    const raw = /b64|base64/.test(enc) ? Buffer.from(f.content, "base64") : Buffer.from(f.content);
    return { path: f.path, content: (/gz/.test(enc) ? gunzipSync(raw) : raw).toString("utf8") };
  });
}

const isCert = (token: string) => /^PGHA_SECRET_[A-Z0-9_]+_CERT$/.test(token);
const base64 = (s: string) => Buffer.from(s).toString("base64");
/** A secret's forms that could leak: itself, its base64, and the body line of a PEM (a re-wrapped key). */
const forms = (s: string) => [s, base64(s), ...s.split("\n").filter((l) => l.length >= 32 && !l.startsWith("-----"))];

describe("no rendered user-data contains a secret value", () => {
  it.each(["lab", "yc-homework", "gcp-dr"])(
    "%s: values only in the node's secret, every token has an entry, read only by the node's account",
    async (env) => {
      const { resources, generated, userData } = await synth(env);
      const entries = secretEntries(resources);
      const readers = secretReaders(resources);
      // Certificates ride in the secret too (TLS_*_CERT: renewed with their keys) but are public:
      // their lines legitimately match the CA certificates user-data carries.
      const secretValues = [...entries.values()].flatMap((e) =>
        Object.entries(e)
          .filter(([t]) => !isCert(t))
          .map(([, v]) => v),
      );
      const allValues = [...generated, ...secretValues];
      expect(allValues.length).toBeGreaterThan(10);
      let tokens = 0;
      for (const [node, text] of userData) {
        const files = writtenFiles(text);
        const haystacks = [text, ...files.map((f) => f.content)];
        for (const v of allValues) for (const form of forms(v)) for (const h of haystacks) expect(h.includes(form), `${node}`).toBe(false);

        const manifestFile = files.find((f) => f.path === SECRETS_MANIFEST);
        const found = files.filter((f) => f.path !== SECRETS_SCRIPT).flatMap((f) => f.content.match(SECRET_TOKEN_PATTERN) ?? []);
        if (found.length === 0) {
          expect(manifestFile, `${node} has no token and needs no manifest`).toBeUndefined();
          continue;
        }
        tokens += found.length;
        const manifest = JSON.parse(manifestFile?.content ?? "{}") as SecretsManifest;
        const secretName = `${node}-secrets`;
        const store = manifest.store;
        const named = store.kind === "yandex-lockbox" ? store.secretId : store.secret;
        expect(named).toBe(store.kind === "yandex-lockbox" ? `${secretName}-id` : secretName);
        const own = entries.get(secretName) ?? {};
        for (const t of found) expect(own[t], `${node}: ${t}`).toBeDefined();
        // Exactly the files holding tokens are listed, with the node's own owner and mode.
        const listed = manifest.files.map((f) => f.path).sort();
        expect(listed).toEqual(
          files
            .filter((f) => f.path !== SECRETS_SCRIPT && (f.content.match(SECRET_TOKEN_PATTERN) ?? []).length > 0)
            .map((f) => f.path)
            .sort(),
        );
        // A file that will hold a secret (not only certificates) is private.
        for (const f of manifest.files) {
          const content = files.find((x) => x.path === f.path)?.content ?? "";
          const holdsSecret = (content.match(SECRET_TOKEN_PATTERN) ?? []).some((t) => !isCert(t));
          if (holdsSecret) expect(["0600", "0640"], `${node}: ${f.path}`).toContain(f.mode);
        }
        // The node's own identity is the only reader.
        const account = vmAccount(resources, node);
        expect(account, `${node} has a service account`).toBeDefined();
        expect(readers.get(secretName)).toEqual([account]);
      }
      expect(tokens).toBeGreaterThan(0);
    },
    120_000,
  );
});
