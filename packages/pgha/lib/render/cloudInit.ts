/**
 * cloud-init user-data (`#cloud-config`) for every pgha VM.
 *
 * Order of events on first boot (cloud-init's module order, 22.4 to 25.1):
 *   init:   write_files (only the non-deferred policy-rc.d and createcluster.d files below)
 *   config: apt (PGDG source + key)
 *   final:  packages -> write_files with `defer: true` (all pgha files: their owners, e.g.
 *           postgres or etcd, exist only once the packages are installed, and files such as
 *           haproxy.cfg must replace the packaged ones) -> runcmd
 * runcmd calls one script, pgha-first-boot, with `set -eu`: cloud-init's own runcmd keeps
 * going after a failing command, and a node that half-configured itself must stop instead.
 *
 * Data disk: prepared by pgha-prepare-disk from runcmd rather than cloud-init's
 * disk_setup/fs_setup/mounts. Those run before packages exist (so they cannot give the mount
 * to postgres or etcd) and write fstab entries by device name; the script formats only a
 * device with no signature at all (blkid -p exit 2), mounts by UUID with nofail, and runs
 * after any cluster 'main' an image brought has been dropped, so a re-attached disk holding
 * a real PGDATA is never touched.
 */
import { Document } from "yaml";
import type { NodeFile, OsFamily } from "./model";
import { redactSecrets, SECRETS_SCRIPT, type SecretStoreRef, secretsNodeFiles } from "./secretRefs";
import { loadTemplate } from "./template";
import { tlsRefreshUnits } from "./tlsRefresh";

/** Every top-level key cloud-init 22.4's cloud-config schema knows (schema-cloud-config-v1.json). */
export const CLOUD_CONFIG_KEYS: readonly string[] = [
  "allow_public_ssh_keys",
  "ansible",
  "apk_repos",
  "apt",
  "apt_pipelining",
  "apt_reboot_if_required",
  "apt_update",
  "apt_upgrade",
  "authkey_hash",
  "autoinstall",
  "bootcmd",
  "byobu_by_default",
  "ca-certs",
  "ca_certs",
  "chef",
  "chpasswd",
  "cloud_config_modules",
  "cloud_final_modules",
  "cloud_init_modules",
  "device_aliases",
  "disable_ec2_metadata",
  "disable_root",
  "disable_root_opts",
  "disk_setup",
  "drivers",
  "fan",
  "final_message",
  "fqdn",
  "fs_setup",
  "groups",
  "growpart",
  "grub-dpkg",
  "grub_dpkg",
  "hostname",
  "keyboard",
  "landscape",
  "locale",
  "locale_configfile",
  "lxd",
  "manage_etc_hosts",
  "manage_resolv_conf",
  "mcollective",
  "migrate",
  "mount_default_fields",
  "mounts",
  "no_ssh_fingerprints",
  "ntp",
  "package_reboot_if_required",
  "package_update",
  "package_upgrade",
  "packages",
  "password",
  "phone_home",
  "power_state",
  "prefer_fqdn_over_hostname",
  "preserve_hostname",
  "puppet",
  "random_seed",
  "reporting",
  "resize_rootfs",
  "resolv_conf",
  "rh_subscription",
  "rsyslog",
  "runcmd",
  "salt_minion",
  "snap",
  "spacewalk",
  "ssh",
  "ssh_authorized_keys",
  "ssh_deletekeys",
  "ssh_fp_console_blacklist",
  "ssh_genkeytypes",
  "ssh_import_id",
  "ssh_key_console_blacklist",
  "ssh_keys",
  "ssh_publish_hostkeys",
  "ssh_pwauth",
  "ssh_quiet_keygen",
  "swap",
  "timezone",
  "ubuntu_advantage",
  "updates",
  "user",
  "users",
  "vendor_data",
  "wireguard",
  "write_files",
  "yum_repo_dir",
  "yum_repos",
  "zypper",
];

/**
 * Top-level keys of a parsed cloud-config that cloud-init 22.4 does not know. `cloud-init
 * schema` accepts unknown top-level keys silently, so a typo (`write_file:`) would otherwise
 * be dropped without a word on a real VM.
 */
export function unknownCloudConfigKeys(doc: unknown): string[] {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return ["<document is not a mapping>"];
  const known = new Set(CLOUD_CONFIG_KEYS);
  return Object.keys(doc).filter((k) => !known.has(k));
}

export function assertKnownCloudConfigKeys(doc: unknown, what = "user-data"): void {
  const unknown = unknownCloudConfigKeys(doc);
  if (unknown.length > 0) throw new Error(`${what}: top-level keys unknown to cloud-init 22.4: ${unknown.join(", ")}`);
}

/** Quote for POSIX sh: single quotes, with embedded single quotes closed and escaped. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export const OS_CODENAMES: Record<OsFamily, string> = {
  "ubuntu-22.04": "jammy",
  "ubuntu-24.04": "noble",
  "debian-12": "bookworm",
  "debian-13": "trixie",
};

/**
 * The PostgreSQL major an OS's own archive ships together with Patroni >= 4 (pgha's floor): only
 * then do postgresql-<major>, patroni, pgbouncer and pgbackrest come without PGDG. Debian 12 (15,
 * Patroni 3.0.2) and Ubuntu ship an older Patroni, so they always take PGDG.
 */
export const DISTRO_POSTGRES_MAJOR: Partial<Record<OsFamily, number>> = { "debian-13": 17 };

/** Whether a node installing postgresql-<major> on `os` needs apt.postgresql.org. */
export function needsPgdg(os: OsFamily, major: number): boolean {
  return DISTRO_POSTGRES_MAJOR[os] !== major;
}

/** apt.postgresql.org signing key (fingerprint B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8), as postgresql-common ships it. */
export const PGDG_KEY_FINGERPRINT = "B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8";
export const PGDG_ARCHIVE_KEY = loadTemplate("apt.postgresql.org.asc");

/** Where the first-boot helpers live; both are written by write_files (root, 0755/0700). */
export const PREPARE_DISK_SCRIPT = "/usr/local/sbin/pgha-prepare-disk";
export const FIRST_BOOT_SCRIPT = "/usr/local/sbin/pgha-first-boot";
/** Present only while cloud-init installs packages: keeps postinst scripts from starting services with packaged defaults. */
const POLICY_RC_D = "/usr/sbin/policy-rc.d";
/**
 * postgresql-common reads this directory (createcluster.conf's include_dir) when a
 * postgresql-<major> postinst decides whether to create and start a cluster 'main' in
 * /var/lib/postgresql/<major>/main: exactly Patroni's data_dir, so it must never exist.
 */
export const CREATECLUSTER_CONF = "/etc/postgresql-common/createcluster.d/00-pgha.conf";

export interface DataDisk {
  /** Stable device path, e.g. /dev/disk/by-id/virtio-pgdata (Yandex) or /dev/disk/by-id/google-pgdata (GCP). */
  device: string;
  mount: string;
  fsType: "ext4" | "xfs";
  /** User that owns the mount point (its login group too). */
  owner: string;
  /** Mode of the mount point; default 0755 (etcd wants 0700). */
  mode?: string;
}

/** A release binary fetched on cloud VMs only (never in tests or the lab), checked by sha256. */
export interface PinnedBinary {
  url: string;
  sha256: string;
  installPath: string;
}

export interface UserDataSpec {
  role: "etcd" | "patroni" | "haproxy" | "client";
  hostname: string;
  os: OsFamily;
  /** pgha's files; written after packages are installed (`defer: true`). */
  files: NodeFile[];
  /** Distribution (or PGDG) packages, installed while policy-rc.d keeps their services down. */
  packages: string[];
  /** Add apt.postgresql.org (`<codename>-pgdg`) so postgresql-<major>, patroni, pgbouncer, pgbackrest come from PGDG. */
  pgdg: boolean;
  dataDisk?: DataDisk;
  /** The node installs postgresql-<major>: no packaged cluster 'main' (Patroni must own PGDATA). */
  postgresMajor?: number;
  /** Packaged units that would fight pgha's (e.g. postgresql.service): stopped and disabled. */
  disableServices?: string[];
  binaries?: PinnedBinary[];
  /** argv lists run by pgha-first-boot after the disk and binaries, before services start. */
  preCommands?: string[][];
  /** Units enabled and (re)started in this order after `systemctl daemon-reload`. */
  services: string[];
  /** The `pgha` ops user lib/ops connects as (sudo without password), when keys are given. */
  opsUser?: { name: string; sshKeys: string[] };
  /**
   * Keep these values out of user-data: each is swapped for a token in `files` (secretRefs.ts),
   * and pgha-secrets puts them back at first boot from `store`, before anything else runs.
   */
  secrets?: NodeSecrets;
}

/** A node's secret values by NAME (token PGHA_SECRET_<NAME>) and where the node reads them. */
export interface NodeSecrets {
  values: Record<string, string>;
  store: SecretStoreRef;
}

function checkFiles(files: NodeFile[]): void {
  const seen = new Set<string>();
  for (const f of files) {
    if (!/^\/[A-Za-z0-9._/@-]+$/.test(f.path)) throw new Error(`write_files: path '${f.path}' must be absolute and plain`);
    if (seen.has(f.path)) throw new Error(`write_files: ${f.path} appears twice`);
    seen.add(f.path);
    if (!/^0[0-7]{3}$/.test(f.permissions)) throw new Error(`write_files: ${f.path} permissions '${f.permissions}' must look like 0644`);
    if (!/^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$/.test(f.owner))
      throw new Error(`write_files: ${f.path} owner '${f.owner}' is not user[:group]`);
    // Last line of defence for the rule "secrets are 0600": private keys are easy to recognise.
    if (/PRIVATE KEY-----/.test(f.content) && f.permissions !== "0600")
      throw new Error(`write_files: ${f.path} holds a private key but has mode ${f.permissions}; keys must be 0600`);
  }
}

/**
 * pgha-prepare-disk <device> <mount> <ext4|xfs> <owner> <mode>. Formats the device only when
 * blkid finds no signature at all (exit 2), so an existing filesystem or partition table is
 * never overwritten; mounts by UUID with nofail (the VM still boots without the disk, and the
 * services' RequiresMountsFor= then keeps them down). PGHA_FSTAB exists for tests only.
 */
export function renderPrepareDiskScript(): string {
  return `#!/bin/sh
# pgha-prepare-disk: format (only if blank), mount by UUID and hand over the data disk. Rendered by pgha.
set -eu
if [ "$#" -ne 5 ]; then echo "usage: $0 DEVICE MOUNTPOINT ext4|xfs OWNER MODE" >&2; exit 2; fi
dev=$1 mnt=$2 fstype=$3 owner=$4 mode=$5
fstab=\${PGHA_FSTAB:-/etc/fstab}
log() { echo "pgha-prepare-disk: $*" >&2; }

# Cloud disks attach asynchronously; wait up to two minutes for the device node.
i=0
while [ ! -b "$dev" ]; do
  i=$((i + 1))
  if [ "$i" -gt 120 ]; then log "$dev did not appear"; exit 1; fi
  sleep 1
done

# blkid -p (low-level probe, no cache) exits 2 when it finds no signature of any kind.
rc=0
blkid -p "$dev" >/dev/null 2>&1 || rc=$?
if [ "$rc" -eq 2 ]; then
  log "$dev is blank: creating $fstype"
  case "$fstype" in
    ext4) mkfs.ext4 -q -L pgha-data -m 1 "$dev" ;;
    xfs) mkfs.xfs -q -L pgha-data "$dev" ;;
    *) log "unsupported filesystem $fstype"; exit 1 ;;
  esac
elif [ "$rc" -ne 0 ]; then
  log "blkid failed on $dev (exit $rc)"; exit 1
fi

uuid=$(blkid -p -s UUID -o value "$dev" || true)
found=$(blkid -p -s TYPE -o value "$dev" || true)
if [ -z "$uuid" ] || [ -z "$found" ]; then
  log "$dev carries a signature but no filesystem (a partition table?); not touching it"; exit 1
fi
if [ "$found" != "$fstype" ]; then log "$dev already holds $found (not $fstype); using it as it is"; fi

mkdir -p "$mnt"
if ! grep -q "^UUID=$uuid " "$fstab"; then
  echo "UUID=$uuid $mnt $found defaults,nofail,noatime 0 2" >>"$fstab"
fi
if ! mountpoint -q "$mnt"; then mount --fstab "$fstab" "$mnt"; fi
chown "$owner:" "$mnt"
chmod "$mode" "$mnt"
log "$dev (UUID $uuid) mounted on $mnt for $owner"
`;
}

function argvLine(argv: string[]): string {
  if (argv.length === 0) throw new Error("preCommands: empty command");
  return argv.map(shellQuote).join(" ");
}

function validUnit(name: string): string {
  if (!/^[A-Za-z0-9@._-]+\.(service|timer|target|socket|mount)$/.test(name)) throw new Error(`'${name}' is not a systemd unit name`);
  return name;
}

/** pgha-first-boot: everything runcmd does, fail-fast. */
export function renderFirstBootScript(spec: UserDataSpec): string {
  const out = [
    "#!/bin/sh",
    `# pgha-first-boot for ${spec.hostname} (${spec.role}): run once by cloud-init's runcmd. Rendered by pgha.`,
    "set -eu",
    'log() { echo "pgha-first-boot: $*"; }',
    "",
  ];
  if (spec.secrets)
    out.push("# pgha-secrets fetch ran first (runcmd); a file still holding a token stops the node here.", `${SECRETS_SCRIPT} check`, "");
  if (spec.packages.length > 0)
    out.push("# Packages are installed: let package scripts manage services again.", `rm -f ${POLICY_RC_D}`, "");

  const ours = spec.services.map(validUnit);
  if (ours.length > 0 || (spec.disableServices ?? []).length > 0) {
    out.push("# Stop whatever the packages started with their default configuration; pgha's units replace them.");
    // `|| true`: a unit may not exist on this image (e.g. no packaged postgresql.service).
    for (const u of spec.disableServices ?? []) out.push(`systemctl disable --now ${validUnit(u)} || true`);
    for (const u of ours) out.push(`systemctl stop ${u} || true`);
    out.push("");
  }

  if (spec.postgresMajor !== undefined) {
    const major = postgresMajorOf(spec);
    const mount = spec.dataDisk?.mount ?? "/var/lib/postgresql";
    out.push(
      `# ${CREATECLUSTER_CONF} kept the packages from creating a cluster 'main', but an image that`,
      "# already had one brings it; Patroni must create PGDATA itself (a foreign one fails with 'system",
      "# identifier mismatch'). Only while the data disk is NOT mounted yet: that cluster lives on the",
      "# root disk, and a re-attached data disk is never touched.",
      `if [ -d /etc/postgresql/${major}/main ] && ! mountpoint -q ${shellQuote(mount)}; then`,
      `  log "dropping the packaged PostgreSQL ${major} cluster 'main'"`,
      `  pg_dropcluster --stop ${major} main`,
      "fi",
      "",
    );
  }

  if (spec.dataDisk) {
    const d = spec.dataDisk;
    const mode = d.mode ?? "0755";
    if (!/^0[0-7]{3}$/.test(mode)) throw new Error(`dataDisk.mode '${mode}' must look like 0755`);
    out.push("# Data disk.", argvLine([PREPARE_DISK_SCRIPT, d.device, d.mount, d.fsType, d.owner, mode]), "");
  }

  for (const b of spec.binaries ?? []) {
    if (!/^[0-9a-f]{64}$/.test(b.sha256)) throw new Error(`binary ${b.url}: sha256 must be 64 lowercase hex digits`);
    if (!/^https:\/\//.test(b.url)) throw new Error(`binary ${b.url}: only https downloads`);
    const dest = shellQuote(b.installPath);
    out.push(
      `# ${b.installPath}: pinned release binary, verified by sha256 before it is installed.`,
      `if ! echo ${shellQuote(`${b.sha256}  ${b.installPath}`)} | sha256sum -c --status - 2>/dev/null; then`,
      "  tmp=$(mktemp)",
      `  curl -fsSL --retry 5 --retry-delay 3 -o "$tmp" ${shellQuote(b.url)}`,
      `  echo "${b.sha256}  $tmp" | sha256sum -c --quiet -`,
      `  install -m 0755 -o root -g root "$tmp" ${dest}`,
      '  rm -f "$tmp"',
      "fi",
      "",
    );
  }

  if ((spec.preCommands ?? []).length > 0) {
    out.push("# Role-specific preparation.");
    for (const c of spec.preCommands ?? []) out.push(argvLine(c));
    out.push("");
  }

  out.push("systemctl daemon-reload");
  if (ours.length > 0) {
    out.push("# enable + restart (not `enable --now`): a unit already running with packaged defaults must restart with pgha's files.");
    for (const u of ours) out.push(`systemctl enable ${u}`, `systemctl restart ${u}`);
  }
  out.push('log "done"', "");
  return out.join("\n");
}

function postgresMajorOf(spec: UserDataSpec): number {
  const major = spec.postgresMajor;
  if (major === undefined || !Number.isInteger(major)) throw new Error("postgresMajor must be a PostgreSQL major number");
  return major;
}

/** Settings for pg_createcluster; create_main_cluster is what the packages' postinst reads. */
export function renderCreateclusterConf(major: number): string {
  return (
    `# pgha: no cluster 'main' from postgresql-${major}'s postinst: Patroni creates ${major}/main itself.\n` +
    `create_main_cluster = false\n`
  );
}

function writeFile(f: NodeFile, defer: boolean): Record<string, unknown> {
  const e: Record<string, unknown> = { path: f.path, content: f.content, owner: f.owner, permissions: f.permissions };
  if (defer) e.defer = true;
  return e;
}

/** The `#cloud-config` document for one VM. Deterministic: same spec, same bytes. */
export function renderUserData(spec: UserDataSpec): string {
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(spec.hostname)) throw new Error(`hostname '${spec.hostname}' is not a valid host name`);
  checkFiles(spec.files);
  const redacted = spec.secrets ? redactSecrets(spec.files, spec.secrets.values) : undefined;
  const files = redacted && spec.secrets ? [...redacted.files, ...secretsNodeFiles(spec.secrets.store, redacted.secretFiles)] : spec.files;
  const fetchSecrets = (redacted?.secretFiles.length ?? 0) > 0;
  // The hourly pickup of renewed certificates, on nodes that have both pgha-secrets and pgha-reload-tls.
  const tlsRefresh = tlsRefreshUnits(
    files,
    (redacted?.secretFiles ?? []).map((f) => f.path),
  );
  const nodeFiles = [...files, ...tlsRefresh.files];
  const services = [...spec.services, ...tlsRefresh.services];
  for (const p of spec.packages) if (!/^[a-z0-9][a-z0-9+.-]+$/.test(p)) throw new Error(`package name '${p}' is not valid`);

  const internal: NodeFile[] = [];
  if (spec.dataDisk)
    internal.push({ path: PREPARE_DISK_SCRIPT, content: renderPrepareDiskScript(), owner: "root:root", permissions: "0755" });
  const firstBoot = renderFirstBootScript({ ...spec, services, secrets: fetchSecrets ? spec.secrets : undefined });
  internal.push({ path: FIRST_BOOT_SCRIPT, content: firstBoot, owner: "root:root", permissions: "0700" });

  // Not deferred: cloud-init's init stage writes these before any package is installed.
  const early: NodeFile[] = [];
  if (spec.postgresMajor !== undefined)
    early.push({
      path: CREATECLUSTER_CONF,
      content: renderCreateclusterConf(postgresMajorOf(spec)),
      owner: "root:root",
      permissions: "0644",
    });
  if (spec.packages.length > 0) {
    // Exit 101 = "action forbidden": package postinst scripts then install services without
    // starting them (no etcd with a throwaway default member, no PgBouncer on default ports).
    early.push({
      path: POLICY_RC_D,
      content: "#!/bin/sh\n# pgha: no service starts while cloud-init installs packages; removed by pgha-first-boot.\nexit 101\n",
      owner: "root:root",
      permissions: "0755",
    });
  }
  checkFiles([...early, ...nodeFiles, ...internal]);
  const writeFiles = [...early.map((f) => writeFile(f, false)), ...[...nodeFiles, ...internal].map((f) => writeFile(f, true))];

  const doc: Record<string, unknown> = {
    hostname: spec.hostname,
    preserve_hostname: false,
    manage_etc_hosts: true,
    timezone: "Etc/UTC",
  };
  if (spec.opsUser && spec.opsUser.sshKeys.length > 0) {
    doc.users = [
      "default",
      {
        name: spec.opsUser.name,
        gecos: "pgha operations",
        shell: "/bin/bash",
        groups: ["adm"],
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        lock_passwd: true,
        ssh_authorized_keys: [...spec.opsUser.sshKeys],
      },
    ];
  }
  if (spec.pgdg) {
    doc.apt = {
      sources: {
        pgdg: {
          // $KEY_FILE: cloud-init stores the key in its own keyring file and the source line is
          // signed-by it, so the PGDG key is trusted for this repository only (no apt-key).
          source: `deb [signed-by=$KEY_FILE] https://apt.postgresql.org/pub/repos/apt ${OS_CODENAMES[spec.os]}-pgdg main`,
          key: PGDG_ARCHIVE_KEY,
        },
      },
    };
  }
  if (spec.packages.length > 0) {
    doc.package_update = true;
    doc.package_upgrade = false;
    doc.packages = [...spec.packages];
  }
  doc.write_files = writeFiles;
  // Secrets first, before any service starts (runcmd runs after packages: service users exist).
  doc.runcmd = fetchSecrets ? [[SECRETS_SCRIPT, "fetch"], [FIRST_BOOT_SCRIPT]] : [[FIRST_BOOT_SCRIPT]];

  assertKnownCloudConfigKeys(doc);
  const text = new Document(doc).toString({ lineWidth: 0 });
  return `#cloud-config\n${text}`;
}
