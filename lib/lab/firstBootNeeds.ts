// What a node's first boot needs from its machine beyond the image: a data disk
// at a stable device path, and pinned release binaries downloaded from the
// internet. Read from the rendered pgha-first-boot script itself, so the lab
// provides exactly what the user-data will look for. Pure.
import { FIRST_BOOT_SCRIPT, PREPARE_DISK_SCRIPT } from "../render/cloudInit";
import type { SynthPlanNode } from "../synth/plan";
import { type LabContext, userDataFiles } from "./labContext";

export interface PlannedDataDisk {
  /** e.g. /dev/disk/by-id/virtio-data */
  device: string;
  /** e.g. /var/lib/postgresql */
  mountpoint: string;
}

export interface PlannedBinary {
  url: string;
  sha256: string;
  installPath: string;
}

const word = String.raw`'?([^'\s]+)'?`;

export function dataDisksInFirstBoot(script: string): PlannedDataDisk[] {
  const re = new RegExp(String.raw`^'?${PREPARE_DISK_SCRIPT}'? ${word} ${word} `, "gm");
  return [...script.matchAll(re)].map((m) => ({ device: m[1], mountpoint: m[2] }));
}

export function binariesInFirstBoot(script: string): PlannedBinary[] {
  const re = /^if ! echo '([0-9a-f]{64}) {2}([^']+)' \| sha256sum -c[^\n]*\n[^\n]*\n\s*curl [^\n]*-o "\$tmp" '?([^'\s]+)'?$/gm;
  return [...script.matchAll(re)].map((m) => ({ sha256: m[1], installPath: m[2], url: m[3] }));
}

function firstBootOf(ctx: LabContext, node: SynthPlanNode): string {
  return userDataFiles(ctx, node).find((f) => f.path === FIRST_BOOT_SCRIPT)?.content ?? "";
}

export function plannedDataDisks(ctx: LabContext, node: SynthPlanNode): PlannedDataDisk[] {
  return dataDisksInFirstBoot(firstBootOf(ctx, node));
}

export function plannedBinaries(ctx: LabContext, node: SynthPlanNode): PlannedBinary[] {
  return binariesInFirstBoot(firstBootOf(ctx, node));
}
