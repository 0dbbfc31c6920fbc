/**
 * A CA and one leaf certificate issued through `pgha synth`'s tls stand-ins (lib/synth/mocks.ts),
 * with the resource sequence lib/components/certificates.ts uses: P-256 CA key, self-signed CA,
 * P-256 leaf key, certificate request, locally signed leaf.
 */
import { SynthMocks } from "../../packages/lab/lib/synth/mocks";

/** A resource's outputs as the mocks return them. */
export type SynthState = Record<string, any>;

export interface SynthCertChainOptions {
  ipAddresses: string[];
  dnsNames: string[];
  caValidityHours: number;
  leafValidityHours: number;
  /** The leaf's earlyRenewalHours (lib/components/certificates.ts sets it from tls.renewBeforeDays); default none. */
  leafEarlyRenewalHours?: number;
}

export interface SynthCertChain {
  caKey: SynthState;
  ca: SynthState;
  key: SynthState;
  csr: SynthState;
  leaf: SynthState;
  /** Creates one more resource through the same mocks (for tests of what they refuse). */
  res: (type: string, name: string, inputs: Record<string, unknown>) => Promise<SynthState>;
}

const P256 = { algorithm: "ECDSA", ecdsaCurve: "P256" };

/** Issues the chain; the leaf is main-patroni-0's, usable for TLS server and client auth. Errors stay in `mocks.errors`. */
export async function synthCertChain(mocks: SynthMocks, options: SynthCertChainOptions): Promise<SynthCertChain> {
  const res = async (type: string, name: string, inputs: Record<string, unknown>) =>
    (await mocks.newResource({ type, name, inputs, custom: true })).state;
  const caKey = await res("tls:index/privateKey:PrivateKey", "main-ca-key", P256);
  const ca = await res("tls:index/selfSignedCert:SelfSignedCert", "main-ca", {
    privateKeyPem: caKey.privateKeyPem,
    isCaCertificate: true,
    validityPeriodHours: options.caValidityHours,
    subject: { commonName: "main CA", organization: "pgha" },
    allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
  });
  const key = await res("tls:index/privateKey:PrivateKey", "main-patroni-0-key", P256);
  const csr = await res("tls:index/certRequest:CertRequest", "main-patroni-0-csr", {
    privateKeyPem: key.privateKeyPem,
    subject: { commonName: "main-patroni-0", organization: "pgha" },
    ipAddresses: options.ipAddresses,
    dnsNames: options.dnsNames,
  });
  const leaf = await res("tls:index/locallySignedCert:LocallySignedCert", "main-patroni-0-cert", {
    certRequestPem: csr.certRequestPem,
    caPrivateKeyPem: caKey.privateKeyPem,
    caCertPem: ca.certPem,
    validityPeriodHours: options.leafValidityHours,
    ...(options.leafEarlyRenewalHours === undefined ? {} : { earlyRenewalHours: options.leafEarlyRenewalHours }),
    allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
  });
  return { caKey, ca, key, csr, leaf, res };
}

/**
 * The chain's PEMs for a tool test: valid for a week from midnight UTC yesterday, so they are
 * valid whenever the test runs; throws if the mocks refused anything.
 */
export async function synthCertPems(
  seed: string,
  names: Pick<SynthCertChainOptions, "ipAddresses" | "dnsNames">,
): Promise<{ ca: string; cert: string; key: string }> {
  const day = 24 * 3600_000;
  const mocks = new SynthMocks({ seed, notBefore: new Date(Math.floor(Date.now() / day) * day - day) });
  const { ca, leaf, key } = await synthCertChain(mocks, { ...names, caValidityHours: 24 * 7, leafValidityHours: 24 * 7 });
  if (mocks.errors.length) throw new Error(mocks.errors.join("\n"));
  return { ca: ca.certPem, cert: leaf.certPem, key: key.privateKeyPem };
}
