/**
 * Certificates synthesized by `pgha synth`'s mocks (ECDSA P-256 CA + leaf, the way
 * lib/components/certificates.ts requests them) accepted by the real programs the nodes run
 * (the tools image's, Debian 13: test/support/image.ts):
 *  - openssl 3.5 verifies the chain and shows the SANs and CA constraints;
 *  - etcd 3.5 (Go's crypto/tls) serves mutual TLS with them, and etcdctl (Go) verifies them;
 *  - PostgreSQL 17 (OpenSSL) serves TLS with them: openssl s_client verifies the server
 *    certificate, psql connects with sslmode=verify-full and a client certificate.
 * The validity window starts yesterday so the certificates are valid whenever the test runs.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Daemon, freePort, waitFor } from "../support/fixtures";
import { mustImageSync, runImage, runImageSync, startImageDaemon } from "../support/image";
import { synthCertPems } from "../support/synthCertChain";
import { initPostgresData, installForPostgres, pgBin, startTlsPostgres } from "../support/tlsPostgres";

/** The image's openssl, with the temp dir bound in. */
const openssl = (args: string[]) => mustImageSync(["openssl", ...args], { binds: [tmp] });
const tmp = mkdtempSync(path.join(tmpdir(), "pgha-synth-certs-"));
const daemons: Daemon[] = [];
const files = { ca: path.join(tmp, "ca.pem"), cert: path.join(tmp, "leaf.pem"), key: path.join(tmp, "leaf.key") };

beforeAll(async () => {
  const pems = await synthCertPems("pgha/tools", { ipAddresses: ["127.0.0.1"], dnsNames: ["main-patroni-0", "localhost"] });
  writeFileSync(files.ca, pems.ca);
  writeFileSync(files.cert, pems.cert);
  writeFileSync(files.key, pems.key, { mode: 0o600 });
});

afterAll(async () => {
  for (const d of daemons) await d.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("openssl", () => {
  it("verifies the leaf against the CA, for TLS server and client use", () => {
    expect(openssl(["verify", "-CAfile", files.ca, "-purpose", "sslserver", files.cert])).toBe(`${files.cert}: OK\n`);
    expect(openssl(["verify", "-CAfile", files.ca, "-purpose", "sslclient", files.cert])).toBe(`${files.cert}: OK\n`);
    // ...and can fail: the leaf is not its own CA.
    const selfTrust = runImageSync(["openssl", "verify", "-CAfile", files.cert, files.cert], { binds: [tmp] });
    expect(selfTrust.code).not.toBe(0);
    expect(selfTrust.stdout + selfTrust.stderr).toMatch(/unable to get local issuer certificate|self[- ]signed/);
  });

  it("shows the SANs, usages and ecdsa-with-SHA256 signatures over P-256 keys; the CA is a CA", () => {
    const leaf = openssl(["x509", "-in", files.cert, "-noout", "-text"]);
    expect(leaf).toMatch(/X509v3 Subject Alternative Name: \n\s+DNS:main-patroni-0, DNS:localhost, IP Address:127\.0\.0\.1/);
    expect(leaf).toMatch(/X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(leaf).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(leaf).not.toMatch(/Signature Algorithm: (?!ecdsa-with-SHA256)/);
    expect(leaf).toMatch(/Public Key Algorithm: id-ecPublicKey\n\s+Public-Key: \(256 bit\)[\s\S]+NIST CURVE: P-256/);
    expect(leaf).toMatch(/CA:FALSE/);
    const ca = openssl(["x509", "-in", files.ca, "-noout", "-text"]);
    expect(ca).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE/);
    expect(ca).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature, Certificate Sign, CRL Sign/);
    expect(ca).toMatch(/X509v3 Subject Key Identifier/);
    // The private key matches the certificate.
    expect(openssl(["pkey", "-in", files.key, "-pubout"])).toBe(openssl(["x509", "-in", files.cert, "-noout", "-pubkey"]));
  });
});

describe("etcd 3.5 (Go crypto/tls)", () => {
  it("serves mutual TLS with the certificate; etcdctl verifies it and is refused without a client certificate", async () => {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const client = `https://127.0.0.1:${clientPort}`;
    const peer = `https://127.0.0.1:${peerPort}`;
    const tlsFlags = (prefix: string) => [
      `--${prefix}cert-file=${files.cert}`,
      `--${prefix}key-file=${files.key}`,
      `--${prefix}trusted-ca-file=${files.ca}`,
      `--${prefix}client-cert-auth`,
    ];
    const etcd = startImageDaemon(
      [
        "etcd",
        "--name=synth0",
        `--data-dir=${path.join(tmp, "etcd")}`,
        `--listen-client-urls=${client}`,
        `--advertise-client-urls=${client}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=synth0=${peer}`,
        ...tlsFlags(""),
        ...tlsFlags("peer-"),
      ],
      { binds: [tmp] },
    );
    daemons.push(etcd);
    const etcdctl = (args: string[], clientCert = true) =>
      runImage(
        [
          "etcdctl",
          `--endpoints=${client}`,
          "--dial-timeout=2s",
          "--command-timeout=3s",
          `--cacert=${files.ca}`,
          ...(clientCert ? [`--cert=${files.cert}`, `--key=${files.key}`] : []),
          ...args,
        ],
        {
          binds: [tmp],
          env: { ETCDCTL_API: "3" },
        },
      );
    const health = await waitFor(
      "etcd endpoint health over TLS",
      async () => {
        if (etcd.exited()) throw new Error(`etcd exited:\n${etcd.output().slice(-3000)}`);
        const r = await etcdctl(["endpoint", "health"]);
        return r.code === 0 ? r.stdout + r.stderr : undefined;
      },
      20_000,
    );
    expect(health).toMatch(new RegExp(`${client.replaceAll(".", "\\.")} is healthy`));
    expect(await etcdctl(["put", "/pgha/probe", "ok"])).toMatchObject({ code: 0 });
    expect((await etcdctl(["get", "/pgha/probe", "--print-value-only"])).stdout.trim()).toBe("ok");
    const refused = await etcdctl(["endpoint", "health"], false);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/unhealthy|certificate|handshake/i);
    await etcd.stop();
  });
});

describe("PostgreSQL 17 (OpenSSL)", () => {
  it("serves TLS with the certificate: s_client verifies it, psql connects with verify-full and a client certificate", async () => {
    chmodSync(tmp, 0o711); // postgres must reach its directory below
    const root = path.join(tmp, "pg");
    const data = initPostgresData(root, ["--auth=trust"]);
    for (const [src, dst] of [
      [files.cert, "server.crt"],
      [files.key, "server.key"],
      [files.ca, "ca.crt"],
    ])
      installForPostgres(data, dst, readFileSync(src));
    writeFileSync(path.join(data, "pg_hba.conf"), "local all all trust\nhostssl all all 127.0.0.1/32 trust clientcert=verify-ca\n");
    const { daemon: postgres, port } = await startTlsPostgres(root, ["ssl_ca_file=ca.crt"]);
    daemons.push(postgres);

    // s_client reads stdin until EOF: give it none, so it shakes hands and leaves.
    const sClient = runImageSync(
      [
        "openssl",
        "s_client",
        "-starttls",
        "postgres",
        "-connect",
        `127.0.0.1:${port}`,
        "-CAfile",
        files.ca,
        "-verify_return_error",
        "-verify_ip",
        "127.0.0.1",
        "-brief",
      ],
      {
        binds: [tmp],
        input: "",
        timeoutMs: 10_000,
      },
    );
    const handshake = `${sClient.stdout}\n${sClient.stderr}`;
    expect(handshake).toMatch(/Verification: OK/);
    // OpenSSL 3.5 prints the DN without spaces around '=' and names the TLS 1.3 signature scheme.
    expect(handshake).toMatch(/Peer certificate: O=pgha, CN=main-patroni-0\n/);
    expect(handshake).toMatch(/Signature type: ecdsa_secp256r1_sha256\n/);

    const conninfo =
      `host=127.0.0.1 port=${port} user=postgres dbname=postgres sslmode=verify-full ` +
      `sslrootcert=${files.ca} sslcert=${files.cert} sslkey=${files.key}`;
    // psql runs as the image's root: the key is root's and 0600, what libpq insists on.
    const r = await runImage(
      [`${pgBin()}/psql`, conninfo, "-At", "-c", "SELECT ssl, version, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"],
      { binds: [tmp] },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toMatch(/^t\|TLSv1\.3\|\/O=pgha\/CN=main-patroni-0$/);
    await postgres.stop();
  });
});
