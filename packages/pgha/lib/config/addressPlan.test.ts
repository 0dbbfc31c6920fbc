import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCidr, parseIpv4 } from "./common";
import { planAddresses } from "./addressPlan";
import { parseTopology } from "./parse";
import type { TopologyInput } from "./inputs";

/** Arbitrary valid-shaped topologies: 1-2 regions, 1-3 zonal subnets, 1-3 clusters. */
const topologyArb = fc
  .record({
    kind: fc.constantFrom("yandex", "local"),
    zones: fc.integer({ min: 1, max: 3 }),
    etcd: fc.constantFrom(3, 5),
    clusters: fc.array(fc.record({ nodes: fc.integer({ min: 1, max: 9 }), haproxy: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ kind, zones, etcd, clusters }): TopologyInput => {
    const zoneNames = ["z-a", "z-b", "z-c"].slice(0, zones);
    return {
      name: "prop",
      platform: { kind },
      regions: [{ name: "r1", zones: zoneNames }],
      subnets: zoneNames.map((z, i) => ({ name: `s${i}`, region: "r1", zone: z, cidr: `10.20.${i}.0/24` })),
      etcd: { members: etcd },
      clusters: clusters.map((c, i) => ({ name: `c${i}`, region: "r1", nodes: c.nodes, haproxy: { enabled: c.haproxy } })),
    };
  });

describe("planAddresses", () => {
  it("is deterministic, unique, inside each node's subnet and clear of the reserved range", () => {
    fc.assert(
      fc.property(topologyArb, (input) => {
        const t = parseTopology(input);
        const plan = planAddresses(t);
        expect(planAddresses(parseTopology(structuredClone(input)))).toEqual(plan);
        const ips = [...plan.nodes.map((n) => n.ip), ...plan.vips.map((v) => v.ip), ...plan.loadBalancers.map((v) => v.ip)];
        expect(new Set(ips).size).toBe(ips.length);
        for (const n of plan.nodes) {
          const subnet = parseCidr(t.subnets.find((s) => s.name === n.subnet)!.cidr);
          const ip = parseIpv4(n.ip)!;
          expect(ip - subnet.network).toBeGreaterThanOrEqual(10);
          expect(ip - subnet.network).toBeLessThan(subnet.size - 2);
          expect(t.subnets.find((s) => s.name === n.subnet)!.zone).toBe(n.zone);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("spreads members round-robin over zones", () => {
    fc.assert(
      fc.property(topologyArb, (input) => {
        const t = parseTopology(input);
        const zones = t.regions[0].zones;
        for (const n of planAddresses(t).nodes.filter((x) => x.role === "patroni" || x.role === "etcd")) {
          expect(n.zone).toBe(zones[n.index % zones.length]);
        }
      }),
    );
  });

  it("adding replicas never moves an existing node's address (day-2 scale-out replaces nothing)", () => {
    fc.assert(
      fc.property(topologyArb, fc.integer({ min: 0, max: 2 }), (input, which) => {
        const before = planAddresses(parseTopology(input));
        const grown = structuredClone(input);
        const c = grown.clusters[which % grown.clusters.length];
        c.nodes = Math.min(9, (c.nodes ?? 3) + 1);
        const after = new Map(planAddresses(parseTopology(grown)).nodes.map((n) => [n.name, n.ip]));
        for (const n of before.nodes) expect(after.get(n.name)).toBe(n.ip);
      }),
    );
  });

  it("keeps both HAProxy nodes in the VIP's subnet when keepalived is on", () => {
    const t = parseTopology({
      name: "vip",
      platform: { kind: "local" },
      regions: [{ name: "r1", zones: ["z-a", "z-b"] }],
      subnets: [
        { name: "s0", region: "r1", zone: "z-a", cidr: "10.30.0.0/24" },
        { name: "s1", region: "r1", zone: "z-b", cidr: "10.30.1.0/24" },
      ],
      clusters: [{ name: "main", region: "r1" }],
    });
    const plan = planAddresses(t);
    const haproxy = plan.nodes.filter((n) => n.role === "haproxy");
    expect(haproxy.map((n) => n.subnet)).toEqual(["s0", "s0"]);
    expect(plan.vips).toEqual([{ cluster: "main", subnet: "s0", ip: "10.30.0.44", offset: 44 }]);
    expect(plan.loadBalancers).toEqual([{ cluster: "main", subnet: "s0", ip: "10.30.0.45", offset: 45 }]);
  });
});
