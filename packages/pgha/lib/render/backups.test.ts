import { describe, expect, it } from "vitest";
import { type BackupSpec, backupSpec } from "../config";
import {
  libsodiumKeyTransform,
  renderBackupScript,
  renderPgbackrestConf,
  renderPgbackrestSourceConf,
  renderWalgConfig,
  renderWalgSourceConfig,
} from "./backups";
import type { BackupTarget } from "./model";

const HEX_KEY = "ab".repeat(32);
const B64_KEY = Buffer.alloc(32, 7).toString("base64");

function target(spec: unknown, extra: Partial<BackupTarget> = {}): BackupTarget {
  const s: BackupSpec = backupSpec.parse(spec);
  return {
    spec: s,
    bucket: "pgha-main",
    prefix: "main/",
    s3AccessKeyId: "AKID",
    s3SecretAccessKey: "s3-secret",
    encryptionKey: HEX_KEY,
    ...extra,
  };
}

const ini = (s: string) => s.split("\n").filter((l) => l && !l.startsWith("#"));

describe("renderWalgConfig", () => {
  it("Yandex Object Storage through WAL-G's S3 mode, with static keys and libsodium encryption", () => {
    const c = JSON.parse(renderWalgConfig(target({ storage: { kind: "yandex" } }), 15, { pgPort: 5433 }));
    expect(c).toMatchObject({
      WALG_S3_PREFIX: "s3://pgha-main/main",
      AWS_ENDPOINT: "https://storage.yandexcloud.net",
      AWS_REGION: "ru-central1",
      AWS_S3_FORCE_PATH_STYLE: "true",
      AWS_ACCESS_KEY_ID: "AKID",
      AWS_SECRET_ACCESS_KEY: "s3-secret",
      WALG_COMPRESSION_METHOD: "lz4",
      WALG_LIBSODIUM_KEY: HEX_KEY,
      WALG_LIBSODIUM_KEY_TRANSFORM: "hex",
      WALG_DELTA_MAX_STEPS: "0",
      PGDATA: "/var/lib/postgresql/15/main",
      PGHOST: "/run/postgresql",
      PGPORT: "5433",
      PGUSER: "postgres",
    });
    // viper reads strings; every value is one.
    for (const v of Object.values(c)) expect(typeof v).toBe("string");
  });

  it("generic S3 keeps the configured path style and endpoint", () => {
    const c = JSON.parse(
      renderWalgConfig(
        target(
          { storage: { kind: "s3", bucket: "bkt1", endpoint: "http://minio:9000", forcePathStyle: false }, compression: "zstd" },
          { prefix: "/x/y/" },
        ),
        15,
      ),
    );
    expect(c.WALG_S3_PREFIX).toBe("s3://pgha-main/x/y");
    expect(c.AWS_ENDPOINT).toBe("http://minio:9000");
    expect(c.AWS_S3_FORCE_PATH_STYLE).toBe("false");
    expect(c.AWS_REGION).toBe("us-east-1");
    expect(c.WALG_COMPRESSION_METHOD).toBe("zstd");
  });

  it("GCS uses the VM's service account: a gs:// prefix and no key of any kind", () => {
    const c = JSON.parse(
      renderWalgConfig(
        target({ storage: { kind: "gcs" }, encrypt: false }, { s3AccessKeyId: undefined, s3SecretAccessKey: undefined }),
        15,
      ),
    );
    expect(c.WALG_GS_PREFIX).toBe("gs://pgha-main/main");
    expect(Object.keys(c).filter((k) => /^(AWS_|GOOGLE_|WALG_S3|WALG_LIBSODIUM)/.test(k))).toEqual([]);
  });

  it("local storage is WAL-G's file prefix", () => {
    const c = JSON.parse(renderWalgConfig(target({ storage: { kind: "local", path: "/backups/" } }, { prefix: "" }), 15));
    expect(c.WALG_FILE_PREFIX).toBe("/backups");
  });

  it("fails loudly instead of writing an unusable config", () => {
    expect(() => renderWalgConfig(target({ storage: { kind: "yandex" } }, { s3SecretAccessKey: undefined }), 15)).toThrow(
      /s3SecretAccessKey/,
    );
    expect(() => renderWalgConfig(target({ storage: { kind: "yandex" } }, { encryptionKey: undefined }), 15)).toThrow(/encryption key/);
    expect(() => renderWalgConfig(target({ storage: { kind: "yandex" } }, { encryptionKey: "short" }), 15)).toThrow(/32 bytes/);
    expect(() => renderWalgConfig(target({ storage: { kind: "yandex" }, compression: "none" }), 15)).toThrow(/not supported by WAL-G/);
    expect(() => renderWalgConfig(target({ tool: "pgbackrest", storage: { kind: "yandex" } }), 15)).toThrow(/pgbackrest/);
  });

  it("libsodium key transform follows the key's encoding", () => {
    expect(libsodiumKeyTransform(HEX_KEY)).toBe("hex");
    expect(libsodiumKeyTransform(B64_KEY)).toBe("base64");
    expect(() => libsodiumKeyTransform("ab".repeat(31))).toThrow();
  });

  it("the standby's source config reads the source archive and carries no upload settings", () => {
    const c = JSON.parse(
      renderWalgSourceConfig(target({ storage: { kind: "gcs" } }, { bucket: "src-bucket", encryptionKey: B64_KEY }), 15),
    );
    expect(c.WALG_GS_PREFIX).toBe("gs://src-bucket/main");
    expect(c.WALG_LIBSODIUM_KEY_TRANSFORM).toBe("base64");
    expect(c.WALG_UPLOAD_CONCURRENCY).toBeUndefined();
    expect(c.WALG_DELTA_MAX_STEPS).toBeUndefined();
  });
});

describe("renderPgbackrestConf", () => {
  it("S3 on Yandex: host-only endpoint, path-style URIs, retention, cipher, stanza on the local PGDATA", () => {
    const lines = ini(
      renderPgbackrestConf(
        target({ tool: "pgbackrest", storage: { kind: "yandex" }, retainFull: 4, compression: "zstd" }, { encryptionKey: "cipher-pass" }),
        "main",
        15,
        { pgPort: 5433 },
      ),
    );
    expect(lines.slice(0, 1)).toEqual(["[global]"]);
    expect(lines).toEqual(
      expect.arrayContaining([
        "repo1-type=s3",
        "repo1-path=/main",
        "repo1-s3-endpoint=storage.yandexcloud.net",
        "repo1-s3-bucket=pgha-main",
        "repo1-s3-region=ru-central1",
        "repo1-s3-key=AKID",
        "repo1-s3-key-secret=s3-secret",
        "repo1-s3-uri-style=path",
        "repo1-retention-full=4",
        "repo1-cipher-type=aes-256-cbc",
        "repo1-cipher-pass=cipher-pass",
        "compress-type=zst",
        "start-fast=y",
        "[main]",
        "pg1-path=/var/lib/postgresql/15/main",
        "pg1-port=5433",
        "pg1-socket-path=/run/postgresql",
        "pg1-user=postgres",
      ]),
    );
    // Options after [main] belong to the stanza; repository settings must all be global.
    const stanzaAt = lines.indexOf("[main]");
    expect(lines.slice(stanzaAt + 1).every((l) => l.startsWith("pg1-"))).toBe(true);
  });

  it("an S3 endpoint with a port sets repo1-storage-port; plain http is refused", () => {
    const conf = renderPgbackrestConf(
      target({ tool: "pgbackrest", storage: { kind: "s3", bucket: "bkt", endpoint: "https://minio.internal:9000" } }),
      "main",
      15,
    );
    expect(ini(conf)).toEqual(
      expect.arrayContaining(["repo1-s3-endpoint=minio.internal", "repo1-storage-port=9000", "repo1-s3-uri-style=path"]),
    );
    expect(() =>
      renderPgbackrestConf(
        target({ tool: "pgbackrest", storage: { kind: "s3", bucket: "bkt", endpoint: "http://minio:9000" } }),
        "main",
        15,
      ),
    ).toThrow(/https/);
  });

  it("GCS authenticates with the instance service account (key-type auto)", () => {
    const lines = ini(renderPgbackrestConf(target({ tool: "pgbackrest", storage: { kind: "gcs" }, encrypt: false }), "main", 15));
    expect(lines).toEqual(
      expect.arrayContaining(["repo1-type=gcs", "repo1-gcs-bucket=pgha-main", "repo1-gcs-key-type=auto", "repo1-path=/main"]),
    );
    expect(lines.some((l) => l.startsWith("repo1-cipher"))).toBe(false);
  });

  it("local storage is a posix repository at the configured path", () => {
    const lines = ini(
      renderPgbackrestConf(
        target({ tool: "pgbackrest", storage: { kind: "local", path: "/var/lib/pgbackrest" } }, { prefix: "" }),
        "main",
        15,
      ),
    );
    expect(lines).toEqual(expect.arrayContaining(["repo1-type=posix", "repo1-path=/var/lib/pgbackrest"]));
  });

  it("rejects compression pgBackRest does not have", () => {
    expect(() => renderPgbackrestConf(target({ tool: "pgbackrest", storage: { kind: "gcs" }, compression: "brotli" }), "main", 15)).toThrow(
      /pgBackRest/,
    );
  });

  it("the standby's source config has the source's stanza and no retention", () => {
    const lines = ini(renderPgbackrestSourceConf(target({ tool: "pgbackrest", storage: { kind: "gcs" } }), "main", 15));
    expect(lines).toContain("[main]");
    expect(lines.some((l) => l.startsWith("repo1-retention"))).toBe(false);
    expect(lines).toContain("repo1-cipher-pass=" + HEX_KEY);
  });
});

describe("renderBackupScript", () => {
  const opts = { major: 15, restApiHost: "10.0.0.5", restApiPort: 8008, restApiTls: true };

  it("asks Patroni's /primary over HTTPS first and exits quietly on a replica (503)", () => {
    const s = renderBackupScript(target({ storage: { kind: "yandex" } }), "main", opts);
    expect(s.startsWith("#!/bin/sh\n")).toBe(true);
    expect(s).toContain("--cacert /etc/pgha/tls/ca.crt https://10.0.0.5:8008/primary");
    expect(s).not.toContain("--insecure");
    expect(s).toMatch(/503\) exit 0 ;;/);
    // The leader check comes before any backup command.
    expect(s.indexOf("/primary")).toBeLessThan(s.indexOf("backup-push"));
  });

  it("WAL-G: backup-push of PGDATA, then delete retain FULL n --confirm", () => {
    const s = renderBackupScript(target({ storage: { kind: "yandex" }, retainFull: 5 }), "main", { ...opts, restApiTls: false });
    expect(s).toContain("http://10.0.0.5:8008/primary");
    expect(s).not.toContain("--insecure");
    expect(s).toContain("/usr/local/bin/wal-g --config /etc/wal-g/walg.json backup-push /var/lib/postgresql/15/main\n");
    expect(s).toContain("/usr/local/bin/wal-g --config /etc/wal-g/walg.json delete retain FULL 5 --confirm\n");
  });

  it("pgBackRest: idempotent stanza-create, then a full backup (expiry is pgBackRest's own)", () => {
    const s = renderBackupScript(target({ tool: "pgbackrest", storage: { kind: "gcs" } }), "main", opts);
    const create = s.indexOf("pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=main stanza-create\n");
    const backup = s.indexOf("pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=main --type=full backup\n");
    expect(create).toBeGreaterThan(0);
    expect(backup).toBeGreaterThan(create);
    expect(s).not.toContain("wal-g");
  });
});
