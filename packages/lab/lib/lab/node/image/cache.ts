// The lab's build cache (/var/cache/pgha-lab): images, the package mirror and package layers.
// Every entry is built in a temporary directory and renamed into place only once complete, with
// a manifest naming its inputs; a failed or interrupted build leaves nothing a later run trusts.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statfsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execAllowFailure } from "../../host/exec";
import { pidAlive } from "../../host/procs";

/** Read when used, not at import: the bring-up benchmark points it at an empty directory. */
export function labCache(): string {
  return process.env.PGHA_LAB_CACHE ?? "/var/cache/pgha-lab";
}

export type Log = (line: string) => void;

/** A short, stable key of a build's inputs. */
export function cacheKey(inputs: unknown): string {
  return createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 16);
}

const MANIFEST = "pgha-cache.json";

export interface CacheManifest {
  kind: string;
  key: string;
  inputs: unknown;
  builtAt: string;
  seconds: number;
  bytes: number;
}

export function readManifest(dir: string): CacheManifest | undefined {
  const f = join(dir, MANIFEST);
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as CacheManifest) : undefined;
}

/** Apparent size of a tree in bytes (du), for progress lines. */
export async function treeBytes(dir: string): Promise<number> {
  const r = await execAllowFailure("du", ["-sb", "--one-file-system", dir]);
  return Number(r.stdout.split(/\s/)[0]) || 0;
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** Leftovers of builds whose process died (SIGKILL, a reboot): never trusted, removed. */
async function removeDeadBuilds(kindDir: string): Promise<void> {
  for (const d of readdirSync(kindDir)) {
    const pid = Number(/\.building-(\d+)$/.exec(d)?.[1]);
    if (pid && pid !== process.pid && !pidAlive(pid)) await removeTree(join(kindDir, d));
  }
}

/**
 * The cache entry `<labCache()>/<kind>/<key>`, built by `build(tmpDir)` when missing.
 * Builds of the same entry by two processes do not mix: each has its own temporary directory,
 * and a published entry is never replaced (the first rename wins; nodes may be using it).
 */
export async function cachedBuild(
  kind: string,
  inputs: unknown,
  log: Log,
  build: (dir: string, step: (what: string) => void) => Promise<void> | void,
): Promise<string> {
  const key = cacheKey(inputs);
  const dir = join(labCache(), kind, key);
  if (readManifest(dir)) return dir;
  if (existsSync(dir)) throw new Error(`${dir} exists without its manifest: not built by pgha lab; remove it`);
  const kindDir = join(labCache(), kind);
  mkdirSync(kindDir, { recursive: true, mode: 0o700 });
  await removeDeadBuilds(kindDir);
  const tmp = `${dir}.building-${process.pid}`;
  await removeTree(tmp);
  mkdirSync(tmp, { mode: 0o755 });
  const t0 = Date.now();
  let current = "start";
  const step = (what: string) => {
    current = what;
    log(`  [${kind} ${key}] ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  };
  try {
    await build(tmp, step);
  } catch (e) {
    await removeTree(tmp);
    const free = freeBytes(labCache());
    throw new Error(
      `building the lab's ${kind} failed at step '${current}': ` +
        `${(e as Error).message}${free < 2 ** 30 ? ` (only ${mib(free)} free in ${labCache()})` : ""}; ` +
        `nothing was kept, the next run starts over`,
    );
  }
  const bytes = await treeBytes(tmp);
  const seconds = (Date.now() - t0) / 1000;
  const manifest: CacheManifest = { kind, key, inputs, builtAt: new Date().toISOString(), seconds, bytes };
  writeFileSync(join(tmp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  try {
    renameSync(tmp, dir);
  } catch (e) {
    if (!readManifest(dir)) throw e;
    await removeTree(tmp); // another process published the same entry first
  }
  log(`  [${kind} ${key}] built in ${seconds.toFixed(1)} s, ${mib(bytes)}`);
  return dir;
}

function freeBytes(path: string): number {
  try {
    const s = statfsSync(path);
    return s.bavail * s.bsize;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** rm -rf that stays on this filesystem (a build may have left a mount behind in a dead namespace: never follow it). */
async function removeTree(dir: string): Promise<void> {
  await execAllowFailure("rm", ["-rf", "--one-file-system", dir]);
}
