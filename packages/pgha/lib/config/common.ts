import { z } from "zod";
import { cronProblem } from "./cron";

/** RFC 1123 label, also valid as a GCP/Yandex resource name prefix. */
export const DNS_NAME_RULE = "must be DNS-safe: 1-40 lowercase letters, digits or '-', starting with a letter and not ending with '-'";
// 40, not 63: names are prefixes of child resource names (`${name}-${role}-${index}`).
export const dnsName = z.string().regex(/^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/, DNS_NAME_RULE);

export const port = z.number().int().min(1).max(65535);

// JSON Schema patterns equivalent to parseIpv4 (1-3 digits, at most 255): the refinements below
// are invisible to the JSON Schema, and editors should flag what the parser refuses.
const OCTET = "(?:25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])";
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;

/** Dotted-quad IPv4 address. */
export const ipv4 = z
  .string()
  .refine((s) => parseIpv4(s) !== undefined, "must be an IPv4 address like 10.0.0.5")
  .meta({ pattern: `^${IPV4}$` });

/** IPv4 CIDR such as 10.10.1.0/24 with no host bits set: a subnet pgha plans addresses in (/8 to /29). */
export const cidr = cidrOfPrefix(8, 29, "must be an IPv4 CIDR like 10.10.1.0/24");

/** An IPv4 CIDR whose prefix is within [minPrefix, maxPrefix], with no host bits set. */
export function cidrOfPrefix(minPrefix: number, maxPrefix: number, shape: string) {
  return z
    .string()
    .superRefine((s, ctx) => {
      const problem = cidrProblem(s, minPrefix, maxPrefix, shape);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .meta({ pattern: cidrPattern(minPrefix, maxPrefix) });
}

/**
 * JSON Schema pattern of an IPv4 CIDR with a prefix in [minPrefix, maxPrefix]. Host bits are
 * beyond a pattern; the address and the prefix range are not. cidrProblem reads the prefix as
 * 1-2 digits, so "08" counts as 8.
 */
export function cidrPattern(minPrefix: number, maxPrefix: number): string {
  const prefixes = Array.from({ length: maxPrefix - minPrefix + 1 }, (_, i) => minPrefix + i).map((p) => (p < 10 ? `0?${p}` : `${p}`));
  return `^${IPV4}/(?:${prefixes.join("|")})$`;
}

export function parseIpv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join(".");
}

export interface Cidr {
  network: number;
  prefix: number;
  size: number;
}

export function parseCidr(s: string): Cidr {
  const problem = cidrProblem(s);
  if (problem) throw new Error(`${s}: ${problem}`);
  const [addr, prefix] = s.split("/");
  const p = Number(prefix);
  return { network: parseIpv4(addr) as number, prefix: p, size: 2 ** (32 - p) };
}

function cidrProblem(s: string, minPrefix = 8, maxPrefix = 29, shape = "must be an IPv4 CIDR like 10.10.1.0/24"): string | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(s);
  if (!m) return shape;
  const addr = parseIpv4(m[1]);
  const prefix = Number(m[2]);
  if (addr === undefined) return shape;
  if (prefix < minPrefix || prefix > maxPrefix) return `prefix /${prefix} must be between /${minPrefix} and /${maxPrefix}`;
  const hostBits = 2 ** (32 - prefix) - 1;
  if ((addr & hostBits) !== 0) return `has host bits set; did you mean ${formatIpv4(addr & (~hostBits >>> 0))}/${prefix}?`;
  return undefined;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + b.size && b.network < a.network + a.size;
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return ip >= c.network && ip < c.network + c.size;
}

/** Five-field cron expression (minute hour day month weekday), as systemd/cron helpers expect. */
export const cronSchedule = z
  .string()
  .regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron expression like '0 3 * * *' (minute hour day-of-month month day-of-week)")
  .refine(
    (s) =>
      s
        .trim()
        .split(/\s+/)
        .every((f) => /^[0-9*,/-]+$/.test(f)),
    {
      message: "cron fields may contain only digits and * , / -",
    },
  )
  // Ranges and combinations, as the backup timer's OnCalendar needs them (the shape is checked above).
  .superRefine((s, ctx) => {
    if (!/^(\S+\s+){4}\S+$/.test(s.trim()) || !/^[0-9*,/\s-]+$/.test(s)) return;
    const problem = cronProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: `${problem} (cron fields: minute hour day-of-month month day-of-week)` });
  });

/** Size strings as PostgreSQL and etcd accept them: 128MB, 2GB, 512kB. */
export const sizeString = z.string().regex(/^\d+(kB|MB|GB|TB)$/, "must be a size like 512MB or 2GB");
