// What a node's user-data needs, read from cloud-configs written the way lib/render writes them.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { nodeNeeds } from "./needs";

const cloudConfig = (doc: Record<string, unknown>) => `#cloud-config\n${stringify(doc)}`;

describe("nodeNeeds", () => {
  it("packages, an extra apt source, a pinned download; local curls are not downloads", () => {
    const n = nodeNeeds(
      cloudConfig({
        packages: ["patroni", ["postgresql-17", "17.5-1"]],
        apt: { sources: { pgdg: { source: "deb [signed-by=$KEY_FILE] https://apt.postgresql.org/pub/repos/apt trixie-pgdg main" } } },
        write_files: [
          {
            path: "/usr/local/sbin/pgha-first-boot",
            content:
              'curl -fsSL -o "$tmp" https://github.com/wal-g/wal-g/releases/download/v3.0.8/wal-g\n' +
              "curl -fs http://127.0.0.1:8008/health\ncurl http://10.0.1.5:8008/\n",
          },
        ],
      }),
    );
    expect(n.packages).toEqual(["patroni", "postgresql-17"]);
    expect(n.aptHosts).toEqual(["apt.postgresql.org"]);
    expect(n.downloads).toEqual(["https://github.com/wal-g/wal-g/releases/download/v3.0.8/wal-g"]);
  });

  it("WAL-G: the own bucket is written (wal-push), the source's only read (wal-fetch)", () => {
    const n = nodeNeeds(
      cloudConfig({
        write_files: [
          {
            path: "/etc/wal-g/walg.json",
            content: JSON.stringify({
              WALG_S3_PREFIX: "s3://own/main",
              AWS_ACCESS_KEY_ID: "AK1",
              AWS_ENDPOINT: "https://storage.yandexcloud.net",
            }),
          },
          { path: "/etc/wal-g/source.json", content: JSON.stringify({ WALG_GS_PREFIX: "gs://theirs/main" }) },
          {
            path: "/etc/patroni/patroni.yml",
            content:
              "archive_command: /usr/local/bin/wal-g --config /etc/wal-g/walg.json wal-push %p\n" +
              "restore_command: /usr/local/bin/wal-g --config /etc/wal-g/source.json wal-fetch %f %p\n",
          },
        ],
      }),
    );
    expect(n.buckets).toEqual([
      {
        kind: "s3",
        bucket: "own",
        access: "readWrite",
        configFile: "/etc/wal-g/walg.json",
        accessKeyId: "AK1",
        endpoint: "https://storage.yandexcloud.net",
      },
      { kind: "gcs", bucket: "theirs", access: "read", configFile: "/etc/wal-g/source.json" },
    ]);
  });

  it("pgBackRest: S3, GCS and posix repositories; archive-get alone is a read", () => {
    const conf = (repo: string) => `[global]\n${repo}\n[main]\npg1-path=/var/lib/postgresql/17/main\n`;
    const n = nodeNeeds(
      cloudConfig({
        write_files: [
          {
            path: "/etc/pgbackrest/pgbackrest.conf",
            content: conf("repo1-type=s3\nrepo1-s3-bucket=b1\nrepo1-s3-key=AK2\nrepo1-s3-endpoint=storage.yandexcloud.net"),
          },
          { path: "/etc/pgbackrest/source.conf", content: conf("repo1-type=gcs\nrepo1-gcs-bucket=b2") },
          { path: "/etc/pgbackrest/local.conf", content: conf("repo1-path=/var/lib/pgbackrest/main") },
          {
            path: "/usr/local/bin/pgha-backup",
            content:
              "pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=main --type=full backup\n" +
              'pgbackrest --config=/etc/pgbackrest/source.conf --stanza=main archive-get %f "%p"\n' +
              "pgbackrest --config=/etc/pgbackrest/local.conf --stanza=main archive-push %p\n",
          },
        ],
      }),
    );
    expect(n.buckets.map((b) => [b.kind, b.bucket, b.access, b.accessKeyId])).toEqual([
      ["s3", "b1", "readWrite", "AK2"],
      ["gcs", "b2", "read", undefined],
      ["posix", "/var/lib/pgbackrest/main", "readWrite", undefined],
    ]);
  });

  it("SSH users are the ones with keys; the default user without keys is none", () => {
    expect(
      nodeNeeds(cloudConfig({ users: ["default", { name: "pgha", ssh_authorized_keys: ["ssh-ed25519 AAAA a"] }, { name: "nokeys" }] }))
        .sshUsers,
    ).toEqual(["pgha"]);
    expect(nodeNeeds(cloudConfig({ hostname: "x" })).sshUsers).toEqual([]);
  });
});
