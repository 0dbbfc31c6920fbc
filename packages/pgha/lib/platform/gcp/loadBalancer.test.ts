import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildScenario, defaultComputedState, installMocks, type MockRecorder, type RecordedResource, valueOf } from "../testing";
import type { LoadBalancerArgs, VmHandle } from "../types";
import { type GcpLoadBalancerHandle, gcpLoadBalancerKind } from "./loadBalancer";
import { GcpPlatform } from "./platform";
import { cloudArmorSourceRules } from "./proxy";
import { GCP_TYPES } from "./testTypes";

const T = GCP_TYPES;

const HC_RANGES = ["35.191.0.0/16", "130.211.0.0/22"];
const EW1 = { name: "ew1", region: "europe-west1", cidr: "10.140.0.0/24" };
const EW4 = { name: "ew4", region: "europe-west4", cidr: "10.141.0.0/24" };
const PROXY_ONLY = [
  { region: "europe-west1", cidr: "10.140.64.0/23" },
  { region: "europe-west4", cidr: "10.141.64.0/23" },
];
const INPUT = {
  region: "europe-west1",
  zones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] as [string, string, string],
  subnets: [EW1, EW4],
  clientCidrs: ["192.168.0.0/16"],
};
/** Where GCP would pick a free address for a frontend without a fixed one. */
const AUTO_ADDRESS = "10.141.0.77";

let rec: MockRecorder;
beforeAll(() => {
  rec = installMocks((args) => ({
    ...defaultComputedState(args),
    ...(args.type === T.address && args.inputs.address === undefined ? { address: AUTO_ADDRESS } : {}),
  }));
});
beforeEach(async () => {
  await rec.settled();
  rec.reset();
});

const schemes = () => rec.resources.map((r) => r.inputs.loadBalancingScheme).filter((s): s is string => s !== undefined);
const portsOf = (fw: RecordedResource) => (fw.inputs.allows as { ports: string[] }[]).flatMap((a) => a.ports);

/** Two HAProxy-like VMs in europe-west1 and a load balancer over them with the given listeners. */
function haproxyLb(
  platform: GcpPlatform,
  parent: pulumi.Resource,
  lb: Partial<LoadBalancerArgs> & Pick<LoadBalancerArgs, "scope" | "exposure">,
): GcpLoadBalancerHandle {
  const network = platform.network({ name: "net", subnets: [EW1, EW4], egress: "nat", proxyOnlySubnets: PROXY_ONLY }, parent);
  const firewall = platform.firewall(
    {
      name: "main-haproxy",
      network,
      targetTag: "main-haproxy",
      ingress: [{ name: "health", protocol: "tcp", ports: [7000], from: { healthCheckers: true }, description: "" }],
    },
    parent,
  );
  const vms: VmHandle[] = ["europe-west1-b", "europe-west1-c"].map((zone, i) =>
    platform.vm(
      {
        name: `main-haproxy-${i}`,
        role: "haproxy",
        region: "europe-west1",
        zone,
        subnet: "ew1",
        ip: `10.140.0.${40 + i}`,
        userData: "#cloud-config\n",
        cores: 2,
        memoryGb: 4,
        bootDiskGb: 20,
        firewalls: [firewall],
        network,
        os: "debian-13",
        deletionProtection: false,
      },
      parent,
    ),
  );
  return platform.loadBalancer(
    {
      name: "main",
      region: "europe-west1",
      network,
      targets: vms,
      listeners: [
        { name: "primary", port: 5000, targetPort: 5000 },
        { name: "direct", port: 5005, targetPort: 5005 },
      ],
      healthCheck: { protocol: "http", port: 7000, path: "/health", intervalS: 2, timeoutS: 1, healthyThreshold: 2, unhealthyThreshold: 2 },
      sourceRanges: ["10.140.0.0/24", "10.141.0.0/24"],
      ...lb,
    },
    parent,
  ) as GcpLoadBalancerHandle;
}

describe("gcpLoadBalancerKind", () => {
  it("maps scope and exposure to one GCP product each", () => {
    expect(gcpLoadBalancerKind("regional", "internal")).toBe("internal-passthrough");
    expect(gcpLoadBalancerKind("regional", "public")).toBe("external-passthrough");
    expect(gcpLoadBalancerKind("global", "internal")).toBe("cross-region-internal-proxy");
    expect(gcpLoadBalancerKind("global", "public")).toBe("global-external-proxy");
  });
});

describe("GCP load balancers under mocks", () => {
  it("keeps a regional internal load balancer internal: no EXTERNAL scheme, no public address", async () => {
    buildScenario(new GcpPlatform(), rec.parent("ri"), { ...INPUT, subnets: [EW1], lbAddress: "10.140.0.45" });
    await rec.settled();
    expect(new Set(schemes())).toEqual(new Set(["INTERNAL"]));
    expect(rec.ofType(T.globalAddress)).toEqual([]);
  });

  it(
    "builds a cross-region internal proxy NLB: " + "INTERNAL_MANAGED everywhere, a frontend in every region with a proxy-only subnet",
    async () => {
      const lb = haproxyLb(new GcpPlatform(), rec.parent("gi"), { scope: "global", exposure: "internal", address: "10.140.0.13" });
      await rec.settled();
      expect(new Set(schemes())).toEqual(new Set(["INTERNAL_MANAGED"]));
      expect(rec.ofType(T.globalAddress)).toEqual([]);
      expect(rec.ofType(T.securityPolicy)).toEqual([]);
      expect(rec.ofType(T.regionBackend)).toEqual([]);
      // A global health check; one backend service and one global TCP proxy per listener.
      expect(rec.get(T.hc, "main-hc").inputs).toMatchObject({ httpHealthCheck: { port: 7000, requestPath: "/health" } });
      for (const name of ["primary", "direct"]) {
        expect(rec.get(T.backend, `main-${name}`).inputs).toMatchObject({
          protocol: "TCP",
          loadBalancingScheme: "INTERNAL_MANAGED",
          portName: name,
          healthChecks: "main-hc-id",
        });
        expect(rec.get(T.proxy, `main-${name}`).inputs).toMatchObject({ backendService: `main-${name}-id` });
      }
      for (const g of rec.ofType(T.group))
        expect(g.inputs.namedPorts).toEqual([
          { name: "primary", port: 5000 },
          { name: "direct", port: 5005 },
        ]);

      // One shared internal address per region: the planned one where the targets are, GCP's pick elsewhere.
      expect(rec.get(T.address, "main-europe-west1-ip").inputs).toMatchObject({
        region: "europe-west1",
        subnetwork: "net-ew1-id",
        addressType: "INTERNAL",
        purpose: "SHARED_LOADBALANCER_VIP",
        address: "10.140.0.13",
      });
      const ew4 = rec.get(T.address, "main-europe-west4-ip").inputs;
      expect(ew4).toMatchObject({
        region: "europe-west4",
        subnetwork: "net-ew4-id",
        addressType: "INTERNAL",
        purpose: "SHARED_LOADBALANCER_VIP",
      });
      expect(ew4.address).toBeUndefined();

      // A forwarding rule per listener and region, on the VM subnet, after the region's proxy-only subnet.
      expect(
        rec
          .ofType(T.globalRule)
          .map((r) => r.name)
          .sort(),
      ).toEqual(["main-direct-europe-west1", "main-direct-europe-west4", "main-primary-europe-west1", "main-primary-europe-west4"]);
      expect(rec.get(T.globalRule, "main-direct-europe-west4").inputs).toMatchObject({
        loadBalancingScheme: "INTERNAL_MANAGED",
        network: "net-id",
        subnetwork: "net-ew4-id",
        ipAddress: AUTO_ADDRESS,
        ipProtocol: "TCP",
        portRange: "5005",
        target: "main-direct-id",
      });
      expect(rec.get(T.globalRule, "main-primary-europe-west1").inputs).toMatchObject({
        subnetwork: "net-ew1-id",
        ipAddress: "10.140.0.13",
        portRange: "5000",
      });
      const dependsOn = rec.optionsOf(T.globalRule, "main-primary-europe-west4").dependsOn as pulumi.Resource[];
      expect(dependsOn).toHaveLength(1);
      expect(await valueOf((dependsOn[0] as unknown as { ipCidrRange: pulumi.Output<string> }).ipCidrRange)).toBe("10.141.64.0/23");

      // Targets admit the Envoy proxies (proxy-only ranges) on the target ports and health checkers on the monitor port only.
      expect(rec.get(T.firewall, "main-proxies").inputs).toMatchObject({
        sourceRanges: ["10.140.64.0/23", "10.141.64.0/23"],
        targetTags: ["main-haproxy"],
        allows: [{ protocol: "tcp", ports: ["5000", "5005"] }],
      });
      expect(rec.get(T.firewall, "main-health").inputs).toMatchObject({
        sourceRanges: HC_RANGES,
        allows: [{ protocol: "tcp", ports: ["7000"] }],
      });

      expect(await valueOf(lb.address)).toBe("10.140.0.13");
      expect(await Promise.all(lb.frontends.map(async (f) => [f.region, await valueOf(f.address)]))).toEqual([
        ["europe-west1", "10.140.0.13"],
        ["europe-west4", AUTO_ADDRESS],
      ]);
    },
  );

  it("maps listener ports to other target ports through named ports on the proxy", async () => {
    haproxyLb(new GcpPlatform(), rec.parent("map"), {
      scope: "global",
      exposure: "internal",
      listeners: [{ name: "primary", port: 5432, targetPort: 5000 }],
    });
    await rec.settled();
    expect(rec.get(T.globalRule, "main-primary-europe-west1").inputs.portRange).toBe("5432");
    for (const g of rec.ofType(T.group)) expect(g.inputs.namedPorts).toEqual([{ name: "primary", port: 5000 }]);
    expect(portsOf(rec.get(T.firewall, "main-proxies"))).toEqual(["5000"]);
  });

  it("refuses a global internal load balancer without a proxy-only subnet in the targets' region", () => {
    const platform = new GcpPlatform();
    const parent = rec.parent("noproxy");
    expect(() => buildScenario(platform, parent, { ...INPUT, lbScope: "global", proxyOnlySubnets: [PROXY_ONLY[1]] })).toThrow(
      /needs a proxy-only subnet in the targets' region europe-west1: set regions\[\]\.proxyOnlyCidr/,
    );
  });

  it("builds a regional public load balancer as an external passthrough NLB admitting only sourceRanges", async () => {
    const platform = new GcpPlatform();
    const parent = rec.parent("rp");
    const reserved = platform.loadBalancerAddress(
      { name: "main", scope: "regional", region: "europe-west1", zone: "europe-west1-b" },
      parent,
    );
    const lb = haproxyLb(platform, parent, {
      scope: "regional",
      exposure: "public",
      sourceRanges: ["203.0.113.0/24"],
      publicAddress: reserved,
    });
    await rec.settled();
    // The address reserved ahead (the certificates name it) is a regional EXTERNAL address, and the rule's.
    expect(rec.get(T.address, "main-ip").inputs).toEqual({ region: "europe-west1", addressType: "EXTERNAL" });
    const reservedIp = await valueOf(reserved.address);
    expect(rec.get(T.rule, "main").inputs.ipAddress).toBe(reservedIp);
    expect(await valueOf(lb.address)).toBe(reservedIp);
    expect(rec.get(T.regionBackend, "main").inputs).toMatchObject({ loadBalancingScheme: "EXTERNAL", protocol: "TCP" });
    expect(rec.get(T.regionBackend, "main").inputs.network).toBeUndefined();
    const rule = rec.get(T.rule, "main").inputs;
    expect(rule).toMatchObject({ loadBalancingScheme: "EXTERNAL", ports: ["5000", "5005"] });
    expect(rule.subnetwork).toBeUndefined();
    expect(rule.allowGlobalAccess).toBeUndefined();
    // Client addresses are preserved: the VPC firewall is the source restriction.
    expect(rec.get(T.firewall, "main-clients").inputs).toMatchObject({
      sourceRanges: ["203.0.113.0/24"],
      allows: [{ protocol: "tcp", ports: ["5000", "5005"] }],
    });
    expect(rec.get(T.firewall, "main-health").inputs).toMatchObject({
      sourceRanges: ["35.191.0.0/16", "209.85.152.0/22", "209.85.204.0/22"],
      allows: [{ protocol: "tcp", ports: ["7000"] }],
    });
    for (const fw of rec.ofType(T.firewall)) expect(fw.inputs.sourceRanges).not.toContain("0.0.0.0/0");
    expect(lb.frontends).toEqual([]);
  });

  it("builds a global public load balancer behind a Cloud Armor policy that admits only sourceRanges", async () => {
    const platform = new GcpPlatform();
    const parent = rec.parent("gp");
    const reserved = platform.loadBalancerAddress(
      { name: "main", scope: "global", region: "europe-west1", zone: "europe-west1-b" },
      parent,
    );
    const lb = haproxyLb(platform, parent, {
      scope: "global",
      exposure: "public",
      sourceRanges: ["203.0.113.0/24", "198.51.100.7/32"],
      publicAddress: reserved,
    });
    await rec.settled();
    // One global address, reserved ahead of the load balancer; the forwarding rules use it.
    expect(rec.ofType(T.globalAddress).map((a) => a.name)).toEqual(["main-ip"]);
    expect(await valueOf(reserved.address)).toBe("203.0.113.7");
    const policy = rec.get(T.securityPolicy, "main-sources").inputs;
    expect(policy.type).toBe("CLOUD_ARMOR");
    expect(policy.rules).toEqual([
      {
        priority: 1000,
        action: "allow",
        description: "loadBalancer.sourceRanges",
        match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["203.0.113.0/24", "198.51.100.7/32"] } },
      },
      {
        priority: 2147483647,
        action: "deny(403)",
        description: "every other source",
        match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
      },
    ]);
    const backends = rec.ofType(T.backend);
    expect(backends).toHaveLength(2);
    for (const b of backends)
      expect(b.inputs).toMatchObject({ loadBalancingScheme: "EXTERNAL_MANAGED", securityPolicy: "main-sources-id" });
    expect(rec.get(T.globalRule, "main-direct").inputs).toMatchObject({
      loadBalancingScheme: "EXTERNAL_MANAGED",
      portRange: "5005",
      ipAddress: "203.0.113.7",
      target: "main-direct-id",
    });
    // Google Front Ends and health checkers only; no client range on the VPC firewall (it would see proxies).
    expect(rec.get(T.firewall, "main-proxies").inputs).toMatchObject({
      sourceRanges: HC_RANGES,
      allows: [{ protocol: "tcp", ports: ["5000", "5005", "7000"] }],
    });
    expect(
      rec
        .ofType(T.firewall)
        .map((f) => f.name)
        .sort(),
    ).toEqual(["main-haproxy-health", "main-proxies"]);
    expect(await valueOf(lb.address)).toBe("203.0.113.7");
  });

  it("refuses a global public load balancer whose address was not reserved first", () => {
    expect(() =>
      haproxyLb(new GcpPlatform(), rec.parent("gp-none"), { scope: "global", exposure: "public", sourceRanges: ["203.0.113.0/24"] }),
    ).toThrow(/needs its global address reserved first/);
  });

  it("refuses a public load balancer without sourceRanges, whatever its scope", () => {
    const platform = new GcpPlatform();
    for (const scope of ["regional", "global"] as const) {
      expect(() => haproxyLb(platform, rec.parent(`open-${scope}`), { scope, exposure: "public", sourceRanges: [] })).toThrow(
        /exposure "public" needs sourceRanges \(loadBalancer\.sourceRanges\)/,
      );
    }
  });
});

describe("cloudArmorSourceRules", () => {
  it("splits ranges ten to a rule, in order, ahead of a default deny", () => {
    const ranges = Array.from({ length: 23 }, (_, i) => `198.51.${i}.0/24`);
    const rules = cloudArmorSourceRules([...ranges, ranges[0]]);
    expect(rules.map((r) => [r.priority, r.action, r.match.config.srcIpRanges.length])).toEqual([
      [1000, "allow", 10],
      [1001, "allow", 10],
      [1002, "allow", 3],
      [2147483647, "deny(403)", 1],
    ]);
    expect(rules.slice(0, 3).flatMap((r) => r.match.config.srcIpRanges)).toEqual(ranges);
  });

  it("refuses an empty list instead of building a policy that admits nobody or everybody", () => {
    expect(() => cloudArmorSourceRules([])).toThrow(/at least one range/);
  });
});
