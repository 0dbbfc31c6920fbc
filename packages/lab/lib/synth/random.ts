/**
 * Deterministic stand-ins for the `random` provider's resources, following its input semantics
 * (character classes on by default, `min*` counts, `overrideSpecial`), so a generated password
 * has the same shape a real one would.
 */
import { DerivedStream, derive32 } from "./derive";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const NUMERIC = "0123456789";
/** The random provider's default special characters. */
export const DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

export interface RandomStringInputs {
  length: number;
  upper?: boolean;
  lower?: boolean;
  numeric?: boolean;
  special?: boolean;
  minUpper?: number;
  minLower?: number;
  minNumeric?: number;
  minSpecial?: number;
  overrideSpecial?: string;
}

/** Like RandomPassword/RandomString's `result`: mins first, then fill, then a deterministic shuffle. */
export function deriveRandomString(seed: string, name: string, inputs: RandomStringInputs): string {
  const length = Number(inputs.length);
  if (!Number.isInteger(length) || length < 1)
    throw new Error(`random string ${name}: length must be a positive integer, got ${inputs.length}`);
  const classes: { chars: string; on: boolean; min: number }[] = [
    { chars: UPPER, on: inputs.upper ?? true, min: inputs.minUpper ?? 0 },
    { chars: LOWER, on: inputs.lower ?? true, min: inputs.minLower ?? 0 },
    { chars: NUMERIC, on: inputs.numeric ?? true, min: inputs.minNumeric ?? 0 },
    { chars: inputs.overrideSpecial ?? DEFAULT_SPECIAL, on: inputs.special ?? true, min: inputs.minSpecial ?? 0 },
  ];
  const enabled = classes.filter((c) => c.on && c.chars.length > 0);
  const all = enabled.map((c) => c.chars).join("");
  if (all.length === 0) throw new Error(`random string ${name}: every character class is disabled`);
  const minTotal = enabled.reduce((sum, c) => sum + c.min, 0);
  if (minTotal > length) throw new Error(`random string ${name}: min* counts (${minTotal}) exceed length (${length})`);

  const stream = new DerivedStream(derive32(seed, "random-string", name));
  const pick = (chars: string) => chars[pickIndex(stream, chars.length)];
  const out: string[] = [];
  for (const c of enabled) for (let i = 0; i < c.min; i++) out.push(pick(c.chars));
  while (out.length < length) out.push(pick(all));
  // Fisher-Yates, so the required characters are not always at the front.
  for (let i = out.length - 1; i > 0; i--) {
    const j = pickIndex(stream, i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out.join("");
}

/** Uniform index for alphabets longer than 256 (overrideSpecial could be long) too. */
function pickIndex(stream: DerivedStream, n: number): number {
  if (n <= 256) return stream.below(n);
  const limit = 65536 - (65536 % n);
  for (;;) {
    const v = stream.nextByte() * 256 + stream.nextByte();
    if (v < limit) return v % n;
  }
}

/** RandomId outputs for `byteLength` derived bytes (and an optional prefix, as the provider does). */
export function deriveRandomId(seed: string, name: string, byteLength: number, prefix = ""): Record<string, string> {
  const bytes = derive32(seed, "random-id", name);
  const stream = new DerivedStream(bytes);
  const buf = Buffer.from(Array.from({ length: byteLength }, () => stream.nextByte()));
  const b64Url = buf.toString("base64url");
  return {
    hex: prefix + buf.toString("hex"),
    b64Url: prefix + b64Url,
    b64Std: prefix + buf.toString("base64"),
    dec: prefix + BigInt(`0x${buf.toString("hex") || "0"}`).toString(10),
  };
}

/** A version-4-shaped UUID from derived bytes. */
export function deriveUuid(seed: string, name: string): string {
  const b = derive32(seed, "random-uuid", name).subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** RandomInteger `result` in [min, max]. */
export function deriveInteger(seed: string, name: string, min: number, max: number): number {
  if (!(Number.isInteger(min) && Number.isInteger(max) && min <= max)) throw new Error(`random integer ${name}: need integers min <= max`);
  const v = derive32(seed, "random-integer", name).readUInt32BE(0);
  return min + (v % (max - min + 1));
}
