// Timer units for the lab supervisor, as systemd runs them: OnCalendar=
// schedules start Unit= (default: the .service of the same name), and with
// Persistent= a run missed while the timer was inactive (the node was down)
// happens as soon as the timer starts again. The last trigger is stamped in
// the supervisor's state directory, which outlives the node's reboots.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CalendarSpec, nextElapse, parseCalendar } from "./calendar";
import type { SystemdUnit } from "./systemdUnit";

export interface TimerSettings {
  calendars: CalendarSpec[];
  persistent: boolean;
  unit: string;
}

/** Keys the lab honours; AccuracySec=/RandomizedDelaySec= only widen systemd's window, so firing on time is within it. */
const KNOWN_KEYS = new Set(["OnCalendar", "Persistent", "Unit", "AccuracySec", "RandomizedDelaySec"]);

export function timerSettings(u: SystemdUnit): TimerSettings {
  const t = u.sections.Timer;
  if (!t) throw new Error(`${u.name}: no [Timer] section`);
  for (const k of Object.keys(t))
    if (!KNOWN_KEYS.has(k)) throw new Error(`${u.name}: ${k}= is not supported by the lab's timers (OnCalendar= and Persistent= are)`);
  // As in systemd, an empty assignment resets the list.
  const values = t.OnCalendar ?? [];
  const calendars = values.slice(values.lastIndexOf("") + 1).map(parseCalendar);
  if (calendars.length === 0) throw new Error(`${u.name}: no OnCalendar=`);
  const persistent = /^(yes|true|on|1)$/i.test(t.Persistent?.at(-1) ?? "no");
  return { calendars, persistent, unit: t.Unit?.at(-1) ?? u.name.replace(/\.timer$/, ".service") };
}

export function nextTrigger(s: TimerSettings, afterMs: number): number | undefined {
  const all = s.calendars.map((c) => nextElapse(c, afterMs)).filter((t): t is number => t !== undefined);
  return all.length > 0 ? Math.min(...all) : undefined;
}

export interface TimerStatus {
  unit: string;
  since: string;
  next?: string;
  last?: string;
}

interface ActiveTimer {
  name: string;
  settings: TimerSettings;
  since: number;
  next?: number;
  last?: number;
  handle?: NodeJS.Timeout;
}

/** setTimeout's limit (~24.8 days): a later elapse is re-armed when this fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class TimerScheduler {
  private readonly active = new Map<string, ActiveTimer>();

  constructor(
    private readonly stampDir: string,
    private readonly trigger: (unit: string) => Promise<void>,
    private readonly log: (msg: string) => void,
    private readonly changed: () => void,
  ) {
    mkdirSync(stampDir, { recursive: true });
  }

  start(name: string, unit: SystemdUnit): void {
    if (this.active.has(name)) return;
    const t: ActiveTimer = { name, settings: timerSettings(unit), since: Date.now(), last: this.readStamp(name) };
    this.active.set(name, t);
    const missed =
      t.settings.persistent && t.last !== undefined && (nextTrigger(t.settings, t.last) ?? Number.POSITIVE_INFINITY) <= Date.now();
    if (missed) this.fire(t, "a run was missed while the timer was inactive (Persistent=)");
    else this.arm(t);
  }

  stop(name: string): void {
    const t = this.active.get(name);
    if (!t) return;
    clearTimeout(t.handle);
    this.active.delete(name);
    this.log(`${name}: stopped`);
    this.changed();
  }

  stopAll(): void {
    for (const name of [...this.active.keys()]) this.stop(name);
  }

  status(): TimerStatus[] {
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    return [...this.active.values()].map((t) => ({
      unit: t.name,
      since: new Date(t.since).toISOString(),
      next: iso(t.next),
      last: iso(t.last),
    }));
  }

  private arm(t: ActiveTimer): void {
    t.next = nextTrigger(t.settings, Date.now());
    if (t.next === undefined) {
      this.log(`${t.name}: its calendar never elapses again`);
    } else {
      const due = t.next;
      t.handle = setTimeout(() => (Date.now() < due ? this.arm(t) : this.fire(t, "elapsed")), Math.min(due - Date.now(), MAX_DELAY_MS));
      this.log(`${t.name}: next ${new Date(due).toISOString()}`);
    }
    this.changed();
  }

  private fire(t: ActiveTimer, why: string): void {
    if (this.active.get(t.name) !== t) return;
    t.last = Date.now();
    writeFileSync(this.stampFile(t.name), `${new Date(t.last).toISOString()}\n`);
    this.log(`${t.name}: ${why}; starting ${t.settings.unit}`);
    this.trigger(t.settings.unit).catch((e: Error) => this.log(`${t.name}: starting ${t.settings.unit} failed: ${e.message}`));
    this.arm(t);
  }

  private stampFile(name: string): string {
    return join(this.stampDir, `stamp-${name}`);
  }

  private readStamp(name: string): number | undefined {
    const f = this.stampFile(name);
    if (!existsSync(f)) return undefined;
    const t = Date.parse(readFileSync(f, "utf8").trim());
    return Number.isNaN(t) ? undefined : t;
  }
}
