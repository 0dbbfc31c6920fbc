/**
 * Backup schedules: a five-field cron expression, translated into a systemd OnCalendar value.
 * In config (not render) so a schedule systemd cannot run is refused by the field schema, at
 * `backups.schedule`, before any resource exists; the timer renderer uses the same translation.
 */

interface CronField {
  name: string;
  min: number;
  max: number;
}

const MINUTE: CronField = { name: "minute", min: 0, max: 59 };
const HOUR: CronField = { name: "hour", min: 0, max: 23 };
const DAY_OF_MONTH: CronField = { name: "day-of-month", min: 1, max: 31 };
const MONTH: CronField = { name: "month", min: 1, max: 12 };
const DAY_OF_WEEK: CronField = { name: "day-of-week", min: 0, max: 7 };
/** systemd weekday names indexed by cron's numbering (0 and 7 are Sunday). */
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/** systemd orders weekdays Monday first; ranges must follow that order. */
const SYSTEMD_WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

class CronError extends Error {
  constructor(
    cron: string,
    readonly why: string,
  ) {
    super(`backup schedule '${cron}': ${why}`);
    this.name = "CronError";
  }
}

/** Why systemd could not run `cron` as a timer (e.g. `hour 25 is outside 0-23`), or undefined if it can. */
export function cronProblem(cron: string): string | undefined {
  const why = (check: () => unknown): string | undefined => {
    try {
      check();
      return undefined;
    } catch (err) {
      if (err instanceof CronError) return err.why;
      throw err;
    }
  };
  const fields = cron.trim().split(/\s+/);
  if (fields.length === 5) {
    // Every field on its own first, so one message names all the fields out of range.
    const [minute, hour, dom, month, dow] = fields;
    const perField = [
      why(() => numericField(cron, MINUTE, minute)),
      why(() => numericField(cron, HOUR, hour)),
      why(() => numericField(cron, DAY_OF_MONTH, dom)),
      why(() => numericField(cron, MONTH, month)),
      why(() => weekdaySet(cron, dow)),
    ].filter((w) => w !== undefined);
    if (perField.length > 0) return perField.join("; ");
  }
  return why(() => cronToOnCalendar(cron));
}

function parseNumber(cron: string, f: CronField, s: string): number {
  if (!/^\d+$/.test(s)) throw new CronError(cron, `${f.name} '${s}' is not a number`);
  const n = Number(s);
  if (n < f.min || n > f.max) throw new CronError(cron, `${f.name} ${n} is outside ${f.min}-${f.max}`);
  return n;
}

function parseStep(cron: string, f: CronField, s: string): number {
  if (!/^\d+$/.test(s) || Number(s) < 1) throw new CronError(cron, `${f.name} step '/${s}' must be a positive number`);
  return Number(s);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** One numeric cron field in systemd syntax: `*`, `05`, `00/15`, `10..20`, `10..20/2`, lists. */
function numericField(cron: string, f: CronField, field: string): string {
  if (field === "*") return "*";
  return field
    .split(",")
    .map((item) => {
      const [range, stepText, extra] = item.split("/");
      if (extra !== undefined) throw new CronError(cron, `${f.name} item '${item}' has more than one '/'`);
      const step = stepText === undefined ? undefined : parseStep(cron, f, stepText);
      const suffix = step === undefined ? "" : `/${step}`;
      if (range === "*") {
        if (step === undefined) throw new CronError(cron, `'*' cannot be part of a list in ${f.name}`);
        return `${pad(f.min)}${suffix}`;
      }
      const bounds = range.split("-");
      if (bounds.length === 1) return `${pad(parseNumber(cron, f, bounds[0]))}${suffix}`;
      if (bounds.length !== 2) throw new CronError(cron, `${f.name} range '${range}' is malformed`);
      const [a, b] = bounds.map((x) => parseNumber(cron, f, x));
      if (a > b) throw new CronError(cron, `${f.name} range '${range}' runs backwards`);
      return `${pad(a)}..${pad(b)}${suffix}`;
    })
    .join(",");
}

/** Expand cron's day-of-week into weekday numbers 0-6 (Sunday = 0). */
function weekdaySet(cron: string, field: string): Set<number> {
  const days = new Set<number>();
  for (const item of field.split(",")) {
    const [range, stepText, extra] = item.split("/");
    if (extra !== undefined) throw new CronError(cron, `day-of-week item '${item}' has more than one '/'`);
    const step = stepText === undefined ? 1 : parseStep(cron, DAY_OF_WEEK, stepText);
    let lo: number;
    let hi: number;
    if (range === "*") [lo, hi] = [0, 6];
    else {
      const bounds = range.split("-");
      if (bounds.length > 2) throw new CronError(cron, `day-of-week range '${range}' is malformed`);
      lo = parseNumber(cron, DAY_OF_WEEK, bounds[0]);
      hi = bounds.length === 2 ? parseNumber(cron, DAY_OF_WEEK, bounds[1]) : stepText === undefined ? lo : 7;
      if (lo > hi) throw new CronError(cron, `day-of-week range '${range}' runs backwards`);
    }
    for (let d = lo; d <= hi; d += step) days.add(d % 7);
  }
  return days;
}

/** Weekday list in systemd's Monday-first order, consecutive runs written as ranges. */
function weekdayList(days: Set<number>): string {
  const ordered = SYSTEMD_WEEK_ORDER.filter((d) => days.has(d));
  const parts: string[] = [];
  let i = 0;
  while (i < ordered.length) {
    let j = i;
    while (j + 1 < ordered.length && SYSTEMD_WEEK_ORDER.indexOf(ordered[j + 1]) === SYSTEMD_WEEK_ORDER.indexOf(ordered[j]) + 1) j++;
    parts.push(
      j - i >= 2
        ? `${WEEKDAYS[ordered[i]]}..${WEEKDAYS[ordered[j]]}`
        : ordered
            .slice(i, j + 1)
            .map((d) => WEEKDAYS[d])
            .join(","),
    );
    i = j + 1;
  }
  return parts.join(",");
}

/**
 * Translate a five-field cron expression (minute hour day-of-month month day-of-week) into a
 * systemd OnCalendar value in UTC, e.g. `0 3 * * *` -> `*-*-* 03:00:00 UTC`,
 * `*\/15 * * * *` -> `*-*-* *:00/15:00 UTC`, `0 2 * * 0` -> `Sun *-*-* 02:00:00 UTC`.
 * Rejects what systemd cannot express with the same meaning: cron fires when EITHER a
 * restricted day-of-month OR a restricted day-of-week matches, systemd needs both.
 */
export function cronToOnCalendar(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5)
    throw new CronError(cron, "must have five fields: minute hour day-of-month month day-of-week (names and @daily are not supported)");
  for (const f of fields) if (!/^[0-9*,/-]+$/.test(f)) throw new CronError(cron, `field '${f}' may contain only digits and * , / -`);
  const [minute, hour, dom, month, dow] = fields;
  const days = weekdaySet(cron, dow);
  const weekdays = days.size === 7 ? "" : weekdayList(days);
  if (dom !== "*" && weekdays !== "")
    throw new CronError(
      cron,
      "restricts both day-of-month and day-of-week; cron runs when either matches, " +
        "which systemd timers cannot express — restrict only one",
    );
  const date = `*-${numericField(cron, MONTH, month)}-${numericField(cron, DAY_OF_MONTH, dom)}`;
  const time = `${numericField(cron, HOUR, hour)}:${numericField(cron, MINUTE, minute)}:00`;
  return `${weekdays ? `${weekdays} ` : ""}${date} ${time} UTC`;
}
