/**
 * ECDSA P-256 keys derived from a 32-byte seed, in every encoding the `tls` provider's
 * PrivateKey returns for `algorithm: "ECDSA", ecdsaCurve: "P256"` (what pgha asks for: see
 * lib/components/certificates.ts for why not Ed25519). The private scalar is the seed reduced
 * into [1, n-1], so the same seed always gives the same key.
 */
import { createECDH, createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { DerivedStream } from "./derive";

/** The order of the P-256 group (FIPS 186-4, D.1.2.3). */
const P256_ORDER = BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

export interface EcdsaP256KeyOutputs {
  algorithm: "ECDSA";
  ecdsaCurve: "P256";
  /** SEC1 "EC PRIVATE KEY", as Go's x509.MarshalECPrivateKey writes it. */
  privateKeyPem: string;
  privateKeyPemPkcs8: string;
  privateKeyOpenssh: string;
  publicKeyPem: string;
  publicKeyOpenssh: string;
  publicKeyFingerprintMd5: string;
  publicKeyFingerprintSha256: string;
}

/** The private scalar for a seed: uniform enough (bias ~2^-224) and never 0. */
export function p256ScalarFromSeed(seed32: Buffer): bigint {
  if (seed32.length !== 32) throw new Error("a P-256 key seed is 32 bytes");
  return (BigInt(`0x${seed32.toString("hex")}`) % (P256_ORDER - 1n)) + 1n;
}

/** A Node private key for scalar `d`, with its public point computed by OpenSSL. */
export function p256PrivateKey(d: bigint): KeyObject {
  if (d < 1n || d >= P256_ORDER) throw new RangeError("a P-256 private scalar is in [1, n-1]");
  const dBytes = Buffer.from(d.toString(16).padStart(64, "0"), "hex");
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(dBytes);
  const point = ecdh.getPublicKey(); // 0x04 || X || Y
  const b64url = (b: Buffer) => b.toString("base64url");
  return createPrivateKey({
    key: { kty: "EC", crv: "P-256", d: b64url(dBytes), x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33)) },
    format: "jwk",
  });
}

/** Parse a PEM private key given to a tls resource; only ECDSA P-256 is synthesizable. */
export function parseP256PrivateKey(pemText: string, what: string): KeyObject {
  const key = createPrivateKey(pemText);
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== "ec" || curve !== "prime256v1") {
    throw new Error(`${what}: pgha synth only handles ECDSA P-256 keys, got ${key.asymmetricKeyType}${curve ? ` (${curve})` : ""}`);
  }
  return key;
}

/** The private scalar of a P-256 key, as 32 big-endian bytes. */
export function p256ScalarBytes(key: KeyObject): Buffer {
  const d = key.export({ format: "jwk" }).d;
  if (!d) throw new Error("not a private key");
  return Buffer.from(d, "base64url");
}

/** The uncompressed public point (0x04 || X || Y): the tail of the SubjectPublicKeyInfo. */
export function p256PublicPoint(key: KeyObject): Buffer {
  const spki = createPublicKey(key).export({ format: "der", type: "spki" });
  return spki.subarray(spki.length - 65);
}

export function ecdsaP256KeyOutputs(seed32: Buffer): EcdsaP256KeyOutputs {
  const key = p256PrivateKey(p256ScalarFromSeed(seed32));
  // ssh-keygen picks the openssh-key-v1 check integer at random; derive it for stable output.
  const stream = new DerivedStream(Buffer.concat([seed32, Buffer.from("openssh-check")]));
  const check = Buffer.from([0, 1, 2, 3].map(() => stream.nextByte()));
  const blob = sshPublicBlob(p256PublicPoint(key));
  return {
    algorithm: "ECDSA",
    ecdsaCurve: "P256",
    privateKeyPem: pem("EC PRIVATE KEY", key.export({ format: "der", type: "sec1" })),
    privateKeyPemPkcs8: pem("PRIVATE KEY", key.export({ format: "der", type: "pkcs8" })),
    privateKeyOpenssh: opensshPrivateKey(key, check),
    publicKeyPem: pem("PUBLIC KEY", createPublicKey(key).export({ format: "der", type: "spki" })),
    publicKeyOpenssh: `ecdsa-sha2-nistp256 ${blob.toString("base64")}\n`,
    publicKeyFingerprintMd5: (createHash("md5").update(blob).digest("hex").match(/../g) ?? []).join(":"),
    publicKeyFingerprintSha256: `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`,
  };
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data) : data;
  return Buffer.concat([uint32(body.length), body]);
}

/** RFC 4251 mpint of a positive number: minimal big-endian, a 0x00 first if the top bit is set. */
function sshMpint(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  const body = bytes.subarray(start);
  return sshString(body.length && body[0] & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body);
}

/** RFC 5656 public key blob. */
function sshPublicBlob(point: Buffer): Buffer {
  return Buffer.concat([sshString("ecdsa-sha2-nistp256"), sshString("nistp256"), sshString(point)]);
}

/** The unencrypted "openssh-key-v1" format (PROTOCOL.key), as Go's ssh.MarshalPrivateKey writes it. */
function opensshPrivateKey(key: KeyObject, check: Buffer): string {
  const point = p256PublicPoint(key);
  let priv = Buffer.concat([
    check,
    check,
    sshString("ecdsa-sha2-nistp256"),
    sshString("nistp256"),
    sshString(point),
    sshMpint(p256ScalarBytes(key)),
    sshString(""), // comment
  ]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(sshPublicBlob(point)),
    sshString(priv),
  ]);
  return pem("OPENSSH PRIVATE KEY", body);
}

/** PEM with 64-column lines and a trailing newline, like Go's pem.Encode. */
export function pem(label: string, der: Buffer | ArrayBuffer): string {
  const b64 = Buffer.from(der as ArrayBuffer).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
