// A tiny stand-in for systemd for ONE lab node (it runs inside the node's
// namespaces; see supervisor-main.ts). It starts the node's units in
// dependency order, runs services as User=/Group=, restarts them per
// Restart=/RestartSec=, stops them like systemd (ExecStop, KillSignal to the
// process group per KillMode, SIGKILL after TimeoutStopSec) and keeps a JSON
// status file up to date.
//
// Deliberate simplifications (lab only):
// - a unit's "control group" is the process group of its main process;
//   processes that call setsid() escape it (systemd would track them by
//   cgroup). Stopping the whole node kills everything in its mount namespace.
// - Type=notify/dbus/idle/exec behave like Type=simple (no NOTIFY_SOCKET).
// - Jobs run one at a time (a global queue), not in parallel like systemd; except that while a
//   Type=oneshot service runs, a reload of another unit runs at once, as systemd would (a oneshot
//   that reloads services, like pgha-tls-refresh, would otherwise wait for itself).
// - Timers: OnCalendar= and Persistent= only (timers.ts), fired on the second.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { type ResolvedUser, parseGroup, parsePasswd, resolveUser } from "./passwd";
import { groupAlive, pidAlive, signalQuietly as kill, sleep, waitUntil } from "../host/procs";
import type { SupervisorConfig, SupervisorStatus, UnitState, UnitStatus } from "./supervisorProtocol";
import { supervisorPaths } from "./supervisorProtocol";
import type { ExecCommand, ServiceSection, SystemdUnit } from "./systemdUnit";
import { conditionHolds, describeCondition } from "./unitConditions";
import { invocationFor, unitEnvironment, workingDirectory } from "./unitExec";
import { type ExitInfo, isCleanExit, shouldRestart } from "./unitExit";
import { TimerScheduler } from "./timers";
import { BOOT_TARGET, TIMERS_TARGET, enabledUnits, loadUnit } from "./unitFiles";
import { startOrder } from "./unitOrder";

/** One run of a unit's main process. */
interface MainRun {
  pid: number;
  /** Process group that stands in for the unit's cgroup. */
  pgid: number;
  env: Record<string, string>;
  user: ResolvedUser | undefined;
  cwd: string;
  /** Set when the main process has exited. */
  exit?: ExitInfo;
  exited: Promise<ExitInfo>;
}

interface UnitRuntime {
  name: string;
  unit: SystemdUnit;
  state: UnitState;
  result: string;
  since: string;
  restarts: number;
  lastExit: ExitInfo | null;
  startTimes: number[];
  run?: MainRun;
  restartTimer?: NodeJS.Timeout;
}

const now = () => new Date().toISOString();

export class Supervisor {
  private readonly units = new Map<string, UnitRuntime>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Type=oneshot services whose ExecStart= is running (their start job holds the queue). */
  private readonly runningOneshots = new Set<string>();
  private phase: SupervisorStatus["state"] = "booting";
  private readonly paths: ReturnType<typeof supervisorPaths>;
  private readonly timers: TimerScheduler;

  constructor(
    private readonly cfg: SupervisorConfig,
    stateDir: string,
    private readonly log: (msg: string) => void = (m) => console.log(`${now()} ${m}`),
  ) {
    this.paths = supervisorPaths(stateDir);
    mkdirSync(this.paths.unitLogs, { recursive: true });
    const triggerService = (unit: string) => this.job(() => this.startWithDependencies([unit], true));
    this.timers = new TimerScheduler(this.paths.timerStamps, triggerService, this.log, () => this.writeStatus());
  }

  // ---- public operations (each runs as one job on the queue) ----

  /** Start the boot units: enabled ones (unless startEnabled=false) plus cfg.units. Errors are logged per unit. */
  boot(): Promise<void> {
    return this.job(async () => {
      const enabled = (target: string, suffix: string) =>
        this.cfg.startEnabled === false ? [] : enabledUnits(this.cfg.unitDirs?.[0], target, suffix);
      const roots = [...enabled(BOOT_TARGET, ".service"), ...(this.cfg.units ?? [])];
      await this.startWithDependencies([...new Set(roots)], false);
      for (const timer of enabled(TIMERS_TARGET, ".timer")) {
        try {
          this.startTimer(timer);
        } catch (e) {
          this.log(`${timer}: start failed: ${(e as Error).message}`);
        }
      }
      this.phase = "running";
      this.writeStatus();
    });
  }

  start(name: string): Promise<void> {
    if (name.endsWith(".timer")) return this.job(() => this.startTimer(name));
    return this.job(() => this.startWithDependencies([name], true));
  }

  stop(name: string): Promise<void> {
    return this.job(async () => {
      if (name.endsWith(".timer")) return this.timers.stop(name);
      const rt = this.units.get(name);
      if (!rt) return;
      // Units that Require=/BindsTo= this one go down first, as in systemd.
      for (const other of this.units.values()) {
        if (other !== rt && [...other.unit.requires, ...other.unit.bindsTo].includes(name)) await this.stopUnit(other);
      }
      await this.stopUnit(rt);
    });
  }

  restart(name: string): Promise<void> {
    return this.job(async () => {
      if (name.endsWith(".timer")) {
        this.timers.stop(name);
        return this.startTimer(name);
      }
      const rt = this.units.get(name);
      if (rt) await this.stopUnit(rt);
      await this.startWithDependencies([name], true);
    });
  }

  reload(name: string): Promise<void> {
    const op = async () => {
      const rt = this.units.get(name);
      const svc = rt?.unit.service;
      if (!rt || !svc || rt.state !== "active") throw new Error(`${name} is not active`);
      if (svc.execReload.length === 0) throw new Error(`${name} does not support reload (no ExecReload=)`);
      const run = rt.run;
      const env = { ...(run?.env ?? {}), ...(run ? { MAINPID: String(run.pid) } : {}) };
      for (const cmd of svc.execReload) await this.runToCompletion(rt, cmd, env, run?.user, run?.cwd ?? "/", svc.timeoutStartMs);
    };
    if (this.runningOneshots.size > 0 && !this.runningOneshots.has(name)) return op();
    return this.job(op);
  }

  /** Re-read unit files (after the node's user-data changed them); running processes are untouched. */
  daemonReload(): Promise<void> {
    return this.job(() => {
      for (const rt of this.units.values()) {
        const fresh = this.loadUnitFile(rt.name);
        if (fresh) rt.unit = fresh;
      }
    });
  }

  /** Stop every unit, dependents first (reverse start order). */
  stopAll(): Promise<void> {
    return this.job(async () => {
      this.timers.stopAll();
      const order = [...this.units.keys()].reverse();
      for (const name of order) await this.stopUnit(this.units.get(name) as UnitRuntime);
    });
  }

  /** Stop everything and mark the supervisor stopped (the caller exits afterwards). */
  async shutdown(): Promise<void> {
    this.phase = "stopping";
    this.writeStatus();
    await this.stopAll();
    this.phase = "stopped";
    this.writeStatus();
  }

  status(): SupervisorStatus {
    const units: UnitStatus[] = [...this.units.values()].map((rt) => ({
      unit: rt.name,
      state: rt.state,
      pid: rt.run && !rt.run.exit ? rt.run.pid : null,
      restarts: rt.restarts,
      lastExit: rt.lastExit,
      result: rt.result,
      since: rt.since,
    }));
    for (const t of this.timers.status()) {
      units.push({
        unit: t.unit,
        state: "active",
        pid: null,
        restarts: 0,
        lastExit: null,
        result: "success",
        since: t.since,
        nextElapse: t.next,
        lastTrigger: t.last,
      });
    }
    return { node: this.cfg.node, pid: process.pid, state: this.phase, updatedAt: now(), units };
  }

  // ---- internals ----

  private job<T>(fn: () => Promise<T> | T): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private writeStatus(): void {
    const tmp = `${this.paths.status}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.status(), null, 2)}\n`);
    renameSync(tmp, this.paths.status);
  }

  private setState(rt: UnitRuntime, state: UnitState, result?: string): void {
    if (rt.state !== state) rt.since = now();
    rt.state = state;
    if (result) rt.result = result;
    this.log(`${rt.name}: ${state}${result ? ` (${result})` : ""}`);
    this.writeStatus();
  }

  private passwd() {
    return {
      passwd: parsePasswd(readFileSync("/etc/passwd", "utf8")),
      groups: parseGroup(readFileSync("/etc/group", "utf8")),
    };
  }

  private loadUnitFile(name: string): SystemdUnit | undefined {
    const opts = { hostname: this.cfg.hostname, dirs: this.cfg.unitDirs };
    const first = loadUnit(name, opts);
    const user = first?.service?.user;
    if (!first || !user) return first;
    // Re-parse with the user's home/uid so %h/%U are right.
    try {
      const { passwd, groups } = this.passwd();
      const u = resolveUser(passwd, groups, user);
      return loadUnit(name, { ...opts, user: u.user, home: u.home, uid: u.uid });
    } catch {
      return first;
    }
  }

  private startTimer(name: string): void {
    const unit = this.loadUnitFile(name);
    if (!unit) throw new Error(`unit ${name} not found`);
    this.timers.start(name, unit);
  }

  private runtimeFor(name: string): UnitRuntime {
    let rt = this.units.get(name);
    if (!rt) {
      const unit = this.loadUnitFile(name);
      if (!unit) throw new Error(`unit ${name} not found`);
      rt = { name, unit, state: "inactive", result: "success", since: now(), restarts: 0, lastExit: null, startTimes: [] };
      this.units.set(name, rt);
    }
    return rt;
  }

  private async startWithDependencies(roots: string[], throwOnError: boolean): Promise<void> {
    // Load the pull-in closure so ordering can see every unit involved.
    const loaded = new Map<string, SystemdUnit>();
    const pending = [...roots];
    while (pending.length > 0) {
      const name = pending.shift() as string;
      if (loaded.has(name) || !name.endsWith(".service")) continue;
      const unit = this.units.get(name)?.unit ?? this.loadUnitFile(name);
      if (!unit) continue; // startOrder reports missing Requires=
      loaded.set(name, unit);
      pending.push(...unit.requires, ...unit.bindsTo, ...unit.wants);
    }
    const order = startOrder(loaded, roots);
    const errors: string[] = [];
    for (const name of order) {
      try {
        const rt = this.runtimeFor(name);
        const required = roots.includes(name) ? [] : [...loaded.values()].filter((u) => [...u.requires, ...u.bindsTo].includes(name));
        await this.startUnit(rt);
        if (rt.state === "failed" && required.length > 0)
          errors.push(`${name} failed (required by ${required.map((u) => u.name).join(", ")})`);
      } catch (e) {
        errors.push(`${name}: ${(e as Error).message}`);
        this.log(`${name}: start failed: ${(e as Error).message}`);
      }
    }
    if (errors.length > 0 && throwOnError) throw new Error(errors.join("; "));
  }

  private createRuntimeDirectories(svc: ServiceSection, user: ResolvedUser | undefined): void {
    for (const d of svc.runtimeDirectory) {
      const path = join("/run", d);
      mkdirSync(path, { recursive: true });
      chownSync(path, user?.uid ?? 0, user?.gid ?? 0);
      chmodSync(path, svc.runtimeDirectoryMode);
    }
  }

  private removeRuntimeDirectories(svc: ServiceSection, restarting: boolean): void {
    if (svc.runtimeDirectoryPreserve === "yes" || (restarting && svc.runtimeDirectoryPreserve === "restart")) return;
    for (const d of svc.runtimeDirectory) rmSync(join("/run", d), { recursive: true, force: true });
  }

  /** Spawn one Exec*= command in its own process group with output appended to the unit's log. */
  private spawnCommand(
    rt: UnitRuntime,
    cmd: ExecCommand,
    env: Record<string, string>,
    user: ResolvedUser | undefined,
    cwd: string,
  ): ChildProcess {
    const svc = rt.unit.service as ServiceSection;
    const inv = invocationFor(cmd, svc, user, env);
    const logFile = join(this.paths.unitLogs, `${rt.name}.log`);
    appendFileSync(logFile, `--- ${now()} ${rt.name}: ${cmd.raw}\n`);
    const fd = openSync(logFile, "a");
    try {
      return spawn(inv.file, inv.args, { env, cwd, detached: true, stdio: ["ignore", fd, fd] });
    } finally {
      closeSync(fd);
    }
  }

  private exitOf(child: ChildProcess): Promise<ExitInfo> {
    return new Promise((resolve) => {
      // 203 is systemd's EXIT_EXEC ("could not execute the program").
      child.once("error", () => resolve({ code: 203, signal: null, at: now() }));
      child.once("exit", (code, signal) => resolve({ code, signal, at: now() }));
    });
  }

  /** Run a helper command (ExecStartPre/Post, ExecStop, ExecReload, ...) to completion. */
  private async runToCompletion(
    rt: UnitRuntime,
    cmd: ExecCommand,
    env: Record<string, string>,
    user: ResolvedUser | undefined,
    cwd: string,
    timeoutMs: number,
  ): Promise<void> {
    const child = this.spawnCommand(rt, cmd, env, user, cwd);
    const exited = this.exitOf(child);
    const limit = timeoutMs > 0 && Number.isFinite(timeoutMs) ? timeoutMs : undefined;
    const result = await Promise.race([exited, ...(limit ? [sleep(limit).then(() => undefined)] : [])]);
    if (!result) {
      if (child.pid) kill(-child.pid, "SIGKILL");
      await exited;
      throw new Error(`${cmd.raw}: timed out after ${limit} ms`);
    }
    if (child.pid && groupAlive(child.pid)) kill(-child.pid, "SIGKILL"); // leftovers of a finished helper
    if ((result.code !== 0 || result.signal) && !cmd.ignoreFailure) {
      throw new Error(`${cmd.raw}: ${result.signal ? `killed by ${result.signal}` : `exit status ${result.code}`}`);
    }
  }

  private async startUnit(rt: UnitRuntime): Promise<void> {
    if (["active", "activating"].includes(rt.state)) return;
    if (rt.restartTimer) {
      clearTimeout(rt.restartTimer);
      rt.restartTimer = undefined;
    }
    const svc = rt.unit.service;
    if (!svc) throw new Error(`${rt.name}: only .service units can be started`);
    for (const c of rt.unit.conditions) {
      if (conditionHolds(c)) continue;
      const what = describeCondition(c);
      if (c.assert) {
        this.setState(rt, "failed", "assert");
        throw new Error(`${rt.name}: ${what} failed`);
      }
      this.log(`${rt.name}: skipped, ${what} not met`);
      this.setState(rt, "inactive", "condition");
      return;
    }
    const t = Date.now();
    rt.startTimes = rt.startTimes.filter((s) => t - s < rt.unit.startLimitIntervalMs);
    if (rt.unit.startLimitBurst > 0 && rt.unit.startLimitIntervalMs > 0 && rt.startTimes.length >= rt.unit.startLimitBurst) {
      this.setState(rt, "failed", "start-limit-hit");
      throw new Error(`${rt.name}: start request repeated too quickly (StartLimitBurst=${rt.unit.startLimitBurst})`);
    }
    rt.startTimes.push(t);
    this.setState(rt, "activating");

    let user: ResolvedUser | undefined;
    let env: Record<string, string> = {};
    let cwd = "/";
    try {
      if (svc.user || svc.group) {
        const { passwd, groups } = this.passwd();
        user = resolveUser(passwd, groups, svc.user ?? "root", svc.group);
      }
      this.createRuntimeDirectories(svc, user);
      env = unitEnvironment(svc, user, { INVOCATION_ID: randomBytes(16).toString("hex") });
      cwd = workingDirectory(svc, user);
    } catch (e) {
      this.setState(rt, "failed", "resources");
      throw e;
    }

    try {
      for (const cmd of svc.execStartPre) await this.runToCompletion(rt, cmd, env, user, cwd, svc.timeoutStartMs);
      if (svc.type === "oneshot") {
        this.runningOneshots.add(rt.name);
        try {
          for (const cmd of svc.execStart) await this.runToCompletion(rt, cmd, env, user, cwd, svc.timeoutStartMs);
          for (const cmd of svc.execStartPost) await this.runToCompletion(rt, cmd, env, user, cwd, svc.timeoutStartMs);
        } finally {
          this.runningOneshots.delete(rt.name);
        }
        this.setState(rt, svc.remainAfterExit ? "active" : "inactive", "success");
        return;
      }
      const run = svc.type === "forking" ? await this.startForking(rt, svc, env, user, cwd) : this.startSimple(rt, env, user, cwd);
      rt.run = run;
      void run.exited.then((exit) => this.onMainExit(rt, run, exit));
      this.setState(rt, "active", "success");
      const postEnv = { ...env, MAINPID: String(run.pid) };
      for (const cmd of svc.execStartPost) await this.runToCompletion(rt, cmd, postEnv, user, cwd, svc.timeoutStartMs);
    } catch (e) {
      this.log(`${rt.name}: ${(e as Error).message}`);
      if (rt.run) await this.killRun(rt, rt.run, svc);
      rt.run = undefined;
      this.removeRuntimeDirectories(svc, false);
      this.setState(rt, "failed", "exit-code");
      this.maybeScheduleRestart(rt, { code: 1, signal: null });
      throw e;
    }
  }

  private startSimple(rt: UnitRuntime, env: Record<string, string>, user: ResolvedUser | undefined, cwd: string): MainRun {
    const svc = rt.unit.service as ServiceSection;
    const child = this.spawnCommand(rt, svc.execStart[0], env, user, cwd);
    if (child.pid === undefined) throw new Error(`${svc.execStart[0].raw}: could not be spawned`);
    const run: MainRun = { pid: child.pid, pgid: child.pid, env, user, cwd, exited: this.exitOf(child) };
    void run.exited.then((e) => {
      run.exit = e;
    });
    return run;
  }

  /** Type=forking: the started command must exit 0; the daemon's pid comes from PIDFile= and is polled. */
  private async startForking(
    rt: UnitRuntime,
    svc: ServiceSection,
    env: Record<string, string>,
    user: ResolvedUser | undefined,
    cwd: string,
  ): Promise<MainRun> {
    await this.runToCompletion(rt, svc.execStart[0], env, user, cwd, svc.timeoutStartMs);
    if (!svc.pidFile) throw new Error(`${rt.name}: Type=forking without PIDFile= is not supported by the lab supervisor`);
    const pidFile = svc.pidFile;
    const found = await waitUntil(() => existsSync(pidFile) && /^\d+/.test(readFileSync(pidFile, "utf8")), 5000);
    if (!found) throw new Error(`${rt.name}: PIDFile ${pidFile} did not appear`);
    const pid = Number.parseInt(readFileSync(pidFile, "utf8"), 10);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const pgid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
    const run: MainRun = {
      pid,
      pgid,
      env,
      user,
      cwd,
      exited: (async () => {
        await waitUntil(() => !pidAlive(pid), Number.POSITIVE_INFINITY);
        return { code: null, signal: null, at: now() };
      })(),
    };
    void run.exited.then((e) => {
      run.exit = e;
    });
    return run;
  }

  private onMainExit(rt: UnitRuntime, run: MainRun, exit: ExitInfo): void {
    if (rt.run !== run) return; // an old run
    rt.lastExit = { code: exit.code, signal: exit.signal, at: exit.at };
    if (rt.state === "deactivating") return; // stopUnit is waiting for this
    this.log(`${rt.name}: main process ${run.pid} exited (${exit.signal ?? `code ${exit.code}`})`);
    void this.job(async () => {
      if (rt.run !== run) return;
      const svc = rt.unit.service as ServiceSection;
      this.setState(rt, "deactivating");
      await this.killRun(rt, run, svc);
      rt.run = undefined;
      const restart = this.phase !== "stopping" && shouldRestart(svc.restart, exit, svc);
      for (const cmd of svc.execStopPost)
        await this.runToCompletion(rt, cmd, run.env, run.user, run.cwd, svc.timeoutStopMs).catch(() => undefined);
      this.removeRuntimeDirectories(svc, restart);
      const clean = isCleanExit(exit, svc);
      this.setState(rt, clean ? "inactive" : "failed", clean ? "success" : exit.signal ? "signal" : "exit-code");
      this.maybeScheduleRestart(rt, exit);
    }).catch((e) => this.log(`${rt.name}: after-exit handling failed: ${(e as Error).message}`));
  }

  private maybeScheduleRestart(rt: UnitRuntime, exit: Pick<ExitInfo, "code" | "signal">): void {
    const svc = rt.unit.service as ServiceSection;
    if (this.phase === "stopping" || this.phase === "stopped" || !shouldRestart(svc.restart, exit, svc)) return;
    this.setState(rt, "auto-restart");
    rt.restartTimer = setTimeout(() => {
      rt.restartTimer = undefined;
      void this.job(async () => {
        if (rt.state !== "auto-restart") return;
        rt.restarts += 1;
        rt.state = "inactive";
        await this.startUnit(rt);
      }).catch((e) => this.log(`${rt.name}: restart failed: ${(e as Error).message}`));
    }, svc.restartMs);
  }

  /** Signal the unit's processes per KillMode=, escalate to SIGKILL after TimeoutStopSec=. */
  private async killRun(rt: UnitRuntime, run: MainRun, svc: ServiceSection): Promise<void> {
    const mainAlive = () => run.exit === undefined && pidAlive(run.pid);
    const mode = svc.killMode;
    const everythingGone = () => !mainAlive() && (mode !== "control-group" || !groupAlive(run.pgid));
    if (mode === "none") return;
    if (mainAlive() || (mode === "control-group" && groupAlive(run.pgid))) {
      if (mode === "control-group") {
        kill(-run.pgid, svc.killSignal);
        kill(-run.pgid, "SIGCONT");
      } else {
        kill(run.pid, svc.killSignal);
        kill(run.pid, "SIGCONT");
      }
      if (!(await waitUntil(everythingGone, svc.timeoutStopMs))) {
        this.log(`${rt.name}: stop timed out after ${svc.timeoutStopMs} ms, sending SIGKILL`);
        kill(mode === "process" ? run.pid : -run.pgid, "SIGKILL");
        await waitUntil(() => !mainAlive(), 5000);
      }
    }
    // mixed/control-group: whatever is left of the group after the main process is killed outright.
    if (mode !== "process" && groupAlive(run.pgid)) kill(-run.pgid, "SIGKILL");
  }

  private async stopUnit(rt: UnitRuntime): Promise<void> {
    const svc = rt.unit.service;
    if (rt.restartTimer) {
      clearTimeout(rt.restartTimer);
      rt.restartTimer = undefined;
      this.setState(rt, "inactive", rt.result);
    }
    if (!svc || !["active", "activating", "auto-restart"].includes(rt.state)) return;
    const run = rt.run;
    this.setState(rt, "deactivating");
    const env = { ...(run?.env ?? {}), ...(run && !run.exit ? { MAINPID: String(run.pid) } : {}) };
    const user = run?.user;
    const cwd = run?.cwd ?? "/";
    for (const cmd of svc.execStop) {
      await this.runToCompletion(rt, cmd, env, user, cwd, svc.timeoutStopMs).catch((e) => this.log(`${rt.name}: ${(e as Error).message}`));
    }
    if (run) {
      await this.killRun(rt, run, svc);
      // killRun sees a zombie as dead; wait for the exit to be reaped so lastExit is recorded (onMainExit runs first).
      await Promise.race([run.exited, sleep(5000)]);
    }
    for (const cmd of svc.execStopPost) {
      await this.runToCompletion(rt, cmd, env, user, cwd, svc.timeoutStopMs).catch((e) => this.log(`${rt.name}: ${(e as Error).message}`));
    }
    rt.run = undefined;
    this.removeRuntimeDirectories(svc, false);
    this.setState(rt, "inactive", "success");
  }
}
