import { describe, expect, it } from "vitest";
import { gcpAccountId, gcpDiskType, gcpImage, gcpMachineType } from "./sizing";

describe("gcpMachineType", () => {
  it("uses predefined E2 shapes for exact matches", () => {
    expect(gcpMachineType(2, 8)).toBe("e2-standard-2");
    expect(gcpMachineType(8, 32)).toBe("e2-standard-8");
    expect(gcpMachineType(4, 32)).toBe("e2-highmem-4");
    expect(gcpMachineType(16, 16)).toBe("e2-highcpu-16");
  });

  it("builds E2 custom types that are never smaller than asked", () => {
    expect(gcpMachineType(2, 6)).toBe("e2-custom-2-6144");
    // Odd counts round up to even; 1 vCPU becomes 2 (E2 custom minimum).
    expect(gcpMachineType(3, 6)).toBe("e2-custom-4-6144");
    expect(gcpMachineType(1, 1)).toBe("e2-custom-2-1024");
    // Memory rounds up to 256 MiB, and to the 0.5 GiB/vCPU minimum.
    expect(gcpMachineType(2, 2.1)).toBe("e2-custom-2-2304");
    expect(gcpMachineType(8, 1)).toBe("e2-custom-8-4096");
  });

  it("falls back to N2 custom beyond E2 limits", () => {
    // More than 8 GiB per vCPU: N2 extended memory.
    expect(gcpMachineType(2, 24)).toBe("n2-custom-2-24576-ext");
    // More than 32 vCPUs: multiples of 4.
    expect(gcpMachineType(34, 136)).toBe("n2-custom-36-139264");
    // E2 custom tops out at 128 GiB.
    expect(gcpMachineType(32, 200)).toBe("n2-custom-32-204800");
  });

  it("rejects impossible sizes with a clear error", () => {
    expect(() => gcpMachineType(0, 4)).toThrow(/positive integer/);
    expect(() => gcpMachineType(2, 0)).toThrow(/memory must be positive/);
    expect(() => gcpMachineType(96, 384)).toThrow(/more than a custom machine type offers/);
  });

  it("every result parses as a GCP machine type name", () => {
    for (const cores of [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 40, 64, 80]) {
      for (const gb of [0.5, 1, 2, 4, 7.5, 8, 16, 32, 64, 128, 256]) {
        const t = gcpMachineType(cores, gb);
        const m = /^(?:e2-(?:standard|highmem|highcpu)-(\d+)|(?:e2|n2)-custom-(\d+)-(\d+)(-ext)?)$/.exec(t);
        expect(m, t).not.toBeNull();
        const c = Number(m?.[1] ?? m?.[2]);
        expect(c).toBeGreaterThanOrEqual(cores);
        if (m?.[3]) {
          expect(Number(m[3]) % 256).toBe(0);
          expect(Number(m[3])).toBeGreaterThanOrEqual(gb * 1024);
        }
      }
    }
  });
});

describe("gcp mappings", () => {
  it("maps disk types to persistent disks (never local scratch)", () => {
    expect(gcpDiskType("ssd")).toBe("pd-ssd");
    expect(gcpDiskType("nvme")).toBe("pd-ssd");
    expect(gcpDiskType("network-ssd")).toBe("pd-balanced");
    expect(gcpDiskType("hdd")).toBe("pd-standard");
    expect(gcpDiskType("network-hdd")).toBe("pd-standard");
  });

  it("maps OS names to image families", () => {
    expect(gcpImage("ubuntu-22.04")).toBe("ubuntu-os-cloud/ubuntu-2204-lts");
    expect(gcpImage("ubuntu-24.04")).toBe("ubuntu-os-cloud/ubuntu-2404-lts-amd64");
    expect(gcpImage("debian-12")).toBe("debian-cloud/debian-12");
    expect(gcpImage("debian-13")).toBe("debian-cloud/debian-13");
  });

  it("derives valid service account ids", () => {
    const valid = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
    expect(gcpAccountId("main-vms")).toBe("main-vms");
    expect(gcpAccountId("db")).toBe("db-pgha");
    const long1 = gcpAccountId("a-very-long-cluster-name-for-production-vms");
    const long2 = gcpAccountId("a-very-long-cluster-name-for-production-etcd");
    expect(long1).toMatch(valid);
    expect(long2).toMatch(valid);
    expect(long1).not.toBe(long2);
    expect(() => gcpAccountId("Bad_Name")).toThrow(/lowercase/);
  });
});
