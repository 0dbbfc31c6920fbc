// Names of the kernel objects the lab creates. Everything starts with the
// documented prefix `pgha-` (namespaces) or `pv`/`pb` (interfaces) so an
// operator can tell lab objects apart from anything else on the host.
import { createHash } from "node:crypto";

/** Every lab network namespace is named `pgha-<something>`. */
export const NETNS_PREFIX = "pgha-";

/** Default name of the fabric (bridges + router) namespace suffix: `pgha-fabric`. */
export const DEFAULT_FABRIC = "fabric";

/** Linux interface names are limited to 15 bytes (IFNAMSIZ - 1). */
export const IFNAME_MAX = 15;

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function assertLabel(kind: string, name: string): void {
  if (!LABEL.test(name)) {
    throw new Error(`${kind} name ${JSON.stringify(name)} must be a DNS label: lowercase letters, digits and '-', at most 63 chars`);
  }
}

export function nodeNetns(node: string): string {
  assertLabel("node", node);
  return `${NETNS_PREFIX}${node}`;
}

export function fabricNetns(fabric: string = DEFAULT_FABRIC): string {
  assertLabel("fabric", fabric);
  return `${NETNS_PREFIX}${fabric}`;
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 10);
}

/**
 * Fabric-side end of a node's veth pair. Node names can be long
 * (`db-patroni-12`), interface names cannot, so derive a fixed-size name
 * from a hash: `pv` + 10 hex = 12 chars. The node-side end is always `eth0`.
 */
export function vethName(node: string): string {
  return `pv${shortHash(`node:${node}`)}`;
}

/** Bridge of a subnet inside the fabric namespace: `pb` + 10 hex. */
export function bridgeName(subnet: string): string {
  return `pb${shortHash(`subnet:${subnet}`)}`;
}
