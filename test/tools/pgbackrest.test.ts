/**
 * The rendered pgbackrest.conf and backup script with the pgBackRest and PostgreSQL the nodes
 * run (the tools image's: Debian 13's pgBackRest 2.55 and a throwaway PostgreSQL 17, the script
 * with the image's sh and curl; test/support/image.ts): archive_command is the one Patroni gets, stanza-create/check/backup succeed,
 * and the leader-only script backs up behind a fake Patroni answering 200, skips on 503, and
 * pgBackRest's own retention keeps retainFull full backups.
 *
 * Host-specific paths (PGDATA, socket, log and lock dirs) differ from a node's: the config
 * file stays as rendered and pgBackRest's PGBACKREST_* environment overrides them; the config
 * path in archive_command and the script is rewritten to the temp copy (bound into the image).
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveCommand } from "../../packages/pgha/lib/render/backupCommands";
import { renderBackupScript, renderPgbackrestConf } from "../../packages/pgha/lib/render/backups";
import { type BackupTarget, PATHS, pgBinDir } from "../../packages/pgha/lib/render/model";
import { type Daemon, freePort, labTopology, waitFor } from "../support/fixtures";
import { imageIds, imagePostgresMajor, type ImageResult, mustImage, runImage, startImageDaemon } from "../support/image";

const MAJOR = imagePostgresMajor();
const BIN = pgBinDir(MAJOR);
const { uid, gid } = imageIds("postgres");

let root: string;
let confFile: string;
let env: Record<string, string>;
let postgres: Daemon | undefined;
let patroni: http.Server | undefined;
let patroniStatus = 503;
let patroniPort = 0;
let target: BackupTarget;

function dirFor(name: string, mode = 0o700): string {
  const d = path.join(root, name);
  mkdirSync(d);
  chownSync(d, uid, gid);
  chmodSync(d, mode);
  return d;
}

/** Run as the image's postgres (pgBackRest and PostgreSQL refuse root); resolves with the exit code and output. */
function asPostgres(cmd: string, args: string[], timeoutMs = 30_000): Promise<ImageResult> {
  return runImage([cmd, ...args], { user: "postgres", binds: [root], env, timeoutMs });
}

/** pgBackRest that must succeed: its stdout. */
const pgbackrest = (...args: string[]) =>
  mustImage(["pgbackrest", `--config=${confFile}`, "--stanza=main", ...args], { user: "postgres", binds: [root], env, timeoutMs: 30_000 });

async function fullBackups(): Promise<number> {
  const stdout = await pgbackrest("--output=json", "info");
  const info = JSON.parse(stdout) as { name: string; backup: { type: string }[] }[];
  return info.find((s) => s.name === "main")?.backup.filter((b) => b.type === "full").length ?? 0;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "pgha-pgbackrest-"));
  chmodSync(root, 0o755);
  const repo = dirFor("repo", 0o750);
  const pgdata = dirFor("pgdata");
  const sock = dirFor("sock", 0o755);
  const port = await freePort();

  const main = labTopology().clusters[0];
  // The lab's backups: pgBackRest, local repository, encrypted, retainFull 2.
  target = {
    spec: { ...main.backups!, storage: { kind: "local", path: repo } },
    bucket: repo,
    prefix: "",
    encryptionKey: "test-cipher-pass",
  };
  confFile = path.join(root, "pgbackrest.conf");
  writeFileSync(confFile, renderPgbackrestConf(target, "main", MAJOR, { pgPort: port }), { mode: 0o600 });
  chownSync(confFile, uid, gid);

  env = {
    PGBACKREST_PG1_PATH: pgdata,
    PGBACKREST_PG1_SOCKET_PATH: sock,
    PGBACKREST_LOG_PATH: dirFor("log"),
    PGBACKREST_LOCK_PATH: dirFor("lock"),
  };

  await mustImage([`${BIN}/initdb`, "-D", pgdata, "-U", "postgres", "-A", "trust", "--no-sync"], { user: "postgres", binds: [root] });
  const archive = archiveCommand(target, "main").replace(PATHS.pgbackrestConfig, confFile);
  writeFileSync(
    path.join(pgdata, "postgresql.auto.conf"),
    [
      "listen_addresses = '127.0.0.1'",
      `port = ${port}`,
      `unix_socket_directories = '${sock}'`,
      "wal_level = replica",
      "archive_mode = on",
      `archive_command = '${archive.replace(/'/g, "''")}'`,
      "fsync = off",
      "",
    ].join("\n"),
  );
  postgres = startImageDaemon([`${BIN}/postgres`, "-D", pgdata], { user: "postgres", binds: [root], env });
  await waitFor(
    "PostgreSQL to accept connections",
    async () => {
      if (postgres?.exited()) throw new Error(`postgres exited:\n${postgres.output()}`);
      return (await runImage([`${BIN}/pg_isready`, "-q", "-h", sock, "-p", String(port)], { binds: [root] })).code === 0 || undefined;
    },
    15_000,
    100,
  );

  patroniPort = await freePort();
  patroni = http.createServer((req, res) => {
    res.writeHead(req.url === "/primary" ? patroniStatus : 404);
    res.end();
  });
  await new Promise<void>((r) => patroni!.listen(patroniPort, "127.0.0.1", r));
}, 60_000);

afterAll(async () => {
  await new Promise<void>((r) => (patroni ? patroni.close(() => r()) : r()));
  await postgres?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("pgBackRest with the rendered configuration", () => {
  it("stanza-create, check (archive_command works) and a full backup", async () => {
    await pgbackrest("stanza-create");
    await pgbackrest("check");
    await pgbackrest("--type=full", "backup");
    expect(await fullBackups()).toBe(1);
  }, 40_000);

  it("the repository is encrypted: without the cipher settings pgBackRest cannot read it", async () => {
    const rendered = readFileSync(confFile, "utf8");
    expect(rendered).toContain("repo1-cipher-type=aes-256-cbc\n");
    const plain = path.join(root, "plain.conf");
    writeFileSync(plain, rendered.replace(/^repo1-cipher-.*\n/gm, ""), { mode: 0o600 });
    chownSync(plain, uid, gid);
    const failed = await asPostgres("pgbackrest", [`--config=${plain}`, "--stanza=main", "check"]);
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/unable to load info file/);
    // OpenSSL's salted-cipher header: the repository files are ciphertext, not INI text.
    expect(
      readFileSync(path.join(target.bucket, "archive", "main", "archive.info"))
        .subarray(0, 8)
        .toString("latin1"),
    ).toBe("Salted__");
  });
});

describe("the leader-only backup script", () => {
  let script: string;
  beforeAll(() => {
    const text = renderBackupScript(target, "main", {
      major: MAJOR,
      restApiHost: "127.0.0.1",
      restApiPort: patroniPort,
      restApiTls: false,
    });
    script = path.join(root, "pgha-backup");
    writeFileSync(script, text.replaceAll(PATHS.pgbackrestConfig, confFile), { mode: 0o755 });
  });

  it("on a replica (Patroni /primary says 503) exits 0 without backing up", async () => {
    patroniStatus = 503;
    const before = await fullBackups();
    expect(await asPostgres(script, [])).toMatchObject({ code: 0 });
    expect(await fullBackups()).toBe(before);
  });

  it("on the leader (200) backs up; pgBackRest keeps retainFull (2) full backups", async () => {
    patroniStatus = 200;
    const r = await asPostgres(script, [], 40_000);
    expect(r, r.stderr).toMatchObject({ code: 0 });
    expect(r.stdout).toContain("starting a full backup");
    expect(await fullBackups()).toBe(2);
    expect(await asPostgres(script, [], 40_000)).toMatchObject({ code: 0 });
    expect(await fullBackups()).toBe(2);
  }, 60_000);

  it("fails when Patroni answers anything else (an unhealthy node must show up)", async () => {
    patroniStatus = 500;
    expect(await asPostgres(script, [])).toMatchObject({ code: 1 });
  });
});
