// What a node's first boot needs from its machine beyond the image: a data disk
// at a stable device path, and from the internet its packages and pinned release
// binaries. Read from the rendered user-data and pgha-first-boot script itself, so
// the lab provides exactly what the user-data will look for; and, when a first boot
// failed, why (read from the node's own cloud-init record).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FIRST_BOOT_SCRIPT, PREPARE_DISK_SCRIPT } from "pgha/render/cloudInit";
import { type SynthPlanNode, readUserData } from "../../synth/plan";
import { egressOf } from "../network/egress";
import { packageNeedsOf } from "./image/packageLayer";
import { type LabContext, userDataFiles } from "../cli/labContext";
import { nodeRootfs } from "./nodeView";

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

/**
 * What the first boot fetches from the internet: the packages its cloud-init installs from the
 * mirror, and the pinned binaries it downloads. A node gets them only with a path out (egress.ts).
 */
export function internetNeeds(ctx: LabContext, node: SynthPlanNode): string[] {
  const packages = packageNeedsOf(readUserData(ctx.planDir, node)).packages;
  return [
    ...(packages.length > 0 ? [`apt packages from the package mirror (${packages.join(", ")})`] : []),
    ...plannedBinaries(ctx, node).map((b) => `a download of ${b.url}`),
  ];
}

/** cloud-init's errors as the node recorded them in its own files; undefined while it has not finished. */
export function cloudInitErrorsOnDisk(labDir: string, node: string): string[] | undefined {
  const file = join(nodeRootfs(labDir, node), "var/lib/cloud/data/result.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { v1: { errors: string[] } }).v1.errors;
}

/** The first line of the node's cloud-init output where apt or a download could not reach the internet. */
function unreachedLine(labDir: string, node: string): string | undefined {
  const file = join(nodeRootfs(labDir, node), "var/log/cloud-init-output.log");
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, "utf8").split("\n");
  return lines.find((l) => /unreachable|Could not connect|Failed to fetch|Unable to locate package/i.test(l))?.trim();
}

/**
 * Why a node's first boot failed, from its own cloud-init record; when it needed the internet
 * and its plan gives it no path out, that is said with the plan's reason. Undefined when the
 * first boot has not failed (or not finished).
 */
export function firstBootFailure(ctx: LabContext, node: SynthPlanNode): string | undefined {
  const errors = cloudInitErrorsOnDisk(ctx.labDir, node.name);
  if (!errors || errors.length === 0) return undefined;
  const failed = `first boot failed (cloud-init: ${errors.join("; ")})`;
  const egress = egressOf(ctx, node);
  const needs = internetNeeds(ctx, node);
  if (egress.internet || needs.length === 0) return failed;
  const seen = unreachedLine(ctx.labDir, node.name);
  return `${failed}: it needs ${needs.join(" and ")}, but has ${egress.reason}${seen ? ` (the node's cloud-init output: "${seen}")` : ""}`;
}
