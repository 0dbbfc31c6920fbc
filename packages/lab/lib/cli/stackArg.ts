/**
 * `pgha <cmd> <stack>`: a stack is a name (`lab` → stacks/Pulumi.lab.yaml, looked up in the
 * current directory, then in the pgha checkout the CLI runs from) or a path to a stack file.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { WORK_ROOT } from "../paths";
import { UsageError } from "./args";

export function resolveStackFile(arg: string, cwd = process.cwd()): string {
  const looksLikePath = arg.includes("/") || /\.ya?ml$/.test(arg);
  if (looksLikePath) return resolve(cwd, arg);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(arg)) throw new UsageError(`'${arg}' is neither a stack name nor a path to a stack file`);
  const candidates = [...new Set([join(cwd, "stacks", `Pulumi.${arg}.yaml`), join(WORK_ROOT, "stacks", `Pulumi.${arg}.yaml`)])];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new UsageError(`no stack '${arg}': looked for ${candidates.join(" and ")}`);
  return found;
}
