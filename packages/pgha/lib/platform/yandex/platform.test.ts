import { undeclaredKeys, yandexSchema } from "../../../../../test/support/yandexSchema";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dataDiskDevice } from "../index";
import type { LoadBalancerArgs } from "../types";
import { buildScenario, installMocks, type MockRecorder, type Scenario, type ScenarioInput, valueOf } from "../testing";
import { aclGrants } from "./bucketAcl";
import { YandexPlatform, type YandexSettings } from "./platform";

const T = {
  network: "yandex:index/vpcNetwork:VpcNetwork",
  subnet: "yandex:index/vpcSubnet:VpcSubnet",
  sg: "yandex:index/vpcSecurityGroup:VpcSecurityGroup",
  sa: "yandex:index/iamServiceAccount:IamServiceAccount",
  pg: "yandex:index/computePlacementGroup:ComputePlacementGroup",
  disk: "yandex:index/computeDisk:ComputeDisk",
  instance: "yandex:index/computeInstance:ComputeInstance",
  tg: "yandex:index/lbTargetGroup:LbTargetGroup",
  nlb: "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer",
  folderIam: "yandex:index/resourcemanagerFolderIamMember:ResourcemanagerFolderIamMember",
  gateway: "yandex:index/vpcGateway:VpcGateway",
  routeTable: "yandex:index/vpcRouteTable:VpcRouteTable",
  key: "yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey",
  bucket: "yandex:index/storageBucket:StorageBucket",
} as const;

const SETTINGS: YandexSettings = { folderId: "b1gfolder", imageId: "fd8ubuntu2204" };
const ZONES: ScenarioInput["zones"] = ["ru-central1-a", "ru-central1-b", "ru-central1-d"];
const INPUT: ScenarioInput = {
  region: "ru-central1",
  zones: ZONES,
  subnets: [
    { name: "east-a", region: "ru-central1", zone: "ru-central1-a", cidr: "10.20.1.0/24" },
    { name: "east-b", region: "ru-central1", zone: "ru-central1-b", cidr: "10.20.2.0/24" },
    { name: "east-d", region: "ru-central1", zone: "ru-central1-d", cidr: "10.20.3.0/24" },
  ],
  clientCidrs: ["192.168.0.0/16"],
  lbAddress: "10.20.1.45",
};
const SUBNET_IDS = ["net-east-a-id", "net-east-b-id", "net-east-d-id"];

const schema = yandexSchema;

// ------------------------------------------------------------------ tests
let rec: MockRecorder;
beforeAll(() => {
  rec = installMocks();
});
// Let registrations of the previous test (some end in an expected throw) land before forgetting them.
beforeEach(async () => {
  await rec.settled();
  rec.reset();
});

async function build(overrides: Partial<ScenarioInput> = {}): Promise<Scenario> {
  const s = buildScenario(new YandexPlatform(SETTINGS), rec.parent(), { ...INPUT, ...overrides });
  await rec.settled();
  return s;
}

describe("YandexPlatform under mocks", () => {
  it("creates the expected resource graph for a small cluster", async () => {
    await build();
    expect(rec.countsByType()).toEqual({
      "pgha:test:Parent": 1,
      [T.network]: 1,
      [T.gateway]: 1,
      [T.routeTable]: 1,
      [T.subnet]: 3,
      [T.sg]: 1,
      // the VMs' identity, which also owns the S3 key: no account of its own for the bucket
      [T.sa]: 1,
      [T.pg]: 1,
      [T.disk]: 3,
      [T.instance]: 3,
      [T.tg]: 1,
      [T.nlb]: 1,
      [T.key]: 1,
      [T.bucket]: 1,
    });
    for (const [i, zone] of ZONES.entries()) {
      expect(rec.get(T.subnet, `net-${INPUT.subnets[i].name}`).inputs).toMatchObject({
        networkId: "net-id",
        zone,
        v4CidrBlocks: [INPUT.subnets[i].cidr],
        folderId: "b1gfolder",
      });
    }
  });

  it("gives every subnet a default route through one NAT gateway (VMs have no public address)", async () => {
    await build();
    expect(rec.get(T.gateway, "net-egress").inputs).toEqual({
      name: "net-egress",
      folderId: "b1gfolder",
      description: expect.stringContaining("NAT"),
      sharedEgressGateway: {},
    });
    expect(rec.get(T.routeTable, "net-egress").inputs).toEqual({
      name: "net-egress",
      folderId: "b1gfolder",
      networkId: "net-id",
      description: expect.any(String),
      staticRoutes: [{ destinationPrefix: "0.0.0.0/0", gatewayId: "net-egress-id" }],
    });
    for (const subnet of INPUT.subnets) expect(rec.get(T.subnet, `net-${subnet.name}`).inputs.routeTableId).toBe("net-egress-id");
    for (let i = 0; i < 3; i++) {
      const nics = rec.get(T.instance, `main-patroni-${i}`).inputs.networkInterfaces as Record<string, unknown>[];
      expect(nics.map((n) => n.nat)).toEqual([false]);
    }
  });

  it("builds no gateway or route table where the network already provides egress", async () => {
    await build({ egress: "provided" });
    expect(rec.ofType(T.gateway)).toEqual([]);
    expect(rec.ofType(T.routeTable)).toEqual([]);
    for (const subnet of INPUT.subnets) expect(rec.get(T.subnet, `net-${subnet.name}`).inputs).not.toHaveProperty("routeTableId");
  });

  it("passes only input properties the provider schema declares (recursively)", async () => {
    await build();
    const yandexResources = rec.resources.filter((r) => r.type.startsWith("yandex:"));
    expect(yandexResources.length).toBe(19);
    for (const r of yandexResources) {
      const spec = schema.resources[r.type];
      expect(spec, `${r.type} is not in the schema`).toBeDefined();
      expect(undeclaredKeys(r.inputs, spec.inputProperties, `${r.type}(${r.name})`)).toEqual([]);
    }
    // The check itself catches a misspelt nested name.
    const instance = schema.resources[T.instance].inputProperties;
    expect(undeclaredKeys({ networkInterfaces: [{ subnetID: "x" }] }, instance, "vm")).toEqual(["vm.networkInterfaces[0].subnetID"]);
  });

  it("gives VMs their planned IP without NAT, exact user-data, a spread placement group and a separate data disk", async () => {
    const s = await build();
    for (let i = 0; i < 3; i++) {
      const name = `main-patroni-${i}`;
      const vm = rec.get(T.instance, name).inputs;
      expect(vm).toMatchObject({
        name,
        hostname: name,
        zone: ZONES[i],
        platformId: "standard-v3",
        resources: { cores: 2, memory: 8, coreFraction: 100 },
        bootDisk: { initializeParams: { imageId: "fd8ubuntu2204", size: 20 } },
        networkInterfaces: [
          { subnetId: SUBNET_IDS[i], ipAddress: `10.20.${i + 1}.${32 + i}`, nat: false, securityGroupIds: ["main-patroni-id"] },
        ],
        secondaryDisks: [{ diskId: `${name}-data-id`, deviceName: "data", autoDelete: false }],
        placementPolicy: { placementGroupId: "main-spread-id" },
        serviceAccountId: "main-vms-id",
        allowStoppingForUpdate: true,
      });
      expect(vm.metadata).toEqual({ "user-data": s.userData[i] });
      expect(rec.get(T.disk, `${name}-data`).inputs).toMatchObject({ zone: ZONES[i], size: 100, type: "network-ssd" });
    }
    expect(dataDiskDevice("yandex")).toBe("/dev/disk/by-id/virtio-data");
  });

  it("protects data disks and the bucket, ignores user-data, and protects VMs in place of deletion protection", async () => {
    await build();
    for (let i = 0; i < 3; i++) {
      expect(rec.optionsOf(T.disk, `main-patroni-${i}-data`)).toMatchObject({ protect: true, retainOnDelete: true });
      expect(rec.optionsOf(T.instance, `main-patroni-${i}`)).toMatchObject({
        ignoreChanges: ['metadata["user-data"]'],
        deleteBeforeReplace: true,
        protect: true,
      });
    }
    const bucketOpts = rec.optionsOf(T.bucket, "main-backups");
    expect(bucketOpts).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("builds security-group rules: cluster ports from own subnets and the group, health checkers only on health ports", async () => {
    await build();
    const sg = rec.get(T.sg, "main-patroni").inputs;
    const ingresses = sg.ingresses as Record<string, unknown>[];
    const cidrs = INPUT.subnets.map((s) => s.cidr);
    expect(ingresses).toEqual([
      { protocol: "TCP", port: 5432, v4CidrBlocks: cidrs },
      { protocol: "TCP", port: 8008, v4CidrBlocks: cidrs },
      { protocol: "TCP", port: 5432, predefinedTarget: "self_security_group" },
      { protocol: "TCP", port: 8008, predefinedTarget: "self_security_group" },
      { protocol: "TCP", port: 5432, v4CidrBlocks: ["192.168.0.0/16"] },
      { protocol: "TCP", port: 6432, v4CidrBlocks: ["192.168.0.0/16"] },
      { protocol: "TCP", port: 7001, predefinedTarget: "loadbalancer_healthchecks" },
      { protocol: "TCP", port: 8008, predefinedTarget: "loadbalancer_healthchecks" },
    ]);
    expect(sg.egresses).toEqual([{ protocol: "ANY", v4CidrBlocks: ["0.0.0.0/0"] }]);
  });

  it("builds an internal NLB with a target group and an HTTP health check on Patroni", async () => {
    const s = await build();
    expect(rec.get(T.tg, "main-primary").inputs).toMatchObject({
      regionId: "ru-central1",
      targets: [
        { subnetId: SUBNET_IDS[0], address: "10.20.1.32" },
        { subnetId: SUBNET_IDS[1], address: "10.20.2.33" },
        { subnetId: SUBNET_IDS[2], address: "10.20.3.34" },
      ],
    });
    expect(rec.get(T.nlb, "main-primary").inputs).toEqual({
      name: "main-primary",
      folderId: "b1gfolder",
      regionId: "ru-central1",
      type: "internal",
      listeners: [
        {
          name: "postgres",
          port: 5432,
          targetPort: 5432,
          protocol: "tcp",
          internalAddressSpec: { subnetId: SUBNET_IDS[0], address: "10.20.1.45", ipVersion: "ipv4" },
        },
      ],
      attachedTargetGroups: [
        {
          targetGroupId: "main-primary-id",
          healthchecks: [
            {
              name: "main-primary-hc",
              interval: 2,
              timeout: 1,
              healthyThreshold: 2,
              unhealthyThreshold: 2,
              httpOptions: { port: 8008, path: "/primary" },
            },
          ],
        },
      ],
    });
    expect(await valueOf(s.lb.address)).toBe("10.20.1.45");
  });

  it("gives a public NLB an external listener address, and refuses one without sourceRanges", async () => {
    // The component passes its planned private address for every LB; a public listener ignores it.
    const s = await build({ lbExposure: "public", lbAddress: "10.20.1.45" });
    const nlb = rec.get(T.nlb, "main-primary").inputs;
    expect(nlb.type).toBe("external");
    const listener = (nlb.listeners as Record<string, unknown>[])[0];
    expect(listener.externalAddressSpec).toEqual({ ipVersion: "ipv4" });
    expect(listener.internalAddressSpec).toBeUndefined();
    expect(await valueOf(s.lb.address)).toBe("203.0.113.8");
    const open: LoadBalancerArgs = {
      name: "open",
      scope: "regional",
      region: "ru-central1",
      exposure: "public",
      network: s.network,
      listeners: [{ name: "pg", port: 5432, targetPort: 5432 }],
      targets: s.vms,
      healthCheck: { protocol: "tcp", port: 5432, intervalS: 2, timeoutS: 1, healthyThreshold: 2, unhealthyThreshold: 2 },
      sourceRanges: [],
    };
    expect(() => new YandexPlatform(SETTINGS).loadBalancer(open, rec.parent("open"))).toThrow(/public load balancer needs sourceRanges/);
  });

  it("rejects a global load balancer and HTTPS health checks with clear errors", () => {
    const p = new YandexPlatform(SETTINGS);
    expect(() => buildScenario(p, rec.parent("global"), { ...INPUT, lbScope: "global" })).toThrow(
      /Yandex Network Load Balancer is regional; scope "global" is not available/,
    );
    const network = { networkId: pulumi.output("n"), subnetIds: { a: pulumi.output("s") }, subnets: [] };
    expect(() =>
      p.loadBalancer(
        {
          name: "lb",
          scope: "regional",
          region: "ru-central1",
          exposure: "internal",
          network,
          listeners: [{ name: "pg", port: 5432, targetPort: 5432 }],
          targets: [],
          healthCheck: {
            protocol: "https",
            port: 8008,
            path: "/primary",
            intervalS: 2,
            timeoutS: 1,
            healthyThreshold: 2,
            unhealthyThreshold: 2,
          },
          sourceRanges: [],
        },
        rec.parent("https"),
      ),
    ).toThrow(/HTTP or TCP, not HTTPS/);
  });

  it("creates a private bucket with the deployer's token, and grants the cluster's account read/write on it alone", async () => {
    const s = await build();
    const bucket = rec.get(T.bucket, "main-backups").inputs;
    expect(bucket).toEqual({
      bucketPrefix: "main-backups-",
      folderId: "b1gfolder",
      grants: [{ type: "CanonicalUser", id: "main-vms-id", permissions: ["READ", "WRITE"] }],
      forceDestroy: false,
      versioning: { enabled: false },
      lifecycleRules: [{ id: "expire-old-objects", enabled: true, expiration: { days: 30 } }],
    });
    // Nothing folder-wide: the account has no role, only the bucket's ACL names it.
    expect(rec.ofType(T.folderIam)).toEqual([]);
    expect(rec.get(T.key, "main-vms-key").inputs).toEqual({ serviceAccountId: "main-vms-id" });
    const creds = s.bucketCredentials;
    if (!creds.accessKeyId || !creds.secretAccessKey) throw new Error("missing credentials");
    expect(await pulumi.isSecret(creds.accessKeyId)).toBe(true);
    expect(await pulumi.isSecret(creds.secretAccessKey)).toBe(true);
    expect(await valueOf(creds.accessKeyId)).toBe("YCAJEtestaccesskey");
    expect(await valueOf(creds.secretAccessKey)).toBe("YCtest-secret-key-value");
    expect(await valueOf(s.bucket.bucket)).toBe("main-backups-1a2b3c4");
    expect(s.bucket.resource).toBeInstanceOf(pulumi.CustomResource);
  });

  it("collects grants from later clusters: a standby's account reads the source's bucket, one key per account", async () => {
    const p = new YandexPlatform(SETTINGS);
    const parent = rec.parent("dr");
    const bucket = p.bucket({ name: "east-backups", bucketName: "east-backups", region: "ru-central1", expireDays: 0 }, parent);
    const east = p.serviceAccount("east-backup", parent);
    const west = p.serviceAccount("west-backup", parent);
    const westBucket = p.bucket({ name: "west-backups", bucketName: "west-backups", region: "ru-central1", expireDays: 0 }, parent);
    const own = p.grantBucket({ name: "east-backups", bucket, account: east, access: "readWrite" }, parent);
    const westOwn = p.grantBucket({ name: "west-backups", bucket: westBucket, account: west, access: "readWrite" }, parent);
    const source = p.grantBucket({ name: "west-source-backups", bucket, account: west, access: "read" }, parent);
    await rec.settled();
    expect(rec.get(T.bucket, "east-backups").inputs.grants).toEqual([
      { type: "CanonicalUser", id: "east-backup-id", permissions: ["READ", "WRITE"] },
      { type: "CanonicalUser", id: "west-backup-id", permissions: ["READ"] },
    ]);
    expect(rec.get(T.bucket, "west-backups").inputs.grants).toEqual([
      { type: "CanonicalUser", id: "west-backup-id", permissions: ["READ", "WRITE"] },
    ]);
    expect(rec.get(T.bucket, "east-backups").inputs).not.toHaveProperty("lifecycleRules");
    // west's two grants share its one key
    expect(
      rec
        .ofType(T.key)
        .map((k) => k.name)
        .sort(),
    ).toEqual(["east-backup-key", "west-backup-key"]);
    expect(source.accessKeyId).toBeDefined();
    expect(await valueOf(source.secretAccessKey as pulumi.Output<string>)).toBe(
      await valueOf(westOwn.secretAccessKey as pulumi.Output<string>),
    );
    expect(own.accessKeyId).toBeDefined();
    // The ACL is settled once construction is over: a late grant is an error, not a silent omission.
    expect(() => p.grantBucket({ name: "late", bucket, account: west, access: "read" }, parent)).toThrow(
      /grant late on bucket east-backups comes after the bucket's ACL was settled/,
    );
    expect(() => p.grantBucket({ name: "stray", bucket: { ...bucket, name: "other" }, account: west, access: "read" }, parent)).toThrow(
      /bucket other was not created by this platform/,
    );
  });

  it("merges an account's grants on one bucket into one ACL entry in a stable order", () => {
    expect(
      aclGrants([
        { id: "b", access: "read" },
        { id: "a", access: "read" },
        { id: "b", access: "readWrite" },
        { id: "a", access: "read" },
      ]),
    ).toEqual([
      { type: "CanonicalUser", id: "a", permissions: ["READ"] },
      { type: "CanonicalUser", id: "b", permissions: ["READ", "WRITE"] },
    ]);
    expect(aclGrants([])).toEqual([]);
  });

  it("refuses Identity-Aware Proxy as an SSH source (a Google Cloud service)", () => {
    const p = new YandexPlatform(SETTINGS);
    const network = p.network({ name: "iapnet", subnets: [INPUT.subnets[0]], egress: "provided", proxyOnlySubnets: [] }, rec.parent("iap"));
    expect(() =>
      p.firewall(
        {
          name: "ssh",
          network,
          targetTag: "ssh",
          ingress: [{ name: "ssh", protocol: "tcp", ports: [22], from: { iap: true }, description: "ops" }],
        },
        rec.parent("iap-fw"),
      ),
    ).toThrow(/Identity-Aware Proxy, a Google Cloud service/);
  });

  it("explains missing settings: boot image, subnet zone, zone mismatch", () => {
    expect(() => buildScenario(new YandexPlatform({ folderId: "f" }), rec.parent("noimage"), INPUT)).toThrow(
      /pgha:cloud\.imageIds\.ubuntu-22\.04: is required on yandex .*family ubuntu-2204-lts/,
    );
    expect(() =>
      new YandexPlatform(SETTINGS).network(
        { name: "n", subnets: [{ name: "s", region: "ru-central1", cidr: "10.0.0.0/24" }], egress: "nat", proxyOnlySubnets: [] },
        rec.parent("nozone"),
      ),
    ).toThrow(/subnet s needs a zone/);
    expect(() =>
      new YandexPlatform(SETTINGS).network(
        { name: "n", subnets: [INPUT.subnets[0]], egress: "nat", proxyOnlySubnets: [{ region: "ru-central1", cidr: "10.129.0.0/23" }] },
        rec.parent("proxyonly"),
      ),
    ).toThrow(/proxy-only subnets are a GCP load-balancer feature/);
    const shuffled: ScenarioInput = { ...INPUT, zones: ["ru-central1-b", "ru-central1-a", "ru-central1-d"], subnets: [INPUT.subnets[0]] };
    expect(() => buildScenario(new YandexPlatform(SETTINGS), rec.parent("mismatch"), shuffled)).toThrow(
      /is in zone ru-central1-b but subnet east-a is in ru-central1-a/,
    );
  });
});
