/**
 * Ed25519 keys derived from a 32-byte seed, in every encoding the `tls` provider's PrivateKey
 * outputs. Ed25519 is what pgha uses; its private key IS the seed, so derivation is exact.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { DerivedStream } from "./derive";

/** PKCS#8 header for an Ed25519 private key: the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface Ed25519KeyOutputs {
  algorithm: "ED25519";
  privateKeyPem: string;
  privateKeyPemPkcs8: string;
  privateKeyOpenssh: string;
  publicKeyPem: string;
  publicKeyOpenssh: string;
  publicKeyFingerprintMd5: string;
  publicKeyFingerprintSha256: string;
}

export function ed25519FromSeed(seed32: Buffer): KeyObject {
  if (seed32.length !== 32) throw new Error("an Ed25519 seed is 32 bytes");
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed32]), format: "der", type: "pkcs8" });
}

/** The raw 32-byte public key (the tail of the SubjectPublicKeyInfo). */
export function rawPublicKey(key: KeyObject): Buffer {
  const spki = createPublicKey(key).export({ format: "der", type: "spki" });
  return spki.subarray(spki.length - 32);
}

/** Parse a PEM private key given to a tls resource; only Ed25519 is synthesizable. */
export function parseEd25519PrivateKey(pem: string, what: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`${what}: pgha synth only derives Ed25519 keys, got ${key.asymmetricKeyType}`);
  }
  return key;
}

export function ed25519KeyOutputs(seed32: Buffer): Ed25519KeyOutputs {
  const key = ed25519FromSeed(seed32);
  const pub = rawPublicKey(key);
  const pkcs8 = key.export({ format: "pem", type: "pkcs8" }).toString();
  const blob = sshPublicBlob(pub);
  return {
    algorithm: "ED25519",
    privateKeyPem: pkcs8,
    privateKeyPemPkcs8: pkcs8,
    privateKeyOpenssh: opensshPrivateKey(seed32, pub),
    publicKeyPem: createPublicKey(key).export({ format: "pem", type: "spki" }).toString(),
    publicKeyOpenssh: `ssh-ed25519 ${blob.toString("base64")}\n`,
    publicKeyFingerprintMd5: (createHash("md5").update(blob).digest("hex").match(/../g) ?? []).join(":"),
    publicKeyFingerprintSha256: `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`,
  };
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function sshPublicBlob(pub: Buffer): Buffer {
  return Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
}

/**
 * The unencrypted "openssh-key-v1" format (PROTOCOL.key). Its check integer is random in
 * ssh-keygen; here it is derived from the seed so the output is stable.
 */
function opensshPrivateKey(seed32: Buffer, pub: Buffer): string {
  const check = Buffer.alloc(4);
  const stream = new DerivedStream(seed32);
  for (let i = 0; i < 4; i++) check[i] = stream.nextByte();
  const uint32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  let priv = Buffer.concat([
    check,
    check,
    sshString("ssh-ed25519"),
    sshString(pub),
    sshString(Buffer.concat([seed32, pub])),
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
    sshString(sshPublicBlob(pub)),
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
