import { undeclaredKeys, yandexSchema } from "../../../test/support/yandexSchema";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dataDiskDevice } from "../index";
import { buildScenario, installMocks, type MockRecorder, type Scenario, type ScenarioInput, valueOf } from "../testing";
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
      [T.subnet]: 3,
      [T.sg]: 1,
      // the VMs' identity and the bucket's key owner
      [T.sa]: 2,
      [T.pg]: 1,
      [T.disk]: 3,
      [T.instance]: 3,
      [T.tg]: 1,
      [T.nlb]: 1,
      [T.folderIam]: 1,
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
        networkInterfaces: [{ subnetId: SUBNET_IDS[i], ipAddress: `10.20.${i + 1}.${32 + i}`, nat: false, securityGroupIds: ["main-patroni-id"] }],
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
    expect(bucketOpts.dependsOn).toHaveLength(1);
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

  it("gives an external NLB a public listener address", async () => {
    const s = await build({ lbInternal: false, lbAddress: undefined });
    const listener = (rec.get(T.nlb, "main-primary").inputs.listeners as Record<string, unknown>[])[0];
    expect(listener.externalAddressSpec).toEqual({ ipVersion: "ipv4" });
    expect(listener.internalAddressSpec).toBeUndefined();
    expect(await valueOf(s.lb.address)).toBe("203.0.113.8");
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
          internal: true,
          network,
          listeners: [{ name: "pg", port: 5432, targetPort: 5432 }],
          targets: [],
          healthCheck: { protocol: "https", port: 8008, path: "/primary", intervalS: 2, timeoutS: 1, healthyThreshold: 2, unhealthyThreshold: 2 },
          sourceRanges: [],
        },
        rec.parent("https"),
      ),
    ).toThrow(/HTTP or TCP, not HTTPS/);
  });

  it("creates the bucket with a static key of a storage.editor account and returns the key as secrets", async () => {
    const s = await build();
    expect(rec.get(T.folderIam, "main-backups-sa-storage-editor").inputs).toEqual({
      folderId: "b1gfolder",
      role: "storage.editor",
      member: "serviceAccount:main-backups-sa-id",
    });
    expect(rec.get(T.key, "main-backups-key").inputs).toEqual({ serviceAccountId: "main-backups-sa-id" });
    expect(rec.get(T.bucket, "main-backups").inputs).toMatchObject({
      bucketPrefix: "main-backups-",
      accessKey: "YCAJEtestaccesskey",
      // The key's secret stays a secret on its way into the bucket's inputs.
      secretKey: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "YCtest-secret-key-value" },
      forceDestroy: false,
      versioning: { enabled: false },
      lifecycleRules: [{ id: "expire-old-objects", enabled: true, expiration: { days: 30 } }],
    });
    if (!s.bucket.accessKeyId || !s.bucket.secretAccessKey || !s.bucket.vmServiceAccount) throw new Error("missing credentials");
    expect(await pulumi.isSecret(s.bucket.accessKeyId)).toBe(true);
    expect(await pulumi.isSecret(s.bucket.secretAccessKey)).toBe(true);
    expect(await valueOf(s.bucket.secretAccessKey)).toBe("YCtest-secret-key-value");
    expect(await valueOf(s.bucket.bucket)).toBe("main-backups-1a2b3c4");
    expect(await valueOf(s.bucket.vmServiceAccount)).toBe("main-backups-sa-id");
  });

  it("explains missing settings: boot image, subnet zone, zone mismatch", () => {
    expect(() => buildScenario(new YandexPlatform({ folderId: "f" }), rec.parent("noimage"), INPUT)).toThrow(
      /no boot image for ubuntu-22.04.*family ubuntu-2204-lts/,
    );
    expect(() =>
      new YandexPlatform(SETTINGS).network({ name: "n", subnets: [{ name: "s", region: "ru-central1", cidr: "10.0.0.0/24" }] }, rec.parent("nozone")),
    ).toThrow(/subnet s needs a zone/);
    const shuffled: ScenarioInput = { ...INPUT, zones: ["ru-central1-b", "ru-central1-a", "ru-central1-d"], subnets: [INPUT.subnets[0]] };
    expect(() => buildScenario(new YandexPlatform(SETTINGS), rec.parent("mismatch"), shuffled)).toThrow(
      /is in zone ru-central1-b but subnet east-a is in ru-central1-a/,
    );
  });
});
