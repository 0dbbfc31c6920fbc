import { describe, expect, it } from "vitest";
import { portSpans, securityGroupIngresses, yandexDiskSizeGb, yandexDiskType } from "./mappings";

describe("yandex mappings", () => {
  it("collapses ports into single ports and contiguous ranges", () => {
    expect(portSpans([5432])).toEqual([{ port: 5432 }]);
    expect(portSpans([2380, 2379, 8008, 2379])).toEqual([{ fromPort: 2379, toPort: 2380 }, { port: 8008 }]);
    expect(portSpans([7000, 7001, 7002, 5432])).toEqual([{ port: 5432 }, { fromPort: 7000, toPort: 7002 }]);
    expect(portSpans([])).toEqual([]);
  });

  it("maps VRRP to protocol ANY without ports, from the given CIDRs only", () => {
    expect(
      securityGroupIngresses([{ name: "vrrp", protocol: "vrrp", ports: [], from: { cidrs: ["10.20.1.0/24"] }, description: "keepalived" }]),
    ).toEqual([{ protocol: "ANY", v4CidrBlocks: ["10.20.1.0/24"] }]);
  });

  it("gives each source kind its own rule (a Yandex rule has one source)", () => {
    const rules = securityGroupIngresses([
      {
        name: "etcd",
        protocol: "tcp",
        ports: [2379, 2380],
        from: { cidrs: ["10.0.0.0/24"], self: true, healthCheckers: true },
        description: "",
      },
      { name: "dns", protocol: "udp", ports: [53], from: { cidrs: ["10.0.0.0/24"] }, description: "" },
    ]);
    expect(rules).toEqual([
      { protocol: "TCP", fromPort: 2379, toPort: 2380, v4CidrBlocks: ["10.0.0.0/24"] },
      { protocol: "TCP", fromPort: 2379, toPort: 2380, predefinedTarget: "loadbalancer_healthchecks" },
      { protocol: "TCP", fromPort: 2379, toPort: 2380, predefinedTarget: "self_security_group" },
      { protocol: "UDP", port: 53, v4CidrBlocks: ["10.0.0.0/24"] },
    ]);
    expect(() =>
      securityGroupIngresses([{ name: "none", protocol: "tcp", ports: [], from: { cidrs: ["10.0.0.0/24"] }, description: "" }]),
    ).toThrow(/rule none lists no ports/);
  });

  it("maps disk types to replicated network disks and sizes io-m3 disks in 93 GB steps", () => {
    expect(yandexDiskType("ssd")).toBe("network-ssd");
    expect(yandexDiskType("network-ssd")).toBe("network-ssd");
    expect(yandexDiskType("hdd")).toBe("network-hdd");
    expect(yandexDiskType("network-hdd")).toBe("network-hdd");
    expect(yandexDiskType("nvme")).toBe("network-ssd-io-m3");
    expect(yandexDiskSizeGb("nvme", 100)).toBe(186);
    expect(yandexDiskSizeGb("nvme", 93)).toBe(93);
    expect(yandexDiskSizeGb("network-ssd", 100)).toBe(100);
  });
});
