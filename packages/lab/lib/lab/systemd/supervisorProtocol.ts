// Shared between the node supervisor and its clients: on-disk layout of a
// supervisor's state directory and the control protocol (one JSON request
// line -> one JSON response line over <stateDir>/control.sock).
import { join } from "node:path";
import type { ExitInfo } from "./unitExit";

export interface SupervisorConfig {
  node: string;
  /** Hostname inside the node's UTS namespace (also %H in units). */
  hostname: string;
  /** Mount points of the node's data disks: their /etc/fstab entries are mounted at boot, as systemd does. */
  dataDiskMounts?: string[];
  /** Start units enabled in /etc/systemd/system/multi-user.target.wants at boot (default true). */
  startEnabled?: boolean;
  /** Extra units to start at boot. */
  units?: string[];
  /** Unit search path override (tests); default the systemd one. */
  unitDirs?: string[];
  /** Namespaces of the launcher ("mnt:[...]"): the supervisor refuses to run in its mount namespace. */
  launcherNamespaces: { mnt: string; uts: string };
}

export type UnitState = "inactive" | "activating" | "active" | "deactivating" | "failed" | "auto-restart";

export interface UnitStatus {
  unit: string;
  state: UnitState;
  /** Main pid while running. */
  pid: number | null;
  /** Automatic restarts so far (systemd's NRestarts). */
  restarts: number;
  lastExit: ExitInfo | null;
  /** Why it is in this state: success, exit-code, signal, timeout, start-limit-hit, condition, resources, ... */
  result: string;
  since: string;
  /** Timers only: when the timer next starts its service, and when it last did. */
  nextElapse?: string;
  lastTrigger?: string;
}

export interface SupervisorStatus {
  node: string;
  pid: number;
  state: "booting" | "running" | "stopping" | "stopped";
  updatedAt: string;
  units: UnitStatus[];
}

export type SupervisorRequest =
  | { op: "status" }
  | { op: "start" | "stop" | "restart" | "reload"; unit: string }
  | { op: "start-boot" }
  | { op: "stop-all" }
  | { op: "daemon-reload" }
  | { op: "shutdown" };

export type SupervisorResponse = { ok: true; status: SupervisorStatus } | { ok: false; error: string; status?: SupervisorStatus };

export const supervisorPaths = (stateDir: string) => ({
  config: join(stateDir, "supervisor.json"),
  status: join(stateDir, "status.json"),
  socket: join(stateDir, "control.sock"),
  log: join(stateDir, "supervisor.log"),
  unitLogs: join(stateDir, "logs"),
  timerStamps: join(stateDir, "timers"),
});

/** Line the supervisor prints once it runs in the node's root and accepts commands. */
export const READY_LINE = "pgha-supervisor ready";
