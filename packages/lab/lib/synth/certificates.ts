/**
 * Real X.509 for the `tls` provider's SelfSignedCert / CertRequest / LocallySignedCert under
 * mocks: same inputs, same extensions the provider (Go's crypto/x509) would write, ECDSA P-256
 * signatures with SHA-256 (ecdsa-with-SHA256, what Go picks for a P-256 key), a validity start
 * derived from a fixed date and the synthesized `pulumi up`'s clock (see issuance), and a serial
 * derived from the resource name — so synthesized certificates are byte-identical run to run for
 * a given clock and still work with etcd, PostgreSQL and OpenSSL in the lab.
 *
 * ECDSA normally draws a random nonce per signature. Here the nonce is RFC 6979's
 * (deterministic: derived from the key and the message), via @noble/curves, plugged into
 * @peculiar/x509 as the crypto object's `subtle.sign`. The signatures are ordinary ECDSA:
 * any verifier accepts them.
 */
import "reflect-metadata"; // @peculiar/x509 (via tsyringe) needs the Reflect polyfill
import { createPublicKey, type KeyObject, webcrypto } from "node:crypto";
import { p256 } from "@noble/curves/nist";
import * as x509 from "@peculiar/x509";
import { derive32 } from "./derive";
import { parseP256PrivateKey } from "./keys";
import { type CertificateClock, issuance } from "./renewal";

export type { CertificateClock } from "./renewal";

type Crypto = Parameters<typeof x509.cryptoProvider.set>[0];
type CryptoKey = webcrypto.CryptoKey;

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ECDSA_P256 = { name: "ECDSA", namedCurve: "P-256" } as const;
const ECDSA_SHA256 = { name: "ECDSA", hash: "SHA-256" } as const;

/**
 * ECDSA P-256/SHA-256 with an RFC 6979 nonce. Returns r || s (IEEE P1363), the form webcrypto's
 * `sign` returns and @peculiar/x509 converts to DER. Refuses anything else rather than fall
 * back to a randomized signature.
 */
async function deterministicSign(algorithm: unknown, key: CryptoKey, data: ArrayBuffer | ArrayBufferView): Promise<ArrayBuffer> {
  const alg = algorithm as { name?: string; hash?: string | { name?: string } };
  const hash = typeof alg.hash === "string" ? alg.hash : alg.hash?.name;
  const curve = (key.algorithm as { namedCurve?: string }).namedCurve;
  if (alg.name !== "ECDSA" || hash !== "SHA-256" || curve !== "P-256") {
    throw new Error(
      `pgha synth signs only with ECDSA P-256/SHA-256, asked for ${alg.name}/${hash} on ${key.algorithm.name} ${curve ?? ""}`.trimEnd(),
    );
  }
  const jwk = await webcrypto.subtle.exportKey("jwk", key);
  if (!jwk.d) throw new Error("the signing key has no private part");
  const message = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
  const raw = signP256Sha256(message, Buffer.from(jwk.d, "base64url"));
  return raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
}

/**
 * ECDSA P-256 over SHA-256(message) with the RFC 6979 nonce: r || s, 64 bytes. `lowS: false`
 * because P-256 ECDSA has no low-s rule (unlike Bitcoin's secp256k1): this is RFC 6979's output.
 */
export function signP256Sha256(message: Uint8Array, scalar: Uint8Array): Uint8Array {
  return p256.sign(message, scalar, { prehash: true, lowS: false }).toBytes("compact");
}

/** Node's webcrypto with `subtle.sign` replaced by the deterministic signer. */
const deterministicCrypto = {
  getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
  randomUUID: webcrypto.randomUUID.bind(webcrypto),
  subtle: new Proxy(webcrypto.subtle, {
    // SubtleCrypto methods check their receiver: bind the delegated ones to the real object.
    get(target, prop) {
      if (prop === "sign") return deterministicSign;
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  }),
} as unknown as Crypto;

/** The provider's `subject` block. */
export interface CertSubjectInput {
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  streetAddresses?: string[];
  locality?: string;
  province?: string;
  country?: string;
  postalCode?: string;
  serialNumber?: string;
  emailAddress?: string;
}

export interface SelfSignedCertInput {
  privateKeyPem: string;
  subject?: CertSubjectInput;
  validityPeriodHours: number;
  earlyRenewalHours?: number;
  allowedUses: string[];
  isCaCertificate?: boolean;
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  setSubjectKeyId?: boolean;
  setAuthorityKeyId?: boolean;
  maxPathLength?: number;
}

export interface CertRequestInput {
  privateKeyPem: string;
  subject?: CertSubjectInput;
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
}

export interface LocallySignedCertInput {
  certRequestPem: string;
  caPrivateKeyPem: string;
  caCertPem: string;
  validityPeriodHours: number;
  earlyRenewalHours?: number;
  allowedUses: string[];
  isCaCertificate?: boolean;
  setSubjectKeyId?: boolean;
  maxPathLength?: number;
}

export interface CertOutputs {
  certPem: string;
  validityStartTime: string;
  validityEndTime: string;
  readyForRenewal: boolean;
}

/** terraform-provider-tls `allowed_uses` → key usage bits. */
const KEY_USAGES: Record<string, x509.KeyUsageFlags> = {
  digital_signature: x509.KeyUsageFlags.digitalSignature,
  content_commitment: x509.KeyUsageFlags.nonRepudiation,
  key_encipherment: x509.KeyUsageFlags.keyEncipherment,
  data_encipherment: x509.KeyUsageFlags.dataEncipherment,
  key_agreement: x509.KeyUsageFlags.keyAgreement,
  cert_signing: x509.KeyUsageFlags.keyCertSign,
  crl_signing: x509.KeyUsageFlags.cRLSign,
  encipher_only: x509.KeyUsageFlags.encipherOnly,
  decipher_only: x509.KeyUsageFlags.decipherOnly,
};

/** terraform-provider-tls `allowed_uses` → extended key usage OIDs. */
const EXT_KEY_USAGES: Record<string, string> = {
  any_extended: "2.5.29.37.0",
  server_auth: "1.3.6.1.5.5.7.3.1",
  client_auth: "1.3.6.1.5.5.7.3.2",
  code_signing: "1.3.6.1.5.5.7.3.3",
  email_protection: "1.3.6.1.5.5.7.3.4",
  ipsec_end_system: "1.3.6.1.5.5.7.3.5",
  ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
  ipsec_user: "1.3.6.1.5.5.7.3.7",
  timestamping: "1.3.6.1.5.5.7.3.8",
  ocsp_signing: "1.3.6.1.5.5.7.3.9",
  microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
  netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
  microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
  microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

/** Subject attributes in the order Go's pkix.Name writes them; email goes last as an extra name. */
export function subjectName(subject: CertSubjectInput | undefined): x509.Name {
  const s = subject ?? {};
  const rdns: Record<string, string[]>[] = [];
  const add = (oid: string, value: string | undefined) => {
    if (value) rdns.push({ [oid]: [value] });
  };
  add("2.5.4.6", s.country);
  add("2.5.4.8", s.province);
  add("2.5.4.7", s.locality);
  for (const street of s.streetAddresses ?? []) add("2.5.4.9", street);
  add("2.5.4.17", s.postalCode);
  add("2.5.4.10", s.organization);
  add("2.5.4.11", s.organizationalUnit);
  add("2.5.4.3", s.commonName);
  add("2.5.4.5", s.serialNumber);
  add("1.2.840.113549.1.9.1", s.emailAddress);
  return new x509.Name(rdns);
}

function usageExtensions(allowedUses: string[]): x509.Extension[] {
  let bits = 0;
  const eku: string[] = [];
  for (const use of allowedUses) {
    if (use in KEY_USAGES) bits |= KEY_USAGES[use];
    else if (use in EXT_KEY_USAGES) eku.push(EXT_KEY_USAGES[use]);
    else throw new Error(`unknown allowedUses entry '${use}'`);
  }
  const out: x509.Extension[] = [];
  if (bits) out.push(new x509.KeyUsagesExtension(bits, true));
  if (eku.length) out.push(new x509.ExtendedKeyUsageExtension(eku, false));
  return out;
}

function basicConstraints(isCa: boolean, maxPathLength: number | undefined): x509.Extension {
  const pathLen = isCa && maxPathLength !== undefined && maxPathLength >= 0 ? maxPathLength : undefined;
  return new x509.BasicConstraintsExtension(isCa, pathLen, true);
}

function sanExtension(dnsNames: string[] = [], ipAddresses: string[] = [], uris: string[] = [], subjectEmpty = false): x509.Extension[] {
  const names: x509.JsonGeneralName[] = [
    ...dnsNames.map((value) => ({ type: "dns" as const, value })),
    ...ipAddresses.map((value) => ({ type: "ip" as const, value })),
    ...uris.map((value) => ({ type: "url" as const, value })),
  ];
  // RFC 5280: the SAN is critical when the subject is empty.
  return names.length ? [new x509.SubjectAlternativeNameExtension(names, subjectEmpty)] : [];
}

/** A positive 128-bit serial derived from the resource name (the provider uses a random one). */
export function derivedSerial(seed: string, name: string): string {
  const b = derive32(seed, "cert-serial", name).subarray(0, 16);
  b[0] = (b[0] & 0x3f) | 0x40; // positive, no leading zero byte
  return b.toString("hex");
}

/** Extractable: the deterministic signer reads the scalar back out of it. */
async function signingKey(key: KeyObject): Promise<CryptoKey> {
  const der = key.export({ format: "der", type: "pkcs8" });
  return await webcrypto.subtle.importKey("pkcs8", der, ECDSA_P256, true, ["sign"]);
}

async function publicCryptoKey(key: KeyObject): Promise<CryptoKey> {
  const der = createPublicKey(key).export({ format: "der", type: "spki" });
  return await webcrypto.subtle.importKey("spki", der, ECDSA_P256, true, ["verify"]);
}

/** Generation 0 keeps the name-derived serial; each renewal gets its own (the provider draws a new random one). */
function serialFor(seed: string, name: string, renewals: number, notBefore: Date): string {
  return derivedSerial(seed, renewals === 0 ? name : `${name}@${rfc3339(notBefore)}`);
}

function outputs(cert: x509.X509Certificate, readyForRenewal: boolean): CertOutputs {
  return {
    certPem: `${cert.toString("pem").replace(/\r\n/g, "\n").trimEnd()}\n`,
    validityStartTime: rfc3339(cert.notBefore),
    validityEndTime: rfc3339(cert.notAfter),
    readyForRenewal,
  };
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, "Z");
}

export async function selfSignedCert(
  seed: string,
  name: string,
  input: SelfSignedCertInput,
  clock: CertificateClock,
): Promise<CertOutputs> {
  const issued = issuance(clock.notBefore, clock.now, input.validityPeriodHours, input.earlyRenewalHours);
  const key = parseP256PrivateKey(input.privateKeyPem, "privateKeyPem");
  const subject = subjectName(input.subject);
  const publicKey = await publicCryptoKey(key);
  const isCa = input.isCaCertificate ?? false;
  const extensions = [...usageExtensions(input.allowedUses ?? []), basicConstraints(isCa, input.maxPathLength)];
  // Key ids are RFC 5280 method 1 (SHA-1 of the key bits), as Go computes them. Go adds a
  // subject key id to every CA certificate; the provider adds one on request.
  if (isCa || input.setSubjectKeyId) extensions.push(await x509.SubjectKeyIdentifierExtension.create(publicKey));
  if (input.setAuthorityKeyId) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(publicKey));
  extensions.push(...sanExtension(input.dnsNames, input.ipAddresses, input.uris, subject.toString() === ""));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialFor(seed, name, issued.renewals, issued.notBefore),
      subject,
      issuer: subject,
      notBefore: issued.notBefore,
      notAfter: issued.notAfter,
      signingAlgorithm: ECDSA_SHA256,
      publicKey,
      signingKey: await signingKey(key),
      extensions,
    },
    deterministicCrypto,
  );
  return outputs(cert, issued.readyForRenewal);
}

/** A PKCS#10 request carrying the subject and the requested SANs (what the provider writes). */
export async function certRequest(input: CertRequestInput): Promise<{ certRequestPem: string; keyAlgorithm: string }> {
  const key = parseP256PrivateKey(input.privateKeyPem, "privateKeyPem");
  const subject = subjectName(input.subject);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: subject,
      keys: { privateKey: await signingKey(key), publicKey: await publicCryptoKey(key) },
      signingAlgorithm: ECDSA_SHA256,
      extensions: sanExtension(input.dnsNames, input.ipAddresses, input.uris, subject.toString() === ""),
    },
    deterministicCrypto,
  );
  return { certRequestPem: `${csr.toString("pem").replace(/\r\n/g, "\n").trimEnd()}\n`, keyAlgorithm: "ECDSA" };
}

/** Sign a request with a CA: subject, key and SANs from the request, usages from the inputs. */
export async function locallySignedCert(
  seed: string,
  name: string,
  input: LocallySignedCertInput,
  clock: CertificateClock,
): Promise<CertOutputs & { caKeyAlgorithm: string }> {
  const caKey = parseP256PrivateKey(input.caPrivateKeyPem, "caPrivateKeyPem");
  const ca = new x509.X509Certificate(input.caCertPem);
  const csr = new x509.Pkcs10CertificateRequest(input.certRequestPem);
  if (!(await csr.verify())) throw new Error("certRequestPem has an invalid signature");
  const caKeyPublic = createPublicKey(caKey).export({ format: "der", type: "spki" });
  if (!Buffer.from(ca.publicKey.rawData).equals(caKeyPublic)) throw new Error("caPrivateKeyPem does not match caCertPem");
  // A new CA certificate (caCertPem changes) replaces the leaf at the same pulumi up.
  const since = ca.notBefore > clock.notBefore ? ca.notBefore : clock.notBefore;
  const issued = issuance(since, clock.now, input.validityPeriodHours, input.earlyRenewalHours);

  const sanRaw = csr.getExtension("2.5.29.17");
  const san = sanRaw ? new x509.SubjectAlternativeNameExtension(sanRaw.rawData) : undefined;
  const isCa = input.isCaCertificate ?? false;
  const extensions = [...usageExtensions(input.allowedUses ?? []), basicConstraints(isCa, input.maxPathLength)];
  if (isCa || input.setSubjectKeyId) extensions.push(await x509.SubjectKeyIdentifierExtension.create(csr.publicKey));
  // Like Go: the authority key id is the issuer's subject key id when it has one.
  const caSki = ca.getExtension(x509.SubjectKeyIdentifierExtension);
  if (caSki?.keyId) extensions.push(new x509.AuthorityKeyIdentifierExtension(caSki.keyId));
  if (san) extensions.push(new x509.SubjectAlternativeNameExtension(san.names.toJSON(), csr.subjectName.toString() === ""));

  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialFor(seed, name, issued.renewals, issued.notBefore),
      subject: csr.subjectName,
      issuer: ca.subjectName,
      notBefore: issued.notBefore,
      notAfter: issued.notAfter,
      signingAlgorithm: ECDSA_SHA256,
      publicKey: csr.publicKey,
      signingKey: await signingKey(caKey),
      extensions,
    },
    deterministicCrypto,
  );
  return { ...outputs(cert, issued.readyForRenewal), caKeyAlgorithm: "ECDSA" };
}
