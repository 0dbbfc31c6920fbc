import { describe, expect, it } from "vitest";
import { shouldRestart } from "./unitExit";

describe("unit exits", () => {
  it("decides restarts like systemd", () => {
    const svc = { successExitStatus: { codes: [143], signals: [] } };
    const killed = { code: null, signal: "SIGKILL" };
    const clean = { code: 0, signal: null };
    const failed = { code: 1, signal: null };
    expect(shouldRestart("always", clean, svc)).toBe(true);
    expect(shouldRestart("no", killed, svc)).toBe(false);
    expect(shouldRestart("on-failure", killed, svc)).toBe(true);
    expect(shouldRestart("on-failure", failed, svc)).toBe(true);
    expect(shouldRestart("on-failure", clean, svc)).toBe(false);
    expect(shouldRestart("on-failure", { code: 143, signal: null }, svc)).toBe(false);
    expect(shouldRestart("on-failure", { code: null, signal: "SIGTERM" }, svc)).toBe(false);
    expect(shouldRestart("on-abnormal", failed, svc)).toBe(false);
    expect(shouldRestart("on-abnormal", killed, svc)).toBe(true);
    expect(shouldRestart("on-success", clean, svc)).toBe(true);
  });
});
