// Pinned release binaries (WAL-G) that a cloud node downloads at first boot.
// Lab nodes have no route out, so the lab takes them from a local cache
// instead, and only a file whose sha256 matches the pin: the node's own
// first-boot check then finds the binary in place and downloads nothing.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { SynthPlanNode } from "../../synth/plan";
import { type PlannedBinary, plannedBinaries } from "./firstBootNeeds";
import type { LabContext } from "../cli/labContext";
import { nodeRootfs } from "./nodeView";

/** Where an operator puts the release files a plan pins (named as in their download URL). */
export const LAB_BINARY_CACHE = "/var/cache/pgha-lab";

export function cachedBinaryPath(b: PlannedBinary, cacheDir = LAB_BINARY_CACHE): string {
  return join(cacheDir, basename(new URL(b.url).pathname));
}

/** The cached file, if present and exactly the pinned one. */
export function verifiedCachedBinary(b: PlannedBinary, cacheDir = LAB_BINARY_CACHE): string | undefined {
  const path = cachedBinaryPath(b, cacheDir);
  if (!existsSync(path)) return undefined;
  return createHash("sha256").update(readFileSync(path)).digest("hex") === b.sha256 ? path : undefined;
}

/** Host side, before first boot: put each verified binary where the node's first boot looks for it. */
export function installPinnedBinaries(ctx: LabContext, node: SynthPlanNode, cacheDir = LAB_BINARY_CACHE): void {
  for (const b of plannedBinaries(ctx, node)) {
    const from = verifiedCachedBinary(b, cacheDir);
    if (!from) throw new Error(`${node.name}: ${cachedBinaryPath(b, cacheDir)} is missing or does not match sha256 ${b.sha256}`);
    const to = join(nodeRootfs(ctx.labDir, node.name), b.installPath);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
}
