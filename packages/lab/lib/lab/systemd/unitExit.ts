// What a service's exit means, per systemd.service(5) (pure): clean or not,
// and whether Restart= asks for a restart.
import type { RestartPolicy, ServiceSection } from "./systemdUnit";

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** ISO time of the exit. */
  at: string;
}

/** Signals systemd counts as a clean exit by default. */
const CLEAN_SIGNALS = ["SIGHUP", "SIGINT", "SIGTERM", "SIGPIPE"];

export function isCleanExit(exit: Pick<ExitInfo, "code" | "signal">, svc: Pick<ServiceSection, "successExitStatus">): boolean {
  if (exit.signal) return CLEAN_SIGNALS.includes(exit.signal) || svc.successExitStatus.signals.includes(exit.signal);
  return exit.code === 0 || svc.successExitStatus.codes.includes(exit.code ?? -1);
}

/** Restart= decision for a main process that exited on its own (not stopped by us). */
export function shouldRestart(
  policy: RestartPolicy,
  exit: Pick<ExitInfo, "code" | "signal">,
  svc: Pick<ServiceSection, "successExitStatus">,
): boolean {
  const clean = isCleanExit(exit, svc);
  const uncleanSignal = exit.signal !== null && !clean;
  switch (policy) {
    case "no":
      return false;
    case "always":
      return true;
    case "on-success":
      return clean;
    case "on-failure":
      return !clean;
    case "on-abnormal":
      return uncleanSignal;
    case "on-abort":
      // Differs from on-abnormal only for timeouts/watchdog, which the lab does not model.
      return uncleanSignal;
    case "on-watchdog":
      return false;
  }
}
