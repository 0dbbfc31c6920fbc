// Entry point of a lab node's supervisor. Started by startNodeSupervisor()
// (supervisorControl.ts) as:
//
//   ip netns exec pgha-<node> unshare --mount --uts --ipc --propagation private -- \
//     sh image/enter-root.sh <node root...> -- node --import <tsx loader> supervisor-main.ts <stateDir>
//
// Every wrapper execs, so this process is the pid the launcher recorded. enter-root.sh has
// mounted the node's root (its overlay over the image), set the hostname and chrooted into it.
// This reads <stateDir>/supervisor.json, mounts the data disks from the node's fstab, opens
// <stateDir>/control.sock, prints the ready line and boots the node's units. SIGTERM/SIGINT =
// orderly shutdown.
import { chmodSync, chownSync, mkdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { mountDataDisksFromFstab } from "./fstab";
import { parseGroup, parsePasswd } from "./passwd";
import { namespaceOf, processesInNamespace } from "../host/procs";
import { Supervisor } from "./supervisor";
import { READY_LINE, type SupervisorConfig, type SupervisorRequest, type SupervisorResponse, supervisorPaths } from "./supervisorProtocol";
import { declaredDirectories } from "./tmpfiles";

const log = (m: string) => console.log(`${new Date().toISOString()} ${m}`);

function ownNamespace(cfg: SupervisorConfig, kind: "uts" | "mnt"): boolean {
  return readlinkSync(`/proc/self/ns/${kind}`) !== cfg.launcherNamespaces[kind];
}

/** What systemd-tmpfiles-setup does at boot, for the node's empty /run and /tmp. */
function createVolatileDirectories(): void {
  const users = parsePasswd(readFileSync("/etc/passwd", "utf8"));
  const groups = parseGroup(readFileSync("/etc/group", "utf8"));
  for (const d of declaredDirectories(["/run", "/tmp"])) {
    const uid = users.find((u) => u.name === d.user)?.uid;
    const gid = groups.find((g) => g.name === d.group)?.gid;
    if (uid === undefined || gid === undefined) continue; // package user not present in this node
    mkdirSync(d.path, { recursive: true });
    chownSync(d.path, uid, gid);
    chmodSync(d.path, d.mode);
  }
}

/** Kill whatever still runs in this node's mount namespace (like powering off a VM): SIGTERM, 2 s grace, SIGKILL. */
async function killLeftovers(cfg: SupervisorConfig): Promise<void> {
  const ns = namespaceOf(process.pid, "mnt");
  if (!ns || !ownNamespace(cfg, "mnt")) return;
  const others = () => processesInNamespace("mnt", ns).filter((p) => p.pid !== process.pid);
  for (const [signal, graceMs] of [
    ["SIGTERM", 2000],
    ["SIGKILL", 1000],
  ] as const) {
    const left = others();
    if (left.length === 0) return;
    log(`sending ${signal} to leftover processes: ${left.map((p) => `${p.pid} (${p.cmdline})`).join(", ")}`);
    for (const p of left) {
      try {
        process.kill(p.pid, signal);
      } catch {
        /* gone */
      }
    }
    const deadline = Date.now() + graceMs;
    while (others().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  const stateDir = process.argv[2];
  if (!stateDir) throw new Error("usage: supervisor-main.ts <stateDir>");
  const paths = supervisorPaths(stateDir);
  const cfg = JSON.parse(readFileSync(paths.config, "utf8")) as SupervisorConfig;
  process.umask(0o022); // systemd's default UMask= for services
  log(`supervisor for node ${cfg.node} starting, pid ${process.pid}`);

  if (!ownNamespace(cfg, "mnt")) throw new Error("refusing to run in the launcher's mount namespace (start through image/enter-root.sh)");
  await mountDataDisksFromFstab(cfg.dataDiskMounts ?? [], log);
  createVolatileDirectories();
  if (!ownNamespace(cfg, "uts")) log("warning: not in a private UTS namespace");

  const supervisor = new Supervisor(cfg, stateDir, log);
  let shuttingDown: Promise<void> | undefined;
  const shutdown = () => {
    shuttingDown ??= (async () => {
      log("shutdown requested");
      if (supervisor.status().state !== "stopped") await supervisor.shutdown();
      await killLeftovers(cfg);
      server.close();
      rmSync(paths.socket, { force: true });
      log("supervisor stopped");
      process.exit(0);
    })();
    return shuttingDown;
  };

  const handle = async (req: SupervisorRequest): Promise<SupervisorResponse> => {
    switch (req.op) {
      case "status":
        break;
      case "start":
        await supervisor.start(req.unit);
        break;
      case "stop":
        await supervisor.stop(req.unit);
        break;
      case "restart":
        await supervisor.restart(req.unit);
        break;
      case "reload":
        await supervisor.reload(req.unit);
        break;
      case "start-boot":
        await supervisor.boot();
        break;
      case "stop-all":
        await supervisor.stopAll();
        break;
      case "daemon-reload":
        await supervisor.daemonReload();
        break;
      case "shutdown":
        await supervisor.shutdown();
        break;
      default:
        throw new Error(`unknown op ${(req as { op: string }).op}`);
    }
    return { ok: true, status: supervisor.status() };
  };

  rmSync(paths.socket, { force: true });
  const server = createServer((sock) => {
    let buf = "";
    sock.setEncoding("utf8");
    sock.on("data", (chunk) => {
      buf += chunk.toString(); // a string already (setEncoding), typed as a Buffer
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = "";
      let req: SupervisorRequest;
      try {
        req = JSON.parse(line) as SupervisorRequest;
      } catch {
        sock.end(`${JSON.stringify({ ok: false, error: "bad request" })}\n`);
        return;
      }
      handle(req)
        .then(
          (res) => res,
          (e: Error) => ({ ok: false as const, error: e.message, status: supervisor.status() }),
        )
        .then((res) => {
          sock.end(`${JSON.stringify(res)}\n`);
          if (req.op === "shutdown") void shutdown();
        })
        .catch((e: Error) => log(`answering ${req.op} failed: ${e.message}`));
    });
    sock.on("error", () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(paths.socket, () => resolve());
  });
  chmodSync(paths.socket, 0o600);

  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
  process.on("SIGHUP", () => undefined);

  console.log(READY_LINE);
  await supervisor.boot();
  log("boot units started");
}

main().catch((e) => {
  console.error(`supervisor failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
