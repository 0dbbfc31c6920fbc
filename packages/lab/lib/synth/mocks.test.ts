import { describe, expect, it } from "vitest";
import { SynthMocks } from "./mocks";

const P256 = { algorithm: "ECDSA", ecdsaCurve: "P256" };
const newResource = (m: SynthMocks, type: string, name: string, inputs: Record<string, unknown>, custom = true) =>
  m.newResource({ type, name, inputs, custom });

describe("SynthMocks", () => {
  it("answers the same resource identically in two runs (everything derives from seed and name)", async () => {
    const run = async () => {
      const m = new SynthMocks({ seed: "pgha/lab" });
      return [
        await newResource(m, "random:index/randomPassword:RandomPassword", "main-superuser", { length: 32, special: false }),
        await newResource(m, "tls:index/privateKey:PrivateKey", "main-ca-key", P256),
        await newResource(m, "yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey", "main-backups-key", {
          serviceAccountId: "sa-id",
        }),
        await newResource(m, "gcp:compute/globalAddress:GlobalAddress", "main-lb-ip", { project: "p" }),
      ];
    };
    expect(await run()).toEqual(await run());
  });

  it("remembers every secret it generated, so the plan writer can scrub them", async () => {
    const m = new SynthMocks({ seed: "s" });
    const pw = (await newResource(m, "random:index/randomPassword:RandomPassword", "pw", { length: 20, special: false })).state.result;
    const key = (await newResource(m, "tls:index/privateKey:PrivateKey", "k", P256)).state;
    const ak = (await newResource(m, "yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey", "ak", {})).state;
    const hmac = (await newResource(m, "gcp:storage/hmacKey:HmacKey", "hk", {})).state;
    for (const s of [pw, key.privateKeyPem, key.privateKeyPemPkcs8, key.privateKeyOpenssh, ak.secretKey, hmac.secret])
      expect(m.generatedSecrets.has(s)).toBe(true);
    // Every base64 line of each private key encoding too (a renderer may re-indent the PEM).
    for (const pem of [key.privateKeyPem, key.privateKeyPemPkcs8]) expect(m.generatedSecrets.has(pem.split("\n")[1])).toBe(true);
    expect(m.generatedSecrets.has(key.publicKeyPem)).toBe(false);
    // A RandomString is not a secret in the provider either.
    const str = (await newResource(m, "random:index/randomString:RandomString", "suffix", { length: 6, special: false })).state.result;
    expect(m.generatedSecrets.has(str)).toBe(false);
  });

  it("derives ECDSA P256 keys from seed and name, with every output the tls provider returns", async () => {
    const key = async (seed: string, name: string) =>
      (await newResource(new SynthMocks({ seed }), "tls:index/privateKey:PrivateKey", name, P256)).state;
    const a = await key("pgha/lab", "main-ca-key");
    expect(Object.keys(a).sort()).toEqual(
      [
        "algorithm",
        "ecdsaCurve",
        "privateKeyOpenssh",
        "privateKeyPem",
        "privateKeyPemPkcs8",
        "publicKeyFingerprintMd5",
        "publicKeyFingerprintSha256",
        "publicKeyOpenssh",
        "publicKeyPem",
      ].sort(),
    );
    expect(a).toMatchObject({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    expect(a.privateKeyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(a.publicKeyOpenssh).toMatch(/^ecdsa-sha2-nistp256 /);
    expect(await key("pgha/lab", "main-ca-key")).toEqual(a);
    expect((await key("pgha/lab", "dr-ca-key")).privateKeyPem).not.toBe(a.privateKeyPem);
    expect((await key("pgha/prod", "main-ca-key")).privateKeyPem).not.toBe(a.privateKeyPem);
  });

  it("refuses, naming the resource, any key but ECDSA P256 (including ECDSA without a curve: the provider's default is P224)", async () => {
    const m = new SynthMocks({ seed: "s" });
    await newResource(m, "tls:index/privateKey:PrivateKey", "old-key", { algorithm: "ED25519" });
    await newResource(m, "tls:index/privateKey:PrivateKey", "rsa-key", { algorithm: "RSA", rsaBits: 2048 });
    await newResource(m, "tls:index/privateKey:PrivateKey", "default-curve-key", { algorithm: "ECDSA" });
    await newResource(m, "tls:index/privateKey:PrivateKey", "p384-key", { algorithm: "ECDSA", ecdsaCurve: "P384" });
    const only = `pgha synth derives only ECDSA P256 keys (algorithm "ECDSA", ecdsaCurve "P256")`;
    expect(m.errors).toEqual([
      `tls:index/privateKey:PrivateKey old-key: ${only}, got ED25519`,
      `tls:index/privateKey:PrivateKey rsa-key: ${only}, got RSA`,
      `tls:index/privateKey:PrivateKey default-curve-key: ${only}, got ECDSA with the provider's default curve P224`,
      `tls:index/privateKey:PrivateKey p384-key: ${only}, got ECDSA P384`,
    ]);
    expect(m.generatedSecrets.size).toBe(0);
  });

  it("gives components no id and no state, custom resources `${name}-id` and their inputs back", async () => {
    const m = new SynthMocks({ seed: "s" });
    expect(await newResource(m, "pgha:index:PatroniCluster", "main", { x: 1 }, false)).toEqual({ id: undefined, state: {} });
    expect(await newResource(m, "pgha-lab:index:Vm", "main-patroni-0", { ip: "10.77.1.10", userData: "#cloud-config\n" })).toEqual({
      id: "main-patroni-0-id",
      state: { ip: "10.77.1.10", userData: "#cloud-config\n" },
    });
    expect(await newResource(m, "command:remote:Command", "restart", { create: "true" })).toEqual({
      id: "restart-id",
      state: { create: "true", stdout: "", stderr: "" },
    });
  });

  it("keeps planned addresses and invents cloud-assigned ones in TEST-NET-3", async () => {
    const m = new SynthMocks({ seed: "s" });
    const planned = await newResource(m, "gcp:compute/address:Address", "vip", { address: "10.0.0.5", addressType: "INTERNAL" });
    expect(planned.state.address).toBe("10.0.0.5");
    const assigned = await newResource(m, "gcp:compute/forwardingRule:ForwardingRule", "fr", {});
    expect(assigned.state.ipAddress).toMatch(/^203\.0\.113\.(\d+)$/);
    const lb = await newResource(m, "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer", "nlb", {
      listeners: [
        { name: "pg", port: 5432, externalAddressSpec: { ipVersion: "ipv4" } },
        { name: "int", port: 5433, internalAddressSpec: { subnetId: "s", address: "10.1.0.9" } },
      ],
    });
    expect(lb.state.listeners[0].externalAddressSpec.address).toMatch(/^203\.0\.113\./);
    expect(lb.state.listeners[1].internalAddressSpec.address).toBe("10.1.0.9");
  });

  it("unwraps secret inputs before computing outputs", async () => {
    const m = new SynthMocks({ seed: "s" });
    const key = (await newResource(m, "tls:index/privateKey:PrivateKey", "k", P256)).state;
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: key.privateKeyPem };
    const cert = await newResource(m, "tls:index/selfSignedCert:SelfSignedCert", "c", {
      privateKeyPem: secret,
      validityPeriodHours: 24,
      allowedUses: ["cert_signing"],
      isCaCertificate: true,
    });
    expect(m.errors).toEqual([]);
    expect(cert.state.certPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it("answers provider functions: modelled ones plausibly, others with their inputs (and notes them)", () => {
    const m = new SynthMocks({ seed: "s" });
    expect(m.call({ token: "yandex:index/getComputeImage:getComputeImage", inputs: { family: "debian-12" } })).toMatchObject({
      id: "image-debian-12",
    });
    expect(m.call({ token: "gcp:compute/getImage:getImage", inputs: { family: "debian-12", project: "debian-cloud" } })).toMatchObject({
      selfLink: "https://www.googleapis.com/compute/v1/projects/debian-cloud/global/images/debian-12",
    });
    expect(m.call({ token: "gcp:compute/getZones:getZones", inputs: { region: "europe-west1" } })).toEqual({ region: "europe-west1" });
    expect([...m.unmodelledCalls]).toEqual(["gcp:compute/getZones:getZones"]);
  });
});
