import { describe, expect, it } from "vitest";
import type { PathCondition } from "./systemdUnit";
import { conditionHolds } from "./unitConditions";

describe("unit conditions", () => {
  it("evaluates Condition*=/Assert*= paths", () => {
    const c = (kind: PathCondition["kind"], path: string, negate = false) => conditionHolds({ kind, path, negate, assert: false });
    expect(c("PathExists", "/etc/passwd")).toBe(true);
    expect(c("PathExists", "/etc/nope-nope")).toBe(false);
    expect(c("PathExists", "/etc/nope-nope", true)).toBe(true);
    expect(c("PathIsDirectory", "/etc")).toBe(true);
    expect(c("FileNotEmpty", "/etc/passwd")).toBe(true);
    expect(c("FileNotEmpty", "/etc")).toBe(false);
  });
});
