/**
 * The rendered pgbouncer.ini, userlist and auth_query SQL against the PgBouncer and PostgreSQL
 * the nodes run (the tools image's: Debian 13's PgBouncer 1.24 and a throwaway PostgreSQL 17;
 * test/support/image.ts): an application role logs in through PgBouncer with only its
 * PostgreSQL password (auth_query), over TLS, and the admin console answers SHOW POOLS.
 * TLS is required on both hops: clients without it are refused, and PgBouncer reaches PostgreSQL
 * (serving the rendered pg_hba.conf) with verify-full against the cluster CA.
 * Only file locations are rewritten into a temp dir (bound into the image); every setting is as rendered.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTopology } from "../../packages/pgha/lib/config";
import { type PatroniNodeModel, PATHS, tlsFiles } from "../../packages/pgha/lib/render/model";
import { renderPgHba } from "../../packages/pgha/lib/render/patroni";
import {
  PGBOUNCER_RUN_DIR,
  pgbouncerAuthQuerySql,
  renderPgbouncerIni,
  renderPgbouncerUserlist,
} from "../../packages/pgha/lib/render/pgbouncer";
import { type Daemon, freePort } from "../support/fixtures";
import { imageIds, imagePgBin, imagePostgresMajor, runImageSync, startImageDaemon } from "../support/image";
import { synthCertPems } from "../support/synthCertChain";

const PG_BIN = imagePgBin();
const PGBOUNCER_PASSWORD = "pgb-Secret-1";
const APP_PASSWORD = "app-Secret-2";

const tmp = mkdtempSync(path.join(os.tmpdir(), "pgha-pgbouncer-"));
const pgdata = path.join(tmp, "pgdata");
const pgSock = path.join(tmp, "pgsock");
const runDir = path.join(tmp, "run");
const caFile = path.join(tmp, "ca.crt");
const { uid: pgUid, gid: pgGid } = imageIds("postgres");

/** A program of the image, as root, or as postgres after AS_POSTGRES; the temp dir is bound in. */
const AS_POSTGRES = "as-postgres";
function run(cmd: string[], env: Record<string, string> = {}, input?: string) {
  const user = cmd[0] === AS_POSTGRES ? "postgres" : undefined;
  const argv = user ? cmd.slice(1) : cmd;
  const r = runImageSync(argv, { user, binds: [tmp], env, input, timeoutMs: 20_000 });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

function must(cmd: string[], env: Record<string, string> = {}, input?: string): string {
  const r = run(cmd, env, input);
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Superuser SQL over PostgreSQL's socket, peer-authenticated as the postgres OS user. */
function adminSql(db: string, sql: string): string {
  return must(
    [AS_POSTGRES, `${PG_BIN}/psql`, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pgSock, "-p", String(pgPort), "-d", db, "-At"],
    {},
    sql,
  );
}

/** psql through PgBouncer over TCP with a password, as a client would: verify-full against the cluster CA by default. */
function viaPgbouncer(user: string, password: string, db: string, sql: string, sslmode = "verify-full", psqlFormat = "-At") {
  return run(
    [
      `${PG_BIN}/psql`,
      "-X",
      "-w",
      psqlFormat,
      "-c",
      sql,
      `host=127.0.0.1 port=${bouncerPort} dbname=${db} user=${user} sslmode=${sslmode} sslrootcert=${caFile}`,
    ],
    {
      PGPASSWORD: password,
    },
  );
}

async function waitUntil(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function model(pgPortValue: number, bouncerPortValue: number): PatroniNodeModel {
  const t = parseTopology({
    name: "t",
    platform: { kind: "local" },
    regions: [{ name: "r", zones: ["a"] }],
    subnets: [{ name: "s", region: "r", cidr: "10.1.0.0/24" }],
    clusters: [
      {
        name: "main",
        region: "r",
        nodes: 1,
        postgres: { major: imagePostgresMajor(), port: pgPortValue },
        pgbouncer: { port: bouncerPortValue, poolMode: "transaction" },
      },
    ],
  });
  const node = { name: "main-pg-0", ip: "127.0.0.1" };
  return {
    cluster: t.clusters[0],
    node,
    members: [node],
    clusterCidrs: ["127.0.0.0/8"],
    clientCidrs: [],
    standbyCidrs: [],
    etcd: { hosts: [], tls: false },
    tls: t.tls,
    passwords: {
      superuser: "unused",
      replication: "unused",
      rewind: "unused",
      restApi: "unused",
      pgbouncer: PGBOUNCER_PASSWORD,
      roles: { app: APP_PASSWORD },
    },
    parameters: {},
    os: "debian-13",
    permanentSlots: {},
  };
}

let pgPort = 0;
let bouncerPort = 0;
let postgres: Daemon | undefined;
let pgbouncer: Daemon | undefined;
const bouncerLog = () => pgbouncer?.output() ?? "";

beforeAll(async () => {
  pgPort = await freePort();
  bouncerPort = await freePort();
  for (const d of [pgSock, runDir]) mkdirSync(d);
  chownSync(tmp, pgUid, pgGid);
  for (const d of [pgSock, runDir]) chownSync(d, pgUid, pgGid);

  // The node's certificate (it names 127.0.0.1, as pgha's do) and the cluster CA, as cloud-init
  // delivers them: key 0600 owned by postgres. PostgreSQL and PgBouncer both serve it.
  const pems = await synthCertPems("pgha/pgbouncer-test", { ipAddresses: ["127.0.0.1"], dnsNames: ["main-pg-0"] });
  const cert = path.join(tmp, "postgres.crt");
  const key = path.join(tmp, "postgres.key");
  writeFileSync(cert, pems.cert);
  writeFileSync(caFile, pems.ca);
  writeFileSync(key, pems.key, { mode: 0o600 });
  chownSync(key, pgUid, pgGid);
  chmodSync(key, 0o600);
  const m = model(pgPort, bouncerPort);
  const hbaFile = path.join(tmp, "pg_hba.conf");
  writeFileSync(hbaFile, `${renderPgHba(m).join("\n")}\n`);

  must([
    AS_POSTGRES,
    `${PG_BIN}/initdb`,
    "-D",
    pgdata,
    "-U",
    "postgres",
    "--auth-local=peer",
    "--auth-host=scram-sha-256",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  postgres = startImageDaemon(
    [
      `${PG_BIN}/postgres`,
      "-D",
      pgdata,
      "-c",
      `port=${pgPort}`,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `unix_socket_directories=${pgSock}`,
      "-c",
      "fsync=off",
      // The rendered pg_hba (hostssl only for logins over TCP) and TLS with the node's certificate.
      "-c",
      `hba_file=${hbaFile}`,
      "-c",
      "ssl=on",
      "-c",
      `ssl_cert_file=${cert}`,
      "-c",
      `ssl_key_file=${key}`,
    ],
    { user: "postgres", binds: [tmp] },
  );
  await waitUntil("PostgreSQL", () => run([`${PG_BIN}/pg_isready`, "-h", pgSock, "-p", String(pgPort)]).status === 0).catch((e) => {
    throw new Error(`${e}\n${postgres?.output()}`);
  });

  // What bootstrap does: the auth role, then the auth function in template1 (so databases created
  // later have it) and in the databases that already exist.
  adminSql("postgres", `CREATE ROLE pgbouncer LOGIN PASSWORD '${PGBOUNCER_PASSWORD}'; CREATE ROLE app LOGIN PASSWORD '${APP_PASSWORD}';`);
  adminSql("postgres", "ALTER ROLE postgres PASSWORD 'superuser-Secret-3';");
  adminSql("template1", pgbouncerAuthQuerySql());
  adminSql("postgres", pgbouncerAuthQuerySql());
  adminSql("postgres", "CREATE DATABASE app OWNER app;");

  const rewrites: [string, string][] = [
    [PATHS.pgbouncerUserlist, path.join(tmp, "userlist.txt")],
    [PGBOUNCER_RUN_DIR, runDir],
    [tlsFiles("postgres").certFile, cert],
    [tlsFiles("postgres").keyFile, key],
    [tlsFiles("postgres").caFile, caFile],
  ];
  let ini = renderPgbouncerIni(m);
  for (const [from, to] of rewrites) {
    expect(ini).toContain(from);
    ini = ini.split(from).join(to);
  }
  const iniFile = path.join(tmp, "pgbouncer.ini");
  writeFileSync(iniFile, ini);
  writeFileSync(path.join(tmp, "userlist.txt"), renderPgbouncerUserlist(m), { mode: 0o600 });
  chownSync(path.join(tmp, "userlist.txt"), pgUid, pgGid);

  pgbouncer = startImageDaemon(["pgbouncer", iniFile], { user: "postgres", binds: [tmp] });
  await waitUntil("PgBouncer", () => existsSync(path.join(runDir, `.s.PGSQL.${bouncerPort}`)) || pgbouncer?.exited() === true).catch(
    (e) => {
      throw new Error(`${e}\n${bouncerLog()}`);
    },
  );
  if (pgbouncer.exited()) throw new Error(`pgbouncer exited:\n${bouncerLog()}`);
});

afterAll(async () => {
  await pgbouncer?.stop();
  await postgres?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("PgBouncer with the rendered config", () => {
  it("starts without complaints about the config", () => {
    expect(bouncerLog()).not.toMatch(/WARNING|ERROR|FATAL/);
    expect(existsSync(path.join(runDir, "pgbouncer.pid"))).toBe(true);
  });

  it("lets an application role in with its PostgreSQL password over TLS (auth_query)", () => {
    const r = viaPgbouncer("app", APP_PASSWORD, "app", "SELECT current_user || ' ' || 1");
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("app 1");
  });

  it("refuses a client that does not use TLS (client_tls_sslmode require), before any password", () => {
    const r = viaPgbouncer("app", APP_PASSWORD, "app", "SELECT 1", "disable");
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/SSL required/);
  });

  it("reaches PostgreSQL over TLS: the server side of each pooled session is encrypted", () => {
    const r = viaPgbouncer("app", APP_PASSWORD, "app", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("t");
  });

  it("PostgreSQL itself refuses a TCP login without TLS (the rendered pg_hba.conf: hostssl only)", () => {
    const r = run(
      [`${PG_BIN}/psql`, "-X", "-w", "-At", "-c", "SELECT 1", `host=127.0.0.1 port=${pgPort} dbname=app user=app sslmode=disable`],
      {
        PGPASSWORD: APP_PASSWORD,
      },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/pg_hba\.conf rejects connection for host "127\.0\.0\.1", user "app", database "app", no encryption/);
  });

  it("refuses a wrong password", () => {
    const r = viaPgbouncer("app", "wrong", "app", "SELECT 1");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/SASL authentication failed/);
  });

  it("never lets a superuser in, even with its right password (get_auth excludes them)", () => {
    // The password is right for PostgreSQL itself...
    const direct = run([`${PG_BIN}/psql`, "-X", "-w", "-At", "-c", "SELECT 1", `host=127.0.0.1 port=${pgPort} dbname=app user=postgres`], {
      PGPASSWORD: "superuser-Secret-3",
    });
    expect(direct.stdout.trim()).toBe("1");
    // ...but get_auth() returns no row for a superuser, so PgBouncer knows no such user.
    const r = viaPgbouncer("postgres", "superuser-Secret-3", "app", "SELECT 1");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/no such user/);
  });

  it("keeps the auth function private to the auth role", () => {
    const r = run([
      AS_POSTGRES,
      `${PG_BIN}/psql`,
      "-X",
      "-At",
      "-h",
      pgSock,
      "-p",
      String(pgPort),
      "-d",
      "app",
      "-c",
      "SET ROLE app; SELECT * FROM pgbouncer.get_auth('app')",
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/permission denied/);
    const owner = adminSql("app", "SELECT pg_get_userbyid(proowner) || ' ' || prosecdef FROM pg_proc WHERE proname = 'get_auth'");
    expect(owner.trim()).toBe("postgres true");
  });

  it("answers SHOW POOLS on the admin console for the auth user", () => {
    // With the header: columns are looked up by name (1.24 added columns after pool_mode).
    const r = viaPgbouncer("pgbouncer", PGBOUNCER_PASSWORD, "pgbouncer", "SHOW POOLS", "verify-full", "--csv");
    expect(r.stderr).toBe("");
    const [header, ...pools] = r.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(","));
    const col = (name: string) => {
      expect(header, r.stdout).toContain(name);
      return header.indexOf(name);
    };
    // The pool the application used, in transaction mode.
    const app = pools.find((p) => p[col("database")] === "app" && p[col("user")] === "app");
    expect(app, r.stdout).toBeDefined();
    expect(app?.[col("pool_mode")]).toBe("transaction");
  });

  it("serves its unix socket from its own directory", () => {
    const r = run(
      [`${PG_BIN}/psql`, "-X", "-w", "-At", "-c", "SHOW VERSION", `host=${runDir} port=${bouncerPort} dbname=pgbouncer user=pgbouncer`],
      {
        PGPASSWORD: PGBOUNCER_PASSWORD,
      },
    );
    expect(r.stdout).toMatch(/PgBouncer/);
  });
});
