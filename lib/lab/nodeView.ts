// A lab node's private filesystem view.
//
// Each node runs inside its own mount namespace in which per-node host
// directories (<labDir>/nodes/<node>/rootfs/...) are bind-mounted over the
// real paths, so the node's files land exactly where its user-data names
// them (/etc/patroni/patroni.yml, /var/lib/postgresql, /run/postgresql/.s.PGSQL.5432)
// without colliding with other nodes or touching the host. Everything not
// listed (/usr, /lib, /bin, ...) is the host's, read as the "VM image".
//
// - /etc is a per-node copy of the host's /etc taken at first boot (so
//   cloud-init may add users, write /etc/hosts, /etc/default/*, ...), with
//   /etc/systemd/system emptied: the lab image has the packages installed
//   but no service enabled; the user-data enables what the node runs.
// - state directories start empty (owner/mode copied from the host path);
//   /var/log keeps the host's directory skeleton (no files).
// - /run and /tmp are volatile: emptied at every boot, like tmpfs.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { exec } from "./exec";

export type SeedKind = "copy" | "skeleton" | "empty";

export interface NodeViewMount {
  /** Path inside the node, e.g. "/etc". */
  target: string;
  /** Per-node host directory bind-mounted over it (for an overlay: the upper directory). */
  source: string;
  seed: SeedKind;
  /** Emptied at every boot of the node. */
  volatile: boolean;
  /** Copy-on-write over the host's directory instead of a bind mount; `opaque` subdirectories start empty. */
  overlay?: { work: string; opaque: string[] };
}

/** A data disk the lab attached for a node (see dataDisk.ts); recorded in the node's directory. */
export interface AttachedDataDisk {
  device: string;
  mountpoint: string;
  image: string;
  loop: string;
}

/** Data disk device paths live under here; a node with disks gets a private copy of it. */
export const DEVICE_DIR = "/dev/disk";

/** What is private to a node, and how it is initialised. Order: parents first. */
export const NODE_VIEW_LAYOUT: ReadonlyArray<{ path: string; seed: SeedKind; volatile?: boolean }> = [
  { path: "/etc", seed: "copy" },
  { path: "/home", seed: "empty" },
  { path: "/root", seed: "empty" },
  { path: "/srv", seed: "empty" },
  { path: "/run", seed: "empty", volatile: true },
  { path: "/tmp", seed: "empty", volatile: true },
  { path: "/var/tmp", seed: "empty" },
  { path: "/var/log", seed: "skeleton" },
  { path: "/var/lib/cloud", seed: "empty" },
  { path: "/var/lib/postgresql", seed: "empty" },
  { path: "/var/lib/etcd", seed: "empty" },
  { path: "/var/lib/pgbackrest", seed: "empty" },
  { path: "/var/lib/haproxy", seed: "skeleton" },
  { path: "/var/lib/keepalived", seed: "empty" },
  { path: "/var/spool/pgbackrest", seed: "empty" },
  // user-data installs scripts here (pgha-first-boot, pgha-backup); a fresh VM has them empty.
  { path: "/usr/local/bin", seed: "empty" },
  { path: "/usr/local/sbin", seed: "empty" },
];

export function nodeDir(labDir: string, node: string): string {
  return join(labDir, "nodes", node);
}

export function nodeRootfs(labDir: string, node: string): string {
  return join(nodeDir(labDir, node), "rootfs");
}

const VAR_LIB = "/var/lib";

export function attachedDataDisksFile(labDir: string, node: string): string {
  return join(nodeDir(labDir, node), "data-disks.json");
}

export function readAttachedDataDisks(labDir: string, node: string): AttachedDataDisk[] {
  const file = attachedDataDisksFile(labDir, node);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as AttachedDataDisk[]) : [];
}

/**
 * The mounts that make up a node's view. A node with data disks differs the
 * way a cloud VM does: a disk's mount point (/var/lib/postgresql) must be a
 * plain directory of the root disk until pgha-prepare-disk mounts the disk on
 * it. So /var/lib becomes a copy-on-write overlay of the host's (the "image"),
 * the mount points start empty (opaque: the host's own files never show), and
 * no bind mount covers them. /dev/disk is private, holding the disk links.
 */
export function nodeViewMounts(labDir: string, node: string): NodeViewMount[] {
  const root = nodeRootfs(labDir, node);
  const diskMounts = readAttachedDataDisks(labDir, node).map((d) => d.mountpoint);
  const mounts: NodeViewMount[] = [];
  for (const l of NODE_VIEW_LAYOUT) {
    if (diskMounts.includes(l.path)) continue;
    if (diskMounts.length > 0 && l.path.startsWith("/var/lib/") && !mounts.some((m) => m.target === VAR_LIB)) {
      const opaque = diskMounts.filter((d) => d.startsWith(`${VAR_LIB}/`)).map((d) => d.slice(VAR_LIB.length + 1));
      mounts.push({ target: VAR_LIB, source: join(root, "var-lib-upper"), seed: "empty", volatile: false, overlay: { work: join(root, "var-lib-work"), opaque } });
    }
    mounts.push({ target: l.path, source: join(root, l.path), seed: l.seed, volatile: l.volatile ?? false });
  }
  if (diskMounts.length > 0) mounts.push({ target: DEVICE_DIR, source: join(root, DEVICE_DIR), seed: "empty", volatile: false });
  return mounts;
}

/** True if `path` is hidden inside the view by one of the mounts (e.g. a state dir under /tmp). */
export function coveringMount(mounts: NodeViewMount[], path: string): NodeViewMount | undefined {
  return mounts.find((m) => path === m.target || path.startsWith(`${m.target}/`));
}

function defaultStickyMode(target: string): number {
  return target === "/tmp" || target === "/var/tmp" ? 0o1777 : 0o755;
}

/** Create `dir` with the owner/mode of `like` (a host path) when it exists. */
function mkdirLike(dir: string, like: string, fallbackMode: number): void {
  mkdirSync(dir, { recursive: true });
  if (existsSync(like)) {
    const st = statSync(like);
    chownSync(dir, st.uid, st.gid);
    chmodSync(dir, st.mode & 0o7777);
  } else {
    chmodSync(dir, fallbackMode);
  }
}

function copySkeleton(from: string, to: string): void {
  mkdirLike(to, from, 0o755);
  if (!existsSync(from)) return;
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copySkeleton(join(from, e.name), join(to, e.name));
  }
}

/**
 * Host side, before the node's first boot: create and seed every source
 * directory that does not exist yet (later boots keep the node's data).
 * Seeds go to a temp dir renamed into place, so an interrupted seed is redone.
 */
export async function prepareNodeRootfs(mounts: NodeViewMount[]): Promise<void> {
  for (const m of mounts) {
    if (m.overlay) {
      prepareOverlay(m, m.overlay);
      continue;
    }
    if (existsSync(m.source)) continue;
    const tmp = `${m.source}.seeding`;
    rmSync(tmp, { recursive: true, force: true });
    if (m.seed === "copy" && existsSync(m.target)) {
      mkdirSync(tmp, { recursive: true });
      await exec("cp", ["-a", `${m.target}/.`, `${tmp}/`]);
      mkdirLike(tmp, m.target, 0o755);
      if (m.target === "/etc") {
        // No service of the host "image" is enabled in a lab node.
        rmSync(join(tmp, "systemd/system"), { recursive: true, force: true });
        mkdirSync(join(tmp, "systemd/system"), { recursive: true });
      }
    } else if (m.seed === "skeleton") {
      copySkeleton(m.target, tmp);
    } else {
      mkdirLike(tmp, m.target, defaultStickyMode(m.target));
    }
    renameSync(tmp, m.source);
  }
}

/** Upper and work directories of an overlay; each opaque subdirectory hides the host's contents. */
function prepareOverlay(m: NodeViewMount, o: { work: string; opaque: string[] }): void {
  if (existsSync(m.source)) return;
  const tmp = `${m.source}.seeding`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirLike(tmp, m.target, 0o755);
  for (const sub of o.opaque) {
    const dir = join(tmp, sub);
    mkdirLike(dir, join(m.target, sub), 0o755);
    setxattrSync(dir, "trusted.overlay.opaque", "y");
  }
  mkdirSync(o.work, { recursive: true });
  renameSync(tmp, m.source);
}

/** Node has no setxattr: Debian's python3 does it (the `attr` package is not installed). */
function setxattrSync(path: string, name: string, value: string): void {
  execFileSync("/usr/bin/python3", ["-c", "import os, sys; os.setxattr(sys.argv[1], sys.argv[2], sys.argv[3].encode())", path, name, value]);
}

/**
 * Inside the node's (private) mount namespace, at boot: empty volatile
 * sources, make sure every mount point exists, bind-mount each source over
 * its target, give the node its own /dev/shm. Refuses to run in the
 * launcher's (host's) mount namespace, where it would shadow the host's /etc.
 */
export async function applyNodeViewMounts(mounts: NodeViewMount[], launcherMntNs: string): Promise<void> {
  if (readlinkSync("/proc/self/ns/mnt") === launcherMntNs) {
    throw new Error("refusing to set up a node view in the launcher's mount namespace (start under `unshare --mount --propagation private`)");
  }
  for (const m of mounts) {
    if (!existsSync(m.source)) throw new Error(`node view source ${m.source} missing (prepareNodeRootfs not run?)`);
    if (m.overlay) {
      await exec("mount", ["-t", "overlay", "overlay", "-o", `lowerdir=${m.target},upperdir=${m.source},workdir=${m.overlay.work}`, m.target]);
      continue;
    }
    if (m.volatile) {
      for (const e of readdirSync(m.source)) rmSync(join(m.source, e), { recursive: true, force: true });
    }
    // A missing mount point (e.g. /var/lib/cloud on a host without cloud-init
    // state) has to exist on the host filesystem: an empty directory.
    if (!existsSync(m.target)) mkdirSync(m.target, { recursive: true });
    await exec("mount", ["--bind", m.source, m.target]);
  }
  await exec("mount", ["-t", "tmpfs", "-o", "mode=1777,nosuid,nodev", "tmpfs", "/dev/shm"]);
}
