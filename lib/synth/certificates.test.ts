/**
 * The tls stand-ins produce real certificates: checked here with Node's X509 parser; checked
 * with openssl, etcd and PostgreSQL in test/tools/synth-certs.test.ts.
 */
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SynthMocks } from "./mocks";

type State = Record<string, any>;

/** A CA and a leaf for `ips`, issued the way lib/components/certificates.ts asks for them. */
async function issue(mocks: SynthMocks, ips = ["10.77.1.10", "127.0.0.1"]) {
  const res = async (type: string, name: string, inputs: Record<string, unknown>) => (await mocks.newResource({ type, name, inputs, custom: true })).state as State;
  const caKey = await res("tls:index/privateKey:PrivateKey", "main-ca-key", { algorithm: "ED25519" });
  const ca = await res("tls:index/selfSignedCert:SelfSignedCert", "main-ca", {
    privateKeyPem: caKey.privateKeyPem,
    isCaCertificate: true,
    validityPeriodHours: 24 * 365 * 2,
    subject: { commonName: "main CA", organization: "pgha" },
    allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
  });
  const key = await res("tls:index/privateKey:PrivateKey", "main-patroni-0-key", { algorithm: "ED25519" });
  const csr = await res("tls:index/certRequest:CertRequest", "main-patroni-0-csr", {
    privateKeyPem: key.privateKeyPem,
    subject: { commonName: "main-patroni-0", organization: "pgha" },
    ipAddresses: ips,
    dnsNames: ["main-patroni-0", "localhost"],
  });
  const leaf = await res("tls:index/locallySignedCert:LocallySignedCert", "main-patroni-0-cert", {
    certRequestPem: csr.certRequestPem,
    caPrivateKeyPem: caKey.privateKeyPem,
    caCertPem: ca.certPem,
    validityPeriodHours: 24 * 30,
    allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
  });
  return { caKey, ca, key, csr, leaf, res };
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
    expect(leafCert.checkPrivateKey((await import("node:crypto")).createPrivateKey(key.privateKeyPem))).toBe(true);
    expect(new Date(leafCert.validFrom).toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(new Date(leafCert.validTo).toISOString()).toBe("2026-01-31T00:00:00.000Z");
    expect(leaf).toMatchObject({ validityStartTime: "2026-01-01T00:00:00Z", validityEndTime: "2026-01-31T00:00:00Z", readyForRenewal: false, caKeyAlgorithm: "ED25519" });
    expect(ca.keyAlgorithm).toBe("ED25519");
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

  it("refuse an unknown allowedUses entry (the provider would too)", async () => {
    const mocks = new SynthMocks({ seed: "pgha/lab" });
    const { caKey, res } = await issue(mocks);
    await res("tls:index/selfSignedCert:SelfSignedCert", "typo", { privateKeyPem: caKey.privateKeyPem, validityPeriodHours: 24, allowedUses: ["server_auht"] });
    expect(mocks.errors.join()).toMatch(/SelfSignedCert typo: unknown allowedUses entry 'server_auht'/);
  });
});
