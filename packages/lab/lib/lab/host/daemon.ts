// Start a long-lived lab process (delayer, node supervisor) that must outlive
// the CLI that launched it: own session (setsid via `detached`), stdio to a
// log file, not referenced by our event loop.
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { formatArgv } from "./exec";
import { type ProcessIdentity, readProcessIdentity, sleep } from "./procs";

export interface DetachedProcess extends ProcessIdentity {
  logFile: string;
}

/**
 * Spawn `argv` detached with stdout/stderr appended to `logFile`, then wait
 * until `ready(logText)` holds. Callers pass wrappers that exec (ip netns exec,
 * unshare without --fork), so the returned pid is the daemon itself.
 */
export async function spawnDetached(
  argv: string[],
  logFile: string,
  ready: (log: string) => boolean,
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<DetachedProcess> {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, "w");
  const child = spawn(argv[0], argv.slice(1), {
    detached: true,
    stdio: ["ignore", fd, fd],
    env: opts.env ?? process.env,
    cwd: opts.cwd,
  });
  closeSync(fd);
  let exited: string | undefined;
  child.on("exit", (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit ${code}`;
  });
  const spawnError = new Promise<never>((_, reject) => child.on("error", reject));
  spawnError.catch(() => undefined);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) await spawnError;

  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const log = readFileSync(logFile, "utf8");
    if (exited) throw new Error(`${formatArgv(argv)} exited early (${exited}); log ${logFile}:\n${log.trim()}`);
    if (ready(log)) break;
    if (Date.now() > deadline) {
      try {
        process.kill(pid as number, "SIGKILL");
      } catch {
        /* already gone */
      }
      throw new Error(`${formatArgv(argv)} not ready after ${opts.timeoutMs ?? 10_000} ms; log ${logFile}:\n${log.trim()}`);
    }
    await sleep(20);
  }
  const id = readProcessIdentity(pid as number);
  if (!id) throw new Error(`${formatArgv(argv)} (pid ${pid}) vanished right after becoming ready; log ${logFile}`);
  return { ...id, logFile };
}
