/** IPv4 CIDR arithmetic for traffic sources: any prefix /0 to /32 (config's parseCidr is for subnets). */
import { parseIpv4 } from "pgha/config/common";

export interface Range {
  first: number;
  last: number;
}

export function cidrRange(text: string): Range | undefined {
  const [addr, prefixText] = text.includes("/") ? text.split("/") : [text, "32"];
  const ip = parseIpv4(addr);
  const prefix = Number(prefixText);
  if (ip === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = Math.floor(ip / size) * size;
  return { first, last: first + size - 1 };
}

/** Is `inner` (a CIDR or an address) wholly inside `outer`? */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = cidrRange(inner);
  const b = cidrRange(outer);
  return !!a && !!b && a.first >= b.first && a.last <= b.last;
}

export function withinAny(inner: string, outers: readonly string[]): boolean {
  return outers.some((o) => cidrWithin(inner, o));
}

/** RFC 1918 private ranges plus RFC 6598 shared space: addresses the internet cannot source. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

export function isPrivate(cidr: string): boolean {
  return withinAny(cidr, PRIVATE_RANGES);
}
