/**
 * Pure mappings from pgha's cloud-neutral sizes and names to GCP values.
 */
import { createHash } from "node:crypto";
import { gcpMachineShape } from "../../config/machineShapes";
import type { VmArgs } from "../types";

type DiskType = NonNullable<VmArgs["dataDisk"]>["type"];

/**
 * The GCP machine type of exactly `cores` vCPUs and `memoryGb` GiB: a predefined E2 shape when one
 * matches, else E2 custom, else N2 custom (config/machineShapes.ts, with the rules' sources). A shape
 * GCP has no type for is refused by the topology rules before any resource exists; here it throws.
 */
export function gcpMachineType(cores: number, memoryGb: number): string {
  const shape = gcpMachineShape(cores, memoryGb);
  if ("problems" in shape)
    throw new Error(`gcp: no machine type has ${cores} vCPUs and ${memoryGb} GB: ${shape.problems.map((p) => p.message).join("; ")}`);
  return shape.machineType;
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
