// Where a standby cluster streams from is decided by what it is given (`via`, `sourceHost`), never
// by which components happen to exist when it is built, and no component changes another.
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../config";
import { composeTopology, EtcdCluster, HaproxyPair, Network, PatroniCluster, StandbyCluster, TcpLoadBalancer } from ".";
import { loadStack, resolve } from "./testing";
import { useComponentMocks } from "./testMocks";

const rec = useComponentMocks();

/** Patroni's standby_cluster section as rendered into a node's user-data. */
function standbyClusterOf(userData: string): { host: string; port: number; primary_slot_name: string } {
  const files = parse(userData).write_files as { path: string; content: string }[];
  const patroni = parse(files.find((f) => f.path === "/etc/patroni/patroni.yml")?.content ?? "");
  return patroni.bootstrap.dcs.standby_cluster;
}

describe("composeTopology with the standby listed before its source", () => {
  it.each([
    ["lab", "main"], // an HAProxy pair with a keepalived VIP
    ["gcp-dr", "main"], // a cross-region internal TCP load balancer in front of HAProxy
  ])("%s: the standby streams through the source's load balancer", async (env, lbName) => {
    const { topology, cloud } = loadStack(env, (t) => t.clusters.reverse());
    expect(topology.clusters[0].standby).toBeDefined();
    const stack = composeTopology(topology, cloud, rec.parent(`${env}-reversed`));
    const [nodes, lbs, links] = await Promise.all([resolve(stack.nodes), resolve(stack.loadBalancers), resolve(stack.standbyLinks)]);
    const lb = lbs.find((l) => l.name === lbName || l.name === `${lbName}-vip`);
    expect(lb?.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const standby = standbyClusterOf(nodes.find((n) => n.name === "dr-pg-0")?.userData ?? "");
    expect(standby).toMatchObject({ host: lb?.address, port: 5005, primary_slot_name: "standby_dr" });
    expect(links).toEqual([{ cluster: "dr", source: "main", host: lb?.address, port: 5005, slot: "standby_dr" }]);
  });
});

describe("StandbyCluster built from components", () => {
  const base = (id: string) => {
    const parent = { parent: rec.parent(id) };
    const network = new Network(
      "n",
      {
        platform: { kind: "local" },
        regions: [
          { name: "east", zones: ["a", "b", "c"] },
          { name: "west", zones: ["w"] },
        ],
        subnets: [
          { name: "east", region: "east", cidr: "10.0.1.0/24" },
          { name: "west", region: "west", cidr: "10.0.2.0/24" },
        ],
      },
      parent,
    );
    const etcd = new EtcdCluster("e", { network, region: "east" }, parent);
    const etcdWest = new EtcdCluster("w", { network, region: "west" }, parent);
    const main = new PatroniCluster(
      "main",
      {
        network,
        etcd,
        region: "east",
        addressBlock: 0,
        loadBalancer: { enabled: true },
        standbySlots: ["standby_early", "standby_dr", "standby_bypair"],
      },
      parent,
    );
    const standbyArgs = (block: number) => ({ network, etcd: etcdWest, region: "west", nodes: 1, source: main, addressBlock: block });
    return { parent, network, etcd, main, standbyArgs };
  };

  it("streams through `via` whatever was built before it, and a later load balancer changes no earlier standby", async () => {
    const { parent, main, standbyArgs } = base("order");
    // Built before the source has any load balancer, with neither via nor sourceHost: the members.
    const early = new StandbyCluster("early", standbyArgs(0), parent);
    const pair = new HaproxyPair("main", { cluster: main }, parent);
    const lb = new TcpLoadBalancer("main", { haproxy: pair }, parent);
    const dr = new StandbyCluster("dr", { ...standbyArgs(1), via: lb }, parent);
    const byPair = new StandbyCluster("bypair", { ...standbyArgs(2), via: pair }, parent);

    const [lbAddress, vip, memberIps] = await Promise.all([resolve(lb.address), resolve(pair.vip), resolve(main.memberIps)]);
    expect(lb.replicationEndpoint?.port).toBe(5005);
    expect(await resolve(dr.standbyOf)).toEqual({ source: "main", host: lbAddress, port: 5005, slot: "standby_dr" });
    expect(await resolve(byPair.standbyOf)).toEqual({ source: "main", host: vip, port: 5005, slot: "standby_bypair" });
    expect(await resolve(early.standbyOf)).toEqual({ source: "main", host: memberIps.join(","), port: 5432, slot: "standby_early" });
    expect(memberIps).toHaveLength(3);

    const rendered = async (c: StandbyCluster) => standbyClusterOf((await resolve(c.nodes))[0].userData);
    expect(await rendered(dr)).toMatchObject({ host: lbAddress, port: 5005 });
    expect(await rendered(early)).toMatchObject({ host: memberIps.join(","), port: 5432 });
  });

  it("takes sourceHost/sourcePort as an explicit address", async () => {
    const { parent, standbyArgs } = base("explicit");
    const dr = new StandbyCluster("dr", { ...standbyArgs(1), sourceHost: pulumi.output("10.9.9.9"), sourcePort: 6000 }, parent);
    expect(await resolve(dr.standbyOf)).toEqual({ source: "main", host: "10.9.9.9", port: 6000, slot: "standby_dr" });
  });

  it("refuses a wrong via or a second address with a ConfigError naming the field, before registering anything", async () => {
    const { parent, network, etcd, main, standbyArgs } = base("bad-via");
    const early = new StandbyCluster("early", standbyArgs(0), parent);
    const otherPair = new HaproxyPair("early", { cluster: early }, parent);
    const mainPair = new HaproxyPair("main", { cluster: main }, parent);
    await rec.settled();
    const before = rec.resources.length;

    const failure = (f: () => unknown): ConfigError => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return e as ConfigError;
      }
      throw new Error("expected a ConfigError");
    };
    const other = failure(() => new StandbyCluster("dr", { ...standbyArgs(1), via: otherPair }, parent));
    expect(other.issues).toEqual([{ path: "via", message: "'early' is in front of cluster 'early', not of the source 'main'" }]);
    const both = failure(() => new StandbyCluster("dr", { ...standbyArgs(1), via: mainPair, sourceHost: "10.9.9.9" }, parent));
    expect(both.issues.map((i) => i.path)).toEqual(["via"]);
    const portOnly = failure(() => new StandbyCluster("dr", { ...standbyArgs(1), sourcePort: 6000 }, parent));
    expect(portOnly.issues.map((i) => i.path)).toEqual(["sourcePort"]);
    await rec.settled();
    expect(rec.resources.length).toBe(before);

    // A public load balancer without publicDirect publishes no replication listener.
    const pub = new PatroniCluster(
      "pub",
      {
        network,
        etcd,
        region: "east",
        addressBlock: 3,
        standbySlots: ["standby_dr"],
        loadBalancer: { enabled: true, exposure: "public", sourceRanges: ["198.18.0.0/24"] },
      },
      parent,
    );
    const pubLb = new TcpLoadBalancer("pub", { haproxy: new HaproxyPair("pub", { cluster: pub }, parent) }, parent);
    expect(pubLb.replicationEndpoint).toBeUndefined();
    const noDirect = failure(() => new StandbyCluster("dr", { ...standbyArgs(1), source: pub, via: pubLb }, parent));
    expect(noDirect.issues).toEqual([
      { path: "via", message: expect.stringContaining("'pub' publishes no direct (replication) listener") },
    ]);
  });
});

describe("ConfigError", () => {
  it("is a Pulumi RunError, so `pulumi up` prints its message without a stack trace", () => {
    const err = new ConfigError([{ path: "etcd.members", message: "must be odd" }], "invalid pgha EtcdCluster 'e'");
    expect(pulumi.RunError.isInstance(err)).toBe(true);
    expect(pulumi.RunError.isInstance(new Error("x"))).toBe(false);
    expect(err.message).toBe("invalid pgha EtcdCluster 'e':\n  - etcd.members: must be odd");
  });
});
