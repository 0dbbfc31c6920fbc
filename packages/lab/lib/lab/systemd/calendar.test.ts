import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cronToOnCalendar } from "pgha/render/systemd";
import { nextElapse, parseCalendar } from "./calendar";

const utc = (s: string) => Date.parse(`${s}Z`);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("OnCalendar next elapse", () => {
  it("computes the next time of the events pgha and common timers use", () => {
    const after = utc("2026-11-21T03:00:00"); // a Saturday, exactly at 03:00
    expect(iso(nextElapse(parseCalendar("*-*-* 03:00:00 UTC"), after))).toBe("2026-11-22T03:00:00.000Z");
    expect(iso(nextElapse(parseCalendar("*-*-* 03:00:00 UTC"), after - 1))).toBe("2026-11-21T03:00:00.000Z");
    expect(iso(nextElapse(parseCalendar("*-*-* *:00/15:00 UTC"), after + 1))).toBe("2026-11-21T03:15:00.000Z");
    expect(iso(nextElapse(parseCalendar("Sun *-*-* 02:00:00 UTC"), after))).toBe("2026-11-22T02:00:00.000Z");
    expect(iso(nextElapse(parseCalendar("Mon..Fri *-*-* 02:30 UTC"), after))).toBe("2026-11-23T02:30:00.000Z");
    expect(iso(nextElapse(parseCalendar("*-02-29 00:00:00 UTC"), after))).toBe("2028-02-29T00:00:00.000Z");
    expect(iso(nextElapse(parseCalendar("*-*-* *:*:0/2 UTC"), after))).toBe("2026-11-21T03:00:02.000Z");
    expect(iso(nextElapse(parseCalendar("weekly"), after))).toBe(new Date(2026, 10, 23).toISOString());
    expect(nextElapse(parseCalendar("*-02-30 00:00:00 UTC"), after)).toBeUndefined();
  });

  it("refuses what it does not implement, naming it", () => {
    expect(() => parseCalendar("*-*-* 03:00:00 Europe/Moscow")).toThrow(
      /OnCalendar=.*: expected '\[weekdays\] YYYY-MM-DD HH:MM:SS \[UTC\]'/,
    );
    expect(() => parseCalendar("2026-*-* 03:00:00")).toThrow(/only '\*' is supported as the year/);
    expect(() => parseCalendar("*-13-* 03:00:00")).toThrow(/month '13' is outside 1\.\.12/);
    expect(() => parseCalendar("Fri..Mon *-*-* 03:00")).toThrow(/runs backwards/);
    expect(() => parseCalendar("Funday *-*-* 03:00")).toThrow(/'Funday' is not a weekday/);
  });

  // The oracle: cron's own meaning, scanned minute by minute (day by day first).
  function cronNext(cron: string, afterMs: number): number | undefined {
    const [mi, h, dom, mon, dow] = cron.split(" ");
    const matches = (field: string, v: number, min: number, max: number) =>
      field.split(",").some((item) => {
        const [r, stepText] = item.split("/");
        const step = stepText ? Number(stepText) : 1;
        const [lo, hi] = r === "*" ? [min, max] : r.includes("-") ? r.split("-").map(Number) : [Number(r), stepText ? max : Number(r)];
        return v >= lo && v <= hi && (v - lo) % step === 0;
      });
    const start = new Date(afterMs);
    for (let day = 0; day < 5 * 366; day++) {
      const d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + day));
      const wd = d.getUTCDay();
      const dayOk =
        dom !== "*"
          ? matches(dom, d.getUTCDate(), 1, 31)
          : dow !== "*"
            ? matches(dow, wd, 0, 7) || (wd === 0 && matches(dow, 7, 0, 7))
            : true;
      if (!dayOk || !matches(mon, d.getUTCMonth() + 1, 1, 12)) continue;
      for (let m = 0; m < 1440; m++) {
        const t = d.getTime() + m * 60_000;
        if (t > afterMs && matches(h, Math.floor(m / 60), 0, 23) && matches(mi, m % 60, 0, 59)) return t;
      }
    }
    return undefined;
  }

  const item = (min: number, max: number) =>
    fc.oneof(
      fc.integer({ min, max }).map(String),
      fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.integer({ min: 1, max: 20 }).map((s) => `*/${s}`),
      fc.tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: 10 })).map(([a, s]) => `${a}/${s}`),
    );
  const field = (min: number, max: number) =>
    fc.oneof(
      fc.constant("*"),
      fc.array(item(min, max), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(",")),
    );

  it("fires exactly when cron would, for the OnCalendar pgha renders from a backup schedule (property)", () => {
    const schedule = fc
      .tuple(field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 7), fc.boolean())
      .map(([mi, h, dom, mon, dow, byDay]) => `${mi} ${h} ${byDay ? dom : "*"} ${mon} ${byDay ? "*" : dow}`);
    const instant = fc.integer({ min: utc("2026-01-01T00:00:00"), max: utc("2030-12-31T23:59:59") });
    fc.assert(
      fc.property(schedule, instant, (cron, after) => {
        expect(iso(nextElapse(parseCalendar(cronToOnCalendar(cron)), after)), cron).toBe(iso(cronNext(cron, after)));
      }),
      { numRuns: 300 },
    );
  });
});
