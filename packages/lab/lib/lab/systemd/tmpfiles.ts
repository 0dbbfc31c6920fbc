// The part of systemd-tmpfiles a booting lab node needs: recreate the
// `d`/`D` directories packages declare under volatile paths (/run/postgresql
// 2775 postgres:postgres, /run/haproxy, ...), because the node's /run starts
// empty at every boot, as a tmpfs /run does on a VM.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface TmpfilesDir {
  path: string;
  mode: number;
  user: string;
  group: string;
}

export const TMPFILES_DIRS = ["/usr/lib/tmpfiles.d", "/lib/tmpfiles.d", "/run/tmpfiles.d", "/etc/tmpfiles.d"];

/** Parse `d`/`D` lines of tmpfiles.d(5) text; other types and lines with specifiers are skipped. */
export function parseTmpfiles(text: string): TmpfilesDir[] {
  const out: TmpfilesDir[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [type, path, mode = "-", user = "-", group = "-"] = line.split(/\s+/);
    if ((type !== "d" && type !== "D") || path.includes("%")) continue;
    out.push({
      path,
      mode: mode === "-" ? 0o755 : parseInt(mode.replace(/^[~:]+/, ""), 8),
      user: user === "-" ? "root" : user,
      group: group === "-" ? "root" : group,
    });
  }
  return out;
}

/** All declared directories (later config dirs override same-named files), filtered by path prefix. */
export function declaredDirectories(under: string[], dirs = TMPFILES_DIRS): TmpfilesDir[] {
  const files = new Map<string, string>();
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) if (f.endsWith(".conf")) files.set(f, join(d, f));
  }
  const entries = [...files.keys()].sort().flatMap((f) => parseTmpfiles(readFileSync(files.get(f) as string, "utf8")));
  return entries.filter((e) => under.some((u) => e.path === u || e.path.startsWith(`${u}/`)));
}
