/**
 * Files pgha ships beside its code (templates, scripts), resolved from the package root, so
 * they are found from lib/ (sources) and dist/ (the published build) alike.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

let root: string | undefined;

/** The directory of pgha's package.json. */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "pgha") return (root = dir);
    if (path.dirname(dir) === dir) throw new Error(`pgha: no package.json of pgha above ${__dirname}`);
  }
}

/** A shipped file, by its path under the package root (e.g. `templates/haproxy.cfg.tmpl`). */
export function packageFile(relative: string): string {
  return path.join(packageRoot(), relative);
}
