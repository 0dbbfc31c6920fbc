import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { caCertificateHours, leafCertificateHours, type TlsSpec } from "../config";

/** PEM strings; `key` is a secret. */
export interface IssuedCert {
  cert: pulumi.Output<string>;
  key: pulumi.Output<string>;
}

export interface CertificateAuthority {
  caCert: pulumi.Output<string>;
  /** A leaf for `commonName` (also its first DNS SAN), with these IP and further DNS SANs (Inputs: e.g. a load balancer's address). */
  issue(
    name: string,
    commonName: string,
    ips: pulumi.Input<pulumi.Input<string>[]>,
    dnsNames?: pulumi.Input<pulumi.Input<string>[]>,
  ): IssuedCert;
}

/** The provider's default ECDSA curve is P224: name P256 explicitly. */
const P256_KEY: tls.PrivateKeyArgs = { algorithm: "ECDSA", ecdsaCurve: "P256" };

/**
 * A CA per cluster, and leaf certificates usable as server and client certs (etcd peers
 * are both). Keys are ECDSA P-256, so certificates are signed ecdsa-with-SHA256.
 *
 * Not Ed25519: an Ed25519 certificate's signature algorithm names no digest, and SCRAM
 * channel binding (tls-server-end-point, RFC 5929) hashes the server certificate with the
 * digest of its signature algorithm. PostgreSQL 15's libpq then fails every TLS password
 * login that tries channel binding ("could not find digest for NID UNDEF"), replication
 * included. P-256 is what every TLS stack here (Go's etcd, OpenSSL's PostgreSQL, HAProxy,
 * PgBouncer) supports. `pgha synth` derives these keys and signs with RFC 6979 nonces, so
 * its certificates are still byte-identical run to run (lib/synth).
 *
 * Lifetimes come from the stack's `tls`: leaves get `earlyRenewalHours`, so the first `pulumi up`
 * within `renewBeforeDays` of their expiry finds them ready_for_renewal and replaces them (new
 * serial and validity; the private key and request are kept). The CA has no early renewal: a
 * leaf renewal keeps it, and only its own expiry (caValidityDays) would replace it.
 */
export function certificateAuthority(name: string, parent: pulumi.Resource, lifetimes: TlsSpec): CertificateAuthority {
  const caKey = new tls.PrivateKey(`${name}-ca-key`, P256_KEY, { parent });
  const ca = new tls.SelfSignedCert(
    `${name}-ca`,
    {
      privateKeyPem: caKey.privateKeyPem,
      isCaCertificate: true,
      validityPeriodHours: caCertificateHours(lifetimes),
      subject: { commonName: `${name} CA`, organization: "pgha" },
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
    },
    { parent },
  );
  return {
    caCert: ca.certPem,
    issue(leafName, commonName, ips, dnsNames = []) {
      const key = new tls.PrivateKey(`${leafName}-key`, P256_KEY, { parent });
      const csr = new tls.CertRequest(
        `${leafName}-csr`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: { commonName, organization: "pgha" },
          ipAddresses: ips,
          dnsNames: pulumi.output(dnsNames).apply((names) => [commonName, ...names.filter((n) => n !== commonName)]),
        },
        { parent },
      );
      const cert = new tls.LocallySignedCert(
        `${leafName}-cert`,
        {
          certRequestPem: csr.certRequestPem,
          caPrivateKeyPem: caKey.privateKeyPem,
          caCertPem: ca.certPem,
          ...leafCertificateHours(lifetimes),
          allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
        },
        { parent },
      );
      return { cert: cert.certPem, key: pulumi.secret(key.privateKeyPem) };
    },
  };
}
