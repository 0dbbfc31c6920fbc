import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dataDiskDevice } from "../index";
import { buildScenario, installMocks, type MockRecorder, type Scenario, SCENARIO_PORTS, valueOf } from "../testing";
import { GcpPlatform } from "./platform";
import { GCP_TYPES } from "./testTypes";

const T = GCP_TYPES;

const HC_RANGES = ["35.191.0.0/16", "130.211.0.0/22"];
const ZONES: [string, string, string] = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
const INPUT = {
  region: "europe-west1",
  zones: ZONES,
  subnets: [{ name: "east", region: "europe-west1", cidr: "10.10.1.0/24" }],
  clientCidrs: ["192.168.0.0/16"],
};

let rec: MockRecorder;
beforeAll(() => {
  rec = installMocks();
});
// Let registrations of the previous test (some end in an expected throw) land before forgetting them.
beforeEach(async () => {
  await rec.settled();
  rec.reset();
});

async function build(overrides: Partial<Parameters<typeof buildScenario>[2]> = {}): Promise<Scenario> {
  const s = buildScenario(new GcpPlatform({ project: "proj" }), rec.parent(), { ...INPUT, ...overrides });
  await rec.settled();
  return s;
}

describe("GcpPlatform under mocks", () => {
  it("creates the expected resource graph for a small regional cluster", async () => {
    await build();
    expect(rec.countsByType()).toEqual({
      "pgha:test:Parent": 1,
      [T.network]: 1,
      [T.subnetwork]: 1,
      [T.router]: 1,
      [T.nat]: 1,
      // cluster, clients, health (VRRP is not used on GCP) + the LB's client rule.
      [T.firewall]: 4,
      [T.account]: 1,
      [T.address]: 3,
      [T.disk]: 3,
      [T.instance]: 3,
      [T.regionHc]: 1,
      [T.group]: 3,
      [T.regionBackend]: 1,
      [T.rule]: 1,
      [T.bucket]: 1,
      [T.bucketIam]: 1,
    });
    const net = rec.get(T.network, "net");
    expect(net.inputs.autoCreateSubnetworks).toBe(false);
    const sub = rec.get(T.subnetwork, "net-east");
    expect(sub.inputs).toMatchObject({ region: "europe-west1", ipCidrRange: "10.10.1.0/24", privateIpGoogleAccess: true });
  });

  it("gives VMs their planned static internal IP, no external IP, exact user-data and a service account", async () => {
    const s = await build();
    for (let i = 0; i < 3; i++) {
      const name = `main-patroni-${i}`;
      const addr = rec.get(T.address, `${name}-ip`);
      expect(addr.inputs).toMatchObject({ addressType: "INTERNAL", address: `10.10.1.${32 + i}`, region: "europe-west1" });
      const vm = rec.get(T.instance, name);
      const nic = (vm.inputs.networkInterfaces as Record<string, unknown>[])[0];
      expect(nic.networkIp).toBe(`10.10.1.${32 + i}`);
      expect(nic.accessConfigs).toBeUndefined();
      expect(vm.inputs.metadata).toEqual({ "user-data": s.userData[i] });
      expect(vm.inputs.metadataStartupScript).toBeUndefined();
      expect(vm.inputs).toMatchObject({
        name,
        zone: ZONES[i],
        machineType: "e2-standard-2",
        tags: ["main-patroni"],
        deletionProtection: true,
        allowStoppingForUpdate: true,
        serviceAccount: { email: "main-vms@test.iam.gserviceaccount.com", scopes: ["cloud-platform"] },
      });
      expect(vm.inputs.bootDisk).toMatchObject({ initializeParams: { image: "ubuntu-os-cloud/ubuntu-2204-lts", size: 20 } });
      expect(vm.inputs.attachedDisks).toEqual([{ source: `${name}-data-id`, deviceName: "data", mode: "READ_WRITE" }]);
      const disk = rec.get(T.disk, `${name}-data`);
      expect(disk.inputs).toMatchObject({ zone: ZONES[i], size: 100, type: "pd-balanced" });
    }
    expect(s.vms.map((v) => v.ip)).toEqual(["10.10.1.32", "10.10.1.33", "10.10.1.34"]);
    expect(await valueOf(s.vms[0].instanceId)).toBe("main-patroni-0-id");
    expect(dataDiskDevice("gcp")).toBe("/dev/disk/by-id/google-data");
  });

  it("protects data disks and buckets, ignores user-data changes on VMs", async () => {
    await build();
    for (let i = 0; i < 3; i++) {
      expect(rec.optionsOf(T.disk, `main-patroni-${i}-data`)).toMatchObject({ protect: true, retainOnDelete: true });
      const vmOpts = rec.optionsOf(T.instance, `main-patroni-${i}`);
      expect(vmOpts.ignoreChanges).toEqual(['metadata["user-data"]']);
      expect(vmOpts.protect).toBeUndefined();
      expect(rec.optionsOf(T.address, `main-patroni-${i}-ip`).protect).toBeUndefined();
    }
    expect(rec.optionsOf(T.bucket, "main-backups")).toMatchObject({ protect: true, retainOnDelete: true });
    // Every resource is a descendant of the component it was asked for.
    expect(rec.options.every((o) => o.type === "pgha:test:Parent" || o.opts.parent !== undefined)).toBe(true);
  });

  it("opens cluster ports only to the cluster, client ports to clients, health-check ranges only to health ports", async () => {
    await build();
    const cluster = rec.get(T.firewall, "main-patroni-cluster").inputs;
    expect(cluster).toMatchObject({
      direction: "INGRESS",
      sourceRanges: ["10.10.1.0/24"],
      sourceTags: ["main-patroni"],
      targetTags: ["main-patroni"],
      allows: [{ protocol: "tcp", ports: ["5432", "8008"] }],
    });
    const clients = rec.get(T.firewall, "main-patroni-clients").inputs;
    expect(clients).toMatchObject({ sourceRanges: ["192.168.0.0/16"], allows: [{ protocol: "tcp", ports: ["5432", "6432"] }] });
    expect(clients.sourceTags).toBeUndefined();
    const health = rec.get(T.firewall, "main-patroni-health").inputs;
    expect(health).toMatchObject({
      sourceRanges: HC_RANGES,
      allows: [{ protocol: "tcp", ports: [String(SCENARIO_PORTS.patroni), String(SCENARIO_PORTS.haproxyMonitor)] }],
    });
    // No other rule lets the health-check ranges in.
    for (const fw of rec.ofType(T.firewall)) {
      const ranges = (fw.inputs.sourceRanges as string[] | undefined) ?? [];
      if (fw.name !== "main-patroni-health") expect(ranges.filter((r) => HC_RANGES.includes(r))).toEqual([]);
      expect(ranges).not.toContain("0.0.0.0/0");
    }
  });

  it("refuses a firewall rule without sources", () => {
    const p = new GcpPlatform();
    const parent = rec.parent("nosrc");
    const network = { networkId: pulumi.output("n"), subnetIds: {}, subnets: [] };
    expect(() =>
      p.firewall(
        { name: "fw", network, targetTag: "t", ingress: [{ name: "open", protocol: "tcp", ports: [22], from: {}, description: "" }] },
        parent,
      ),
    ).toThrow(/rule open has no source/);
  });

  it("builds a regional internal passthrough NLB with an HTTP health check on Patroni", async () => {
    const s = await build({ lbAddress: "10.10.1.45" });
    const hc = rec.get(T.regionHc, "main-primary-hc").inputs;
    expect(hc).toMatchObject({
      region: "europe-west1",
      httpHealthCheck: { port: 8008, requestPath: "/primary" },
      checkIntervalSec: 2,
      timeoutSec: 1,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
    });
    const groups = rec.ofType(T.group);
    expect(groups.map((g) => g.inputs.zone).sort()).toEqual([...ZONES].sort());
    expect(groups.every((g) => (g.inputs.instances as string[]).length === 1)).toBe(true);
    const backend = rec.get(T.regionBackend, "main-primary").inputs;
    expect(backend).toMatchObject({ protocol: "TCP", loadBalancingScheme: "INTERNAL", healthChecks: "main-primary-hc-id" });
    expect((backend.backends as { balancingMode: string }[]).map((b) => b.balancingMode)).toEqual([
      "CONNECTION",
      "CONNECTION",
      "CONNECTION",
    ]);
    const rule = rec.get(T.rule, "main-primary").inputs;
    expect(rule).toMatchObject({
      loadBalancingScheme: "INTERNAL",
      ipProtocol: "TCP",
      ports: ["5432"],
      ipAddress: "10.10.1.45",
      allowGlobalAccess: true,
      backendService: "main-primary-id",
    });
    expect(await valueOf(s.lb.address)).toBe("10.10.1.45");
  });

  it("opens SSH only from the admin CIDRs and, when asked, IAP's TCP-forwarding range", async () => {
    const p = new GcpPlatform({ project: "proj" });
    const parent = rec.parent("ssh");
    const network = { networkId: pulumi.output("n"), subnetIds: {}, subnets: [] };
    const ssh = (name: string, from: { cidrs?: string[]; iap?: boolean }) =>
      p.firewall(
        { name, network, targetTag: name, ingress: [{ name: "ssh", protocol: "tcp", ports: [22], from, description: "lib/ops" }] },
        parent,
      );
    ssh("iap-only", { iap: true });
    ssh("admins", { cidrs: ["198.51.100.0/24"] });
    ssh("both", { cidrs: ["198.51.100.0/24"], iap: true });
    await rec.settled();
    expect(rec.get(T.firewall, "iap-only-ssh").inputs).toMatchObject({
      sourceRanges: ["35.235.240.0/20"],
      allows: [{ protocol: "tcp", ports: ["22"] }],
    });
    expect(rec.get(T.firewall, "admins-ssh").inputs.sourceRanges).toEqual(["198.51.100.0/24"]);
    expect(rec.get(T.firewall, "both-ssh").inputs.sourceRanges).toEqual(["198.51.100.0/24", "35.235.240.0/20"]);
  });

  it("opens port 22 nowhere unless a rule asks for it, and lets the IAP range in nowhere else", async () => {
    await build();
    for (const fw of rec.ofType(T.firewall)) {
      const ports = (fw.inputs.allows as { ports: string[] }[]).flatMap((a) => a.ports);
      expect(ports, fw.name).not.toContain("22");
      expect((fw.inputs.sourceRanges as string[] | undefined) ?? [], fw.name).not.toContain("35.235.240.0/20");
    }
  });

  it("builds Cloud NAT for the VM subnets of each region when egress is nat", async () => {
    await build({
      subnets: [
        { name: "east", region: "europe-west1", cidr: "10.10.1.0/24" },
        { name: "west", region: "europe-west4", cidr: "10.11.1.0/24" },
      ],
      proxyOnlySubnets: [{ region: "europe-west1", cidr: "10.10.64.0/23" }],
    });
    expect(
      rec
        .ofType(T.router)
        .map((r) => r.inputs.region)
        .sort(),
    ).toEqual(["europe-west1", "europe-west4"]);
    expect(rec.get(T.nat, "net-europe-west1-nat").inputs).toMatchObject({
      region: "europe-west1",
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      // The proxy-only subnet is not a VM subnet: it is not NATed.
      subnetworks: [{ name: "net-east-id", sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
    });
    expect(rec.get(T.nat, "net-europe-west4-nat").inputs.subnetworks).toEqual([
      { name: "net-west-id", sourceIpRangesToNats: ["ALL_IP_RANGES"] },
    ]);
  });

  it("builds no router and no NAT when the network already provides egress", async () => {
    await build({ egress: "provided" });
    expect(rec.ofType(T.router)).toEqual([]);
    expect(rec.ofType(T.nat)).toEqual([]);
    expect(rec.ofType(T.subnetwork)).toHaveLength(1);
  });

  it("creates one GLOBAL_MANAGED_PROXY subnet per requested region and refuses two in one region", async () => {
    await build({
      proxyOnlySubnets: [
        { region: "europe-west1", cidr: "10.10.64.0/23" },
        { region: "europe-west4", cidr: "10.11.64.0/23" },
      ],
    });
    const proxyOnly = rec.ofType(T.subnetwork).filter((s) => s.inputs.purpose === "GLOBAL_MANAGED_PROXY");
    expect(proxyOnly.map((s) => [s.name, s.inputs.region, s.inputs.ipCidrRange, s.inputs.role])).toEqual([
      ["net-europe-west1-proxy-only", "europe-west1", "10.10.64.0/23", "ACTIVE"],
      ["net-europe-west4-proxy-only", "europe-west4", "10.11.64.0/23", "ACTIVE"],
    ]);
    // GCP refuses Private Google Access on a proxy-only subnet.
    for (const s of proxyOnly) expect(s.inputs.privateIpGoogleAccess).toBeUndefined();
    const p = new GcpPlatform();
    const twice = [
      { region: "europe-west1", cidr: "10.10.64.0/23" },
      { region: "europe-west1", cidr: "10.10.66.0/23" },
    ];
    expect(() => p.network({ name: "dup", subnets: INPUT.subnets, egress: "nat", proxyOnlySubnets: twice }, rec.parent("dup"))).toThrow(
      /two proxy-only subnets in region europe-west1/,
    );
  });

  it("creates a uniform, private, unversioned bucket that expires old objects and grants nobody anything", async () => {
    const p = new GcpPlatform({ project: "proj" });
    const parent = rec.parent("bucket");
    const bucket = p.bucket({ name: "solo-backups", region: "europe-west1", expireDays: 30 }, parent);
    p.serviceAccount("solo-vms", parent);
    await rec.settled();
    expect(rec.get(T.bucket, "solo-backups").inputs).toMatchObject({
      location: "EUROPE-WEST1",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: false },
      forceDestroy: false,
      lifecycleRules: [{ action: { type: "Delete" }, condition: { age: 30 } }],
    });
    expect(rec.ofType(T.bucketIam)).toEqual([]);
    expect(bucket.name).toBe("solo-backups");
    expect(bucket.resource).toBeInstanceOf(pulumi.CustomResource);
    expect(await valueOf(bucket.bucket)).toBe("solo-backups-1a2b3c4");
  });

  it("grants objectUser for readWrite and objectViewer for read, on that bucket only, and no key", async () => {
    const p = new GcpPlatform({ project: "proj" });
    const parent = rec.parent("grants");
    const own = p.bucket({ name: "dr-backups", region: "europe-west4", expireDays: 0 }, parent);
    const source = p.bucket({ name: "main-backups", bucketName: "shop-main-backups", region: "europe-west1", expireDays: 0 }, parent);
    const account = p.serviceAccount("dr-vms", parent);
    const rw = p.grantBucket({ name: "dr-own", bucket: own, account, access: "readWrite" }, parent);
    const ro = p.grantBucket({ name: "dr-source", bucket: source, account, access: "read" }, parent);
    await rec.settled();
    expect(rec.get(T.bucketIam, "dr-own-writer").inputs).toEqual({
      bucket: "dr-backups-1a2b3c4",
      role: "roles/storage.objectUser",
      member: "serviceAccount:dr-vms@test.iam.gserviceaccount.com",
    });
    expect(rec.get(T.bucketIam, "dr-source-reader").inputs).toEqual({
      bucket: "shop-main-backups",
      role: "roles/storage.objectViewer",
      member: "serviceAccount:dr-vms@test.iam.gserviceaccount.com",
    });
    expect(rec.optionsOf(T.bucketIam, "dr-source-reader").dependsOn).toEqual([source.resource]);
    expect(rw).toEqual({});
    expect(ro).toEqual({});
    expect(account.name).toBe("dr-vms");
  });

  it("creates IAM on buckets only: no project-level role, no admin role", async () => {
    const s = await build();
    const iam = rec.resources.filter((r) => /iam/i.test(r.type) && r.type !== T.account);
    expect(iam.map((r) => r.type)).toEqual([T.bucketIam]);
    expect(rec.resources.some((r) => /projectIam|organizationIam|folderIam/i.test(r.type))).toBe(false);
    expect(iam.every((r) => !/admin|owner|editor/i.test(String(r.inputs.role)))).toBe(true);
    expect(s.bucketCredentials).toEqual({});
  });
});
