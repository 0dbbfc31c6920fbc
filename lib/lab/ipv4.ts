// Minimal IPv4 arithmetic for the lab network (pure). Kept separate from the
// planner in lib/config so the lab only depends on what it needs.

export interface Cidr {
  /** Network address as a 32-bit unsigned integer. */
  network: number;
  prefix: number;
}

export function parseIpv4(text: string): number {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new Error(`not an IPv4 address: ${JSON.stringify(text)}`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parse "10.77.1.0/24"; the address must be the network address. */
export function parseCidr(text: string): Cidr {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!m || Number(m[2]) > 32) throw new Error(`not an IPv4 CIDR: ${JSON.stringify(text)}`);
  const prefix = Number(m[2]);
  const addr = parseIpv4(m[1]);
  const network = (addr & maskOf(prefix)) >>> 0;
  if (network !== addr) throw new Error(`${text} is not a network address (did you mean ${formatIpv4(network)}/${prefix}?)`);
  return { network, prefix };
}

export function cidrContains(cidr: Cidr, address: number): boolean {
  return ((address & maskOf(cidr.prefix)) >>> 0) === cidr.network;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return ((a.network & maskOf(p)) >>> 0) === ((b.network & maskOf(p)) >>> 0);
}

/** First host address: the cloud convention for a subnet's gateway (10.77.1.0/24 -> 10.77.1.1). */
export function gatewayOf(cidrText: string): string {
  const c = parseCidr(cidrText);
  if (c.prefix > 30) throw new Error(`${cidrText} is too small for a gateway and hosts`);
  return formatIpv4(c.network + 1);
}
