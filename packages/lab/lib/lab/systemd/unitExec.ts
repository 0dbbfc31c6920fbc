// How a unit's command becomes a process (pure apart from reading
// EnvironmentFile=): environment assembly per systemd.exec(5), then an argv
// that drops privileges with `setpriv` and sets rlimits with `prlimit`, both
// of which exec the target, so the pid we spawn is the service's own pid.
import { existsSync, readFileSync } from "node:fs";
import type { ResolvedUser } from "./passwd";
import { expandCommandLine, parseEnvironmentFile } from "./systemdSyntax";
import type { ExecCommand, ServiceSection } from "./systemdUnit";

/** systemd's default PATH for system services. */
export const SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * Environment of a unit's processes: PATH, user variables when User= is set,
 * RUNTIME_DIRECTORY, then Environment=, then EnvironmentFile= (which override
 * Environment=, as in systemd). A missing non-optional EnvironmentFile is an error.
 */
export function unitEnvironment(
  svc: ServiceSection,
  user: ResolvedUser | undefined,
  extra: Record<string, string> = {},
  readFile: (path: string) => string | undefined = (p) => (existsSync(p) ? readFileSync(p, "utf8") : undefined),
): Record<string, string> {
  const env: Record<string, string> = { PATH: SERVICE_PATH, LANG: "C.UTF-8" };
  if (user) Object.assign(env, { USER: user.user, LOGNAME: user.user, HOME: user.home, SHELL: user.shell });
  if (svc.runtimeDirectory.length > 0) env.RUNTIME_DIRECTORY = svc.runtimeDirectory.map((d) => `/run/${d}`).join(":");
  Object.assign(env, extra, svc.environment);
  for (const f of svc.environmentFiles) {
    const text = readFile(f.path);
    if (text === undefined) {
      if (f.optional) continue;
      throw new Error(`EnvironmentFile ${f.path} does not exist`);
    }
    Object.assign(env, parseEnvironmentFile(text));
  }
  return env;
}

export interface Invocation {
  file: string;
  args: string[];
}

function limitValue(n: number): string {
  return Number.isFinite(n) ? String(n) : "unlimited";
}

/** The host's hard RLIMIT_NOFILE: a container may forbid raising it (prlimit then fails with EPERM). */
function hostHardNofile(): number {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const hard = line?.trim().split(/\s+/)[4];
    return hard === undefined || hard === "unlimited" ? Number.POSITIVE_INFINITY : Number(hard);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * The argv to spawn for one Exec*= command: `$VAR` expansion (unless `:`),
 * optional `prlimit --nofile`, then `setpriv` to User=/Group= with the user's
 * supplementary groups (unless `+`/`!` or no User=).
 */
export function invocationFor(
  cmd: ExecCommand,
  svc: ServiceSection,
  user: ResolvedUser | undefined,
  env: Record<string, string>,
): Invocation {
  let argv = cmd.noEnvExpansion ? [...cmd.argv] : expandCommandLine(cmd.argv, env);
  // `@`: the second word is argv[0] for the program; setpriv cannot set argv[0], so it is dropped.
  if (cmd.customArgv0) argv = [argv[0], ...argv.slice(2)];
  const chain: string[] = [];
  if (svc.limitNOFILE) {
    // Lab deviation: clamp to the host's hard limit (this sandbox caps it at 20000; systemd on a VM can raise it).
    const cap = hostHardNofile();
    // (Only finite values: "infinity" stays a request for unlimited.)
    const clamp = (n: number) => (Number.isFinite(n) ? Math.min(n, cap) : n);
    const soft = clamp(svc.limitNOFILE.soft);
    const hard = clamp(svc.limitNOFILE.hard);
    chain.push("prlimit", `--nofile=${limitValue(soft)}:${limitValue(hard)}`, "--");
  }
  if (user && user.uid !== 0 && !cmd.privileged) {
    chain.push("setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--init-groups", "--");
  } else if (user && !cmd.privileged && user.gid !== 0) {
    chain.push("setpriv", `--regid=${user.gid}`, "--clear-groups", "--");
  }
  const full = [...chain, ...argv];
  return { file: full[0], args: full.slice(1) };
}

/** Working directory: WorkingDirectory= ("~" = home; "-" prefix tolerates absence), else "/". */
export function workingDirectory(svc: ServiceSection, user: ResolvedUser | undefined): string {
  const wd = svc.workingDirectory;
  if (!wd) return "/";
  const path = wd.path === "~" ? (user?.home ?? "/root") : wd.path;
  if (!existsSync(path)) {
    if (wd.optional) return "/";
    throw new Error(`WorkingDirectory ${path} does not exist`);
  }
  return path;
}
