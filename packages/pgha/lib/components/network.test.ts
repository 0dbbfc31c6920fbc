// Network with an existing VPC network and subnets (ids, not resources), and the settings that
// only reach resource inputs or user-data (image ids, labels, the ops user's SSH keys) given as Outputs.
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../config";
import { ClientVm, EtcdCluster, HaproxyPair, Network, type NetworkArgs, PatroniCluster, TcpLoadBalancer } from ".";
import { checkedSshKeys } from "./network";
import { resolve } from "./testing";
import { useComponentMocks } from "./testMocks";

const rec = useComponentMocks();

const Y = {
  network: "yandex:index/vpcNetwork:VpcNetwork",
  subnet: "yandex:index/vpcSubnet:VpcSubnet",
  gateway: "yandex:index/vpcGateway:VpcGateway",
  routeTable: "yandex:index/vpcRouteTable:VpcRouteTable",
  sg: "yandex:index/vpcSecurityGroup:VpcSecurityGroup",
  instance: "yandex:index/computeInstance:ComputeInstance",
  tg: "yandex:index/lbTargetGroup:LbTargetGroup",
  nlb: "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer",
};
const G = {
  network: "gcp:compute/network:Network",
  subnet: "gcp:compute/subnetwork:Subnetwork",
  router: "gcp:compute/router:Router",
  nat: "gcp:compute/routerNat:RouterNat",
  firewall: "gcp:compute/firewall:Firewall",
  instance: "gcp:compute/instance:Instance",
  address: "gcp:compute/address:Address",
  forwardingRule: "gcp:compute/forwardingRule:ForwardingRule",
};

const yandexArgs = (over: Partial<NetworkArgs> = {}): NetworkArgs => ({
  platform: { kind: "yandex", folderId: "b1gfolder", egress: "provided" },
  regions: [{ name: "ru-central1", zones: ["ru-central1-a", "ru-central1-b", "ru-central1-d"] }],
  subnets: [
    { name: "a", region: "ru-central1", zone: "ru-central1-a", cidr: "10.5.1.0/24" },
    { name: "b", region: "ru-central1", zone: "ru-central1-b", cidr: "10.5.2.0/24" },
    { name: "d", region: "ru-central1", zone: "ru-central1-d", cidr: "10.5.3.0/24" },
  ],
  // Ids read from another stack are Outputs; plain strings work the same.
  existing: { networkId: pulumi.output("enp-shared"), subnetIds: { a: "e9b-a", b: pulumi.output("e2l-b"), d: "fl8-d" } },
  cloud: { imageId: "fd8debian" },
  ...over,
});

const gcpArgs = (over: Partial<NetworkArgs> = {}): NetworkArgs => ({
  platform: { kind: "gcp", project: "shared-vpc" },
  regions: [{ name: "europe-west1", zones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] }],
  subnets: [{ name: "ew1", region: "europe-west1", cidr: "10.20.0.0/24" }],
  existing: {
    networkId: "projects/shared-vpc/global/networks/corp",
    subnetIds: { ew1: pulumi.output("projects/shared-vpc/regions/europe-west1/subnetworks/db") },
  },
  ...over,
});

/** A cluster with etcd, HAProxy and a load balancer in `network`, everything registered. */
async function clusterIn(network: Network, id: string) {
  const parent = { parent: rec.parent(id) };
  const etcd = new EtcdCluster("s", { network }, parent);
  const main = new PatroniCluster("main", { network, etcd, region: network.context.base.regions[0].name }, parent);
  const pair = new HaproxyPair("main", { cluster: main }, parent);
  const lb = new TcpLoadBalancer("main", { haproxy: pair }, parent);
  await resolve(pulumi.all([main.nodes, pair.nodes, lb.address]));
  await rec.settled();
}

function configIssues(f: () => unknown): { path: string; message: string }[] {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("Network on an existing yandex network", () => {
  it("creates no network, subnet or egress, and places everything on the given ids", async () => {
    const network = new Network("n", yandexArgs(), { parent: rec.parent("y-existing") });
    await clusterIn(network, "y-existing-cluster");
    expect(await resolve(network.networkId)).toBe("enp-shared");
    expect(await resolve(network.subnetIds)).toEqual({ a: "e9b-a", b: "e2l-b", d: "fl8-d" });
    for (const t of [Y.network, Y.subnet, Y.gateway, Y.routeTable]) expect(rec.ofType(t), t).toEqual([]);

    const groups = rec.ofType(Y.sg);
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect(g.inputs.networkId, g.name).toBe("enp-shared");
    const bySubnet = { a: "e9b-a", b: "e2l-b", d: "fl8-d" } as Record<string, string>;
    const zoneToSubnet = { "ru-central1-a": "a", "ru-central1-b": "b", "ru-central1-d": "d" } as Record<string, string>;
    const instances = rec.ofType(Y.instance);
    expect(instances.length).toBe(3 + 3 + 2); // etcd, Patroni, HAProxy
    for (const vm of instances) {
      const nics = vm.inputs.networkInterfaces as { subnetId: string }[];
      expect(
        nics.map((n) => n.subnetId),
        vm.name,
      ).toEqual([bySubnet[zoneToSubnet[vm.inputs.zone as string]]]);
    }
    const targets = (rec.get(Y.tg, "main").inputs.targets as { subnetId: string }[]).map((t) => t.subnetId);
    expect(targets.length).toBe(2);
    for (const s of targets) expect(Object.values(bySubnet)).toContain(s);
    const listener = (rec.get(Y.nlb, "main").inputs.listeners as { internalAddressSpec?: { subnetId: string } }[])[0];
    expect(Object.values(bySubnet)).toContain(listener.internalAddressSpec?.subnetId);
  });

  it("refuses egress nat: pgha cannot attach its route table to subnets it does not own", () => {
    const issues = configIssues(() => new Network("n", yandexArgs({ platform: { kind: "yandex", egress: "nat" } })));
    expect(issues).toEqual([{ path: "platform.egress", message: expect.stringContaining("set platform.egress: provided") }]);
    // The default egress is nat, so leaving it out is refused the same way.
    expect(configIssues(() => new Network("n", yandexArgs({ platform: { kind: "yandex" } }))).map((i) => i.path)).toEqual([
      "platform.egress",
    ]);
  });

  it("needs exactly one id per subnet", () => {
    const issues = configIssues(
      () => new Network("n", yandexArgs({ existing: { networkId: "enp", subnetIds: { a: "e9b-a", b: "e2l-b", c: "x" } } })),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(["existing.subnetIds.c", "existing.subnetIds.d"]);
    expect(issues.find((i) => i.path === "existing.subnetIds.c")?.message).toMatch(/not one of subnets \(a, b, d\)/);
  });
});

describe("Network on an existing gcp network", () => {
  it("creates no network or subnet; firewalls, VMs, addresses and the LB use the given ids", async () => {
    const network = new Network("n", gcpArgs({ platform: { kind: "gcp", project: "shared-vpc", egress: "provided" } }), {
      parent: rec.parent("g-existing"),
    });
    await clusterIn(network, "g-existing-cluster");
    const netId = "projects/shared-vpc/global/networks/corp";
    const subnetId = "projects/shared-vpc/regions/europe-west1/subnetworks/db";
    for (const t of [G.network, G.subnet, G.router, G.nat]) expect(rec.ofType(t), t).toEqual([]);
    const firewalls = rec.ofType(G.firewall);
    expect(firewalls.length).toBeGreaterThan(0);
    for (const f of firewalls) expect(f.inputs.network, f.name).toBe(netId);
    const instances = rec.ofType(G.instance);
    expect(instances.length).toBe(8);
    for (const vm of instances) expect((vm.inputs.networkInterfaces as { subnetwork: string }[])[0].subnetwork, vm.name).toBe(subnetId);
    for (const a of rec.ofType(G.address)) expect(a.inputs.subnetwork, a.name).toBe(subnetId);
    const rules = rec.ofType(G.forwardingRule);
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect([r.inputs.network, r.inputs.subnetwork], r.name).toEqual([netId, subnetId]);
  });

  it("with egress nat adds pgha's own Cloud Router and NAT to the existing network for its subnets", async () => {
    const network = new Network("n", gcpArgs(), { parent: rec.parent("g-nat") });
    await resolve(network.networkId);
    await rec.settled();
    expect(rec.ofType(G.network)).toEqual([]);
    expect(rec.get(G.router, "n-europe-west1-router").inputs).toMatchObject({ network: "projects/shared-vpc/global/networks/corp" });
    expect(rec.get(G.nat, "n-europe-west1-nat").inputs.subnetworks).toEqual([
      { name: "projects/shared-vpc/regions/europe-west1/subnetworks/db", sourceIpRangesToNats: ["ALL_IP_RANGES"] },
    ]);
  });
});

describe("an existing network where there is none to use", () => {
  it("the lab refuses it", () => {
    const issues = configIssues(
      () =>
        new Network("n", {
          platform: { kind: "local" },
          regions: [{ name: "east", zones: ["a"] }],
          subnets: [{ name: "east", region: "east", cidr: "10.0.1.0/24" }],
          existing: { networkId: "x", subnetIds: { east: "y" } },
        }),
    );
    expect(issues).toEqual([{ path: "existing", message: expect.stringContaining("platform local builds its own network") }]);
  });

  it("gke has no Network at all (GkeFoundation builds its VPC)", () => {
    expect(
      () =>
        new Network("n", {
          platform: { kind: "gke", project: "p" },
          regions: [{ name: "europe-west1", zones: ["europe-west1-b"] }],
          subnets: [{ name: "ew1", region: "europe-west1", cidr: "10.20.0.0/24" }],
          existing: { networkId: "x", subnetIds: { ew1: "y" } },
        }),
    ).toThrow(/gke runs Patroni in Kubernetes pods and has no VMs: use GkeFoundation/);
  });
});

describe("cloud settings that only reach resource inputs may be Outputs", () => {
  it("yandex: an image id and labels from another stack", async () => {
    const network = new Network(
      "n",
      yandexArgs({
        cloud: { imageIds: { "debian-13": pulumi.output("fd8-from-output") }, labels: pulumi.output({ team: "db", env: "prod" }) },
      }),
      { parent: rec.parent("y-inputs") },
    );
    const etcd = new EtcdCluster("s", { network }, { parent: rec.parent("y-inputs-etcd") });
    await resolve(etcd.nodes);
    await rec.settled();
    const vm = rec.get(Y.instance, "s-etcd-0").inputs as {
      bootDisk: { initializeParams: { imageId: string } };
      labels: Record<string, string>;
    };
    expect(vm.bootDisk.initializeParams.imageId).toBe("fd8-from-output");
    expect(vm.labels).toEqual({ team: "db", env: "prod", "pgha-role": "etcd" });
    for (const g of rec.ofType(Y.sg)) expect(g.inputs.labels, g.name).toEqual({ team: "db", env: "prod" });
  });

  it("gcp: labels with Output values, merged with the VM's role", async () => {
    const network = new Network("n", gcpArgs({ cloud: { labels: { team: pulumi.output("db") } } }), { parent: rec.parent("g-inputs") });
    const etcd = new EtcdCluster("s", { network }, { parent: rec.parent("g-inputs-etcd") });
    await resolve(etcd.nodes);
    await rec.settled();
    expect(rec.get(G.instance, "s-etcd-0").inputs.labels).toEqual({ team: "db", "pgha-role": "etcd" });
    expect(rec.get("gcp:compute/disk:Disk", "s-etcd-0-data").inputs.labels).toEqual({ team: "db", "pgha-role": "etcd" });
  });
});

describe("the ops user's SSH keys may be Outputs", () => {
  const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOps ops@example";
  const OTHER = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ other@example";
  const lab = (sshKeys: pulumi.Input<string>[]): NetworkArgs => ({
    platform: { kind: "local", sshKeys, adminCidrs: ["192.0.2.10/32"] },
    regions: [{ name: "east", zones: ["a", "b", "c"] }],
    subnets: [{ name: "east", region: "east", cidr: "10.0.1.0/24" }],
  });
  const opsKeys = (userData: string): string[] =>
    (parse(userData).users as ({ name?: string; ssh_authorized_keys?: string[] } | string)[]).flatMap((u) =>
      typeof u === "object" && u.name === "pgha" ? (u.ssh_authorized_keys ?? []) : [],
    );

  it("renders plain and Output keys, in order, into every role's user-data", async () => {
    const parent = { parent: rec.parent("ssh-outputs") };
    const network = new Network("n", lab([KEY, pulumi.secret(OTHER)]), parent);
    const etcd = new EtcdCluster("s", { network }, parent);
    const main = new PatroniCluster("main", { network, etcd, region: "east" }, parent);
    const pair = new HaproxyPair("main", { cluster: main }, parent);
    const client = new ClientVm("c", { network, region: "east" }, parent);
    const nodes = (await resolve(pulumi.all([etcd.nodes, main.nodes, pair.nodes, client.nodes]))).flat();
    await rec.settled();
    expect(nodes.map((n) => n.role).sort()).toEqual([
      "client",
      "etcd",
      "etcd",
      "etcd",
      "haproxy",
      "haproxy",
      "patroni",
      "patroni",
      "patroni",
    ]);
    for (const n of nodes) expect(opsKeys(n.userData), n.name).toEqual([KEY, OTHER]);
  });

  it("counts Output keys at plan time: SSH from adminCidrs is allowed with only Output keys", () => {
    expect(() => new Network("n", lab([pulumi.output(KEY)]), { parent: rec.parent("ssh-count") })).not.toThrow();
    // Without any key the same network is refused: adminCidrs opens SSH for lib/ops, which needs one.
    expect(configIssues(() => new Network("n", lab([]))).map((i) => i.path)).toEqual(["platform.adminCidrs"]);
  });

  it("checks an Output key's format when it resolves", () => {
    // What the Network applies to resolved Output keys (a failing apply fails the update; under
    // mocks it could only surface as an unhandled rejection, so the check is called directly).
    expect(checkedSshKeys("local", [KEY, OTHER], "ctx")).toEqual([KEY, OTHER]);
    expect(() => checkedSshKeys("local", [KEY, "not a key"], "ctx")).toThrow(/platform\.sshKeys\[1\]: must be an OpenSSH public key line/);
  });
});
