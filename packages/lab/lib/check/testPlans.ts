/**
 * Small hand-built plans for the check's unit tests: one Yandex and one GCP stack, each with
 * an etcd member, two Patroni members (WAL-G backups, an ops user with an SSH key), an
 * HAProxy node behind an internal load balancer. References are written the way synth's
 * mocks record them (`<name>-id`, GCP names). Each test breaks one thing.
 */
import { stringify } from "yaml";
import type { PlanLoadBalancer } from "pgha/components/plan";
import type { Topology } from "pgha/config";
import type { SynthPlan, SynthPlanNode, SynthPlanResource } from "../synth/plan";
import type { CheckOptions } from "./context";

export const SUBNET = "10.0.1.0/24";
export const ACCESS_KEY = "YCAJEtestkey";

export function res(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  parent: { type: string; name: string } | null = null,
): SynthPlanResource {
  const chain = parent ? `${parent.type}$${type}` : type;
  return {
    type,
    name,
    parent: parent?.name ?? null,
    urn: `urn:pulumi:t::pgha::${chain}::${name}`,
    custom: !type.startsWith("pgha:index:"),
    inputs,
  };
}

function node(name: string, role: string, component: string, ip: string): SynthPlanNode {
  return {
    name,
    role,
    component,
    ip,
    region: "r1",
    zone: "r1-a",
    subnet: "a",
    gateway: "10.0.1.1",
    prefixLength: 24,
    userDataFile: `user-data/${name}.yaml`,
  } as SynthPlanNode;
}

export const NODES = {
  etcd: node("net-etcd-0", "etcd", "net", "10.0.1.10"),
  pg0: node("main-pg-0", "patroni", "main", "10.0.1.32"),
  pg1: node("main-pg-1", "patroni", "main", "10.0.1.33"),
  haproxy: node("main-haproxy-0", "haproxy", "main", "10.0.1.42"),
};

export interface Bucket {
  kind: "s3" | "gcs";
  name: string;
  /** Config file and the verbs run with it. */
  file?: string;
  verbs?: string[];
}

const WALG_URL = "https://github.com/wal-g/wal-g/releases/download/v3.0.8/wal-g-pg-22.04-amd64";

function file(path: string, content: string) {
  return { path, content };
}

export function patroniUserData(n: SynthPlanNode, buckets: Bucket[]): string {
  const patroni = {
    scope: "main",
    namespace: "/service/",
    restapi: { listen: `${n.ip}:8008` },
    etcd3: { hosts: [`${NODES.etcd.ip}:2379`] },
    postgresql: { listen: `${n.ip},127.0.0.1:5432` },
  };
  const configs = buckets.map((b) => {
    const path = b.file ?? "/etc/wal-g/walg.json";
    const cfg =
      b.kind === "s3"
        ? { WALG_S3_PREFIX: `s3://${b.name}/main`, AWS_ENDPOINT: "https://storage.yandexcloud.net", AWS_ACCESS_KEY_ID: ACCESS_KEY }
        : { WALG_GS_PREFIX: `gs://${b.name}/main` };
    return {
      file: file(path, JSON.stringify(cfg)),
      uses: (b.verbs ?? ["wal-push", "wal-fetch"]).map((v) => `/usr/local/bin/wal-g --config ${path} ${v}`),
    };
  });
  const script = ["#!/bin/sh", `curl -fsSL -o "$tmp" ${WALG_URL}`, ...configs.flatMap((c) => c.uses)].join("\n");
  return cloudConfig({
    packages: ["postgresql-17", "patroni"],
    users: ["default", { name: "pgha", ssh_authorized_keys: ["ssh-ed25519 AAAA ops"] }],
    write_files: [
      file("/etc/patroni/patroni.yml", stringify(patroni)),
      ...configs.map((c) => c.file),
      file("/usr/local/sbin/pgha-first-boot", script),
    ],
  });
}

function etcdUserData(): string {
  const cfg = { "listen-client-urls": `https://${NODES.etcd.ip}:2379`, "initial-cluster": `net-etcd-0=https://${NODES.etcd.ip}:2380` };
  return cloudConfig({ packages: ["etcd-server"], write_files: [file("/etc/etcd/etcd.conf.yml", stringify(cfg))] });
}

function haproxyUserData(): string {
  const servers = [NODES.pg0, NODES.pg1].map((p) => `    server ${p.name} ${p.ip}:6432 check port 8008`).join("\n");
  return cloudConfig({
    packages: ["haproxy"],
    write_files: [file("/etc/haproxy/haproxy.cfg", `listen primary\n    bind *:5000\n${servers}\n`)],
  });
}

function cloudConfig(doc: Record<string, unknown>): string {
  return `#cloud-config\n${stringify(doc)}`;
}

export const LB: PlanLoadBalancer = {
  name: "main",
  kind: "cloud",
  scope: "regional",
  region: "r1",
  address: "10.0.1.45",
  listeners: [
    { name: "primary", port: 5000, targetPort: 5000 },
    { name: "direct", port: 5005, targetPort: 5005 },
  ],
  targets: [{ name: NODES.haproxy.name, ip: NODES.haproxy.ip }],
  healthCheck: { port: 7001, protocol: "http", path: "/health", intervalS: 2, timeoutS: 1, healthyThreshold: 2, unhealthyThreshold: 2 },
};

export interface Fixture {
  plan: SynthPlan;
  userData: Map<string, string>;
  options: CheckOptions;
}

/** A topology with just the fields the check reads. */
export function topology(platform: Record<string, unknown> = {}, loadBalancer: Record<string, unknown> = {}): Topology {
  return {
    platform: { adminCidrs: ["192.0.2.0/24"], iap: false, egress: "nat", sshKeys: ["ssh-ed25519 AAAA ops"], clientCidrs: [], ...platform },
    clusters: [
      {
        name: "main",
        loadBalancer: { enabled: true, scope: "regional", exposure: "internal", sourceRanges: [], publicDirect: false, ...loadBalancer },
      },
    ],
  } as unknown as Topology;
}

function userDataFor(buckets: Bucket[]): Map<string, string> {
  return new Map([
    [NODES.etcd.name, etcdUserData()],
    [NODES.pg0.name, patroniUserData(NODES.pg0, buckets)],
    [NODES.pg1.name, patroniUserData(NODES.pg1, buckets)],
    [NODES.haproxy.name, haproxyUserData()],
  ]);
}

const Y = {
  vm: "yandex:index/computeInstance:ComputeInstance",
  sg: "yandex:index/vpcSecurityGroup:VpcSecurityGroup",
};

/** A Yandex plan in which every need is met. */
export function yandexFixture(): Fixture {
  const ingress = (port: number, extra: Record<string, unknown> = { v4CidrBlocks: [SUBNET] }) => ({ protocol: "TCP", port, ...extra });
  const egress = [{ protocol: "ANY", v4CidrBlocks: ["0.0.0.0/0"] }];
  const vm = (n: SynthPlanNode, sg: string, account?: string) =>
    res(Y.vm, n.name, {
      name: n.name,
      networkInterfaces: [{ ipAddress: n.ip, nat: false, subnetId: "net-a-id", securityGroupIds: [`${sg}-id`] }],
      ...(account ? { serviceAccountId: account } : {}),
    });
  const lbParent = { type: "pgha:index:TcpLoadBalancer", name: "main" };
  const resources = [
    res("yandex:index/vpcNetwork:VpcNetwork", "net", { name: "net" }),
    res("yandex:index/vpcSubnet:VpcSubnet", "net-a", { networkId: "net-id", routeTableId: "egress-id", v4CidrBlocks: [SUBNET] }),
    res("yandex:index/vpcRouteTable:VpcRouteTable", "egress", {
      networkId: "net-id",
      staticRoutes: [{ destinationPrefix: "0.0.0.0/0", gatewayId: "gw-id" }],
    }),
    res("yandex:index/vpcGateway:VpcGateway", "gw", { sharedEgressGateway: {} }),
    res(Y.sg, "net-etcd", {
      networkId: "net-id",
      ingresses: [{ protocol: "TCP", fromPort: 2379, toPort: 2380, v4CidrBlocks: [SUBNET] }],
      egresses: egress,
    }),
    res(Y.sg, "main-pg", {
      networkId: "net-id",
      ingresses: [ingress(5432), ingress(8008), ingress(6432), ingress(22, { v4CidrBlocks: ["192.0.2.0/24"] })],
      egresses: egress,
    }),
    res(Y.sg, "main-haproxy", {
      networkId: "net-id",
      ingresses: [ingress(5000), ingress(5005), ingress(7001, { predefinedTarget: "loadbalancer_healthchecks" })],
      egresses: egress,
    }),
    vm(NODES.etcd, "net-etcd"),
    vm(NODES.pg0, "main-pg", "main-backup-id"),
    vm(NODES.pg1, "main-pg", "main-backup-id"),
    vm(NODES.haproxy, "main-haproxy"),
    res("yandex:index/iamServiceAccount:IamServiceAccount", "main-backup", { name: "main-backup" }),
    res("yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey", "main-backup-key", {
      serviceAccountId: "main-backup-id",
    }),
    res("yandex:index/storageBucket:StorageBucket", "main-backups", {
      bucket: "main-backups",
      grants: [{ id: "main-backup-id", permissions: ["READ", "WRITE"], type: "CanonicalUser" }],
    }),
    res("pgha:index:TcpLoadBalancer", "main", {}),
    res(
      "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer",
      "main",
      { type: "internal", listeners: [{ name: "primary", port: 5000, internalAddressSpec: { subnetId: "net-a-id" } }] },
      lbParent,
    ),
  ];
  return {
    plan: plan("yandex", resources),
    userData: userDataFor([{ kind: "s3", name: "main-backups" }]),
    options: { topology: topology(), staticKeyOwner: (id) => (id === ACCESS_KEY ? "main-backup-key" : undefined) },
  };
}

const G = {
  vm: "gcp:compute/instance:Instance",
  fw: "gcp:compute/firewall:Firewall",
};

export const SA_EMAIL = "main-backup@p.iam.gserviceaccount.com";
const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

/** A GCP plan in which every need is met: Cloud NAT, firewalls by tag, a service account with a bucket role, an internal passthrough LB. */
export function gcpFixture(): Fixture {
  const fw = (name: string, tag: string, ports: string[], sourceRanges: string[]) =>
    res(G.fw, name, { network: "net-id", direction: "INGRESS", allows: [{ protocol: "tcp", ports }], sourceRanges, targetTags: [tag] });
  const vm = (n: SynthPlanNode, tag: string, withAccount = false) =>
    res(G.vm, n.name, {
      name: n.name,
      tags: [tag],
      networkInterfaces: [{ networkIp: n.ip, subnetwork: "net-a-id" }],
      zone: "r1-a",
      ...(withAccount ? { serviceAccount: { email: SA_EMAIL, scopes: [CLOUD_PLATFORM] } } : {}),
    });
  const lbParent = { type: "pgha:index:TcpLoadBalancer", name: "main" };
  const resources = [
    res("gcp:compute/network:Network", "net", {}),
    res("gcp:compute/subnetwork:Subnetwork", "net-a", { network: "net-id", region: "r1", ipCidrRange: SUBNET }),
    res("gcp:compute/router:Router", "router", { network: "net-id", region: "r1" }),
    res("gcp:compute/routerNat:RouterNat", "nat", {
      router: "router",
      region: "r1",
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
    }),
    fw("net-etcd-internal", "net-etcd", ["2379", "2380"], [SUBNET]),
    fw("main-pg-internal", "main-pg", ["5432", "8008", "6432"], [SUBNET]),
    fw("main-pg-ssh", "main-pg", ["22"], ["192.0.2.0/24"]),
    fw("main-haproxy-clients", "main-haproxy", ["5000", "5005"], [SUBNET]),
    fw("main-haproxy-health", "main-haproxy", ["7001"], ["35.191.0.0/16", "130.211.0.0/22"]),
    vm(NODES.etcd, "net-etcd"),
    vm(NODES.pg0, "main-pg", true),
    vm(NODES.pg1, "main-pg", true),
    vm(NODES.haproxy, "main-haproxy"),
    res("gcp:serviceaccount/account:Account", "main-backup", { accountId: "main-backup" }),
    res("gcp:storage/bucket:Bucket", "main-backups", { name: "main-backups", uniformBucketLevelAccess: true }),
    res("gcp:storage/bucketIAMMember:BucketIAMMember", "main-backups-main-backup", {
      bucket: "main-backups",
      role: "roles/storage.objectUser",
      member: `serviceAccount:${SA_EMAIL}`,
    }),
    res("pgha:index:TcpLoadBalancer", "main", {}),
    res("gcp:compute/regionBackendService:RegionBackendService", "main", { loadBalancingScheme: "INTERNAL", region: "r1" }, lbParent),
    res(
      "gcp:compute/forwardingRule:ForwardingRule",
      "main",
      { loadBalancingScheme: "INTERNAL", ports: ["5000", "5005"], region: "r1" },
      lbParent,
    ),
  ];
  return {
    plan: plan("gcp", resources),
    userData: userDataFor([{ kind: "gcs", name: "main-backups" }]),
    options: { topology: topology() },
  };
}

function plan(platform: string, resources: SynthPlanResource[]): SynthPlan {
  return { stack: "t", platform, resources, nodes: Object.values(NODES), loadBalancers: [LB], standbyLinks: [] };
}

/** The resource named `name` of `type` in a fixture (to alter it in a test). */
export function resource(f: Fixture, type: string, name: string): SynthPlanResource {
  const r = f.plan.resources.find((x) => x.type === type && x.name === name);
  if (!r) throw new Error(`fixture has no ${type} ${name}`);
  return r;
}
