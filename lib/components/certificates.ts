import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

/** PEM strings; `key` is a secret. */
export interface IssuedCert {
  cert: pulumi.Output<string>;
  key: pulumi.Output<string>;
}

export interface CertificateAuthority {
  caCert: pulumi.Output<string>;
  issue(name: string, commonName: string, ips: string[], dnsNames?: string[]): IssuedCert;
}

/**
 * A CA per cluster, and leaf certificates usable as server and client certs (etcd peers
 * are both). Ed25519: small, fast, and its signatures are deterministic, so the lab's
 * synthesized certificates are byte-identical run to run.
 */
export function certificateAuthority(name: string, parent: pulumi.Resource, validityHours: number): CertificateAuthority {
  const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: "ED25519" }, { parent });
  const ca = new tls.SelfSignedCert(
    `${name}-ca`,
    {
      privateKeyPem: caKey.privateKeyPem,
      isCaCertificate: true,
      validityPeriodHours: validityHours,
      subject: { commonName: `${name} CA`, organization: "pgha" },
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
    },
    { parent },
  );
  return {
    caCert: ca.certPem,
    issue(leafName, commonName, ips, dnsNames = []) {
      const key = new tls.PrivateKey(`${leafName}-key`, { algorithm: "ED25519" }, { parent });
      const csr = new tls.CertRequest(
        `${leafName}-csr`,
        { privateKeyPem: key.privateKeyPem, subject: { commonName, organization: "pgha" }, ipAddresses: ips, dnsNames: [commonName, ...dnsNames] },
        { parent },
      );
      const cert = new tls.LocallySignedCert(
        `${leafName}-cert`,
        {
          certRequestPem: csr.certRequestPem,
          caPrivateKeyPem: caKey.privateKeyPem,
          caCertPem: ca.certPem,
          validityPeriodHours: validityHours,
          allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
        },
        { parent },
      );
      return { cert: cert.certPem, key: pulumi.secret(key.privateKeyPem) };
    },
  };
}
