/**
 * Every role's user-data, for every OS pgha renders for, checked by the cloud-init Debian 13
 * nodes boot with (the tools image's cloud-init 25.1, `cloud-init schema`; test/support/image.ts),
 * our top-level key allowlist checked against that cloud-init's own schema file, the shell
 * scripts checked by the image's dash and bash, and pgha-prepare-disk run by the image's sh
 * and util-linux/e2fsprogs on a loop device. The PGDG key is checked by the host's gpg (the
 * image has none; the key is data, checked against its published fingerprint).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { OS_IMAGES, planAddresses } from "../../packages/pgha/lib/config";
import {
  CLOUD_CONFIG_KEYS,
  FIRST_BOOT_SCRIPT,
  PGDG_ARCHIVE_KEY,
  PGDG_KEY_FINGERPRINT,
  PREPARE_DISK_SCRIPT,
  renderPrepareDiskScript,
  unknownCloudConfigKeys,
} from "../../packages/pgha/lib/render/cloudInit";
import type {
  ClusterPasswords,
  HaproxyNodeModel,
  NodeFile,
  OsFamily,
  PatroniNodeModel,
  TlsMaterial,
} from "../../packages/pgha/lib/render/model";
import {
  userDataForClientNode,
  userDataForEtcdNode,
  userDataForHaproxyNode,
  userDataForPatroniNode,
} from "../../packages/pgha/lib/render/nodeFiles";
import { etcdMemberModel, labTopology, patroniNodeModel, testPasswords } from "../support/fixtures";
import { imageFile, imageIds, imagePostgresMajor, runImage, runImageSync } from "../support/image";

/** Every OS a stack may name. */
const OSES: readonly OsFamily[] = OS_IMAGES;
/** cloud-init's schema, as the image's package installs it. */
const SCHEMA_FILE = "/usr/lib/python3/dist-packages/cloudinit/config/schemas/schema-cloud-config-v1.json";
const PEM: TlsMaterial = {
  caCert: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
  cert: "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n",
  key: "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n",
};
const HEX_KEY = "5a".repeat(32);
const S3_SECRET = "s3-secret-value";

/** Every secret string in a ClusterPasswords. */
function passwordValues(p: ClusterPasswords): string[] {
  const { roles, ...rest } = p;
  return [...Object.values(rest).filter((v): v is string => typeof v === "string"), ...Object.values(roles)];
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "pgha-cloud-init-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function walgModel(os: OsFamily): PatroniNodeModel {
  const t = labTopology((i) => {
    i.clusters[0].backups = { tool: "walg", storage: { kind: "s3", bucket: "pgha-lab", endpoint: "https://storage.example.net" } };
  });
  const m = patroniNodeModel(t, "main", 0);
  return {
    ...m,
    os,
    backups: { ...m.backups!, s3AccessKeyId: "AKID", s3SecretAccessKey: S3_SECRET },
    passwords: { ...m.passwords, backupEncryptionKey: HEX_KEY },
  };
}

function haproxyModel(): HaproxyNodeModel {
  const t = labTopology();
  const plan = planAddresses(t);
  const c = t.clusters[0];
  const member = (n: { name: string; ip: string }) => ({ name: n.name, ip: n.ip });
  const nodes = plan.nodes.filter((n) => n.role === "haproxy" && n.component === "main").map(member);
  return {
    cluster: "main",
    spec: c.haproxy,
    node: nodes[0],
    peers: nodes,
    backends: plan.nodes.filter((n) => n.role === "patroni" && n.component === "main").map(member),
    backendPort: c.pgbouncer.port,
    patroniRestPort: c.patroni.restApiPort,
    restApiTls: true,
    restApiCaCert: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
    vip: { ip: plan.vips[0].ip, prefixLength: 24, priority: 150, authPass: "vrrp-pw1" },
  };
}

/** Every role on one OS, as a cloud VM renders it (packages installed, data disks attached). */
function userDataSet(os: OsFamily): Record<string, string> {
  const t = labTopology();
  const disk = { device: "/dev/disk/by-id/virtio-data" };
  const opsUser = { name: "pgha", sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestsOnly pgha@test"] };
  return {
    etcd: userDataForEtcdNode(etcdMemberModel(t, 0), { packages: "install", os, tls: PEM, dataDisk: disk, opsUser }),
    "patroni-walg": userDataForPatroniNode(walgModel(os), { packages: "install", tls: PEM, dataDisk: disk, opsUser }),
    "patroni-pgbackrest": userDataForPatroniNode(
      { ...patroniNodeModel(t, "main", 1), os },
      { packages: "install", tls: PEM, dataDisk: { ...disk, fsType: "xfs" } },
    ),
    haproxy: userDataForHaproxyNode(haproxyModel(), { packages: "install", os, opsUser }),
    client: userDataForClientNode({ hostname: "lab-client-0", os, postgresMajor: 16 }, { packages: "install" }),
  };
}

async function schema(file: string): Promise<{ code: number; output: string }> {
  const r = await runImage(["cloud-init", "schema", "--config-file", file], { binds: [dir] });
  return { code: r.code, output: r.stdout + r.stderr };
}

describe("cloud-init schema", () => {
  for (const os of OSES) {
    it(`every role's user-data is valid cloud-config on ${os}`, async () => {
      const docs = userDataSet(os);
      const results = await Promise.all(
        Object.entries(docs).map(async ([role, text]) => {
          const file = path.join(dir, `${os}-${role}.yaml`);
          writeFileSync(file, text);
          return { role, ...(await schema(file)) };
        }),
      );
      for (const r of results) {
        // cloud-init 25.1's verdict, and nothing else (no deprecation or other notes).
        expect(r.output, `${os} ${r.role}`).toBe(`Valid schema ${path.join(dir, `${os}-${r.role}.yaml`)}\n`);
        expect(r.code, `${os} ${r.role}: ${r.output}`).toBe(0);
      }
      for (const [role, text] of Object.entries(docs)) expect(unknownCloudConfigKeys(YAML.parse(text)), `${os} ${role}`).toEqual([]);
    });
  }

  it("cloud-init itself rejects a wrongly typed value (the schema check can fail)", async () => {
    const file = path.join(dir, "bad-type.yaml");
    writeFileSync(file, "#cloud-config\npackages: postgresql-16\n");
    const r = await schema(file);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/packages: 'postgresql-16' is not of type 'array'/);
    expect(r.output).toMatch(/^Invalid user-data /m);
  });

  it("a misspelled top-level key: cloud-init 25.1 rejects it, and so does the allowlist (22.4 took it silently)", async () => {
    const file = path.join(dir, "typo.yaml");
    const text = "#cloud-config\nwrite_file:\n  - path: /etc/x\n    content: y\nruncmd:\n  - [echo, hi]\n";
    writeFileSync(file, text);
    const r = await schema(file);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/write_file: Additional properties are not allowed \('write_file' was unexpected\)/);
    // Debian 12 and Ubuntu 22.04 nodes boot with cloud-init 22.4, which drops the key without a word.
    expect(unknownCloudConfigKeys(YAML.parse(text))).toEqual(["write_file"]);
  });

  it("the allowlist (cloud-init 22.4's top-level keys) is known to the nodes' cloud-init 25.1, which adds only newer keys", () => {
    // 25.1's schema lists every top-level key it accepts (`properties`, additionalProperties false).
    const s = JSON.parse(readFileSync(imageFile(SCHEMA_FILE), "utf8")) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(s.additionalProperties).toBe(false);
    const keys = Object.keys(s.properties);
    expect(CLOUD_CONFIG_KEYS.filter((k) => !keys.includes(k))).toEqual([]);
    // Keys 22.4's schema did not have (the allowlist matched 22.4's exactly when the tests ran it):
    // pgha does not allow them, as user-data using them would be half-ignored on 22.4 nodes.
    expect(keys.filter((k) => !CLOUD_CONFIG_KEYS.includes(k)).sort()).toEqual(
      ["create_hostname_file", "launch-index", "merge_how", "merge_type", "output", "system_info", "ubuntu_pro", "version"].sort(),
    );
  });
});

describe("write_files", () => {
  it("every file whose content holds a password or key is 0600, on every role", () => {
    const secrets = [...passwordValues(testPasswords(labTopology().clusters[0])), S3_SECRET, HEX_KEY, "vrrp-pw1", "PRIVATE KEY"];
    let holding = 0;
    for (const text of Object.values(userDataSet("ubuntu-22.04"))) {
      for (const f of YAML.parse(text).write_files as NodeFile[]) {
        if (secrets.some((s) => f.content.includes(s))) {
          holding++;
          expect(f.permissions, f.path).toBe("0600");
        }
      }
    }
    expect(holding).toBeGreaterThanOrEqual(10);
  });

  it("the shell scripts are valid POSIX sh (dash) and bash, on every OS", () => {
    // Each distinct script once, as a file; one run of the image's shells checks them all and
    // prints "<shell> <file> <exit code>" per check, so every verdict is seen.
    const files = new Map<string, string>();
    for (const os of OSES) {
      const texts = Object.values(userDataSet(os));
      const scripts = texts.flatMap((t) => (YAML.parse(t).write_files as NodeFile[]).filter((f) => f.content.startsWith("#!/bin/sh")));
      expect(scripts.map((s) => s.path)).toEqual(
        expect.arrayContaining([FIRST_BOOT_SCRIPT, PREPARE_DISK_SCRIPT, "/usr/local/bin/pgha-backup"]),
      );
      for (const s of scripts)
        if (!files.has(s.content)) files.set(s.content, path.join(dir, `script-${files.size}-${os}-${path.basename(s.path)}`));
    }
    // ...plus one that must fail, so the check can.
    files.set("#!/bin/sh\nif true; then echo x\n", path.join(dir, "broken.sh"));
    for (const [content, file] of files) writeFileSync(file, content);
    const r = runImageSync(
      ["sh", "-c", 'for f; do for sh in dash bash; do "$sh" -n "$f"; echo "$sh $f $?"; done; done', "check", ...files.values()],
      { binds: [dir] },
    );
    expect(r.code).toBe(0);
    const verdicts = r.stdout.trim().split("\n");
    expect(verdicts).toHaveLength(2 * files.size);
    const failed = verdicts.filter((v) => !v.endsWith(" 0"));
    expect(failed, r.stderr).toEqual([`dash ${path.join(dir, "broken.sh")} 2`, `bash ${path.join(dir, "broken.sh")} 2`]);
    expect(r.stderr).toMatch(/Syntax error/);
  });

  it("the embedded PGDG key is apt.postgresql.org's signing key", () => {
    const home = mkdtempSync(path.join(dir, "gnupg-"));
    const out = execFileSync("gpg", ["--homedir", home, "--show-keys", "--with-colons"], { input: PGDG_ARCHIVE_KEY, encoding: "utf8" });
    expect(out.split("\n").filter((l) => l.startsWith("fpr:"))[0]).toContain(PGDG_KEY_FINGERPRINT);
  });
});

describe("pgha-prepare-disk on a real block device", () => {
  // The loop device is the host's (losetup); everything else runs in the image, in a private
  // mount namespace that ends with each run: the script's mount is checked by commands run
  // after it in the same namespace, and files written to the disk live on the disk only.
  let sh: string;
  let loop: string | undefined;
  let image: string;
  let mnt: string;
  let fstab: string;
  const major = String(imagePostgresMajor());

  beforeAll(() => {
    sh = path.join(dir, "pgha-prepare-disk");
    writeFileSync(sh, renderPrepareDiskScript(), { mode: 0o755 });
    image = path.join(dir, "disk.img");
    execFileSync("truncate", ["-s", "64M", image]);
    loop = execFileSync("losetup", ["--find", "--show", image], { encoding: "utf8" }).trim();
    mnt = path.join(dir, "mnt", "postgresql");
    fstab = path.join(dir, "fstab");
    writeFileSync(fstab, "# test fstab\n");
  });
  afterAll(() => {
    if (loop) execFileSync("losetup", ["-d", loop]);
  });

  /** pgha-prepare-disk on the loop device, then `after` (its stdout is returned) in the same namespace. */
  const prepare = (after: string) => {
    const r = runImageSync(["sh", "-c", `"$@"; rc=$?; ${after}\nexit $rc`, "prepare", sh, loop!, mnt, "ext4", "postgres", "0755"], {
      binds: [dir],
      env: { PGHA_FSTAB: fstab, DEV: loop!, MNT: mnt },
    });
    return { status: r.code, stderr: r.stderr, after: r.stdout };
  };
  const MOUNTED =
    'if mountpoint -q "$MNT"; then echo "mounted owner=$(stat -c %u "$MNT") mode=$(stat -c %a "$MNT")"; else echo "not mounted"; fi';

  it("formats a blank disk once, mounts it by UUID with nofail and hands it to the owner", () => {
    const r = prepare(`${MOUNTED}; echo "uuid=$(blkid -p -s UUID -o value "$DEV")"`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("is blank: creating ext4");
    expect(r.after).toContain(`mounted owner=${imageIds("postgres").uid} mode=755\n`);
    const uuid = /^uuid=(\S+)$/m.exec(r.after)?.[1];
    expect(uuid, r.after).toMatch(/^[0-9a-f-]{36}$/);
    expect(readFileSync(fstab, "utf8")).toContain(`UUID=${uuid} ${mnt} ext4 defaults,nofail,noatime 0 2\n`);
  });

  it("never reformats a disk that holds data, and does not duplicate the fstab entry", () => {
    const data = `"$MNT/${major}/main"`;
    const write = prepare(`${MOUNTED}; mkdir -p ${data} && echo ${major} > ${data}/PG_VERSION && echo written`);
    expect(write.status, write.stderr).toBe(0);
    expect(write.stderr).not.toContain("creating");
    expect(write.after).toMatch(/^mounted owner=\d+ mode=755\nwritten\n$/);
    // The file went to the disk, not to the host's mount point directory.
    expect(existsSync(path.join(mnt, major))).toBe(false);
    const again = prepare(`${MOUNTED}; cat ${data}/PG_VERSION`);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toContain("creating");
    expect(again.after).toMatch(new RegExp(`^mounted owner=\\d+ mode=755\n${major}\n$`));
    expect(readFileSync(fstab, "utf8").match(/^UUID=/gm)).toHaveLength(1);
  });

  it("refuses a disk carrying a partition table instead of formatting over it", () => {
    const wipe = runImageSync(["sh", "-c", 'wipefs -a -q "$DEV" && printf "label: gpt\\n,,L\\n" | sfdisk -q "$DEV"'], {
      env: { DEV: loop! },
    });
    expect(wipe.code, wipe.stderr).toBe(0);
    const r = prepare(MOUNTED);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not touching it/);
    expect(r.after).toBe("not mounted\n");
  });
});
