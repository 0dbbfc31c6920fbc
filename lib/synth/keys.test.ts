import { execFileSync } from "node:child_process";
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { derive32 } from "./derive";
import { ed25519KeyOutputs, parseEd25519PrivateKey } from "./keys";

const seed = derive32("pgha/lab", "ed25519", "main-ca-key");

describe("ed25519KeyOutputs", () => {
  it("derives the same key from the same seed, another from another", () => {
    const a = ed25519KeyOutputs(seed);
    expect(ed25519KeyOutputs(seed)).toEqual(a);
    expect(ed25519KeyOutputs(derive32("pgha/lab", "ed25519", "other")).privateKeyPem).not.toBe(a.privateKeyPem);
  });

  it("writes PKCS#8 and SPKI PEM that belong together", () => {
    const k = ed25519KeyOutputs(seed);
    expect(k.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=]{64}\n-----END PRIVATE KEY-----\n$/);
    expect(k.privateKeyPemPkcs8).toBe(k.privateKeyPem);
    const priv = createPrivateKey(k.privateKeyPem);
    expect(priv.asymmetricKeyType).toBe("ed25519");
    const sig = sign(null, Buffer.from("hello"), priv);
    expect(verify(null, Buffer.from("hello"), createPublicKey(k.publicKeyPem), sig)).toBe(true);
  });

  it("writes an OpenSSH private key that ssh-keygen reads back to the same public key and fingerprint", () => {
    const k = ed25519KeyOutputs(seed);
    const dir = mkdtempSync(join(tmpdir(), "pgha-keys-"));
    try {
      const file = join(dir, "id_ed25519");
      writeFileSync(file, k.privateKeyOpenssh, { mode: 0o600 });
      const pub = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" });
      expect(`${pub.trim()}\n`).toBe(k.publicKeyOpenssh);
      writeFileSync(join(dir, "id.pub"), k.publicKeyOpenssh);
      const fp = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", join(dir, "id.pub")], { encoding: "utf8" });
      expect(fp).toContain(k.publicKeyFingerprintSha256);
      const md5 = execFileSync("ssh-keygen", ["-l", "-E", "md5", "-f", join(dir, "id.pub")], { encoding: "utf8" });
      expect(md5).toContain(`MD5:${k.publicKeyFingerprintMd5}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to use a non-Ed25519 key", () => {
    const ec = execFileSync("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"], { encoding: "utf8" });
    expect(() => parseEd25519PrivateKey(ec, "ca.privateKeyPem")).toThrow(/only derives Ed25519 keys, got ec/);
  });
});
