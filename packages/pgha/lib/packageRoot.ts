/**
 * Files pgha ships beside its code (templates, scripts), resolved from the package root, so
 * they are found from lib/ (sources) and dist/ (the published build) alike.
 */
import * as path from "node:path";

/** The directory of pgha's package.json: this file sits directly in its lib/ or dist/. */
export const PACKAGE_ROOT = path.resolve(__dirname, "..");

/** A shipped file, by its path under the package root (e.g. `templates/haproxy.cfg.tmpl`). */
export function packageFile(relative: string): string {
  return path.join(PACKAGE_ROOT, relative);
}
