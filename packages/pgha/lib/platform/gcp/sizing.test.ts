import { describe, expect, it } from "vitest";
import { gcpAccountId, gcpDiskType, gcpImage, gcpMachineType } from "./sizing";

describe("gcpMachineType", () => {
  it("uses predefined E2 shapes for exact matches", () => {
    expect(gcpMachineType(2, 8)).toBe("e2-standard-2");
    expect(gcpMachineType(8, 32)).toBe("e2-standard-8");
    expect(gcpMachineType(4, 32)).toBe("e2-highmem-4");
    expect(gcpMachineType(16, 16)).toBe("e2-highcpu-16");
  });

  it("builds E2 custom types of exactly the shape asked", () => {
    expect(gcpMachineType(2, 6)).toBe("e2-custom-2-6144");
    expect(gcpMachineType(2, 2.25)).toBe("e2-custom-2-2304");
    expect(gcpMachineType(8, 4)).toBe("e2-custom-8-4096");
    expect(gcpMachineType(32, 128)).toBe("e2-standard-32");
    expect(gcpMachineType(30, 120)).toBe("e2-custom-30-122880");
  });

  it("falls back to N2 custom beyond E2 limits", () => {
    // More than 8 GiB per vCPU: N2 extended memory.
    expect(gcpMachineType(2, 24)).toBe("n2-custom-2-24576-ext");
    // More than 32 vCPUs: multiples of 4.
    expect(gcpMachineType(36, 144)).toBe("n2-custom-36-147456");
    // E2 custom tops out at 128 GiB.
    expect(gcpMachineType(32, 200)).toBe("n2-custom-32-204800");
  });

  it("throws, with GCP's rule, on a shape no machine type has (the topology rules refuse these first)", () => {
    expect(() => gcpMachineType(3, 6)).toThrow(
      /^gcp: no machine type has 3 vCPUs and 6 GB: .*even vCPU count .*\(got 3\); nearest: 2 or 4$/,
    );
    expect(() => gcpMachineType(1, 1)).toThrow(/\(got 1\); nearest: 2$/);
    expect(() => gcpMachineType(2, 2.1)).toThrow(/multiples of 256 MB/);
    expect(() => gcpMachineType(8, 1)).toThrow(/8 vCPUs need >= 4 GB \(got 1\)/);
    expect(() => gcpMachineType(132, 528)).toThrow(/\(got 132\); nearest: 128$/);
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
