import { describe, expect, it } from "vitest";
import { type DrillResult, failoverSplit, rtoOf } from "./types";
import { renderDrillReport } from "./report";

function result(over: Partial<DrillResult> = {}): DrillResult {
  const t0 = 1_000_000;
  return {
    drill: "leader-crash",
    cluster: "main",
    failedNode: "main-pg-1",
    leaderBefore: "main-pg-1",
    leaderAfter: "main-pg-0",
    t0Ms: t0,
    faultAtMs: t0 + 2000,
    rtoMs: 19_800,
    ackedWrites: 2,
    failedWrites: 1,
    lostAcknowledged: [],
    maxWritablePrimaries: 1,
    maxNotInRecovery: 1,
    rejoinMs: 8100,
    before: "| main | main-pg-1 | Leader |",
    after: "| main | main-pg-0 | Leader |",
    steps: [{ atMs: 2000, text: "FAULT: kill -9 <all>" }],
    attempts: [
      { id: 1, startMs: t0 + 100, endMs: t0 + 150, ok: true },
      { id: 2, startMs: t0 + 2100, endMs: t0 + 3100, ok: false, error: "timeout <expired>" },
      { id: 3, startMs: t0 + 21_000, endMs: t0 + 21_800, ok: true },
    ],
    observations: [],
    bounds: [{ name: "RTO", expected: "< 30.0 s", actual: "19.8 s", ok: true }],
    facts: ["a fact"],
    passed: true,
    ...over,
  };
}

describe("renderDrillReport", () => {
  it("summarises each run in one row and details its bounds, steps, facts and tables", () => {
    const { markdown, svgFile } = renderDrillReport(
      [result(), result({ drill: "switchover", passed: false, lostAcknowledged: [7] })],
      "out/x/report.md",
    );
    expect(svgFile).toBe("out/x/report.svg");
    expect(markdown).toContain("| leader-crash | main-pg-1 | main-pg-1 → main-pg-0 | 19.8 s | 2 | 1 | 0 | 1 | 8.1 s | yes |");
    expect(markdown).toContain("| switchover | main-pg-1 | main-pg-1 → main-pg-0 | 19.8 s | 2 | 1 | 1 | 1 | 8.1 s | **NO** |");
    expect(markdown).toContain("| RTO | < 30.0 s | 19.8 s | yes |");
    expect(markdown).toContain("- `2.0 s` FAULT: kill -9 <all>");
    expect(markdown).toContain("Lost acknowledged ids: 7");
    expect(markdown).toContain("![timeline](report.svg)");
  });

  it("draws one tick per write, green when acknowledged and red when not, with XML escaped", () => {
    const { svg } = renderDrillReport([result()], "r.md");
    expect(svg.match(/fill="#2a9d4b"/g)).toHaveLength(2);
    expect(svg.match(/fill="#d62828"/g)).toHaveLength(1);
    expect(svg).toContain("timeout &lt;expired&gt;");
    expect(svg).toContain("first ack (RTO 19.8 s)");
    expect(svg.startsWith("<svg")).toBe(true);
  });
});

describe("rtoOf", () => {
  const w = (id: number, startMs: number, ok: boolean) => ({ id, startMs, endMs: startMs + 50, ok });
  it("ends the outage at the first acknowledged write after the last failure since the fault", () => {
    const log = [w(1, 0, true), w(2, 1000, false), w(3, 1100, true), w(4, 1200, false), w(5, 5000, true), w(6, 5100, true)];
    expect(rtoOf(log, 900)).toBe(5050 - 900);
  });
  it("is the first acknowledged write when nothing failed, and undefined when nothing recovered", () => {
    expect(rtoOf([w(1, 0, true), w(2, 1000, true)], 500)).toBe(550);
    expect(rtoOf([w(1, 0, true), w(2, 1000, false)], 500)).toBeUndefined();
  });
  it("ignores writes that started before the fault", () => {
    expect(rtoOf([w(1, 0, false), w(2, 1000, true)], 500)).toBe(550);
  });
});

describe("failoverSplit", () => {
  const poll = (atMs: number, writable: string[]) => ({ atMs, notInRecovery: writable, writable });
  const polls = [poll(0, ["a"]), poll(500, []), poll(1000, ["a"]), poll(9000, []), poll(9500, ["b"]), poll(10000, ["b"])];
  it("splits the RTO at the first poll after the fault in which another member than the old leader wrote", () => {
    expect(failoverSplit(polls, 600, "a", 12_000)).toEqual({ member: "b", writableMs: 8900, followedMs: 3100 });
  });
  it("never puts the promotion after a write the load balancer already delivered (the poll can be late)", () => {
    expect(failoverSplit(polls, 600, "a", 8_500)).toEqual({ member: "b", writableMs: 8500, followedMs: 0 });
  });
  it("is undefined when no other member wrote, as when the leader stays", () => {
    expect(failoverSplit(polls.slice(0, 4), 600, "a", 2_000)).toBeUndefined();
  });
});
