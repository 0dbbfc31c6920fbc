/**
 * Every role's user-data checked by the real cloud-init 22.4 (`cloud-init schema`), our
 * top-level key allowlist checked against cloud-init's own schema file, the shell scripts
 * checked by the shell, the PGDG key by gpg, and pgha-prepare-disk run on a loop device.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { planAddresses } from "../../lib/config";
import {
  CLOUD_CONFIG_KEYS,
  FIRST_BOOT_SCRIPT,
  PGDG_ARCHIVE_KEY,
  PGDG_KEY_FINGERPRINT,
  PREPARE_DISK_SCRIPT,
  renderPrepareDiskScript,
  unknownCloudConfigKeys,
} from "../../lib/render/cloudInit";
import type { ClusterPasswords, HaproxyNodeModel, NodeFile, OsFamily, PatroniNodeModel, TlsMaterial } from "../../lib/render/model";
import { userDataForClientNode, userDataForEtcdNode, userDataForHaproxyNode, userDataForPatroniNode } from "../../lib/render/nodeFiles";
import { etcdMemberModel, labTopology, patroniNodeModel, testPasswords } from "../support/fixtures";

const run = promisify(execFile);
const OSES: OsFamily[] = ["ubuntu-22.04", "ubuntu-24.04", "debian-12"];
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
  return { ...m, os, backups: { ...m.backups!, s3AccessKeyId: "AKID", s3SecretAccessKey: S3_SECRET }, passwords: { ...m.passwords, backupEncryptionKey: HEX_KEY } };
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
    "patroni-pgbackrest": userDataForPatroniNode({ ...patroniNodeModel(t, "main", 1), os }, { packages: "install", tls: PEM, dataDisk: { ...disk, fsType: "xfs" } }),
    haproxy: userDataForHaproxyNode(haproxyModel(), { packages: "install", os, opsUser }),
    client: userDataForClientNode({ hostname: "lab-client-0", os, postgresMajor: 16 }, { packages: "install" }),
  };
}

async function schema(file: string): Promise<{ code: number; output: string }> {
  try {
    const r = await run("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
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
        expect(r.output, `${os} ${r.role}`).toContain("Valid cloud-config");
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
    expect(r.output).toMatch(/not of type 'array'/);
  });

  it("a misspelled top-level key passes cloud-init schema, which is why the allowlist exists", async () => {
    const file = path.join(dir, "typo.yaml");
    const text = "#cloud-config\nwrite_file:\n  - path: /etc/x\n    content: y\nruncmd:\n  - [echo, hi]\n";
    writeFileSync(file, text);
    const r = await schema(file);
    expect(r.code).toBe(0);
    expect(unknownCloudConfigKeys(YAML.parse(text))).toEqual(["write_file"]);
  });

  it("the allowlist is exactly the top-level keys of the installed cloud-init schema", () => {
    const s = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as { allOf: { $ref: string }[]; $defs: Record<string, { properties?: object }> };
    const keys = new Set<string>();
    for (const ref of s.allOf) for (const k of Object.keys(s.$defs[ref.$ref.split("/").pop()!].properties ?? {})) keys.add(k);
    expect([...CLOUD_CONFIG_KEYS].sort()).toEqual([...keys].sort());
  });
});

describe("write_files", () => {
  it("every file whose content holds a password or key is 0600, on every role", () => {
    const secrets = [
      ...passwordValues(testPasswords(labTopology().clusters[0])),
      S3_SECRET,
      HEX_KEY,
      "vrrp-pw1",
      "PRIVATE KEY",
    ];
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

  it("the shell scripts are valid POSIX sh (dash) and bash", () => {
    const texts = Object.values(userDataSet("debian-12"));
    const scripts = texts.flatMap((t) => (YAML.parse(t).write_files as NodeFile[]).filter((f) => f.content.startsWith("#!/bin/sh")));
    expect(scripts.map((s) => s.path)).toEqual(expect.arrayContaining([FIRST_BOOT_SCRIPT, PREPARE_DISK_SCRIPT, "/usr/local/bin/pgha-backup"]));
    for (const s of scripts) {
      for (const shell of ["dash", "bash"]) {
        const r = spawnSync(shell, ["-n"], { input: s.content, encoding: "utf8" });
        expect(r.status, `${shell} -n ${s.path}: ${r.stderr}`).toBe(0);
      }
    }
  });

  it("the embedded PGDG key is apt.postgresql.org's signing key", () => {
    const home = mkdtempSync(path.join(dir, "gnupg-"));
    const out = execFileSync("gpg", ["--homedir", home, "--show-keys", "--with-colons"], { input: PGDG_ARCHIVE_KEY, encoding: "utf8" });
    expect(out.split("\n").filter((l) => l.startsWith("fpr:"))[0]).toContain(PGDG_KEY_FINGERPRINT);
  });
});

describe("pgha-prepare-disk on a real block device", () => {
  let sh: string;
  let loop: string | undefined;
  let image: string;
  let mnt: string;
  let fstab: string;

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
    if (mnt && spawnSync("mountpoint", ["-q", mnt]).status === 0) execFileSync("umount", [mnt]);
    if (loop) execFileSync("losetup", ["-d", loop]);
  });

  const prepare = () => spawnSync(sh, [loop!, mnt, "ext4", "postgres", "0755"], { encoding: "utf8", env: { ...process.env, PGHA_FSTAB: fstab } });

  it("formats a blank disk once, mounts it by UUID with nofail and hands it to the owner", () => {
    const r = prepare();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("is blank: creating ext4");
    const uuid = execFileSync("blkid", ["-p", "-s", "UUID", "-o", "value", loop!], { encoding: "utf8" }).trim();
    expect(readFileSync(fstab, "utf8")).toContain(`UUID=${uuid} ${mnt} ext4 defaults,nofail,noatime 0 2\n`);
    expect(spawnSync("mountpoint", ["-q", mnt]).status).toBe(0);
    expect(statSync(mnt).uid).toBe(Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })));
  });

  it("never reformats a disk that holds data, and does not duplicate the fstab entry", () => {
    mkdirSync(path.join(mnt, "15", "main"), { recursive: true });
    writeFileSync(path.join(mnt, "15", "main", "PG_VERSION"), "15\n");
    execFileSync("umount", [mnt]);
    const r = prepare();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("creating");
    expect(existsSync(path.join(mnt, "15", "main", "PG_VERSION"))).toBe(true);
    expect(readFileSync(fstab, "utf8").match(/^UUID=/gm)).toHaveLength(1);
  });

  it("refuses a disk carrying a partition table instead of formatting over it", () => {
    execFileSync("umount", [mnt]);
    execFileSync("wipefs", ["-a", "-q", loop!]);
    execFileSync("sfdisk", ["-q", loop!], { input: "label: gpt\n,,L\n" });
    const r = prepare();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not touching it/);
    expect(spawnSync("mountpoint", ["-q", mnt]).status).not.toBe(0);
  });
});
