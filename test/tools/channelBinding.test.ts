/**
 * Why pgha's certificates are ECDSA P-256 (lib/components/certificates.ts): with them, the
 * libpq nodes run (the tools image's: Debian 13's PostgreSQL 17, OpenSSL 3.5) can do SCRAM
 * channel binding (tls-server-end-point). The image's PostgreSQL serves a certificate issued by
 * `pgha synth`'s code path; a scram-sha-256 user logs in with `channel_binding=require` over
 * `sslmode=verify-full`.
 *
 * Negative control, so this test can fail: the same server switched to an Ed25519 certificate
 * (made by openssl) refuses the same login with libpq's "could not find digest for NID UNDEF",
 * and accepts it with channel binding off: the failure is the channel binding, nothing else.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Daemon, waitFor } from "../support/fixtures";
import { synthCertPems } from "../support/synthCertChain";
import { mustImageSync, runImage } from "../support/image";
import { initPostgresData, installForPostgres, pgBin, startTlsPostgres } from "../support/tlsPostgres";

const tmp = mkdtempSync(path.join(tmpdir(), "pgha-channel-binding-"));
const root = path.join(tmp, "pg");
const data = path.join(root, "data"); // where initPostgresData puts it
const caFile = path.join(tmp, "ca.crt");
const edCaFile = path.join(tmp, "ed25519-ca.crt");
const user = "pgha_cb_probe";
/** A throwaway password for the probe role: passed to psql via PGPASSWORD, never printed. */
const password = randomBytes(18).toString("base64url");
let postgres: Daemon | undefined;
let port = 0;

/** An Ed25519 CA and server certificate for 127.0.0.1, made by openssl (the control). */
function ed25519ServerCertificate(dir: string): void {
  const ssl = (args: string[]) => mustImageSync(["openssl", ...args], { cwd: dir, binds: [dir] });
  ssl([
    "req",
    "-x509",
    "-newkey",
    "ed25519",
    "-nodes",
    "-keyout",
    "ed-ca.key",
    "-out",
    edCaFile,
    "-days",
    "2",
    "-subj",
    "/CN=ed25519 CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign",
  ]);
  ssl([
    "req",
    "-new",
    "-newkey",
    "ed25519",
    "-nodes",
    "-keyout",
    path.join(data, "ed-server.key"),
    "-out",
    "ed.csr",
    "-subj",
    "/CN=127.0.0.1",
  ]);
  writeFileSync(path.join(dir, "ed.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  ssl([
    "x509",
    "-req",
    "-in",
    "ed.csr",
    "-CA",
    edCaFile,
    "-CAkey",
    "ed-ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    "ed.ext",
    "-out",
    path.join(data, "ed-server.crt"),
  ]);
}

/** SQL as the postgres superuser over the Unix socket (trust), fed on stdin so no secret is on a command line. */
function superuserSql(sql: string): string {
  return mustImageSync(
    [`${pgBin()}/psql`, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", root, "-p", String(port), "-U", "postgres", "-d", "postgres"],
    {
      user: "postgres",
      binds: [root],
      input: sql,
    },
  );
}

/** The probe user logs in over TLS with a password; returns psql's result or the error it printed. */
async function passwordLogin(rootCert: string, channelBinding: "require" | "disable"): Promise<{ ok: boolean; out: string }> {
  const conninfo =
    `host=127.0.0.1 port=${port} dbname=postgres user=${user} sslmode=verify-full ` +
    `sslrootcert=${rootCert} channel_binding=${channelBinding} connect_timeout=5`;
  const r = await runImage(
    [`${pgBin()}/psql`, "-X", "-At", conninfo, "-c", "SELECT current_user || '|' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"],
    {
      binds: [tmp],
      env: { PGPASSWORD: password, PGSSLCERT: "/nonexistent", PGSSLKEY: "/nonexistent" },
    },
  );
  return r.code === 0 ? { ok: true, out: r.stdout.trim() } : { ok: false, out: r.stderr };
}

beforeAll(async () => {
  // CA + server certificate for 127.0.0.1, requested the way lib/components/certificates.ts does.
  const pems = await synthCertPems("pgha/channel-binding", { ipAddresses: ["127.0.0.1"], dnsNames: ["main-patroni-0"] });
  writeFileSync(caFile, pems.ca);
  chmodSync(tmp, 0o711); // postgres must reach its directory below
  initPostgresData(root, ["--auth-local=trust", "--auth-host=reject"]);
  installForPostgres(data, "server.crt", pems.cert);
  installForPostgres(data, "server.key", pems.key);
  // TLS only, and only with a SCRAM password: a login that gets in went through SCRAM over TLS.
  writeFileSync(path.join(data, "pg_hba.conf"), `local all postgres trust\nhostssl postgres ${user} 127.0.0.1/32 scram-sha-256\n`);
  ed25519ServerCertificate(tmp);
  installForPostgres(data, "ed-server.crt");
  installForPostgres(data, "ed-server.key");

  ({ daemon: postgres, port } = await startTlsPostgres(root, ["password_encryption=scram-sha-256"]));
  // The server logs a failing statement's text: not this one's, it holds the password.
  superuserSql(`SET log_min_error_statement = panic;\nCREATE ROLE ${user} LOGIN PASSWORD '${password}';\n`);
});

afterAll(async () => {
  await postgres?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("SCRAM channel binding with the image's libpq and PostgreSQL", () => {
  it("works with the ECDSA P-256 certificate pgha issues: channel_binding=require, sslmode=verify-full", async () => {
    expect(superuserSql(`SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = '${user}';\n`).trim()).toBe("t");
    const login = await passwordLogin(caFile, "require");
    expect(login).toEqual({ ok: true, out: `${user}|true` });
  });

  it("fails with an Ed25519 server certificate (the bug this avoids), and only because of channel binding", async () => {
    superuserSql(
      "ALTER SYSTEM SET ssl_cert_file = 'ed-server.crt';\nALTER SYSTEM SET ssl_key_file = 'ed-server.key';\nSELECT pg_reload_conf();\n",
    );
    // New backends inherit the postmaster's settings: once one shows the new file, new TLS handshakes use it.
    await waitFor(
      "postgres to reload its certificate",
      () => (superuserSql("SHOW ssl_cert_file;\n").trim() === "ed-server.crt" ? true : undefined),
      10_000,
    );
    const refused = await passwordLogin(edCaFile, "require");
    expect(refused.ok).toBe(false);
    expect(refused.out).toMatch(/could not find digest for NID UNDEF/);
    expect(await passwordLogin(edCaFile, "disable")).toEqual({ ok: true, out: `${user}|true` });
  });
});
