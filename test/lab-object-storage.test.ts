// The lab's object storage stand-in with a real radosgw (Debian 13's, from the lab's tools image)
// on its dbstore backend, in a network namespace of this test's own: buckets, keys and grants
// from a plan, enforced as the cloud would (AccessDenied without a grant), over TLS verified
// with the lab CA. Root only (namespaces, mounts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exec, execAllowFailure } from "../lib/lab/exec";
import { labImages } from "../lib/lab/image/imageExec";
import { type ObjectStorageState, deployerTarget, provisionObjectStorage } from "../lib/lab/objectStorage/labObjectStorage";
import type { PlannedObjectStorage } from "../lib/lab/objectStorage/planStorage";
import { stopRgw } from "../lib/lab/objectStorage/rgw";
import { type S3Credentials, type S3Target, s3Request } from "../lib/lab/objectStorage/s3Client";

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
    await expect(s3Request({ ...target, caFile: undefined }, writer, "GET", "/yc-main-backups?list-type=2")).rejects.toThrow(/curl exit 60/);
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
    expect(await get({ accessKey: "YCAJEunknown", secretKey: "nope" }, "/yc-main-backups?list-type=2")).toMatchObject({ status: 403, code: "InvalidAccessKeyId" });
    expect(await get({ ...writer, secretKey: "wrong" }, "/yc-main-backups?list-type=2")).toMatchObject({ status: 403, code: "SignatureDoesNotMatch" });
  });

  it("provisioning again keeps the running RGW, its users and the objects", async () => {
    const again = await provisionObjectStorage({ root: target.root, dir, netns: NETNS, address: ADDRESS, planned, log: () => undefined });
    expect(again.rgw.pid).toBe(state?.rgw.pid);
    expect((await get(reader, "/yc-main-backups/main/wal/000000010000000000000001")).status).toBe(200);
  });
});
