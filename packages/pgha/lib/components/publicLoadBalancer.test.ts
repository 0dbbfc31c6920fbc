/**
 * A public load balancer's address is reserved by its cluster before the members' certificates
 * are issued: every member certificate names it, the load balancer listens on it, and the exported
 * connection string dials it with sslmode=verify-full.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { composeTopology, EtcdCluster, Network, PatroniCluster, TcpLoadBalancer } from ".";
import type { RecordedResource } from "../platform/testing";
import { loadStack, resolve } from "./testing";
import { useComponentMocks } from "./testMocks";

const rec = useComponentMocks();
const SOURCES = ["198.18.0.0/24"];

/** Compose a shipped stack with the named clusters' load balancers public. */
async function composePublic(env: string, clusters: string[]) {
  const { topology, cloud } = loadStack(env, (raw) => {
    for (const c of raw.clusters)
      if (clusters.includes(c.name)) {
        c.loadBalancer = { ...c.loadBalancer, enabled: true, exposure: "public", sourceRanges: SOURCES, publicDirect: true };
        // An application role, so the cluster exports a connection string (a standby's roles are its source's).
        if (!c.standby && !c.postgres.roles) c.postgres.roles = [{ name: "app" }];
      }
  });
  const stack = composeTopology(topology, cloud, rec.parent(env));
  const [nodes, loadBalancers, connectionStrings] = await Promise.all([
    resolve(stack.nodes),
    resolve(stack.loadBalancers),
    resolve(stack.connectionStrings),
  ]);
  await rec.settled();
  return { nodes, loadBalancers, connectionStrings };
}

/** The IP SANs of every member certificate of `cluster`. */
function memberSans(nodes: { name: string; role: string; component: string }[], cluster: string): Map<string, string[]> {
  const members = nodes.filter((n) => n.role === "patroni" && n.component === cluster);
  expect(members.length).toBeGreaterThan(0);
  return new Map(
    members.map((m) => {
      const csr = rec.get("tls:index/certRequest:CertRequest", `${m.name}-csr`);
      return [m.name, csr.inputs.ipAddresses as string[]];
    }),
  );
}

function only(type: string, name: string): RecordedResource {
  const found = rec.resources.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return found[0];
}

describe("public load balancer address in the member certificates", () => {
  it("yandex: a VpcAddress reserved in a member's zone, named by every member, used by every NLB listener; verify-full", async () => {
    const { nodes, loadBalancers, connectionStrings } = await composePublic("yc-homework", ["main"]);
    const reserved = only("yandex:index/vpcAddress:VpcAddress", "main-ip");
    const zone = (reserved.inputs.externalIpv4Address as { zoneId: string }).zoneId;
    expect(nodes.filter((n) => n.component === "main" && n.role === "patroni").map((n) => n.zone)).toContain(zone);
    // Reserved once: a later change of the members' subnets or zones does not replace it.
    expect(rec.optionsOf(reserved.type, reserved.name).ignoreChanges).toEqual(["externalIpv4Address.zoneId"]);
    const address = "203.0.113.10"; // the mocks' VpcAddress answer
    for (const [member, ips] of memberSans(nodes, "main")) expect(ips, member).toContain(address);
    const nlb = only("yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer", "main");
    expect(nlb.inputs.type).toBe("external");
    const listeners = nlb.inputs.listeners as { externalAddressSpec?: { address?: string } }[];
    expect(listeners.length).toBeGreaterThan(0);
    for (const l of listeners) expect(l.externalAddressSpec?.address).toBe(address);
    expect(loadBalancers.find((l) => l.name === "main")?.address).toBe(address);
    expect(connectionStrings.main).toMatch(new RegExp(`@${address.replace(/\./g, "\\.")}:\\d+/[^?]+\\?sslmode=verify-full&`));
  });

  it("gcp: a GlobalAddress (global proxy) and a regional EXTERNAL Address (passthrough), named by members, used by rules", async () => {
    const { nodes, loadBalancers, connectionStrings } = await composePublic("gcp-dr", ["main", "dr"]);
    const global = only("gcp:compute/globalAddress:GlobalAddress", "main-ip");
    expect(global.inputs).toMatchObject({ addressType: "EXTERNAL", ipVersion: "IPV4" });
    const regional = only("gcp:compute/address:Address", "dr-ip");
    expect(regional.inputs).toMatchObject({ addressType: "EXTERNAL", region: "europe-west4" });
    // The mocks' answers for an EXTERNAL GlobalAddress and Address.
    const want = { main: "203.0.113.7", dr: "203.0.113.9" };
    for (const [cluster, address] of Object.entries(want)) {
      for (const [member, ips] of memberSans(nodes, cluster)) expect(ips, member).toContain(address);
      expect(loadBalancers.find((l) => l.name === cluster)?.address).toBe(address);
    }
    const globalRules = rec.ofType("gcp:compute/globalForwardingRule:GlobalForwardingRule").filter((r) => r.name.startsWith("main-"));
    expect(globalRules.length).toBeGreaterThan(0);
    for (const r of globalRules) expect(r.inputs.ipAddress).toBe(want.main);
    expect(only("gcp:compute/forwardingRule:ForwardingRule", "dr").inputs.ipAddress).toBe(want.dr);
    // Only the global address: no second one was allocated by the load balancer.
    expect(rec.ofType("gcp:compute/globalAddress:GlobalAddress")).toHaveLength(1);
    // Before, the TcpLoadBalancer created it: its URN there is an alias, so the address is kept.
    const lbComponent = rec.optionsOf(globalRules[0].type, globalRules[0].name).parent as pulumi.Resource;
    const aliases = rec.optionsOf(global.type, global.name).aliases as { parent: pulumi.Input<string> }[];
    expect(aliases).toHaveLength(1);
    expect(await resolve(pulumi.output(aliases[0].parent))).toBe(await resolve(lbComponent.urn));
    expect(connectionStrings.main).toMatch(/@203\.0\.113\.7:\d+\/[^?]+\?sslmode=verify-full&/);
  });

  it("lab: a public load balancer binds the planned address, which the members' certificates name; verify-full", async () => {
    const { nodes, loadBalancers, connectionStrings } = await composePublic("lab", ["main"]);
    const lb = loadBalancers.find((l) => l.name === "main" && l.kind === "cloud");
    expect(lb?.address).toMatch(/^10\./);
    for (const [member, ips] of memberSans(nodes, "main")) {
      expect(ips, member).toContain(lb?.address);
      expect(new Set(ips).size, `${member} names an address twice`).toBe(ips.length);
    }
    expect(connectionStrings.main).toContain(`@${lb?.address}:`);
    expect(connectionStrings.main).toContain("sslmode=verify-full&");
  });
});

describe("a TcpLoadBalancer built by hand on a public cluster", () => {
  async function publicCluster(name: string, loadBalancer: { enabled?: boolean; scope?: "regional" | "global" }) {
    const parent = { parent: rec.parent(name) };
    const network = new Network(
      "n",
      { platform: { kind: "local" }, regions: [{ name: "r", zones: ["a"] }], subnets: [{ name: "s", region: "r", cidr: "10.0.0.0/24" }] },
      parent,
    );
    const etcd = new EtcdCluster("e", { network }, parent);
    const loadBalancerSpec = { exposure: "public" as const, sourceRanges: SOURCES, publicDirect: true, ...loadBalancer };
    const cluster = new PatroniCluster("db", { network, etcd, region: "r", loadBalancer: loadBalancerSpec }, parent);
    await rec.settled();
    return { cluster, parent };
  }

  it("refuses a cluster whose loadBalancer is disabled: it reserved no address and admits no public source", async () => {
    const { cluster, parent } = await publicCluster("lb-disabled", { enabled: false });
    const before = rec.resources.length;
    expect(() => new TcpLoadBalancer("db", { cluster }, parent)).toThrow(
      /loadBalancer\.enabled: cluster 'db' has loadBalancer\.enabled: false, so it reserved no public address/,
    );
    await rec.settled();
    expect(rec.resources.length).toBe(before);
  });

  it("refuses a scope other than the one the cluster reserved its address for; defaults to it", async () => {
    const { cluster, parent } = await publicCluster("lb-scope", { scope: "global" });
    expect(() => new TcpLoadBalancer("db", { cluster, scope: "regional" }, parent)).toThrow(
      /scope: cluster 'db' reserved a global public address \(its loadBalancer\.scope\); use scope "global"/,
    );
    const lb = new TcpLoadBalancer("db", { cluster }, parent);
    expect((await resolve(lb.loadBalancer)).scope).toBe("global");
  });
});
