/**
 * The tls stand-ins produce real certificates: checked here with Node's X509 parser; checked
 * with openssl, etcd and PostgreSQL in test/tools/synth-certs.test.ts.
 */
import "reflect-metadata";
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { synthCertChain } from "../../../../test/support/synthCertChain";
import { signP256Sha256 } from "./certificates";
import { SynthMocks } from "./mocks";

/** A CA and a leaf for `ips`, issued the way lib/components/certificates.ts asks for them. */
function issue(mocks: SynthMocks, ips = ["10.77.1.10", "127.0.0.1"]) {
  return synthCertChain(mocks, {
    ipAddresses: ips,
    dnsNames: ["main-patroni-0", "localhost"],
    caValidityHours: 24 * 365 * 2,
    leafValidityHours: 24 * 30,
  });
}

describe("synthesized certificates", () => {
  it("are byte-identical across runs with the same seed, and differ with another seed", async () => {
    const a = await issue(new SynthMocks({ seed: "pgha/lab" }));
    const b = await issue(new SynthMocks({ seed: "pgha/lab" }));
    const c = await issue(new SynthMocks({ seed: "pgha/prod" }));
    expect(b.ca.certPem).toBe(a.ca.certPem);
    expect(b.csr.certRequestPem).toBe(a.csr.certRequestPem);
    expect(b.leaf.certPem).toBe(a.leaf.certPem);
    expect(c.leaf.certPem).not.toBe(a.leaf.certPem);
  });

  it("are signed ecdsa-with-SHA256 (no parameters), with signatures OpenSSL (node's X509Certificate) verifies", async () => {
    const { ca, csr, leaf, caKey } = await issue(new SynthMocks({ seed: "pgha/lab" }));
    const ecdsaWithSha256 = "300a06082a8648ce3d040302"; // SEQUENCE { OID 1.2.840.10045.4.3.2 }, no NULL
    const caPublic = createPublicKey(caKey.publicKeyPem);
    for (const pem of [ca.certPem, leaf.certPem]) {
      const cert = new x509.X509Certificate(pem);
      expect(cert.signatureAlgorithm).toMatchObject({ name: "ECDSA", hash: { name: "SHA-256" } });
      expect(Buffer.from(cert.rawData).toString("hex")).toContain(ecdsaWithSha256);
      expect(new X509Certificate(pem).verify(caPublic)).toBe(true);
    }
    const req = new x509.Pkcs10CertificateRequest(csr.certRequestPem);
    expect(req.signatureAlgorithm).toMatchObject({ name: "ECDSA", hash: { name: "SHA-256" } });
    expect(await req.verify()).toBe(true);
  });

  it("carry Go's key ids: SHA-1 of the public point; the leaf's authority key id is the CA's subject key id", async () => {
    const { ca, caKey, leaf } = await issue(new SynthMocks({ seed: "pgha/lab" }));
    const pointOf = (pem: string) => {
      const spki = createPublicKey(pem).export({ format: "der", type: "spki" });
      return spki.subarray(spki.length - 65);
    };
    const caSki = new x509.X509Certificate(ca.certPem).getExtension(x509.SubjectKeyIdentifierExtension);
    expect(caSki?.keyId).toBe(createHash("sha1").update(pointOf(caKey.publicKeyPem)).digest("hex"));
    const leafAki = new x509.X509Certificate(leaf.certPem).getExtension(x509.AuthorityKeyIdentifierExtension);
    expect(leafAki?.keyId).toBe(caSki?.keyId);
  });

  it("sign with RFC 6979 nonces (the RFC's P-256/SHA-256 vectors, A.2.5)", () => {
    const d = Buffer.from("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", "hex");
    const hex = (m: string) =>
      Buffer.from(signP256Sha256(Buffer.from(m), d))
        .toString("hex")
        .toUpperCase();
    expect(hex("sample")).toBe(
      "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716" +
        "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
    );
    expect(hex("test")).toBe(
      "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367" +
        "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083",
    );
  });

  it("make a CA that signed the leaf, with the requested SANs, usages and fixed validity", async () => {
    const { ca, leaf, key } = await issue(new SynthMocks({ seed: "pgha/lab", notBefore: new Date("2026-01-01T00:00:00Z") }));
    expect(ca.certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    const caCert = new X509Certificate(ca.certPem);
    const leafCert = new X509Certificate(leaf.certPem);
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe("O=pgha\nCN=main CA");
    expect(leafCert.ca).toBe(false);
    expect(leafCert.checkIssued(caCert)).toBe(true);
    expect(leafCert.verify(caCert.publicKey)).toBe(true);
    expect(leafCert.issuer).toBe(caCert.subject);
    expect(leafCert.subjectAltName).toBe("DNS:main-patroni-0, DNS:localhost, IP Address:10.77.1.10, IP Address:127.0.0.1");
    expect(leafCert.keyUsage?.sort()).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    expect(leafCert.checkPrivateKey(createPrivateKey(key.privateKeyPem))).toBe(true);
    expect(new Date(leafCert.validFrom).toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(new Date(leafCert.validTo).toISOString()).toBe("2026-01-31T00:00:00.000Z");
    expect(leaf).toMatchObject({
      validityStartTime: "2026-01-01T00:00:00Z",
      validityEndTime: "2026-01-31T00:00:00Z",
      readyForRenewal: false,
      caKeyAlgorithm: "ECDSA",
    });
    expect(ca.keyAlgorithm).toBe("ECDSA");
    expect(leafCert.serialNumber).not.toBe(caCert.serialNumber);
    expect(leafCert.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
  });

  it("refuse a CA key that does not match the CA certificate", async () => {
    const mocks = new SynthMocks({ seed: "pgha/lab" });
    const { csr, ca, key, res } = await issue(mocks);
    await res("tls:index/locallySignedCert:LocallySignedCert", "wrong", {
      certRequestPem: csr.certRequestPem,
      caPrivateKeyPem: key.privateKeyPem,
      caCertPem: ca.certPem,
      validityPeriodHours: 24,
      allowedUses: ["server_auth"],
    });
    expect(mocks.errors).toEqual(["tls:index/locallySignedCert:LocallySignedCert wrong: caPrivateKeyPem does not match caCertPem"]);
  });

  it("refuse a key that is not ECDSA P-256, naming the field", async () => {
    const mocks = new SynthMocks({ seed: "pgha/lab" });
    const ed25519 = execFileSync("openssl", ["genpkey", "-algorithm", "ED25519"], { encoding: "utf8" });
    await mocks.newResource({
      type: "tls:index/selfSignedCert:SelfSignedCert",
      name: "legacy-ca",
      inputs: { privateKeyPem: ed25519, validityPeriodHours: 24, allowedUses: ["cert_signing"] },
      custom: true,
    });
    expect(mocks.errors).toEqual([
      "tls:index/selfSignedCert:SelfSignedCert legacy-ca: privateKeyPem: pgha synth only handles ECDSA P-256 keys, got ed25519",
    ]);
  });

  it("refuse an unknown allowedUses entry (the provider would too)", async () => {
    const mocks = new SynthMocks({ seed: "pgha/lab" });
    const { caKey, res } = await issue(mocks);
    await res("tls:index/selfSignedCert:SelfSignedCert", "typo", {
      privateKeyPem: caKey.privateKeyPem,
      validityPeriodHours: 24,
      allowedUses: ["server_auht"],
    });
    expect(mocks.errors.join()).toMatch(/SelfSignedCert typo: unknown allowedUses entry 'server_auht'/);
  });
});
