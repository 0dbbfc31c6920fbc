// A lab node's root filesystem: a copy-on-write root over the Debian 13 image, like a VM's disk
// made from a cloud image.
//
//   lower:  a package layer (what the node's own apt install produced the first time this
//           package set was installed, see image/packageLayer.ts) over the base image
//   upper:  <labDir>/nodes/<node>/upper, the node's own files (everything it writes)
//
// The overlay is mounted inside the node's private mount namespace only (image/enter-root.sh),
// with fresh tmpfs /run and /tmp at every boot, /proc, the node's network namespace's /sys and
// /dev. Files the lab puts on a node before its first boot (the NoCloud seed, the systemctl
// stand-in) are written straight into its upper directory. The layers a node was created on are
// recorded with it and kept for its life, as a VM's disk keeps its image.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A data disk the lab attached for a node (see dataDisk.ts); recorded in the node's directory. */
export interface AttachedDataDisk {
  device: string;
  mountpoint: string;
  image: string;
  loop: string;
}

/** Data disk device paths live under here; a node with disks gets a private copy of it. */
export const DEVICE_DIR = "/dev/disk";

export interface NodeRoot {
  /** Overlay lower layers, top first. */
  lower: string[];
  upper: string;
  work: string;
  /** Where the overlay is mounted (inside the node's mount namespace only). */
  mountpoint: string;
  /** The node's private /dev/disk (data disk links), when it has data disks. */
  devDisk?: string;
}

export function nodeDir(labDir: string, node: string): string {
  return join(labDir, "nodes", node);
}

/** The node's own files (its overlay upper): where the lab writes before first boot. */
export function nodeRootfs(labDir: string, node: string): string {
  return join(nodeDir(labDir, node), "upper");
}

export function nodeDevDisk(labDir: string, node: string): string {
  return join(nodeDir(labDir, node), "dev-disk");
}

export function attachedDataDisksFile(labDir: string, node: string): string {
  return join(nodeDir(labDir, node), "data-disks.json");
}

export function readAttachedDataDisks(labDir: string, node: string): AttachedDataDisk[] {
  const file = attachedDataDisksFile(labDir, node);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as AttachedDataDisk[]) : [];
}

const rootFile = (labDir: string, node: string) => join(nodeDir(labDir, node), "root.json");

/** The node's root as recorded at its creation, if it was created. */
export function readNodeRoot(labDir: string, node: string): NodeRoot | undefined {
  const f = rootFile(labDir, node);
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as NodeRoot) : undefined;
}

/**
 * Create the node's root over `lower` (first boot), or return the one it was created with:
 * a node never moves to other layers under its own files.
 */
export function ensureNodeRoot(labDir: string, node: string, lower: string[]): NodeRoot {
  const existing = readNodeRoot(labDir, node);
  const dir = nodeDir(labDir, node);
  // Nodes' files (keys, passwords: 0600 to uids that differ between layers) are root's alone on the host.
  mkdirSync(join(labDir, "nodes"), { recursive: true, mode: 0o700 });
  chmodSync(join(labDir, "nodes"), 0o700);
  const root: NodeRoot = existing ?? { lower, upper: nodeRootfs(labDir, node), work: join(dir, "work"), mountpoint: join(dir, "root") };
  for (const l of root.lower)
    if (!existsSync(l))
      throw new Error(`node ${node}: its image layer ${l} is gone from the cache; remove the node (pgha lab down) and boot it again`);
  for (const d of [root.upper, root.work, root.mountpoint]) mkdirSync(d, { recursive: true, mode: 0o755 });
  root.devDisk = readAttachedDataDisks(labDir, node).length > 0 ? nodeDevDisk(labDir, node) : undefined;
  if (root.devDisk) mkdirSync(root.devDisk, { recursive: true });
  writeFileSync(rootFile(labDir, node), `${JSON.stringify(root, null, 2)}\n`);
  return root;
}
