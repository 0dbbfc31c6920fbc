/**
 * Where the lab's files are. Resolved from this file, so the same answers hold when the lab
 * runs from its sources (tsx, vitest) and from its build (dist/), in this repository's
 * workspace or installed from npm.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The @pgha/lab package (package.json, lib/ with the scripts shipped as files, dist/): this file
 * sits directly in its lib/ or dist/.
 */
export const LAB_PACKAGE_ROOT = resolve(__dirname, "..");

/** A file the lab ships beside its code (shell and Python scripts), by its path under lib/. */
export function labAsset(pathUnderLib: string): string {
  return join(LAB_PACKAGE_ROOT, "lib", pathUnderLib);
}

/**
 * The directory whose node_modules resolves `pgha` and this package: the workspace root in a
 * checkout (packages/lab -> ../..), the project root when installed from npm. Lab nodes get
 * this directory's node_modules (and a workspace's packages/) bound in read-only.
 */
export const RUNTIME_ROOT = (() => {
  for (let dir = LAB_PACKAGE_ROOT; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", "pgha", "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`@pgha/lab: no node_modules/pgha above ${LAB_PACKAGE_ROOT}`);
  }
})();

/**
 * Where stacks are looked up by name, lab state (.lab) and outputs (out/) live: the pgha
 * checkout when the CLI runs from one (a package.json with workspaces above packages/lab),
 * otherwise the current directory, as a project's own tools do.
 */
export const WORK_ROOT = (() => {
  const checkout = resolve(LAB_PACKAGE_ROOT, "../..");
  const manifest = join(checkout, "package.json");
  if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { workspaces?: unknown }).workspaces) return checkout;
  return process.cwd();
})();
