/**
 * Pure mappings from pgha's cloud-neutral values to Yandex Cloud inputs.
 */
import type { FirewallRule, VmArgs } from "../types";

type DiskType = NonNullable<VmArgs["dataDisk"]>["type"];
type Os = VmArgs["os"];

/**
 * Image families in the public `standard-images` folder. Instances need an image *id*, and
 * resolving a family to its latest id is a data-source call (`yandex.getComputeImage`) that
 * would make plans depend on the day they ran; pgha takes the id as a setting instead:
 *   yc compute image get-latest-from-family ubuntu-2204-lts --folder-id standard-images --format json
 */
export const YANDEX_IMAGE_FAMILIES: Record<Os, string> = {
  "ubuntu-22.04": "ubuntu-2204-lts",
  "ubuntu-24.04": "ubuntu-2404-lts",
  "debian-12": "debian-12",
  "debian-13": "debian-13",
};

/** network-ssd-io-m3 (and non-replicated) disks come in multiples of 93 GB. */
const IO_M3_GRANULE_GB = 93;

/** Yandex disk type. Local NVMe does not exist for VMs; "nvme" asks for the fastest replicated network disk. */
export function yandexDiskType(type: DiskType): string {
  switch (type) {
    case "ssd":
    case "network-ssd":
      return "network-ssd";
    case "hdd":
    case "network-hdd":
      return "network-hdd";
    case "nvme":
      return "network-ssd-io-m3";
  }
}

/** Disk size the type accepts, never below the request. */
export function yandexDiskSizeGb(type: DiskType, sizeGb: number): number {
  return yandexDiskType(type) === "network-ssd-io-m3" ? Math.ceil(sizeGb / IO_M3_GRANULE_GB) * IO_M3_GRANULE_GB : sizeGb;
}

export interface PortSpan {
  port?: number;
  fromPort?: number;
  toPort?: number;
}

/** Collapse ports into single ports and contiguous ranges (a rule takes one of either). */
export function portSpans(ports: number[]): PortSpan[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const spans: PortSpan[] = [];
  let start = sorted[0];
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1] + 1) continue;
    const end = sorted[i - 1];
    spans.push(start === end ? { port: start } : { fromPort: start, toPort: end });
    start = sorted[i];
  }
  return spans;
}

export interface SecurityGroupRule extends PortSpan {
  protocol: string;
  v4CidrBlocks?: string[];
  predefinedTarget?: string;
}

/**
 * Ingress rules of a security group. A Yandex rule has one kind of source (CIDRs or a
 * predefined target), so a pgha rule becomes one entry per source kind and port span.
 * VRRP (IP protocol 112, keepalived) has no ports and no protocol name of its own: ANY.
 */
export function securityGroupIngresses(rules: FirewallRule[]): SecurityGroupRule[] {
  const out: SecurityGroupRule[] = [];
  for (const rule of rules) {
    const protocol = rule.protocol === "vrrp" ? "ANY" : rule.protocol.toUpperCase();
    const spans = rule.protocol === "vrrp" ? [{}] : portSpans(rule.ports);
    if (spans.length === 0) throw new Error(`yandex: firewall rule ${rule.name} lists no ports`);
    if (rule.from.iap)
      throw new Error(
        `yandex: firewall rule ${rule.name} admits Identity-Aware Proxy, a Google Cloud service; on Yandex name the admin CIDRs`,
      );
    const sources: Omit<SecurityGroupRule, "protocol">[] = [];
    if (rule.from.cidrs?.length) sources.push({ v4CidrBlocks: [...new Set(rule.from.cidrs)] });
    if (rule.from.healthCheckers) sources.push({ predefinedTarget: "loadbalancer_healthchecks" });
    if (rule.from.self) sources.push({ predefinedTarget: "self_security_group" });
    for (const source of sources) for (const span of spans) out.push({ protocol, ...span, ...source });
  }
  return out;
}
