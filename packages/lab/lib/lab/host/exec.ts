// The one place the lab shells out. execFile (never a shell) so arguments are
// passed verbatim and nothing is re-interpreted; errors carry the full command
// and its stderr so a failing `ip`/`iptables` call explains itself.
import { execFile } from "node:child_process";

export interface ExecOptions {
  /** Extra environment; merged over process.env. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Data written to the command's stdin. */
  input?: string;
  timeoutMs?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export class ExecError extends Error {
  constructor(
    readonly argv: string[],
    readonly code: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`command failed (exit ${code}): ${formatArgv(argv)}\n${stderr.trim() || stdout.trim()}`);
    this.name = "ExecError";
  }
}

/** Render argv for humans (error messages, logs). */
export function formatArgv(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");
}

/** Run a command; resolve with its output, or reject with ExecError. */
export async function exec(cmd: string, args: string[] = [], opts: ExecOptions = {}): Promise<ExecResult> {
  const r = await execAllowFailure(cmd, args, opts);
  if (r.code !== 0) throw new ExecError([cmd, ...args], r.code, r.stdout, r.stderr);
  return r;
}

/** Run a command and report its exit code instead of throwing (spawn errors still throw; a timeout is exit 137). */
export function execAllowFailure(cmd: string, args: string[] = [], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      {
        env: opts.env ? { ...process.env, ...opts.env } : process.env,
        cwd: opts.cwd,
        timeout: opts.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
      },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, stderr, code: 0 });
        const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string };
        if (typeof e.code === "number") return resolve({ stdout, stderr, code: e.code });
        // Killed (the timeout, or a signal): a failed run like any other, shell-style exit code.
        if (e.killed || e.signal) {
          const why = opts.timeoutMs !== undefined && e.killed ? `timed out after ${opts.timeoutMs} ms` : `killed by ${e.signal}`;
          return resolve({ stdout, stderr: `${stderr}${stderr && !stderr.endsWith("\n") ? "\n" : ""}${why}\n`, code: 128 + 9 });
        }
        reject(new ExecError([cmd, ...args], e.code ?? null, stdout, stderr || e.message));
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
