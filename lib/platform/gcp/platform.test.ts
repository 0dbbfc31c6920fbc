import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dataDiskDevice } from "../index";
import { buildScenario, installMocks, type MockRecorder, type Scenario, SCENARIO_PORTS, valueOf } from "../testing";
import { GcpPlatform } from "./platform";

const T = {
  network: "gcp:compute/network:Network",
  subnetwork: "gcp:compute/subnetwork:Subnetwork",
  router: "gcp:compute/router:Router",
  nat: "gcp:compute/routerNat:RouterNat",
  firewall: "gcp:compute/firewall:Firewall",
  address: "gcp:compute/address:Address",
  disk: "gcp:compute/disk:Disk",
  instance: "gcp:compute/instance:Instance",
  regionHc: "gcp:compute/regionHealthCheck:RegionHealthCheck",
  hc: "gcp:compute/healthCheck:HealthCheck",
  group: "gcp:compute/instanceGroup:InstanceGroup",
  regionBackend: "gcp:compute/regionBackendService:RegionBackendService",
  backend: "gcp:compute/backendService:BackendService",
  rule: "gcp:compute/forwardingRule:ForwardingRule",
  globalRule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  proxy: "gcp:compute/targetTCPProxy:TargetTCPProxy",
  globalAddress: "gcp:compute/globalAddress:GlobalAddress",
  bucket: "gcp:storage/bucket:Bucket",
  bucketIam: "gcp:storage/bucketIAMMember:BucketIAMMember",
  account: "gcp:serviceaccount/account:Account",
} as const;

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
    expect((backend.backends as { balancingMode: string }[]).map((b) => b.balancingMode)).toEqual(["CONNECTION", "CONNECTION", "CONNECTION"]);
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

  it("builds a global external proxy NLB: one backend service, proxy and rule per listener on one address", async () => {
    const platform = new GcpPlatform();
    const parent = rec.parent("global");
    const s = buildScenario(platform, parent, { ...INPUT, lbScope: "global", lbInternal: false });
    await rec.settled();
    expect(rec.ofType(T.regionBackend)).toHaveLength(0);
    expect(rec.get(T.hc, "main-primary-hc").inputs).toMatchObject({ httpHealthCheck: { port: 8008, requestPath: "/primary" } });
    expect(rec.get(T.backend, "main-primary-postgres").inputs).toMatchObject({
      protocol: "TCP",
      loadBalancingScheme: "EXTERNAL_MANAGED",
      portName: "postgres",
      healthChecks: "main-primary-hc-id",
    });
    expect(rec.get(T.proxy, "main-primary-postgres").inputs).toMatchObject({ backendService: "main-primary-postgres-id" });
    expect(rec.get(T.globalRule, "main-primary-postgres").inputs).toMatchObject({
      loadBalancingScheme: "EXTERNAL_MANAGED",
      portRange: "5432",
      ipAddress: "203.0.113.7",
      target: "main-primary-postgres-id",
    });
    for (const g of rec.ofType(T.group)) expect(g.inputs.namedPorts).toEqual([{ name: "postgres", port: 5432 }]);
    // Proxies connect from Google's front ends: target and health ports open to those ranges only.
    expect(rec.get(T.firewall, "main-primary-proxies").inputs).toMatchObject({
      sourceRanges: HC_RANGES,
      targetTags: ["main-patroni"],
      allows: [{ protocol: "tcp", ports: ["5432", "8008"] }],
    });
    expect(await valueOf(s.lb.address)).toBe("203.0.113.7");
  });

  it("rejects load balancers GCP cannot build", () => {
    const platform = new GcpPlatform();
    const parent = rec.parent("bad");
    expect(() => buildScenario(platform, parent, { ...INPUT, lbScope: "global", lbInternal: true })).toThrow(
      /scope "global" is the external proxy load balancer/,
    );
  });

  it("grants each writer objectAdmin on a uniform, unversioned bucket that expires old objects", async () => {
    const s = await build();
    const bucket = rec.get(T.bucket, "main-backups").inputs;
    expect(bucket).toMatchObject({
      location: "EUROPE-WEST1",
      uniformBucketLevelAccess: true,
      versioning: { enabled: false },
      forceDestroy: false,
      lifecycleRules: [{ action: { type: "Delete" }, condition: { age: 30 } }],
    });
    expect(rec.get(T.bucketIam, "main-backups-writer-0").inputs).toMatchObject({
      role: "roles/storage.objectAdmin",
      member: "serviceAccount:main-vms@test.iam.gserviceaccount.com",
    });
    expect(s.bucket.accessKeyId).toBeUndefined();
    expect(s.bucket.secretAccessKey).toBeUndefined();
    expect(await valueOf(s.bucket.bucket)).toBe("main-backups-1a2b3c4");
  });
});
