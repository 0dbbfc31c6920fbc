// At boot systemd mounts what /etc/fstab lists; the lab supervisor does the
// same for a node's data disks (the entries pgha-prepare-disk wrote), and for
// nothing else: the node's /etc is a copy of the host's, whose own entries
// (the host's root disk) must never be mounted inside a node.
import { existsSync, readFileSync } from "node:fs";
import { execAllowFailure } from "../host/exec";

export interface FstabEntry {
  spec: string;
  mountpoint: string;
  fsType: string;
  options: string[];
}

export function parseFstab(text: string): FstabEntry[] {
  const entries: FstabEntry[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const [spec, mountpoint, fsType, options] = line.split(/\s+/);
    if (!spec || !mountpoint || !fsType) continue;
    entries.push({ spec, mountpoint, fsType, options: (options ?? "defaults").split(",") });
  }
  return entries;
}

/** The entries to mount at boot: the node's data disk mount points, unless noauto. */
export function bootMounts(entries: FstabEntry[], dataDiskMounts: string[]): FstabEntry[] {
  return entries.filter((e) => dataDiskMounts.includes(e.mountpoint) && !e.options.includes("noauto"));
}

function mounted(mountpoint: string, mountinfo: string): boolean {
  return mountinfo.split("\n").some((l) => l.split(" ")[4] === mountpoint);
}

/** Mount each data disk listed in the node's fstab; a failure is logged (the entries carry nofail), not fatal. */
export async function mountDataDisksFromFstab(dataDiskMounts: string[], log: (line: string) => void, fstab = "/etc/fstab"): Promise<void> {
  if (dataDiskMounts.length === 0 || !existsSync(fstab)) return;
  for (const e of bootMounts(parseFstab(readFileSync(fstab, "utf8")), dataDiskMounts)) {
    if (mounted(e.mountpoint, readFileSync("/proc/self/mountinfo", "utf8"))) continue;
    const r = await execAllowFailure("mount", ["--fstab", fstab, e.mountpoint]);
    log(r.code === 0 ? `mounted ${e.spec} on ${e.mountpoint} (fstab)` : `could not mount ${e.spec} on ${e.mountpoint}: ${r.stderr.trim()}`);
  }
}
