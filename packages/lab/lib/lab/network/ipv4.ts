// IPv4 arithmetic for the lab network. The arithmetic is lib/config's; the lab adds the
// throwing forms it needs (a lab plan is trusted input, so a bad address is a bug to stop on).
import { type Cidr, cidrContains, cidrsOverlap, formatIpv4, parseIpv4 as tryParseIpv4 } from "pgha/config/common";

export { type Cidr, cidrContains, cidrsOverlap, formatIpv4 };

export function parseIpv4(text: string): number {
  const value = tryParseIpv4(text);
  if (value === undefined) throw new Error(`not an IPv4 address: ${JSON.stringify(text)}`);
  return value;
}

/** Netmask of a prefix length as a 32-bit unsigned integer. */
export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parse "10.77.1.0/24"; the address must be the network address. Any prefix /0-/32 (the lab's own fabric may use small ones). */
export function parseCidr(text: string): Cidr {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!m || Number(m[2]) > 32) throw new Error(`not an IPv4 CIDR: ${JSON.stringify(text)}`);
  const prefix = Number(m[2]);
  const addr = parseIpv4(m[1]);
  const network = (addr & maskOf(prefix)) >>> 0;
  if (network !== addr) throw new Error(`${text} is not a network address (did you mean ${formatIpv4(network)}/${prefix}?)`);
  return { network, prefix, size: 2 ** (32 - prefix) };
}

/** First host address: the cloud convention for a subnet's gateway (10.77.1.0/24 -> 10.77.1.1). */
export function gatewayOf(cidrText: string): string {
  const c = parseCidr(cidrText);
  if (c.prefix > 30) throw new Error(`${cidrText} is too small for a gateway and hosts`);
  return formatIpv4(c.network + 1);
}
