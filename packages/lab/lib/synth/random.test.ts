import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_SPECIAL, deriveInteger, deriveRandomId, deriveRandomString, deriveUuid } from "./random";

const count = (s: string, chars: string) => [...s].filter((c) => chars.includes(c)).length;
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";

describe("deriveRandomString (RandomPassword/RandomString result)", () => {
  it("is deterministic per seed and name, and differs across either", () => {
    const a = deriveRandomString("pgha/lab", "main-superuser", { length: 32 });
    expect(deriveRandomString("pgha/lab", "main-superuser", { length: 32 })).toBe(a);
    expect(deriveRandomString("pgha/lab", "main-replication", { length: 32 })).not.toBe(a);
    expect(deriveRandomString("pgha/prod", "main-superuser", { length: 32 })).not.toBe(a);
  });

  it("with special=false uses letters and digits only (what pgha asks for)", () => {
    for (const name of ["a", "b", "c", "d", "e"]) {
      expect(deriveRandomString("s", name, { length: 32, special: false, upper: true, lower: true, numeric: true })).toMatch(
        /^[A-Za-z0-9]{32}$/,
      );
    }
  });

  it("uses the provider's default special characters when special is left on", () => {
    const all = Array.from({ length: 40 }, (_, i) => deriveRandomString("s", `n${i}`, { length: 64 })).join("");
    expect(count(all, DEFAULT_SPECIAL)).toBeGreaterThan(0);
    expect([...all].every((c) => (UPPER + LOWER + DIGITS + DEFAULT_SPECIAL).includes(c))).toBe(true);
  });

  it("honours overrideSpecial and the min* counts", () => {
    const s = deriveRandomString("s", "x", { length: 12, overrideSpecial: "!#%", minSpecial: 4, minUpper: 3, minNumeric: 2 });
    expect(s).toHaveLength(12);
    expect(count(s, "!#%")).toBeGreaterThanOrEqual(4);
    expect(count(s, UPPER)).toBeGreaterThanOrEqual(3);
    expect(count(s, DIGITS)).toBeGreaterThanOrEqual(2);
    expect(s).toMatch(/^[A-Za-z0-9!#%]+$/);
  });

  it("rejects impossible inputs", () => {
    expect(() => deriveRandomString("s", "x", { length: 8, upper: false, lower: false, numeric: false, special: false })).toThrow(
      /every character class is disabled/,
    );
    expect(() => deriveRandomString("s", "x", { length: 3, minUpper: 2, minLower: 2 })).toThrow(/exceed length/);
    expect(() => deriveRandomString("s", "x", { length: 0 })).toThrow(/positive integer/);
  });

  it("always has the requested length, only enabled classes, and at least the minimums", () => {
    fc.assert(
      fc.property(
        fc.record({
          length: fc.integer({ min: 1, max: 80 }),
          upper: fc.boolean(),
          lower: fc.boolean(),
          numeric: fc.boolean(),
          special: fc.boolean(),
          minUpper: fc.integer({ min: 0, max: 5 }),
          minNumeric: fc.integer({ min: 0, max: 5 }),
          name: fc.string(),
        }),
        (i) => {
          fc.pre(i.upper || i.lower || i.numeric || i.special);
          const minTotal = (i.upper ? i.minUpper : 0) + (i.numeric ? i.minNumeric : 0);
          fc.pre(minTotal <= i.length);
          const s = deriveRandomString("seed", i.name, i);
          const allowed = (i.upper ? UPPER : "") + (i.lower ? LOWER : "") + (i.numeric ? DIGITS : "") + (i.special ? DEFAULT_SPECIAL : "");
          expect(s).toHaveLength(i.length);
          expect([...s].every((c) => allowed.includes(c))).toBe(true);
          if (i.upper) expect(count(s, UPPER)).toBeGreaterThanOrEqual(i.minUpper);
          if (i.numeric) expect(count(s, DIGITS)).toBeGreaterThanOrEqual(i.minNumeric);
        },
      ),
    );
  });
});

describe("other random resources", () => {
  it("RandomId encodes the same derived bytes four ways", () => {
    const id = deriveRandomId("s", "bucket-suffix", 4);
    expect(id.hex).toMatch(/^[0-9a-f]{8}$/);
    expect(Buffer.from(id.b64Url, "base64url").toString("hex")).toBe(id.hex);
    expect(Buffer.from(id.b64Std, "base64").toString("hex")).toBe(id.hex);
    expect(BigInt(id.dec)).toBe(BigInt(`0x${id.hex}`));
    expect(deriveRandomId("s", "bucket-suffix", 4, "pre-").hex).toBe(`pre-${id.hex}`);
  });

  it("RandomUuid is a version-4-shaped UUID; RandomInteger stays in range", () => {
    expect(deriveUuid("s", "u")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (let i = 0; i < 50; i++) {
      const v = deriveInteger("s", `i${i}`, 10, 12);
      expect(v).toBeGreaterThanOrEqual(10);
      expect(v).toBeLessThanOrEqual(12);
    }
  });
});
