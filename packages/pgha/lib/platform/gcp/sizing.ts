/**
 * Pure mappings from pgha's cloud-neutral sizes and names to GCP values.
 */
import { createHash } from "node:crypto";
import type { VmArgs } from "../types";

type DiskType = NonNullable<VmArgs["dataDisk"]>["type"];

/** Predefined E2 shapes: vCPU counts and GiB per vCPU. */
const E2_SHAPES = [
  { family: "e2-standard", gbPerCore: 4, cores: [2, 4, 8, 16, 32] },
  { family: "e2-highmem", gbPerCore: 8, cores: [2, 4, 8, 16] },
  { family: "e2-highcpu", gbPerCore: 1, cores: [2, 4, 8, 16, 32] },
] as const;

const MB_STEP = 256;
const E2_CUSTOM_MAX_CORES = 32;
const E2_CUSTOM_MAX_MB = 128 * 1024;
const N2_CUSTOM_MAX_CORES = 80;
/** Custom types allow 0.5 to 8 GiB per vCPU (N2 goes beyond with extended memory). */
const MIN_MB_PER_CORE = 512;
const MAX_MB_PER_CORE = 8192;

/**
 * The GCP machine type for `cores` vCPUs and `memoryGb` GiB: a predefined E2 shape when the
 * request matches one exactly, else the smallest custom type that has at least what was asked
 * (odd or single vCPU counts round up to an even count, memory rounds up to 256 MiB and to the
 * 0.5 GiB/vCPU minimum). Never gives less than requested: PostgreSQL is tuned for the
 * configured RAM, so a bigger VM is harmless and a smaller one is not.
 */
export function gcpMachineType(cores: number, memoryGb: number): string {
  if (!Number.isInteger(cores) || cores < 1) throw new Error(`gcp: vCPU count must be a positive integer, got ${cores}`);
  if (!(memoryGb > 0)) throw new Error(`gcp: memory must be positive, got ${memoryGb} GiB`);

  for (const shape of E2_SHAPES) {
    if ((shape.cores as readonly number[]).includes(cores) && memoryGb === shape.gbPerCore * cores) {
      return `${shape.family}-${cores}`;
    }
  }

  let c = Math.max(2, cores + (cores % 2));
  let mb = Math.ceil((memoryGb * 1024) / MB_STEP) * MB_STEP;
  if (c <= E2_CUSTOM_MAX_CORES) {
    const e2Mb = Math.max(mb, MIN_MB_PER_CORE * c);
    if (e2Mb <= MAX_MB_PER_CORE * c && e2Mb <= E2_CUSTOM_MAX_MB) return `e2-custom-${c}-${e2Mb}`;
  }
  // N2 custom: even counts up to 32, then multiples of 4; more than 8 GiB/vCPU is "extended memory".
  if (c > 32) c = Math.ceil(c / 4) * 4;
  if (c > N2_CUSTOM_MAX_CORES) {
    throw new Error(`gcp: ${cores} vCPUs is more than a custom machine type offers (${N2_CUSTOM_MAX_CORES})`);
  }
  mb = Math.max(mb, MIN_MB_PER_CORE * c);
  return `n2-custom-${c}-${mb}${mb > MAX_MB_PER_CORE * c ? "-ext" : ""}`;
}

/**
 * Persistent disk type for a data disk. Local NVMe/SSD on GCP is ephemeral scratch space that
 * cannot outlive the VM, so "ssd"/"nvme" mean pd-ssd; Yandex's default "network-ssd" maps to
 * the SSD-backed pd-balanced.
 */
export function gcpDiskType(type: DiskType): string {
  switch (type) {
    case "ssd":
    case "nvme":
      return "pd-ssd";
    case "network-ssd":
      return "pd-balanced";
    case "hdd":
    case "network-hdd":
      return "pd-standard";
  }
}

/** Image family (`project/family`, which GCP resolves to the latest image) for each OS. */
export function gcpImage(os: VmArgs["os"]): string {
  switch (os) {
    case "ubuntu-22.04":
      return "ubuntu-os-cloud/ubuntu-2204-lts";
    case "ubuntu-24.04":
      return "ubuntu-os-cloud/ubuntu-2404-lts-amd64";
    case "debian-12":
      return "debian-cloud/debian-12";
    case "debian-13":
      return "debian-cloud/debian-13";
  }
}

/**
 * Service account id for a pgha name: GCP wants 6-30 chars of [a-z0-9-], starting with a
 * letter and not ending with '-'. Short names get a `-pgha` suffix, long ones are cut and
 * keep a short hash so two long names sharing a prefix stay distinct.
 */
export function gcpAccountId(name: string): string {
  if (!/^[a-z][-a-z0-9]*$/.test(name))
    throw new Error(`gcp: service account name ${JSON.stringify(name)} must be lowercase letters, digits and '-'`);
  let id = name.replace(/-+$/, "");
  if (id.length < 6) id = `${id}-pgha`;
  if (id.length > 30) {
    const hash = createHash("sha256").update(name).digest("hex").slice(0, 6);
    id = `${id.slice(0, 23).replace(/-+$/, "")}-${hash}`;
  }
  return id;
}
