/**
 * Certificates synthesized by `pgha synth`'s mocks (ECDSA P-256 CA + leaf, the way
 * lib/components/certificates.ts requests them) accepted by the real programs the lab runs:
 *  - openssl verifies the chain and shows the SANs and CA constraints;
 *  - etcd 3.4 (Go's crypto/tls) serves mutual TLS with them, and etcdctl (Go) verifies them;
 *  - PostgreSQL 15 (OpenSSL) serves TLS with them: openssl s_client verifies the server
 *    certificate, psql connects with sslmode=verify-full and a client certificate.
 * The validity window starts yesterday so the certificates are valid whenever the test runs.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Daemon, freePort, startDaemon, waitFor } from "../support/fixtures";
import { synthCertPems } from "../support/synthCertChain";
import { initPostgresData, installForPostgres, startTlsPostgres } from "../support/tlsPostgres";

const run = promisify(execFile);
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
    expect(execFileSync("openssl", ["verify", "-CAfile", files.ca, "-purpose", "sslserver", files.cert], { encoding: "utf8" })).toBe(`${files.cert}: OK\n`);
    expect(execFileSync("openssl", ["verify", "-CAfile", files.ca, "-purpose", "sslclient", files.cert], { encoding: "utf8" })).toBe(`${files.cert}: OK\n`);
  });

  it("shows the SANs, usages and ecdsa-with-SHA256 signatures over P-256 keys; the CA is a CA", () => {
    const leaf = execFileSync("openssl", ["x509", "-in", files.cert, "-noout", "-text"], { encoding: "utf8" });
    expect(leaf).toMatch(/X509v3 Subject Alternative Name: \n\s+DNS:main-patroni-0, DNS:localhost, IP Address:127\.0\.0\.1/);
    expect(leaf).toMatch(/X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(leaf).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(leaf).not.toMatch(/Signature Algorithm: (?!ecdsa-with-SHA256)/);
    expect(leaf).toMatch(/Public Key Algorithm: id-ecPublicKey\n\s+Public-Key: \(256 bit\)[\s\S]+NIST CURVE: P-256/);
    expect(leaf).toMatch(/CA:FALSE/);
    const ca = execFileSync("openssl", ["x509", "-in", files.ca, "-noout", "-text"], { encoding: "utf8" });
    expect(ca).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE/);
    expect(ca).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature, Certificate Sign, CRL Sign/);
    expect(ca).toMatch(/X509v3 Subject Key Identifier/);
    // The private key matches the certificate.
    const pub = (args: string[]) => execFileSync("openssl", args, { encoding: "utf8" });
    expect(pub(["pkey", "-in", files.key, "-pubout"])).toBe(pub(["x509", "-in", files.cert, "-noout", "-pubkey"]));
  });
});

describe("etcd 3.4 (Go crypto/tls)", () => {
  it("serves mutual TLS with the certificate; etcdctl verifies it and is refused without a client certificate", async () => {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const client = `https://127.0.0.1:${clientPort}`;
    const peer = `https://127.0.0.1:${peerPort}`;
    const tlsFlags = (prefix: string) => [`--${prefix}cert-file=${files.cert}`, `--${prefix}key-file=${files.key}`, `--${prefix}trusted-ca-file=${files.ca}`, `--${prefix}client-cert-auth`];
    const etcd = startDaemon("etcd", [
      "--name=synth0",
      `--data-dir=${path.join(tmp, "etcd")}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=synth0=${peer}`,
      ...tlsFlags(""),
      ...tlsFlags("peer-"),
    ]);
    daemons.push(etcd);
    const etcdctl = (args: string[], clientCert = true) =>
      run("etcdctl", [`--endpoints=${client}`, "--dial-timeout=2s", "--command-timeout=3s", `--cacert=${files.ca}`, ...(clientCert ? [`--cert=${files.cert}`, `--key=${files.key}`] : []), ...args], {
        env: { ...process.env, ETCDCTL_API: "3" },
      });
    const health = await waitFor(
      "etcd endpoint health over TLS",
      async () => {
        if (etcd.exited()) throw new Error(`etcd exited:\n${etcd.output().slice(-3000)}`);
        const r = await etcdctl(["endpoint", "health"]);
        return r.stdout + r.stderr; // etcdctl 3.4 reports health on stderr
      },
      20_000,
    );
    expect(health).toMatch(new RegExp(`${client.replaceAll(".", "\\.")} is healthy`));
    await etcdctl(["put", "/pgha/probe", "ok"]);
    expect((await etcdctl(["get", "/pgha/probe", "--print-value-only"])).stdout.trim()).toBe("ok");
    await expect(etcdctl(["endpoint", "health"], false)).rejects.toThrow(/unhealthy|certificate|handshake/i);
    await etcd.stop();
  });
});

describe("PostgreSQL 15 (OpenSSL)", () => {
  it("serves TLS with the certificate: s_client verifies it, psql connects with verify-full and a client certificate", async () => {
    chmodSync(tmp, 0o711); // postgres must reach its directory below
    const root = path.join(tmp, "pg");
    const data = initPostgresData(root, ["--auth=trust"]);
    for (const [src, dst] of [[files.cert, "server.crt"], [files.key, "server.key"], [files.ca, "ca.crt"]]) installForPostgres(data, dst, readFileSync(src));
    writeFileSync(path.join(data, "pg_hba.conf"), "local all all trust\nhostssl all all 127.0.0.1/32 trust clientcert=verify-ca\n");
    const { daemon: postgres, port } = await startTlsPostgres(root, ["ssl_ca_file=ca.crt"]);
    daemons.push(postgres);

    // s_client reads stdin until EOF: give it none, so it shakes hands and leaves.
    const sClient = spawnSync("openssl", ["s_client", "-starttls", "postgres", "-connect", `127.0.0.1:${port}`, "-CAfile", files.ca, "-verify_return_error", "-verify_ip", "127.0.0.1", "-brief"], {
      input: "",
      encoding: "utf8",
      timeout: 10_000,
    });
    const handshake = `${sClient.stdout}\n${sClient.stderr}`;
    expect(handshake).toMatch(/Verification: OK/);
    expect(handshake).toMatch(/Peer certificate: O = pgha, CN = main-patroni-0/);
    expect(handshake).toMatch(/Signature type: ECDSA\n/);

    const conninfo = `host=127.0.0.1 port=${port} user=postgres dbname=postgres sslmode=verify-full sslrootcert=${files.ca} sslcert=${files.cert} sslkey=${files.key}`;
    expect(userInfo().uid).toBe(0); // the key is root's and 0600: what libpq insists on
    const { stdout } = await run("psql", [conninfo, "-At", "-c", "SELECT ssl, version, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"]);
    expect(stdout.trim()).toMatch(/^t\|TLSv1\.3\|\/O=pgha\/CN=main-patroni-0$/);
    await postgres.stop();
  });
});
