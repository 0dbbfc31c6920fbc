import { execFileSync } from "node:child_process";
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { derive32 } from "./derive";
import { ecdsaP256KeyOutputs, p256PrivateKey, p256ScalarBytes, p256ScalarFromSeed, parseP256PrivateKey } from "./keys";

const seed = derive32("pgha/lab", "ecdsa-p256", "main-ca-key");
const P256_ORDER = BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
const dir = mkdtempSync(join(tmpdir(), "pgha-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run openssl on a private key held in a 0600 file; returns stdout. */
function openssl(args: string[], keyPem: string): string {
  const file = join(dir, "in.pem");
  writeFileSync(file, keyPem, { mode: 0o600 });
  return execFileSync("openssl", [...args, "-in", file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
}

describe("p256ScalarFromSeed", () => {
  it("reduces any 32 bytes into [1, n-1]", () => {
    expect(p256ScalarFromSeed(Buffer.alloc(32))).toBe(1n);
    const top = p256ScalarFromSeed(Buffer.alloc(32, 0xff));
    expect(top >= 1n && top < P256_ORDER).toBe(true);
    // n - 1 itself maps to 1, n - 2 to n - 1: the reduction is (x mod (n-1)) + 1.
    const bytesOf = (x: bigint) => Buffer.from(x.toString(16).padStart(64, "0"), "hex");
    expect(p256ScalarFromSeed(bytesOf(P256_ORDER - 1n))).toBe(1n);
    expect(p256ScalarFromSeed(bytesOf(P256_ORDER - 2n))).toBe(P256_ORDER - 1n);
    expect(() => p256ScalarFromSeed(Buffer.alloc(16))).toThrow(/32 bytes/);
  });

  it("is the scalar of the derived key", () => {
    const key = createPrivateKey(ecdsaP256KeyOutputs(seed).privateKeyPem);
    expect(BigInt(`0x${p256ScalarBytes(key).toString("hex")}`)).toBe(p256ScalarFromSeed(seed));
    expect(() => p256PrivateKey(0n)).toThrow(RangeError);
    expect(() => p256PrivateKey(P256_ORDER)).toThrow(RangeError);
  });
});

describe("ecdsaP256KeyOutputs", () => {
  it("derives the same key from the same seed, another from another name", () => {
    const a = ecdsaP256KeyOutputs(seed);
    expect(ecdsaP256KeyOutputs(Buffer.from(seed))).toEqual(a);
    const b = ecdsaP256KeyOutputs(derive32("pgha/lab", "ecdsa-p256", "main-patroni-0-key"));
    for (const field of [
      "privateKeyPem",
      "privateKeyPemPkcs8",
      "privateKeyOpenssh",
      "publicKeyPem",
      "publicKeyOpenssh",
      "publicKeyFingerprintSha256",
    ] as const) {
      expect(b[field], field).not.toBe(a[field]);
    }
  });

  it("writes SEC1 and PKCS#8 private keys and an SPKI public key for the same P-256 key", () => {
    const k = ecdsaP256KeyOutputs(seed);
    expect(k).toMatchObject({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    expect(k.privateKeyPem).toMatch(
      /^-----BEGIN EC PRIVATE KEY-----\n([A-Za-z0-9+/=]{64}\n){2}[A-Za-z0-9+/=]{1,64}\n-----END EC PRIVATE KEY-----\n$/,
    );
    expect(k.privateKeyPemPkcs8).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    expect(k.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const sec1 = createPrivateKey(k.privateKeyPem);
    expect(sec1.asymmetricKeyType).toBe("ec");
    expect(sec1.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(createPrivateKey(k.privateKeyPemPkcs8).export({ format: "jwk" })).toEqual(sec1.export({ format: "jwk" }));
    const sig = sign("sha256", Buffer.from("hello"), sec1);
    expect(verify("sha256", Buffer.from("hello"), createPublicKey(k.publicKeyPem), sig)).toBe(true);
  });

  it("encodes the keys exactly as OpenSSL (and Go: SEC1 with curve and public key, PKCS#8 without the curve twice) does", () => {
    const k = ecdsaP256KeyOutputs(seed);
    // `openssl ec` re-encodes as SEC1 "EC PRIVATE KEY", `openssl pkey` as PKCS#8: byte-equal means same DER layout.
    expect(openssl(["ec"], k.privateKeyPemPkcs8)).toBe(k.privateKeyPem);
    expect(openssl(["pkey"], k.privateKeyPem)).toBe(k.privateKeyPemPkcs8);
    expect(openssl(["pkey", "-pubout"], k.privateKeyPem)).toBe(k.publicKeyPem);
    const text = openssl(["ec", "-noout", "-text"], k.privateKeyPem);
    expect(text).toMatch(/Private-Key: \(256 bit/);
    expect(text).toMatch(/ASN1 OID: prime256v1/);
  });

  it("writes an OpenSSH private key that ssh-keygen reads back to the same public key and fingerprints", () => {
    const k = ecdsaP256KeyOutputs(seed);
    expect(k.publicKeyOpenssh).toMatch(/^ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABB[A-Za-z0-9+/]+=*\n$/);
    expect(k.privateKeyOpenssh).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/);
    const file = join(dir, "id_ecdsa");
    writeFileSync(file, k.privateKeyOpenssh, { mode: 0o600 });
    const pub = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" });
    expect(`${pub.trim()}\n`).toBe(k.publicKeyOpenssh);
    writeFileSync(join(dir, "id.pub"), k.publicKeyOpenssh);
    const fp = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", join(dir, "id.pub")], { encoding: "utf8" });
    expect(fp).toMatch(new RegExp(`^256 ${k.publicKeyFingerprintSha256.replace(/[+/]/g, "\\$&")} .*\\(ECDSA\\)\\n$`));
    const md5 = execFileSync("ssh-keygen", ["-l", "-E", "md5", "-f", join(dir, "id.pub")], { encoding: "utf8" });
    expect(md5).toContain(`MD5:${k.publicKeyFingerprintMd5}`);
    // The OpenSSH file holds the same private key as the PEM one: convert it and compare.
    execFileSync("ssh-keygen", ["-p", "-N", "", "-m", "PEM", "-f", file], { stdio: "ignore" });
    expect(createPrivateKey(readFileSync(file, "utf8")).export({ format: "jwk" })).toEqual(
      createPrivateKey(k.privateKeyPem).export({ format: "jwk" }),
    );
  });
});

describe("parseP256PrivateKey", () => {
  it("accepts a P-256 key and names the field when refusing another algorithm or curve", () => {
    expect(parseP256PrivateKey(ecdsaP256KeyOutputs(seed).privateKeyPem, "privateKeyPem").asymmetricKeyType).toBe("ec");
    const ed = execFileSync("openssl", ["genpkey", "-algorithm", "ED25519"], { encoding: "utf8" });
    expect(() => parseP256PrivateKey(ed, "caPrivateKeyPem")).toThrow(
      /^caPrivateKeyPem: pgha synth only handles ECDSA P-256 keys, got ed25519$/,
    );
    const p384 = execFileSync("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"], { encoding: "utf8" });
    expect(() => parseP256PrivateKey(p384, "privateKeyPem")).toThrow(/got ec \(secp384r1\)/);
  });
});
