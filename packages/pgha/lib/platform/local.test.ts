import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PLATFORM_KINDS } from "../config";
import { createPlatform, createVmPlatform, dataDiskDevice, LAB_TYPES } from "./index";
import { LocalPlatform } from "./local";
import { buildScenario, installMocks, type MockRecorder, type ScenarioInput, valueOf } from "./testing";

const INPUT: ScenarioInput = {
  region: "lab-east",
  zones: ["east-a", "east-b", "east-c"],
  subnets: [{ name: "east", region: "lab-east", cidr: "10.77.1.0/24" }],
  clientCidrs: ["10.77.0.0/16"],
  lbAddress: "10.77.1.45",
};

let rec: MockRecorder;
beforeAll(() => {
  rec = installMocks();
});
beforeEach(async () => {
  await rec.settled();
  rec.reset();
});

describe("LocalPlatform under mocks (what pgha synth records)", () => {
  it("records lab resources for network, firewall, VMs, disks, LB and bucket", async () => {
    const s = buildScenario(new LocalPlatform(), rec.parent(), INPUT);
    await rec.settled();
    expect(rec.countsByType()).toEqual({
      "pgha:test:Parent": 1,
      [LAB_TYPES.network]: 1,
      [LAB_TYPES.firewall]: 1,
      [LAB_TYPES.disk]: 3,
      [LAB_TYPES.vm]: 3,
      [LAB_TYPES.loadBalancer]: 1,
      [LAB_TYPES.bucket]: 1,
      // The VMs' identity: the lab's metadata stand-in serves secrets by it.
      [LAB_TYPES.serviceAccount]: 1,
    });
    for (let i = 0; i < 3; i++) {
      const vm = rec.get(LAB_TYPES.vm, `main-patroni-${i}`).inputs;
      expect(vm).toMatchObject({
        name: `main-patroni-${i}`,
        role: "patroni",
        region: "lab-east",
        zone: INPUT.zones[i],
        subnet: "east",
        ip: `10.77.1.${32 + i}`,
        cores: 2,
        memoryGb: 8,
        os: "ubuntu-22.04",
        tags: ["main-patroni"],
        spreadGroup: "main",
        dataDisk: { name: `main-patroni-${i}-data`, sizeGb: 100, type: "network-ssd" },
      });
      // Exactly the user-data the component rendered.
      expect(vm.userData).toBe(s.userData[i]);
      expect(vm.serviceAccount).toBe("main-vms");
    }
    // The lab keeps VRRP: its subnets are bridges where a VIP can move.
    const fw = rec.get(LAB_TYPES.firewall, "main-patroni").inputs;
    expect((fw.ingress as { name: string }[]).map((r) => r.name)).toEqual(["cluster", "clients", "health", "vrrp"]);
    expect(rec.get(LAB_TYPES.loadBalancer, "main-primary").inputs).toMatchObject({
      address: "10.77.1.45",
      listeners: [{ name: "postgres", port: 5432, targetPort: 5432 }],
      targets: [
        { name: "main-patroni-0", ip: "10.77.1.32" },
        { name: "main-patroni-1", ip: "10.77.1.33" },
        { name: "main-patroni-2", ip: "10.77.1.34" },
      ],
      healthCheck: { protocol: "http", port: 8008, path: "/primary" },
    });
    expect(await valueOf(s.lb.address)).toBe("10.77.1.45");
    expect(await valueOf(s.bucket.bucket)).toBe("/var/lib/pgha-lab/buckets/main-backups");
    expect(rec.get(LAB_TYPES.bucket, "main-backups").inputs).toMatchObject({
      path: "/var/lib/pgha-lab/buckets/main-backups",
      expireDays: 30,
    });
    expect(rec.get(LAB_TYPES.serviceAccount, "main-vms").inputs).toEqual({ name: "main-vms" });
    // A local bucket is a directory on the node: no credentials.
    expect(s.bucketCredentials).toEqual({});
  });

  it("applies the same option policy as the clouds", async () => {
    buildScenario(new LocalPlatform(), rec.parent(), INPUT);
    await rec.settled();
    for (let i = 0; i < 3; i++) {
      expect(rec.optionsOf(LAB_TYPES.disk, `main-patroni-${i}-data`)).toMatchObject({ protect: true, retainOnDelete: true });
      expect(rec.optionsOf(LAB_TYPES.vm, `main-patroni-${i}`)).toMatchObject({ ignoreChanges: ["userData"], deleteBeforeReplace: true });
    }
    expect(rec.optionsOf(LAB_TYPES.bucket, "main-backups")).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("needs a planned address for a load balancer", () => {
    expect(() => buildScenario(new LocalPlatform(), rec.parent("noaddr"), { ...INPUT, lbAddress: undefined })).toThrow(
      /needs a planned address/,
    );
  });
});

describe("createPlatform / dataDiskDevice", () => {
  it("selects the implementation by kind", () => {
    expect(createPlatform("local").kind).toBe("local");
    expect(createPlatform("yandex", { folderId: "f" }).kind).toBe("yandex");
    const gke = createPlatform("gke", { project: "p1" });
    expect([gke.kind, gke.project]).toEqual(["gke", "p1"]);
  });

  it("states each platform's capabilities", () => {
    const caps = Object.fromEntries(PLATFORM_KINDS.map((k) => [k, createPlatform(k, { folderId: "f", project: "p1" }).capabilities]));
    expect(caps).toEqual({
      yandex: { vip: false, globalLoadBalancer: false, vms: true, existingNetwork: true, natForExistingSubnets: false },
      gcp: { vip: false, globalLoadBalancer: true, vms: true, existingNetwork: true, natForExistingSubnets: true },
      gke: { vip: false, globalLoadBalancer: true, vms: false, existingNetwork: false, natForExistingSubnets: false },
      local: { vip: true, globalLoadBalancer: true, vms: true, existingNetwork: false, natForExistingSubnets: false },
    });
  });

  it("refuses a VM platform for gke before creating anything", () => {
    expect(createVmPlatform("gcp").kind).toBe("gcp");
    expect(() => createVmPlatform("gke", { project: "p1" })).toThrow(
      /gke runs Patroni in Kubernetes pods and has no VMs: use GkeFoundation/,
    );
  });

  it("names the by-id device of the data disk per cloud", () => {
    expect(dataDiskDevice("gcp")).toBe("/dev/disk/by-id/google-data");
    expect(dataDiskDevice("yandex")).toBe("/dev/disk/by-id/virtio-data");
    expect(dataDiskDevice("local")).toBeUndefined();
  });
});
