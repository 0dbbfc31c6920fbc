// The lab's object storage stand-in with a real radosgw (Debian 13's, from the lab's tools image)
// on its dbstore backend, in a network namespace of this test's own: buckets, keys and grants
// from a plan, enforced as the cloud would (AccessDenied without a grant), over TLS verified
// with the lab CA. Root only (namespaces, mounts).
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { resolveStackFile } from "../packages/lab/lib/cli/stackArg";
import { WORK_ROOT } from "../packages/lab/lib/paths";
import { patroniCluster } from "../packages/lab/lib/lab/cli/client";
import { loopDevicesAvailable } from "../packages/lab/lib/lab/node/dataDisk";
import { labDown } from "../packages/lab/lib/lab/cli/down";
import { fitStackToHost, hostFactsHere } from "../packages/lab/lib/lab/cli/fitHost";
import { type LabContext, clientSecrets, labDirFor } from "../packages/lab/lib/lab/cli/labContext";
import { isSameProcess } from "../packages/lab/lib/lab/host/procs";
import { collectStatus } from "../packages/lab/lib/lab/cli/status";
import { defaultStateDir, readNodeSupervisor, runInNode } from "../packages/lab/lib/lab/systemd/supervisorControl";
import { labUp } from "../packages/lab/lib/lab/cli/up";
import { exec, execAllowFailure } from "../packages/lab/lib/lab/host/exec";
import { labImages } from "../packages/lab/lib/lab/node/image/imageExec";
import {
  type ObjectStorageState,
  deployerTarget,
  objectStorageDir,
  plannedObjectStorageOfLab,
  provisionObjectStorage,
  readObjectStorageState,
} from "../packages/lab/lib/lab/cloud/objectStorage/labObjectStorage";
import { CA_BUNDLE, bundleWithLabCa } from "../packages/lab/lib/lab/cloud/objectStorage/nodeTrust";
import type { PlannedObjectStorage } from "../packages/lab/lib/lab/cloud/objectStorage/planStorage";
import { backupSpec } from "../packages/pgha/lib/config/backups";
import { archiveCommand } from "../packages/pgha/lib/render/backupCommands";
import { renderPgbackrestConf } from "../packages/pgha/lib/render/backups";
import { type BackupTarget, PATHS, pgBinDir } from "../packages/pgha/lib/render/model";
import { freePort, waitFor } from "./support/fixtures";
import { type ImageResult, imageIds, imagePostgresMajor, mustImage, runImage, startImageDaemon } from "./support/image";
import type { Daemon } from "./support/fixtures";
import { stopRgw } from "../packages/lab/lib/lab/cloud/objectStorage/rgw";
import { type S3Credentials, type S3Target, s3Request } from "../packages/lab/lib/lab/cloud/objectStorage/s3Client";

const root = process.getuid?.() === 0;
const NETNS = `pgha-t-rgw-${process.pid}`;
const ADDRESS = "198.51.100.3";
const ENDPOINT = "https://storage.yandexcloud.net";

const writer: S3Credentials = { accessKey: "YCAJEwriterkey000000001", secretKey: "YCwritersecret00000000000000000000000001" };
const reader: S3Credentials = { accessKey: "YCAJEreaderkey000000002", secretKey: "YCreadersecret00000000000000000000000002" };
const other: S3Credentials = { accessKey: "YCAJEotherkey0000000003", secretKey: "YCothersecret000000000000000000000000003" };

/** Two clusters' buckets: `main` writes its own and a standby reads it; `dr` writes only its own. */
const planned: PlannedObjectStorage = {
  endpoints: [ENDPOINT],
  buckets: [
    {
      resource: "main-backups",
      name: "yc-main-backups",
      grants: [
        { account: "main-backup-id", access: "readWrite" },
        { account: "dr-backup-id", access: "read" },
        // Granted, but no node holds a key of it: the account exists with a key nobody has.
        { account: "auditor-id", access: "read" },
      ],
    },
    { resource: "other-backups", name: "yc-other-backups", grants: [{ account: "other-backup-id", access: "readWrite" }] },
  ],
  accounts: [
    { account: "main-backup-id", keyResource: "main-backup-key", ...writer, nodes: ["main-pg-0"] },
    { account: "dr-backup-id", keyResource: "dr-backup-key", ...reader, nodes: ["dr-pg-0"] },
    { account: "other-backup-id", keyResource: "other-backup-key", ...other, nodes: ["other-pg-0"] },
  ],
  problems: [],
};

describe.skipIf(!root)("lab object storage: RGW (dbstore) with the plan's buckets, keys and grants", () => {
  let dir: string;
  let state: ObjectStorageState | undefined;
  let target: S3Target;
  let startSeconds = 0;

  beforeAll(async () => {
    const images = await labImages();
    dir = mkdtempSync(join(tmpdir(), "pgha-rgw-"));
    await exec("ip", ["netns", "add", NETNS]);
    await exec("ip", ["-n", NETNS, "link", "set", "lo", "up"]);
    await exec("ip", ["-n", NETNS, "addr", "add", `${ADDRESS}/32`, "dev", "lo"]);
    const t0 = Date.now();
    state = await provisionObjectStorage({ root: images.tools, dir, netns: NETNS, address: ADDRESS, planned, log: () => undefined });
    startSeconds = (Date.now() - t0) / 1000;
    target = deployerTarget({ root: images.tools, dir: join(dir, "rgw"), netns: NETNS, address: ADDRESS }, state.hosts, state.port);
  }, 300_000);

  afterAll(async () => {
    if (state) await stopRgw(state.rgw);
    await execAllowFailure("ip", ["netns", "del", NETNS]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const put = (c: S3Credentials, path: string, body: string) => s3Request(target, c, "PUT", path, body);
  const get = (c: S3Credentials, path: string) => s3Request(target, c, "GET", path);
  const del = (c: S3Credentials, path: string) => s3Request(target, c, "DELETE", path);

  it("serves the endpoint's name over TLS that verifies with the lab CA, and only with it", async () => {
    expect(state?.hosts).toEqual(["storage.yandexcloud.net"]);
    expect(state?.port).toBe(443);
    expect(startSeconds).toBeGreaterThan(0);
    const ok = await get(writer, "/yc-main-backups?list-type=2");
    expect(ok.status).toBe(200);
    // Without the lab CA the certificate does not verify (curl exit 60).
    await expect(s3Request({ ...target, caFile: undefined }, writer, "GET", "/yc-main-backups?list-type=2")).rejects.toThrow(
      /curl exit 60/,
    );
  });

  it("a readWrite grant puts, lists, gets and deletes in its bucket", async () => {
    expect((await put(writer, "/yc-main-backups/main/wal/000000010000000000000001", "segment one")).status).toBe(200);
    const list = await get(writer, "/yc-main-backups?list-type=2&prefix=main/");
    expect(list.status).toBe(200);
    expect(list.body).toContain("<Key>main/wal/000000010000000000000001</Key>");
    const obj = await get(writer, "/yc-main-backups/main/wal/000000010000000000000001");
    expect(obj).toMatchObject({ status: 200, body: "segment one" });
    expect((await put(writer, "/yc-main-backups/main/scratch", "x")).status).toBe(200);
    expect((await del(writer, "/yc-main-backups/main/scratch")).status).toBe(204);
    expect((await get(writer, "/yc-main-backups/main/scratch")).code).toBe("NoSuchKey");
  });

  it("a read grant lists and gets what another account wrote, but cannot put or delete", async () => {
    const list = await get(reader, "/yc-main-backups?list-type=2");
    expect(list.status).toBe(200);
    expect(list.body).toContain("main/wal/000000010000000000000001");
    expect(await get(reader, "/yc-main-backups/main/wal/000000010000000000000001")).toMatchObject({ status: 200, body: "segment one" });
    expect(await put(reader, "/yc-main-backups/main/wal/evil", "x")).toMatchObject({ status: 403, code: "AccessDenied" });
    expect(await del(reader, "/yc-main-backups/main/wal/000000010000000000000001")).toMatchObject({ status: 403, code: "AccessDenied" });
    expect((await get(writer, "/yc-main-backups/main/wal/000000010000000000000001")).status).toBe(200);
  });

  it("a key without a grant on a bucket gets AccessDenied for everything in it", async () => {
    for (const r of [
      await get(other, "/yc-main-backups?list-type=2"),
      await get(other, "/yc-main-backups/main/wal/000000010000000000000001"),
      await put(other, "/yc-main-backups/main/wal/evil", "x"),
      await del(other, "/yc-main-backups/main/wal/000000010000000000000001"),
      await put(writer, "/yc-other-backups/main/wal/evil", "x"),
      await get(reader, "/yc-other-backups?list-type=2"),
    ]) {
      expect(r).toMatchObject({ status: 403, code: "AccessDenied" });
    }
    // Its own bucket works.
    expect((await put(other, "/yc-other-backups/x", "y")).status).toBe(200);
  });

  it("service accounts cannot create buckets, and unknown or wrong keys are refused", async () => {
    expect(await put(writer, "/yc-new-bucket", "")).toMatchObject({ status: 403, code: "AccessDenied" });
    expect(await get({ accessKey: "YCAJEunknown", secretKey: "nope" }, "/yc-main-backups?list-type=2")).toMatchObject({
      status: 403,
      code: "InvalidAccessKeyId",
    });
    expect(await get({ ...writer, secretKey: "wrong" }, "/yc-main-backups?list-type=2")).toMatchObject({
      status: 403,
      code: "SignatureDoesNotMatch",
    });
  });

  // The backup case of a Yandex plan, with pgBackRest (the lab's stand-in for WAL-G): the
  // rendered pgbackrest.conf names the plan's endpoint, bucket and key; the node resolves the
  // endpoint through the hosts stand-in and verifies RGW's certificate with the lab CA in its
  // bundle. A full backup and the WAL archive go to RGW, and a point-in-time restore from there
  // brings back exactly the rows committed before the restore point.
  describe("pgBackRest backs up to RGW and restores to a point in time from it", () => {
    const MAJOR = imagePostgresMajor();
    const BIN = pgBinDir(MAJOR);
    const { uid, gid } = imageIds("postgres");
    let work: string;
    let conf: string;
    let env: Record<string, string>;
    let binds: [string, string][];
    let port = 0;
    let postgres: Daemon | undefined;

    const mk = (name: string, mode = 0o700) => {
      const d = join(work, name);
      mkdirSync(d);
      chownSync(d, uid, gid);
      chmodSync(d, mode);
      return d;
    };
    const asPostgres = (argv: string[], timeoutMs = 60_000): Promise<ImageResult> =>
      runImage(argv, { user: "postgres", binds, env, netns: NETNS, timeoutMs });
    const pgbackrest = (...args: string[]) =>
      mustImage(["pgbackrest", `--config=${conf}`, "--stanza=main", ...args], {
        user: "postgres",
        binds,
        env,
        netns: NETNS,
        timeoutMs: 120_000,
      });
    const sql = async (q: string) =>
      (
        await mustImage([`${BIN}/psql`, "-h", join(work, "sock"), "-p", String(port), "-U", "postgres", "-AXqt", "-c", q], {
          user: "postgres",
          binds,
          netns: NETNS,
        })
      ).trim();

    async function startPostgres(pgdata: string): Promise<void> {
      postgres = startImageDaemon([`${BIN}/postgres`, "-D", pgdata], { user: "postgres", binds, env, netns: NETNS });
      await waitFor(
        "PostgreSQL accepting connections",
        async () => {
          if (postgres?.exited()) throw new Error(`postgres exited:\n${postgres.output()}`);
          const r = await runImage(
            [`${BIN}/psql`, "-h", join(work, "sock"), "-p", String(port), "-U", "postgres", "-AXqt", "-c", "select pg_is_in_recovery()"],
            { user: "postgres", binds, netns: NETNS },
          );
          return (r.code === 0 && r.stdout.trim() === "f") || undefined;
        },
        60_000,
        200,
      );
    }

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), "pgha-rgw-pgbackrest-"));
      chmodSync(work, 0o755);
      const hosts = join(work, "hosts");
      writeFileSync(hosts, `127.0.0.1 localhost\n${ADDRESS} storage.yandexcloud.net\n`);
      const bundle = join(work, "ca-certificates.crt");
      writeFileSync(
        bundle,
        bundleWithLabCa(readFileSync(join(target.root, CA_BUNDLE), "utf8"), readFileSync(target.caFile as string, "utf8")),
      );
      binds = [
        [work, work],
        [hosts, "/etc/hosts"],
        [bundle, CA_BUNDLE],
      ];
      port = await freePort();
      const spec = backupSpec.parse({
        tool: "pgbackrest",
        storage: { kind: "yandex", bucket: "yc-main-backups", prefix: "main" },
        retainFull: 2,
      });
      const backups: BackupTarget = {
        spec,
        bucket: "yc-main-backups",
        prefix: "main",
        s3AccessKeyId: writer.accessKey,
        s3SecretAccessKey: writer.secretKey,
        encryptionKey: "rgw-test-cipher-pass",
      };
      conf = join(work, "pgbackrest.conf");
      writeFileSync(conf, renderPgbackrestConf(backups, "main", MAJOR, { pgPort: port }), { mode: 0o600 });
      chownSync(conf, uid, gid);
      const pgdata = mk("pgdata");
      mk("sock", 0o755);
      env = {
        PGBACKREST_PG1_PATH: pgdata,
        PGBACKREST_PG1_SOCKET_PATH: join(work, "sock"),
        PGBACKREST_LOG_PATH: mk("log"),
        PGBACKREST_LOCK_PATH: mk("lock"),
      };
      await mustImage([`${BIN}/initdb`, "-D", pgdata, "-U", "postgres", "-A", "trust", "--no-sync"], { user: "postgres", binds });
      const archive = archiveCommand(backups, "main").replace(PATHS.pgbackrestConfig, conf);
      writeFileSync(
        join(pgdata, "postgresql.auto.conf"),
        [
          "listen_addresses = ''",
          `port = ${port}`,
          `unix_socket_directories = '${join(work, "sock")}'`,
          "wal_level = replica",
          "archive_mode = on",
          `archive_command = '${archive}'`,
          "fsync = off",
          "",
        ].join("\n"),
      );
      await startPostgres(pgdata);
    }, 120_000);

    afterAll(async () => {
      await postgres?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it("the rendered config names the plan's endpoint and bucket, and RGW holds the repository", async () => {
      expect(readFileSync(conf, "utf8")).toContain("repo1-s3-endpoint=storage.yandexcloud.net\n");
      await pgbackrest("stanza-create");
      await pgbackrest("check");
      await pgbackrest("--type=full", "backup");
      const list = await get(writer, "/yc-main-backups?list-type=2&prefix=main/");
      expect(list.body).toContain("<Key>main/backup/main/backup.info</Key>");
      expect(list.body).toMatch(/<Key>main\/archive\/main\/17-1\/[0-9A-F]{16}\/[0-9A-F]{24}-[0-9a-f]{40}\.lz4<\/Key>/);
    }, 180_000);

    it("a key with only a read grant cannot archive or back up into the bucket", async () => {
      const readOnly = join(work, "read-only.conf");
      writeFileSync(
        readOnly,
        readFileSync(conf, "utf8")
          .replace(`repo1-s3-key=${writer.accessKey}`, `repo1-s3-key=${reader.accessKey}`)
          .replace(`repo1-s3-key-secret=${writer.secretKey}`, `repo1-s3-key-secret=${reader.secretKey}`),
        { mode: 0o600 },
      );
      chownSync(readOnly, uid, gid);
      const info = await asPostgres(["pgbackrest", `--config=${readOnly}`, "--stanza=main", "info"]);
      expect(info.code).toBe(0);
      const backup = await asPostgres(["pgbackrest", `--config=${readOnly}`, "--stanza=main", "--type=full", "backup"]);
      expect(backup.code).not.toBe(0);
      expect(backup.stdout + backup.stderr).toMatch(/AccessDenied|403/);
    }, 120_000);

    it("point-in-time restore from RGW brings back exactly what was committed before the restore point", async () => {
      await sql("create table t (v int); insert into t values (1), (2)");
      await sql("select pg_create_restore_point('before-three')");
      await sql("insert into t values (3)");
      // Archive the segment holding the restore point and row 3 (pgBackRest check switches WAL and waits for it).
      await pgbackrest("check");
      await postgres?.stop();
      postgres = undefined;
      const restored = mk("restored");
      await pgbackrest(`--pg1-path=${restored}`, "--type=name", "--target=before-three", "--target-action=promote", "restore");
      await startPostgres(restored);
      expect(await sql("select string_agg(v::text, ',' order by v) from t")).toBe("1,2");
    }, 240_000);
  });

  it("provisioning again keeps the running RGW, its users and the objects", async () => {
    const again = await provisionObjectStorage({ root: target.root, dir, netns: NETNS, address: ADDRESS, planned, log: () => undefined });
    expect(again.rgw.pid).toBe(state?.rgw.pid);
    expect((await get(reader, "/yc-main-backups/main/wal/000000010000000000000001")).status).toBe(200);
  });
});

// The whole path in a booted Yandex plan: the shipped yc-homework fitted to this host, with its
// backups kept on the plan's Object Storage bucket but made by pgBackRest (the lab's stand-in for
// WAL-G, whose binary it cannot download). RGW holds the plan's bucket and key; the nodes reach
// storage.yandexcloud.net through their NAT egress, resolve it and verify TLS with the lab's
// stand-ins. The leader's own pgha-backup makes a full backup there, WAL is archived there, and a
// point-in-time restore from it on another node returns exactly the rows before the restore point.
const RGW_STACK = "yc-homework-rgw";
const KNOWN_LABS = ["lab", "yc-homework-fit", "gcp-dr-fit", "yc-homework-noegress", RGW_STACK];

/** yc-homework as --fit-host makes it, but with its backups kept: tool pgbackrest on the same Yandex storage. */
function rgwStackFile(): string {
  const fit = fitStackToHost(resolveStackFile("yc-homework"), "yc-homework", hostFactsHere());
  const doc = parseYaml(readFileSync(fit.stackFile, "utf8")) as { config: Record<string, { clusters: Record<string, unknown>[] }> };
  const original = parseYaml(readFileSync(resolveStackFile("yc-homework"), "utf8")) as typeof doc;
  const backups = original.config["pgha:topology"].clusters[0].backups as Record<string, unknown>;
  expect(backups.tool).toBe("walg");
  doc.config["pgha:topology"].clusters[0].backups = { ...backups, tool: "pgbackrest" };
  const dir = join(WORK_ROOT, "out", RGW_STACK);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `Pulumi.${RGW_STACK}.yaml`);
  writeFileSync(file, stringifyYaml(doc));
  return file;
}

describe.skipIf(!root || !loopDevicesAvailable())("a booted Yandex plan backs up to RGW and restores to a point in time from it", () => {
  let ctx: LabContext;
  const P = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"];
  const env = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/var/lib/postgresql", LANG: "C.UTF-8" };
  const inNode = async (node: string, argv: string[]) => {
    const h = readNodeSupervisor(defaultStateDir(ctx.labDir, node));
    if (!h) throw new Error(`${node} is not running`);
    return runInNode(h, argv, { env, allowFailure: true, timeoutMs: 180_000 });
  };
  const must = async (node: string, argv: string[]) => {
    const r = await inNode(node, argv);
    if (r.code !== 0) throw new Error(`${node}: ${argv.join(" ")} exited ${r.code}:\n${r.stderr || r.stdout}`);
    return r.stdout.trim();
  };
  const pgbackrest = ["pgbackrest", "--config=/etc/pgbackrest/pgbackrest.conf", "--stanza=main"];

  beforeAll(async () => {
    for (const s of KNOWN_LABS)
      if (existsSync(labDirFor(s))) throw new Error(`${labDirFor(s)} exists: a lab is running here; run 'pgha lab down' first`);
    const t0 = Date.now();
    ctx = await labUp(rgwStackFile(), (l) => console.log(l));
    console.log(`MEASURED lab up (${RGW_STACK}): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 600_000);

  afterAll(async () => {
    if (existsSync(labDirFor(RGW_STACK))) await labDown(labDirFor(RGW_STACK), (l) => console.log(l));
  }, 120_000);

  it("RGW runs with the plan's bucket and the key main's user-data holds, and lab status says so", async () => {
    const planned = plannedObjectStorageOfLab(ctx);
    expect(planned.buckets).toEqual([
      { resource: "main-backups", name: "yc-main-backups", grants: [{ account: "main-patroni-id", access: "readWrite" }] },
    ]);
    expect(planned.accounts.map((a) => [a.account, a.nodes])).toEqual([["main-patroni-id", ["main-pg-0", "main-pg-1", "main-pg-2"]]]);
    const status = await collectStatus(ctx);
    expect(status.objectStorage?.[0]).toMatch(
      /^object storage: RGW running \(pid \d+\) at 198\.51\.100\.3:443 for storage\.yandexcloud\.net; buckets yc-main-backups/,
    );
  });

  it("a node resolves the endpoint, verifies its certificate, and without a key gets AccessDenied", async () => {
    expect(await must("main-pg-1", ["getent", "hosts", "storage.yandexcloud.net"])).toBe("198.51.100.3    storage.yandexcloud.net");
    // curl verifies against the node's CA bundle (no -k); unsigned, the bucket is closed.
    const anonymous = await must("main-pg-1", ["curl", "-sS", "https://storage.yandexcloud.net/yc-main-backups"]);
    expect(anonymous).toMatch(/<Code>AccessDenied<\/Code>/);
  });

  it(
    "the leader's own pgha-backup makes a full backup in RGW, " +
      "and a PITR restore from it on a replica returns the rows before the restore point",
    async () => {
      const members =
        (await patroniCluster(clientSecrets(ctx, { cluster: "main" }), ["10.130.1.32", "10.130.2.33", "10.130.3.34"]))?.members ?? [];
      const leader = members.find((m) => m.role === "leader")?.name as string;
      const replica = members.find((m) => m.role !== "leader")?.name as string;
      expect(leader).toBeDefined();
      expect(replica).toBeDefined();
      const sql = (q: string) => must(leader, [...P, "psql", "-h", "/run/postgresql", "-AXqt", "-c", q]);
      expect(await must(leader, [...P, "/usr/local/bin/pgha-backup"])).toContain("pgha-backup: done");
      const info = JSON.parse(await must(leader, [...P, ...pgbackrest, "--output=json", "info"])) as {
        backup: { type: string }[];
        status: { message: string };
      }[];
      expect(info[0].status.message).toBe("ok");
      expect(info[0].backup.filter((b) => b.type === "full").length).toBeGreaterThanOrEqual(1);

      // Separate statements: each commits before the restore point is written.
      await sql("create table rgw_pitr (v int)");
      await sql("insert into rgw_pitr values (1), (2)");
      await sql("select pg_create_restore_point('rgw-pitr')");
      await sql("insert into rgw_pitr values (3)");
      await must(leader, [...P, ...pgbackrest, "check"]); // switches WAL and waits until it is in RGW

      const dir = "/var/lib/postgresql/pitr-test";
      await must(replica, [...P, "rm", "-rf", dir]);
      await must(replica, [
        ...P,
        ...pgbackrest,
        `--pg1-path=${dir}`,
        "--type=name",
        "--target=rgw-pitr",
        "--target-action=promote",
        "--archive-mode=off",
        "restore",
      ]);
      const opts = [
        "port=5499",
        "listen_addresses=",
        "unix_socket_directories=/tmp",
        `config_file=${dir}/postgresql.conf`,
        `data_directory=${dir}`,
        `hba_file=${dir}/pg_hba.conf`,
        `ident_file=${dir}/pg_ident.conf`,
      ];
      const pgCtl = "/usr/lib/postgresql/17/bin/pg_ctl";
      await must(replica, [
        ...P,
        pgCtl,
        "-D",
        dir,
        "-w",
        "-t",
        "120",
        "-l",
        `${dir}.log`,
        "-o",
        opts.map((o) => `-c ${o.replace("=", "='")}'`).join(" "),
        "start",
      ]);
      try {
        let rows = "";
        for (let i = 0; i < 30 && rows !== "f|1,2"; i++) {
          rows = (
            await inNode(replica, [
              ...P,
              "psql",
              "-h",
              "/tmp",
              "-p",
              "5499",
              "-AXqt",
              "-c",
              "select pg_is_in_recovery(), string_agg(v::text, ',' order by v) from rgw_pitr",
            ])
          ).stdout.trim();
          if (rows !== "f|1,2") await new Promise((r) => setTimeout(r, 1000));
        }
        expect(rows).toBe("f|1,2");
      } finally {
        await inNode(replica, [...P, pgCtl, "-D", dir, "-m", "fast", "stop"]);
        await inNode(replica, [...P, "rm", "-rf", dir, `${dir}.log`]);
      }
      // The live cluster still has all three rows.
      expect(await sql("select string_agg(v::text, ',' order by v) from rgw_pitr")).toBe("1,2,3");
    },
    300_000,
  );

  it("lab down stops RGW", async () => {
    const rgw = readObjectStorageState(objectStorageDir(ctx.labDir))?.rgw;
    expect(rgw && isSameProcess(rgw)).toBe(true);
    await labDown(ctx.labDir, (l) => console.log(l));
    expect(rgw && isSameProcess(rgw)).toBe(false);
    expect(existsSync(ctx.labDir)).toBe(false);
  }, 120_000);
});
