import { describe, expect, it } from "vitest";
import { gatewayOf, parseCidr } from "./ipv4";
import { bridgeName, nodeNetns, vethName } from "./names";
import { type LabNetworkPlan, resolveNetwork } from "./networkPlan";

describe("lab network plan", () => {
  const plan: LabNetworkPlan = {
    subnets: [
      { name: "ru-a", cidr: "10.77.1.0/24", region: "ru" },
      { name: "ru-b", cidr: "10.77.2.0/24", region: "ru" },
      { name: "eu-a", cidr: "10.78.1.0/24", region: "eu" },
    ],
    nodes: [
      { name: "db-patroni-0", subnet: "ru-a", address: "10.77.1.10" },
      { name: "db-patroni-1", subnet: "ru-b", address: "10.77.2.10" },
      { name: "dr-patroni-0", subnet: "eu-a", address: "10.78.1.10" },
    ],
    interRegionDelayMs: 20,
    regionDelays: [{ from: "eu", to: "ru", delayMs: 30 }],
  };

  it("derives names, gateways and delay rules", () => {
    const net = resolveNetwork(plan);
    expect(net.fabricNetns).toBe("pgha-fabric");
    expect(net.nodes[0]).toMatchObject({ netns: "pgha-db-patroni-0", gateway: "10.77.1.1", prefix: 24, region: "ru" });
    for (const n of net.nodes) expect(n.veth.length).toBeLessThanOrEqual(15);
    expect(vethName("db-patroni-0")).toMatch(/^pv[0-9a-f]{10}$/);
    expect(bridgeName("ru-a")).not.toBe(bridgeName("ru-b"));
    expect(nodeNetns("x")).toBe("pgha-x");
    expect(gatewayOf("10.77.1.0/24")).toBe("10.77.1.1");
    expect(net.queues).toEqual([
      { queue: 0, delayMs: 20 },
      { queue: 1, delayMs: 30 },
    ]);
    expect(net.delayRules).toEqual([
      { fromCidr: "10.77.1.0/24", toCidr: "10.78.1.0/24", queue: 0 },
      { fromCidr: "10.77.2.0/24", toCidr: "10.78.1.0/24", queue: 0 },
      { fromCidr: "10.78.1.0/24", toCidr: "10.77.1.0/24", queue: 1 },
      { fromCidr: "10.78.1.0/24", toCidr: "10.77.2.0/24", queue: 1 },
    ]);
  });

  it("rejects bad plans with clear messages", () => {
    const bad = (p: Partial<LabNetworkPlan>) => () => resolveNetwork({ ...plan, ...p });
    expect(bad({ nodes: [{ name: "n", subnet: "ru-a", address: "10.77.2.5" }] })).toThrow(/not a host address of ru-a/);
    expect(bad({ nodes: [{ name: "n", subnet: "ru-a", address: "10.77.1.1" }] })).toThrow(/gateway/);
    expect(bad({ nodes: [{ name: "n", subnet: "zz", address: "10.77.1.5" }] })).toThrow(/unknown subnet zz/);
    expect(bad({ nodes: [{ name: "N_1", subnet: "ru-a", address: "10.77.1.5" }] })).toThrow(/DNS label/);
    expect(bad({ subnets: [...plan.subnets, { name: "dup", cidr: "10.77.1.128/25", region: "x" }] })).toThrow(/overlaps ru-a/);
    expect(bad({ regionDelays: [{ from: "mars", to: "ru", delayMs: 1 }] })).toThrow(/unknown region mars/);
    expect(() => parseCidr("10.77.1.1/24")).toThrow(/not a network address/);
  });
});
