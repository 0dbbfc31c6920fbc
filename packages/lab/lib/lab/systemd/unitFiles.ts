// Find unit files the way systemd does (in the node's view): search path
// /etc > /run > /lib, templates (`foo@bar.service` -> `foo@.service`),
// drop-ins (`<unit>.d/*.conf`, same file name in an earlier dir wins),
// masking (a symlink to /dev/null), aliases (a symlink to another unit), and
// which units are enabled (symlinks in multi-user.target.wants).
import { existsSync, readFileSync, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { basename, join } from "node:path";
import { type SystemdUnit, type UnitParseOptions, parseUnit } from "./systemdUnit";

export const UNIT_DIRS = ["/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"];

/** The target whose `.wants` directory decides what starts at boot. */
export const BOOT_TARGET = "multi-user.target";

export interface UnitSource {
  /** Canonical name (an alias resolves to its target's name). */
  name: string;
  file: string;
  dropIns: string[];
}

function templateOf(name: string): string | undefined {
  const m = /^([^@]+)@[^.]+(\.\w+)$/.exec(name);
  return m ? `${m[1]}@${m[2]}` : undefined;
}

function isMasked(path: string): boolean {
  try {
    return readlinkSync(path) === "/dev/null";
  } catch {
    return false;
  }
}

/** Locate a unit; undefined if it does not exist, throws if it is masked. */
export function findUnit(name: string, dirs: string[] = UNIT_DIRS): UnitSource | undefined {
  const template = templateOf(name);
  let file: string | undefined;
  let canonical = name;
  for (const candidate of template ? [name, template] : [name]) {
    for (const d of dirs) {
      const p = join(d, candidate);
      if (!existsSync(p) && !isMasked(p)) continue;
      if (isMasked(p)) throw new Error(`unit ${name} is masked (${p} -> /dev/null)`);
      file = p;
      const real = basename(realpathSync(p));
      // An alias symlink (etcd2.service -> etcd.service) names the real unit.
      if (candidate === name && real !== name && real.endsWith(name.slice(name.lastIndexOf(".")))) canonical = real;
      break;
    }
    if (file) break;
  }
  if (!file) return undefined;

  const dropInNames = [name, ...(template ? [template] : []), ...(canonical !== name ? [canonical] : [])];
  const byFile = new Map<string, string>();
  for (const d of [...dirs].reverse()) {
    for (const n of dropInNames) {
      const dir = join(d, `${n}.d`);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir)) if (f.endsWith(".conf")) byFile.set(f, join(dir, f));
    }
  }
  const dropIns = [...byFile.keys()].sort().map((f) => byFile.get(f) as string);
  return { name: canonical, file, dropIns };
}

/** Read and parse a unit with its drop-ins. */
export function loadUnit(name: string, opts: UnitParseOptions & { dirs?: string[] } = {}): SystemdUnit | undefined {
  const src = findUnit(name, opts.dirs);
  if (!src) return undefined;
  const texts = [src.file, ...src.dropIns].map((f) => readFileSync(f, "utf8"));
  // Parsed under its canonical name: the instance name for templates, the real name for aliases.
  return parseUnit(src.name, texts, opts);
}

/** The target timers are enabled into (WantedBy=timers.target). */
export const TIMERS_TARGET = "timers.target";

/** Units enabled for boot: entries of /etc/systemd/system/<target>.wants (sorted for determinism). */
export function enabledUnits(etcDir = UNIT_DIRS[0], target = BOOT_TARGET, suffix = ".service"): string[] {
  const wants = join(etcDir, `${target}.wants`);
  if (!existsSync(wants)) return [];
  return readdirSync(wants)
    .filter((f) => f.endsWith(suffix))
    .sort();
}
