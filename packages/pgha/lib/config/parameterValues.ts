/**
 * PostgreSQL's own rules for reading a setting's value (guc.c: parse_bool, parse_int,
 * parse_real, the unit conversion tables and enum lookup), applied to a GucSpec of the table
 * generated from that major's server. Pure: a value is either understood, with its number in
 * the setting's base unit, or refused with the reason PostgreSQL would give.
 */
import type { GucSpec } from "./gucs";

export type RawValue = string | number | boolean;
export type ValueCheck = { ok: true; value: number | string | boolean } | { ok: false; message: string };

const MEMORY_BYTES: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
const TIME_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
/** Base units as pg_settings names them: memory ones in bytes, time ones in ms. */
const BASE_BYTES: Record<string, number> = { B: 1, kB: 1024, "8kB": 8192, MB: 1024 ** 2 };
const BASE_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000 };

/** Unit families: the input units a setting with this base unit takes, each as a multiple of the base unit. */
export function unitsFor(baseUnit: string | undefined): Record<string, number> | undefined {
  if (baseUnit === undefined) return undefined;
  const bytes = BASE_BYTES[baseUnit];
  if (bytes !== undefined) return Object.fromEntries(Object.entries(MEMORY_BYTES).map(([u, b]) => [u, b / bytes]));
  const ms = BASE_MS[baseUnit];
  if (ms !== undefined) return Object.fromEntries(Object.entries(TIME_MS).map(([u, m]) => [u, m / ms]));
  return undefined;
}

/** PostgreSQL's parse_bool: on/off, true/false, yes/no, 1/0, any case, and unique prefixes. */
export function parseBool(raw: RawValue): boolean | undefined {
  if (typeof raw === "boolean") return raw;
  const s = String(raw).trim().toLowerCase();
  if (s.length === 0) return undefined;
  if ("true".startsWith(s) || "yes".startsWith(s) || s === "on" || s === "1") return true;
  if ("false".startsWith(s) || "no".startsWith(s) || (s.length >= 2 && "off".startsWith(s)) || s === "0") return false;
  return undefined;
}

const NUMBER = /^\s*([+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))\s*([A-Za-z]+)?\s*$/;

function parseNumber(text: string): { n: number; unit?: string } | undefined {
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const t = m[1];
  const sign = t.startsWith("-") ? -1 : 1;
  const digits = t.replace(/^[+-]/, "");
  // strtol with base 0, as parse_int: 0x.. is hex, a leading 0 is octal.
  let n: number;
  if (/^0[xX]/.test(digits)) n = sign * parseInt(digits.slice(2), 16);
  else if (/^0[0-7]+$/.test(digits)) n = sign * parseInt(digits, 8);
  else n = Number(t);
  return Number.isFinite(n) ? { n, unit: m[2] } : undefined;
}

/** A number in `unit` (a base unit) in human terms: 8388608 x 8kB -> "64GB", 250 x ms -> "250ms". */
export function humanQuantity(n: number, unit: string | undefined): string {
  if (unit === undefined) return String(n);
  // Exactly in the largest unit that divides the amount with a readable count, else about that much in the largest unit.
  const pick = (table: Record<string, number>, amount: number, fallback: string) => {
    const units = Object.entries(table)
      .sort((a, b) => b[1] - a[1])
      .filter(([, size]) => Math.abs(amount) >= size);
    const exact = units.find(([, size]) => Number.isInteger(amount / size) && Math.abs(amount / size) < 100_000);
    if (exact) return `${amount / exact[1]}${exact[0]}`;
    if (units.length > 0) return `~${Math.round((amount / units[0][1]) * 100) / 100}${units[0][0]}`;
    return `${n}${fallback}`;
  };
  if (BASE_BYTES[unit] !== undefined) return pick(MEMORY_BYTES, n * BASE_BYTES[unit], unit);
  if (BASE_MS[unit] !== undefined) return pick({ ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }, n * BASE_MS[unit], unit);
  return `${n}${unit}`;
}

function range(spec: GucSpec): string {
  return `${humanQuantity(spec.min ?? 0, spec.unit)} to ${humanQuantity(spec.max ?? 0, spec.unit)}`;
}

function numeric(name: string, spec: GucSpec, raw: RawValue, major: number): ValueCheck {
  const what = spec.type === "integer" ? "an integer" : "a number";
  const unitHint = spec.unit ? ` with an optional unit (${Object.keys(unitsFor(spec.unit) ?? {}).join(", ")})` : "";
  const parsed = typeof raw === "boolean" ? undefined : parseNumber(String(raw));
  if (!parsed) return { ok: false, message: `${name} must be ${what}${unitHint}; got ${JSON.stringify(raw)}` };
  let n = parsed.n;
  if (parsed.unit !== undefined) {
    const units = unitsFor(spec.unit);
    if (!units) return { ok: false, message: `${name} takes no unit; got ${JSON.stringify(raw)}` };
    const factor = units[parsed.unit];
    if (factor === undefined)
      return {
        ok: false,
        message:
          `${name}: '${parsed.unit}' is not a unit it takes (${Object.keys(units).join(", ")}; case matters); ` +
          `got ${JSON.stringify(raw)}`,
      };
    n *= factor;
  }
  // PostgreSQL rounds a fractional integer setting (since 12) with rint(): halves to even.
  if (spec.type === "integer") n = roundHalfEven(n);
  const inRange = (spec.min === undefined || n >= spec.min) && (spec.max === undefined || n <= spec.max);
  if (!inRange) {
    const given = parsed.unit === undefined ? humanQuantity(n, spec.unit) : String(raw).trim();
    return { ok: false, message: `${name} ${given} is outside PostgreSQL ${major}'s range for it: ${range(spec)}` };
  }
  return { ok: true, value: n };
}

/** C's rint() in the default rounding mode: to the nearest integer, halves to the even one. */
export function roundHalfEven(n: number): number {
  const r = Math.round(n);
  return Math.abs(n % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `raw` read as PostgreSQL `major` reads a value of setting `name` (spec from its table). */
export function checkValue(name: string, spec: GucSpec, raw: RawValue, major: number): ValueCheck {
  switch (spec.type) {
    case "bool": {
      const b = parseBool(raw);
      return b === undefined
        ? { ok: false, message: `${name} must be a boolean (on/off, true/false, yes/no, 1/0); got ${JSON.stringify(raw)}` }
        : { ok: true, value: b };
    }
    case "integer":
    case "real":
      return numeric(name, spec, raw, major);
    case "enum": {
      const values = spec.values ?? [];
      const s = typeof raw === "boolean" ? (raw ? "on" : "off") : String(raw).trim().toLowerCase();
      const hit = values.find((v) => v.toLowerCase() === s);
      if (hit !== undefined) return { ok: true, value: hit };
      // Enums with on and off also take PostgreSQL's other boolean spellings (hidden entries in guc_tables.c).
      const b = values.includes("on") && values.includes("off") ? parseBool(s) : undefined;
      if (b !== undefined) return { ok: true, value: b ? "on" : "off" };
      return { ok: false, message: `${name} must be one of ${values.join(", ")}; got ${JSON.stringify(raw)}` };
    }
    default:
      return { ok: true, value: String(raw) };
  }
}

/** Levenshtein distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** The closest of `names` to `name`, if close enough to be a likely typo. */
export function closest(name: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const n of names) {
    const d = editDistance(name, n);
    if (d < bestDistance) [best, bestDistance] = [n, d];
  }
  return best;
}
