// The lab's stand-in for a cloud VM's data disk: a sparse image file on a loop
// device, visible (inside the node only) at the device path the plan names,
// e.g. /dev/disk/by-id/virtio-data. The node's own pgha-prepare-disk then
// formats and mounts it for real, and the supervisor mounts it again from the
// node's /etc/fstab at every later boot, as systemd would.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { exec, execAllowFailure } from "../host/exec";
import { plannedDataDisks } from "./firstBootNeeds";
import type { LabContext } from "../cli/labContext";
import { type AttachedDataDisk, DEVICE_DIR, attachedDataDisksFile, nodeDevDisk, nodeDir, readAttachedDataDisks } from "./nodeView";
import type { SynthPlanNode } from "../../synth/plan";

/** Sparse: only what the node writes takes host disk space. */
const DATA_DISK_BYTES = 4 * 1024 ** 3;

/** Host directories the lab had to create as mount points (e.g. /dev/disk on a host without udev). */
const HOST_DIRS_FILE = "host-dirs.json";

export function loopDevicesAvailable(): boolean {
  return existsSync("/dev/loop-control");
}

/** Loop devices currently backed by `image` (after a host reboot: none). */
async function loopsOf(image: string): Promise<string[]> {
  const r = await execAllowFailure("losetup", ["--associated", image, "--noheadings", "--output", "NAME"]);
  return r.code === 0
    ? r.stdout
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
}

function recordHostDir(labDir: string, dir: string): void {
  const file = join(labDir, HOST_DIRS_FILE);
  const dirs: string[] = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
  if (!dirs.includes(dir)) writeFileSync(file, `${JSON.stringify([...dirs, dir], null, 2)}\n`);
}

/** Attach (or re-attach) every data disk the node's first boot will look for; idempotent. */
export async function ensureDataDisks(ctx: LabContext, node: SynthPlanNode): Promise<AttachedDataDisk[]> {
  const planned = plannedDataDisks(ctx, node);
  if (planned.length === 0) return [];
  if (!loopDevicesAvailable())
    throw new Error(`${node.name}: its plan has a data disk and this host has no loop devices (/dev/loop-control)`);
  const disks: AttachedDataDisk[] = [];
  for (const p of planned) {
    if (!p.device.startsWith(`${DEVICE_DIR}/`))
      throw new Error(`${node.name}: data disk ${p.device} is not under ${DEVICE_DIR}; the lab cannot show it in the node`);
    const image = join(nodeDir(ctx.labDir, node.name), "disks", `${basename(p.device)}.img`);
    if (!existsSync(image)) {
      mkdirSync(dirname(image), { recursive: true });
      writeFileSync(image, "");
      truncateSync(image, DATA_DISK_BYTES);
    }
    // Direct I/O: the node's fsync then writes only its own dirty blocks, where a buffered loop
    // device flushes every dirty page of the whole image file (a CI run saw a SIGKILLed node
    // process outlive 30 s of SIGKILLs, most likely waiting in such a flush). Where the host's
    // filesystem cannot do O_DIRECT, losetup only warns and the device stays buffered.
    const loop = (await loopsOf(image))[0] ?? (await exec("losetup", ["--find", "--show", "--direct-io=on", image])).stdout.trim();
    // The node's private /dev/disk (bound over the node's /dev/disk at boot) holds the link.
    const link = join(nodeDevDisk(ctx.labDir, node.name), relative(DEVICE_DIR, p.device));
    mkdirSync(dirname(link), { recursive: true });
    rmSync(link, { force: true });
    symlinkSync(relative(dirname(p.device), loop), link);
    disks.push({ ...p, image, loop });
  }
  writeFileSync(attachedDataDisksFile(ctx.labDir, node.name), `${JSON.stringify(disks, null, 2)}\n`);
  // The node's private /dev/disk is bind-mounted over a host directory, which must exist.
  if (!existsSync(DEVICE_DIR)) {
    mkdirSync(DEVICE_DIR);
    recordHostDir(ctx.labDir, DEVICE_DIR);
  }
  return disks;
}

/** After the node's processes are gone: detach the loop devices backed by its images. */
export async function detachDataDisks(labDir: string, node: string): Promise<string[]> {
  const detached: string[] = [];
  for (const d of readAttachedDataDisks(labDir, node)) {
    for (const loop of await loopsOf(d.image)) {
      await exec("losetup", ["--detach", loop]);
      detached.push(loop);
    }
  }
  return detached;
}

/** Another lab next to this one whose nodes still have data disks (and so mount over the same host dirs). */
function otherLabUsesDataDisks(labDir: string): boolean {
  const labsDir = dirname(labDir);
  return readdirSync(labsDir)
    .filter((l) => join(labsDir, l) !== labDir && existsSync(join(labsDir, l, "nodes")))
    .some((l) => readdirSync(join(labsDir, l, "nodes")).some((n) => readAttachedDataDisks(join(labsDir, l), n).length > 0));
}

/** Remove the host mount points the lab created, if empty and no other lab relies on them. */
export function removeHostDirs(labDir: string): void {
  const file = join(labDir, HOST_DIRS_FILE);
  if (!existsSync(file) || otherLabUsesDataDisks(labDir)) return;
  for (const dir of JSON.parse(readFileSync(file, "utf8")) as string[]) {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
}
