import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NodeFile } from "./model";
import {
  redactSecrets,
  renderSecretsManifest,
  SECRET_TOKEN_PATTERN,
  SECRETS_MANIFEST,
  SECRETS_SCRIPT,
  secretsNodeFiles,
  secretToken,
  substituteSecrets,
} from "./secretRefs";
import { renderUserData } from "./cloudInit";
import { parse } from "yaml";

const file = (path: string, content: string, permissions = "0600"): NodeFile => ({
  path,
  content,
  owner: "postgres:postgres",
  permissions,
});

describe("redactSecrets", () => {
  it("swaps each value for its token, lists only files with tokens and returns exactly the entries used", () => {
    const r = redactSecrets(
      [
        file("/etc/patroni/patroni.yml", "superuser:\n  password: Sup3rSecretPassw0rd\nreplication:\n  password: R3plPassw0rdValue\n"),
        file("/etc/patroni/unit.service", "[Service]\nExecStart=/usr/bin/patroni\n", "0644"),
      ],
      { SUPERUSER_PASSWORD: "Sup3rSecretPassw0rd", REPLICATION_PASSWORD: "R3plPassw0rdValue", UNUSED_KEY: "NotInAnyFile123" },
    );
    expect(r.files[0].content).toBe(
      "superuser:\n  password: PGHA_SECRET_SUPERUSER_PASSWORD\nreplication:\n  password: PGHA_SECRET_REPLICATION_PASSWORD\n",
    );
    expect(r.files[1].content).toBe("[Service]\nExecStart=/usr/bin/patroni\n");
    expect(r.entries).toEqual({
      PGHA_SECRET_REPLICATION_PASSWORD: "R3plPassw0rdValue",
      PGHA_SECRET_SUPERUSER_PASSWORD: "Sup3rSecretPassw0rd",
    });
    expect(r.secretFiles).toEqual([{ path: "/etc/patroni/patroni.yml", owner: "postgres:postgres", mode: "0600" }]);
  });

  it("replaces a value containing another whole (longest first), and names sharing a value share the first token", () => {
    const r = redactSecrets([file("/f", "a=abcdefgh12345678 b=abcdefgh k1=SameValue99 k2=SameValue99")], {
      SHORT: "abcdefgh",
      LONG: "abcdefgh12345678",
      FIRST: "SameValue99",
      SECOND: "SameValue99",
    });
    expect(r.files[0].content).toBe("a=PGHA_SECRET_LONG b=PGHA_SECRET_SHORT k1=PGHA_SECRET_FIRST k2=PGHA_SECRET_FIRST");
    expect(Object.keys(r.entries)).toEqual(["PGHA_SECRET_FIRST", "PGHA_SECRET_LONG", "PGHA_SECRET_SHORT"]);
  });

  it("refuses values too short to tell from text, token-like text already present, and names that are no token", () => {
    expect(() => redactSecrets([file("/f", "x")], { PIN: "1234567" })).toThrow("secret PIN is 7 characters; values shorter than 8");
    expect(() => redactSecrets([file("/f", "PGHA_SECRET_X")], { A: "abcdefghij" })).toThrow("/f already contains 'PGHA_SECRET_' text");
    expect(() => secretToken("lower")).toThrow("secret name 'lower' must be upper-case");
  });

  it("refuses a value that runs into following token characters (the node could not find the token's end)", () => {
    expect(() => redactSecrets([file("/f", "key=Abcdefgh12_TAIL")], { KEY: "Abcdefgh12" })).toThrow(
      "/f: a secret value runs into the text after it ('PGHA_SECRET_KEY_TAIL' is no token)",
    );
  });

  it("refuses a value still present in another form: JSON-escaped or base64", () => {
    const pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIAbc\n-----END EC PRIVATE KEY-----\n";
    expect(() => redactSecrets([file("/j", JSON.stringify({ key: pem }))], { TLS_KEY: pem })).toThrow("/j: TLS_KEY appears transformed");
    const b64 = Buffer.from("Passw0rdValue42").toString("base64");
    expect(() => redactSecrets([file("/b", `auth=${b64}`)], { PW: "Passw0rdValue42" })).toThrow("/b: PW appears transformed");
  });

  it("property: substituting the entries back gives the original files, and no value is left in the redacted ones", () => {
    const name = fc.stringMatching(/^[A-Z][A-Z0-9]{0,6}(_[A-Z0-9]{1,5}){0,2}$/);
    // Alphanumeric values as pgha generates them, or PEM-like blocks.
    const value = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9]{16,32}$/),
      fc.stringMatching(/^[A-Za-z0-9+/]{40,64}$/).map((b) => `-----BEGIN EC PRIVATE KEY-----\n${b}\n-----END EC PRIVATE KEY-----\n`),
    );
    const filler = fc.stringMatching(/^[a-z .:=\n"'-]{0,40}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, value), { minLength: 1, maxLength: 6, selector: (t) => t[0] }),
        fc.array(fc.array(fc.tuple(filler, fc.nat()), { maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        (secrets, shapes) => {
          const values = Object.fromEntries(secrets);
          const list = secrets.map((s) => s[1]);
          const files = shapes.map((parts, i) =>
            file(`/etc/f${i}`, parts.map(([text, k]) => `${text} ${list[k % list.length]} `).join("") + "end\n"),
          );
          const r = redactSecrets(files, values);
          r.files.forEach((f, i) => {
            expect(substituteSecrets(f.content, r.entries)).toBe(files[i].content);
            for (const v of list) expect(f.content.includes(v)).toBe(false);
            for (const t of f.content.match(SECRET_TOKEN_PATTERN) ?? []) expect(r.entries[t]).toBeDefined();
          });
          expect(r.secretFiles.map((f) => f.path)).toEqual(r.files.filter((f) => f.content.includes("PGHA_SECRET_")).map((f) => f.path));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("substituteSecrets names a token without an entry", () => {
    expect(() => substituteSecrets("a=PGHA_SECRET_MISSING", {})).toThrow("no entry for PGHA_SECRET_MISSING");
  });
});

describe("manifest and user-data", () => {
  it("the manifest names the store and the files, and holds no value", () => {
    const text = renderSecretsManifest({ kind: "gcp-secret-manager", project: "p", secret: "main-pg-0-secrets" }, [
      { path: "/etc/patroni/patroni.yml", owner: "postgres:postgres", mode: "0600" },
    ]);
    expect(JSON.parse(text)).toEqual({
      version: 1,
      store: { kind: "gcp-secret-manager", project: "p", secret: "main-pg-0-secrets" },
      files: [{ path: "/etc/patroni/patroni.yml", owner: "postgres:postgres", mode: "0600" }],
    });
    expect(secretsNodeFiles({ kind: "lab", secret: "s" }, [])).toEqual([]);
  });

  it("user-data with secrets: files hold tokens, the manifest and script are written, pgha-secrets fetch runs first", () => {
    const spec = {
      role: "etcd" as const,
      hostname: "etcd-0",
      os: "debian-13" as const,
      files: [file("/etc/etcd/tls/server.key", "-----BEGIN EC PRIVATE KEY-----\nQUJDREVGR0hJSktMTU5PUA==\n-----END EC PRIVATE KEY-----\n")],
      packages: ["etcd-server"],
      pgdg: false,
      services: ["etcd.service"],
    };
    const key = spec.files[0].content;
    const text = renderUserData({ ...spec, secrets: { values: { ETCD_KEY: key }, store: { kind: "yandex-lockbox", secretId: "e6q123" } } });
    expect(text).not.toContain("QUJDREVGR0hJSktMTU5PUA==");
    const doc = parse(text) as { write_files: { path: string; content: string; permissions: string }[]; runcmd: string[][] };
    const byPath = new Map(doc.write_files.map((f) => [f.path, f]));
    expect(byPath.get("/etc/etcd/tls/server.key")?.content).toBe("PGHA_SECRET_ETCD_KEY");
    expect(byPath.get(SECRETS_MANIFEST)?.permissions).toBe("0644");
    expect(JSON.parse(byPath.get(SECRETS_MANIFEST)?.content ?? "").store).toEqual({ kind: "yandex-lockbox", secretId: "e6q123" });
    expect(byPath.get(SECRETS_SCRIPT)?.permissions).toBe("0755");
    expect(doc.runcmd).toEqual([[SECRETS_SCRIPT, "fetch"], ["/usr/local/sbin/pgha-first-boot"]]);
    expect(byPath.get("/usr/local/sbin/pgha-first-boot")?.content).toContain(`${SECRETS_SCRIPT} check`);
    // Without secrets nothing changes: no manifest, no extra runcmd.
    const plain = parse(renderUserData(spec)) as typeof doc;
    expect(plain.runcmd).toEqual([["/usr/local/sbin/pgha-first-boot"]]);
    expect(plain.write_files.map((f) => f.path)).not.toContain(SECRETS_MANIFEST);
  });
});
