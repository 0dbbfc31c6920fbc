// Process bookkeeping for lab daemons. Pids wrap, so a recorded pid is only
// trusted together with the process start time read from /proc/<pid>/stat;
// signals go only to a process whose identity still matches.
import { readFileSync, readdirSync, readlinkSync, statSync } from "node:fs";

export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. */
  startTime: number;
  /** argv joined with spaces, for humans and for sanity checks. */
  cmdline: string;
}

export function readProcessIdentity(pid: number): ProcessIdentity | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm (field 2) may contain spaces/parens: fields after the last ')' are fixed.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const state = rest[0];
    if (state === "Z" || state === "X") return undefined;
    const startTime = Number(rest[19]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    return { pid, startTime, cmdline };
  } catch {
    return undefined;
  }
}

/** True if `id` still names the same live process (not a recycled pid). */
export function isSameProcess(id: ProcessIdentity): boolean {
  const now = readProcessIdentity(id.pid);
  return now !== undefined && now.startTime === id.startTime;
}

/** Signal a recorded process only if it is still that process. Returns whether it was signalled. */
export function signalIfSame(id: ProcessIdentity, signal: NodeJS.Signals): boolean {
  if (!isSameProcess(id)) return false;
  try {
    process.kill(id.pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** SIGTERM, wait up to `timeoutMs`, then SIGKILL; like systemd's stop of a single process. */
export async function terminate(id: ProcessIdentity, timeoutMs = 5000): Promise<void> {
  if (!signalIfSame(id, "SIGTERM")) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isSameProcess(id)) return;
    await sleep(25);
  }
  signalIfSame(id, "SIGKILL");
  while (isSameProcess(id)) await sleep(10);
}

/** State letter from /proc/<pid>/stat (R, S, D, T, Z...), or undefined if gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return undefined;
  }
}

/** One line for an error message: pid, state, what it is and where in the kernel it waits. */
export function describeProcess(pid: number): string {
  const read = (f: string): string => {
    try {
      return readFileSync(`/proc/${pid}/${f}`, "utf8").trim();
    } catch {
      return "?";
    }
  };
  // The kernel stack names the wait (fsync, a mount, a lock); it is readable by root only.
  const stack = read("stack")
    .split("\n")
    .slice(0, 6)
    .map((l) => l.replace(/^\[<[0-9a-f]+>\] /, ""))
    .join(" < ");
  return `${pid} [${processState(pid) ?? "gone"}] ${read("comm")} wchan=${read("wchan")} stack: ${stack}`;
}

/** Namespace inode link of a process, e.g. "mnt:[4026532311]"; undefined if gone. */
export function namespaceOf(pid: number, kind: "mnt" | "net" | "pid" | "uts" | "ipc"): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return undefined;
  }
}

/** All live processes whose namespace of `kind` is `ns` (e.g. everything inside one node's view). */
export function processesInNamespace(kind: "mnt" | "net", ns: string): ProcessIdentity[] {
  const found: ProcessIdentity[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (namespaceOf(pid, kind) !== ns) continue;
    const id = readProcessIdentity(pid);
    if (id) found.push(id);
  }
  return found;
}

/** Network namespace link of a named netns (/run/netns/<name>), for processesInNamespace. */
export function namedNetnsLink(netns: string): string | undefined {
  try {
    // /run/netns/<name> is a bind mount of the nsfs inode; its inode number is the namespace id.
    return `net:[${statSync(`/run/netns/${netns}`).ino}]`;
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie (works for processes that are not our children). */
export function pidAlive(pid: number): boolean {
  const state = processState(pid);
  return state !== undefined && state !== "Z" && state !== "X";
}

/** Does any process of process group `pgid` remain? */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** process.kill that ignores "no such process" (target may be -pgid). */
export function signalQuietly(target: number, signal: string): void {
  try {
    process.kill(target, signal);
  } catch {
    /* already gone */
  }
}

/** Poll `cond` every 20 ms; false on timeout (0 or Infinity = wait forever). */
export async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Number.isFinite(timeoutMs) && timeoutMs > 0 ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}
