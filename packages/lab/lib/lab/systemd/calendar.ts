// systemd calendar events (OnCalendar=), the subset pgha's timers and common
// hand-written timers use: `[Weekdays] *-MM-DD HH:MM:SS [UTC]`, where each
// field is `*`, a value, a range `a..b`, a repetition `a/step` or `a..b/step`,
// or a comma list of those; weekdays are names (`Mon`, `Mon..Fri`, lists).
// Shorthands daily/weekly/hourly/... are accepted. Anything else is refused
// with the reason, never guessed. Pure.

export interface CalendarSpec {
  text: string;
  weekdays: Set<number>;
  months: number[];
  days: number[];
  hours: number[];
  minutes: number[];
  seconds: number[];
  utc: boolean;
}

const SHORTHANDS: Record<string, string> = {
  minutely: "*-*-* *:*:00",
  hourly: "*-*-* *:00:00",
  daily: "*-*-* 00:00:00",
  weekly: "Mon *-*-* 00:00:00",
  monthly: "*-*-01 00:00:00",
  yearly: "*-01-01 00:00:00",
  annually: "*-01-01 00:00:00",
};

/** systemd's weekday names, in Date#getDay() numbering (Sunday = 0). */
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/** Ranges of weekdays follow systemd's Monday-first week. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

function fail(text: string, why: string): never {
  throw new Error(`OnCalendar=${text}: ${why}`);
}

function values(text: string, field: string, name: string, min: number, max: number): number[] {
  if (field === "*") return range(min, max, 1);
  const out = new Set<number>();
  for (const item of field.split(",")) {
    const m = /^(\*|\d+)(?:\.\.(\d+))?(?:\/(\d+))?$/.exec(item);
    if (!m) fail(text, `${name} '${item}' is not a value, a..b, a/step or a list of those`);
    const lo = m[1] === "*" ? min : Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : m[3] !== undefined || m[1] === "*" ? max : lo;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (lo < min || hi > max || lo > hi) fail(text, `${name} '${item}' is outside ${min}..${max}`);
    if (step < 1) fail(text, `${name} step in '${item}' must be positive`);
    for (const v of range(lo, hi, step)) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

function range(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
}

function weekdaySet(text: string, field: string): Set<number> {
  const days = new Set<number>();
  const dayOf = (name: string) => {
    const d = WEEKDAYS.findIndex((w) => w.toLowerCase() === name.slice(0, 3).toLowerCase());
    if (d < 0) fail(text, `'${name}' is not a weekday`);
    return d;
  };
  for (const item of field.split(",")) {
    const [a, b] = item.split("..");
    if (b === undefined) {
      days.add(dayOf(a));
      continue;
    }
    const [from, to] = [WEEK_ORDER.indexOf(dayOf(a)), WEEK_ORDER.indexOf(dayOf(b))];
    if (from > to) fail(text, `weekday range '${item}' runs backwards (weeks start on Monday)`);
    for (let i = from; i <= to; i++) days.add(WEEK_ORDER[i]);
  }
  return days;
}

export function parseCalendar(input: string): CalendarSpec {
  const text = input.trim();
  let words = (SHORTHANDS[text] ?? text).split(/\s+/);
  let utc = false;
  if (words[words.length - 1] === "UTC") {
    utc = true;
    words = words.slice(0, -1);
  }
  let weekdays = new Set(range(0, 6, 1));
  if (words.length > 0 && /^[A-Za-z]/.test(words[0])) {
    weekdays = weekdaySet(text, words[0]);
    words = words.slice(1);
  }
  if (words.length !== 2) fail(text, "expected '[weekdays] YYYY-MM-DD HH:MM:SS [UTC]' (other time zones are not supported in the lab)");
  const date = words[0].split("-");
  const time = words[1].split(":");
  if (date.length !== 3) fail(text, `date '${words[0]}' must be year-month-day`);
  if (date[0] !== "*") fail(text, "only '*' is supported as the year");
  if (time.length === 2) time.push("00");
  if (time.length !== 3) fail(text, `time '${words[1]}' must be HH:MM[:SS]`);
  return {
    text,
    weekdays,
    months: values(text, date[1], "month", 1, 12),
    days: values(text, date[2], "day", 1, 31),
    hours: values(text, time[0], "hour", 0, 23),
    minutes: values(text, time[1], "minute", 0, 59),
    seconds: values(text, time[2], "second", 0, 59),
    utc,
  };
}

/** The first time strictly after `afterMs` the event elapses (ms since the epoch); undefined if none within 5 years. */
export function nextElapse(spec: CalendarSpec, afterMs: number): number | undefined {
  const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
    spec.utc ? Date.UTC(y, mo, d, h, mi, s) : new Date(y, mo, d, h, mi, s).getTime();
  const start = new Date(afterMs);
  const get = (utcName: "getUTCFullYear" | "getUTCMonth" | "getUTCDate", localName: "getFullYear" | "getMonth" | "getDate") =>
    spec.utc ? start[utcName]() : start[localName]();
  const [y0, m0, d0] = [get("getUTCFullYear", "getFullYear"), get("getUTCMonth", "getMonth"), get("getUTCDate", "getDate")];
  for (let i = 0; i < 5 * 366; i++) {
    const midnight = new Date(at(y0, m0, d0 + i));
    const [y, mo, d, wd] = spec.utc
      ? [midnight.getUTCFullYear(), midnight.getUTCMonth(), midnight.getUTCDate(), midnight.getUTCDay()]
      : [midnight.getFullYear(), midnight.getMonth(), midnight.getDate(), midnight.getDay()];
    if (!spec.months.includes(mo + 1) || !spec.days.includes(d) || !spec.weekdays.has(wd)) continue;
    for (const h of spec.hours)
      for (const mi of spec.minutes)
        for (const s of spec.seconds) {
          const t = at(y, mo, d, h, mi, s);
          if (t > afterMs) return t;
        }
  }
  return undefined;
}
