// Host side of a node supervisor: prepare the node's filesystem, launch the
// supervisor detached inside the node's namespaces, talk to it, run commands
// in the node's root, stop it (orderly) or kill the node (crash).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { RUNTIME_ROOT } from "../../paths";
import { type DetachedProcess, spawnDetached } from "../host/daemon";
import { type ExecOptions, type ExecResult, exec, execAllowFailure } from "../host/exec";
import { nodeNetns } from "../network/names";
import { imageCommand } from "../node/image/imageExec";
import { DEVICE_DIR, type NodeRoot, ensureNodeRoot, nodeDir, readAttachedDataDisks } from "../node/nodeView";
import {
  type ProcessIdentity,
  describeProcess,
  isSameProcess,
  namespaceOf,
  processState,
  processesInNamespace,
  sleep,
} from "../host/procs";
import {
  READY_LINE,
  type SupervisorConfig,
  type SupervisorRequest,
  type SupervisorResponse,
  type SupervisorStatus,
  supervisorPaths,
} from "./supervisorProtocol";

export interface NodeSupervisorOptions {
  labDir: string;
  node: string;
  /** Default: the node name. */
  hostname?: string;
  /** Start units enabled in the node's multi-user.target.wants (default true). */
  startEnabled?: boolean;
  /** Extra units to start at boot. */
  units?: string[];
  /** Image layers of the node's root, top first (used at its first start; later starts keep the recorded ones). */
  lower: string[];
  unitDirs?: string[];
  /** Default: <labDir>/nodes/<node>/supervisor (bound into the node at NODE_STATE_DIR). */
  stateDir?: string;
  /** Default: pgha-<node> (the namespace must exist: setupNetwork). */
  netns?: string;
}

export interface NodeSupervisorHandle extends DetachedProcess {
  node: string;
  netns: string;
  stateDir: string;
  /** "mnt:[inode]" of the node: every process of the node lives in it. */
  mntNs: string;
}

const HANDLE_FILE = "supervisor.pid.json";

// The supervisor (the lab's stand-in for systemd) runs inside the node's root, like PID 1 of a
// VM: Node, this package and its state directory are bound in under /run/pgha-lab (the node's
// volatile /run, as systemd keeps its own state in /run/systemd), never into the node's files.
const NODE_RUNTIME = "/run/pgha-lab";
export const NODE_STATE_DIR = `${NODE_RUNTIME}/state`;
const NODE_BINARY = `${NODE_RUNTIME}/node`;
const PACKAGE_ROOT = RUNTIME_ROOT;
const PACKAGE_INSIDE = `${NODE_RUNTIME}/pgha`;

function inside(hostPath: string): string {
  if (!hostPath.startsWith(`${PACKAGE_ROOT}/`))
    throw new Error(`${hostPath} is outside ${PACKAGE_ROOT}, which is all the node sees of this package`);
  return PACKAGE_INSIDE + hostPath.slice(PACKAGE_ROOT.length);
}

/**
 * What the supervisor runs from, read-only: never the lab's state under .lab (other nodes' files).
 * node_modules resolves pgha and @pgha/lab; in a workspace checkout they link into packages/.
 */
const PACKAGE_PARTS = ["packages", "node_modules", "package.json"].filter((p) => existsSync(join(PACKAGE_ROOT, p)));

/** node + loader + entry, as seen inside the node: from sources via tsx's loader, or compiled JS when that is what exists. */
function supervisorNodeArgv(): string[] {
  const ts = join(__dirname, "supervisor-main.ts");
  if (existsSync(ts)) {
    return [NODE_BINARY, "--import", pathToFileURL(inside(createRequire(__filename).resolve("tsx"))).href, inside(ts), NODE_STATE_DIR];
  }
  return [NODE_BINARY, inside(join(__dirname, "supervisor-main.js")), NODE_STATE_DIR];
}

/**
 * The exact command that starts a node supervisor: into the node's network namespace, new
 * mount (private propagation), UTS and IPC namespaces, its root mounted and entered
 * (image/enter-root.sh). No --fork anywhere: every wrapper execs, so the spawned pid is the supervisor.
 */
export function supervisorArgv(netns: string, stateDir: string, root: NodeRoot, hostname: string): string[] {
  return imageCommand(supervisorNodeArgv(), {
    lower: root.lower,
    upper: { dir: root.upper, work: root.work, mountpoint: root.mountpoint },
    binds: [
      [process.execPath, NODE_BINARY, "ro"],
      ...PACKAGE_PARTS.map((p): [string, string, "ro"] => [join(PACKAGE_ROOT, p), `${PACKAGE_INSIDE}/${p}`, "ro"]),
      [stateDir, NODE_STATE_DIR],
      ...(root.devDisk ? [[root.devDisk, DEVICE_DIR] as [string, string]] : []),
    ],
    netns,
    hostname,
  });
}

export function defaultStateDir(labDir: string, node: string): string {
  return join(nodeDir(labDir, node), "supervisor");
}

/** The recorded supervisor of a state dir, if that process is still alive. */
export function readNodeSupervisor(stateDir: string): NodeSupervisorHandle | undefined {
  const file = join(stateDir, HANDLE_FILE);
  if (!existsSync(file)) return undefined;
  const h = JSON.parse(readFileSync(file, "utf8")) as NodeSupervisorHandle;
  return isSameProcess(h) ? h : undefined;
}

/** Create (or find) the node's root and start its supervisor (idempotent: returns the running one). */
export async function startNodeSupervisor(opts: NodeSupervisorOptions): Promise<NodeSupervisorHandle> {
  const stateDir = opts.stateDir ?? defaultStateDir(opts.labDir, opts.node);
  const running = readNodeSupervisor(stateDir);
  if (running) return running;
  const netns = opts.netns ?? nodeNetns(opts.node);
  if (!existsSync(`/run/netns/${netns}`)) throw new Error(`network namespace ${netns} does not exist (set up the lab network first)`);
  const paths = supervisorPaths(stateDir);
  if (Buffer.byteLength(paths.socket) > 107) throw new Error(`control socket path too long for a unix socket: ${paths.socket}`);

  const root = ensureNodeRoot(opts.labDir, opts.node, opts.lower);
  mkdirSync(stateDir, { recursive: true });
  const hostname = opts.hostname ?? opts.node;
  const cfg: SupervisorConfig = {
    node: opts.node,
    hostname,
    dataDiskMounts: readAttachedDataDisks(opts.labDir, opts.node).map((d) => d.mountpoint),
    startEnabled: opts.startEnabled,
    units: opts.units,
    unitDirs: opts.unitDirs,
    launcherNamespaces: { mnt: namespaceOf(process.pid, "mnt") as string, uts: namespaceOf(process.pid, "uts") as string },
  };
  writeFileSync(paths.config, `${JSON.stringify(cfg, null, 2)}\n`);
  rmSync(paths.status, { force: true });

  const proc = await spawnDetached(supervisorArgv(netns, stateDir, root, hostname), paths.log, (log) => log.includes(READY_LINE), {
    timeoutMs: 30_000,
    cwd: "/",
  });
  const mntNs = namespaceOf(proc.pid, "mnt");
  if (!mntNs) throw new Error(`supervisor ${proc.pid} vanished; see ${paths.log}`);
  const handle: NodeSupervisorHandle = { ...proc, node: opts.node, netns, stateDir, mntNs };
  writeFileSync(join(stateDir, HANDLE_FILE), `${JSON.stringify(handle, null, 2)}\n`);
  return handle;
}

/** Send one request over the control socket. */
export function supervisorRequest(stateDir: string, req: SupervisorRequest, timeoutMs = 120_000): Promise<SupervisorResponse> {
  return new Promise((resolve, reject) => {
    const sock = connect(supervisorPaths(stateDir).socket);
    let buf = "";
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`supervisor in ${stateDir} did not answer ${req.op} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.setEncoding("utf8");
    sock.on("connect", () => sock.write(`${JSON.stringify(req)}\n`));
    sock.on("data", (d) => {
      buf += d.toString(); // a string already (setEncoding), typed as a Buffer
    });
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on("end", () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buf) as SupervisorResponse);
      } catch {
        reject(new Error(`bad response from supervisor in ${stateDir}: ${JSON.stringify(buf)}`));
      }
    });
  });
}

/** Like supervisorRequest but throws when the supervisor reports an error. */
export async function supervisorCommand(stateDir: string, req: SupervisorRequest, timeoutMs?: number): Promise<SupervisorStatus> {
  const res = await supervisorRequest(stateDir, req, timeoutMs);
  if (!res.ok) throw new Error(`supervisor ${req.op}${"unit" in req ? ` ${req.unit}` : ""}: ${res.error}`);
  return res.status;
}

/** The status file as last written by the supervisor (works even if it is busy). */
export function readSupervisorStatus(stateDir: string): SupervisorStatus | undefined {
  const f = supervisorPaths(stateDir).status;
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as SupervisorStatus) : undefined;
}

/** Every live process of the node (its mount namespace), supervisor included. */
export function nodeProcesses(h: NodeSupervisorHandle): ProcessIdentity[] {
  return processesInNamespace("mnt", h.mntNs);
}

function killAll(h: NodeSupervisorHandle, signal: NodeJS.Signals): void {
  for (const p of nodeProcesses(h)) {
    try {
      process.kill(p.pid, signal);
    } catch {
      /* gone */
    }
  }
}

/** Orderly stop: units stopped like systemd does, then the supervisor exits; stragglers are killed. */
export async function stopNodeSupervisor(h: NodeSupervisorHandle, timeoutMs = 120_000): Promise<void> {
  if (isSameProcess(h)) {
    await supervisorRequest(h.stateDir, { op: "shutdown" }, timeoutMs).catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (isSameProcess(h) && Date.now() < deadline) await sleep(25);
  }
  await killNode(h);
  rmSync(join(h.stateDir, HANDLE_FILE), { force: true });
}

/** The VM dies: SIGKILL every process of the node at once, supervisor included. Returns the ms until the last was gone. */
export async function killNode(h: NodeSupervisorHandle): Promise<number> {
  // A process in uninterruptible sleep (D: an fsync through the data disk's loop device, etcd's
  // WAL fsync) dies only when that I/O returns; a CI run saw a node process outlive 30 s of
  // SIGKILL, most likely so. It can no longer act, so waiting for it is not a softer crash; but
  // a process not in D that lives 30 s after SIGKILL is a bug, and so is one stuck for 3 min.
  const started = Date.now();
  for (;;) {
    const left = nodeProcesses(h);
    if (left.length === 0) return Date.now() - started;
    const waited = Date.now() - started;
    const allUninterruptible = left.every((p) => processState(p.pid) === "D");
    if (waited > 180_000 || (waited > 30_000 && !allUninterruptible)) {
      throw new Error(
        `node ${h.node}: processes survived SIGKILL for ${Math.round(waited / 1000)} s: ` +
          `${left.map((p) => describeProcess(p.pid)).join("; ")}`,
      );
    }
    killAll(h, "SIGKILL");
    await sleep(20);
  }
}

/**
 * Run a command inside the node: its network namespace, its root and mount namespace, UTS
 * and IPC namespaces (entered through the supervisor's pid).
 */
export async function runInNode(
  h: NodeSupervisorHandle,
  argv: string[],
  opts: ExecOptions & { allowFailure?: boolean } = {},
): Promise<ExecResult> {
  if (!isSameProcess(h)) throw new Error(`supervisor of node ${h.node} (pid ${h.pid}) is not running`);
  return (opts.allowFailure ? execAllowFailure : exec)(
    "nsenter",
    [
      `--net=/run/netns/${h.netns}`,
      `--mount=/proc/${h.pid}/ns/mnt`,
      `--uts=/proc/${h.pid}/ns/uts`,
      `--ipc=/proc/${h.pid}/ns/ipc`,
      `--root=/proc/${h.pid}/root`,
      `--wd=/proc/${h.pid}/cwd`,
      "--",
      ...argv,
    ],
    opts,
  );
}
