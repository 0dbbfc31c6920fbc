/**
 * Test support: run platform code under Pulumi mocks (no CLI, no cloud) and record every
 * resource with its inputs AND its resource options.
 *
 * Mocks' `newResource` never sees resource options (protect, retainOnDelete, ignoreChanges),
 * and the newer `registerResourceTransform` needs a real engine (mocks report no transform
 * support). Legacy `transformations` run in-process in the SDK, though, and a parent's
 * transformations apply to all its descendants: `recorder.parent()` returns a component whose
 * transformation records the options each child was created with.
 */
import * as pulumi from "@pulumi/pulumi";
import type { SubnetSpec } from "../config";
import type {
  BucketCredentials,
  BucketHandle,
  FirewallHandle,
  FirewallRule,
  LoadBalancerHandle,
  NetworkHandle,
  Platform,
  ServiceAccountHandle,
  VmHandle,
} from "./types";

export interface RecordedResource {
  type: string;
  name: string;
  /** Inputs as the provider would receive them (secrets unwrapped, outputs resolved). */
  inputs: Record<string, unknown>;
  custom: boolean;
}

export interface RecordedOptions {
  type: string;
  name: string;
  opts: pulumi.ResourceOptions;
}

/** Computed outputs a real provider would add; mocks otherwise just echo inputs back. */
export type ComputedState = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown>;

export interface MockRecorder {
  readonly resources: RecordedResource[];
  readonly options: RecordedOptions[];
  /** A component whose descendants' options are recorded. */
  parent(name?: string): pulumi.ComponentResource;
  /** Wait until every resource created under a recording parent has been registered. */
  settled(timeoutMs?: number): Promise<void>;
  ofType(type: string): RecordedResource[];
  /** The one resource of `type` named `name`; throws if absent. */
  get(type: string, name: string): RecordedResource;
  /** Options `type`/`name` was created with; throws if it was not created under `parent()`. */
  optionsOf(type: string, name: string): pulumi.ResourceOptions;
  /** Types and counts, for asserting the shape of the graph. */
  countsByType(): Record<string, number>;
  reset(): void;
}

const key = (type: string, name: string) => `${type}::${name}`;

/** Plausible values for outputs the GCP and Yandex providers compute. */
export const defaultComputedState: ComputedState = ({ type, name, inputs }) => {
  const out: Record<string, unknown> = {};
  if (type.startsWith("gcp:")) {
    out.selfLink = `https://www.googleapis.com/compute/v1/projects/test/${name}`;
    if (inputs.name === undefined) out.name = `${name}-1a2b3c4`;
  }
  switch (type) {
    case "gcp:serviceaccount/account:Account":
      out.email = `${inputs.accountId}@test.iam.gserviceaccount.com`;
      break;
    case "gcp:compute/forwardingRule:ForwardingRule":
      out.ipAddress = inputs.ipAddress ?? "10.99.0.50";
      break;
    case "gcp:compute/globalAddress:GlobalAddress":
      out.address = inputs.address ?? "203.0.113.7";
      break;
    case "gcp:compute/address:Address":
      if (inputs.addressType === "EXTERNAL") out.address = inputs.address ?? "203.0.113.9";
      break;
    case "yandex:index/vpcAddress:VpcAddress": {
      const ext = inputs.externalIpv4Address as Record<string, unknown> | undefined;
      if (ext) out.externalIpv4Address = { ...ext, address: ext.address ?? "203.0.113.10" };
      break;
    }
    case "yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey":
      out.accessKey = "YCAJEtestaccesskey";
      out.secretKey = "YCtest-secret-key-value";
      break;
    case "yandex:index/storageBucket:StorageBucket":
      out.bucket = inputs.bucket ?? `${inputs.bucketPrefix ?? name}1a2b3c4`;
      break;
    case "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer": {
      const listeners = (inputs.listeners as Record<string, unknown>[] | undefined) ?? [];
      out.listeners = listeners.map((l) => {
        const internal = l.internalAddressSpec as Record<string, unknown> | undefined;
        const external = l.externalAddressSpec as Record<string, unknown> | undefined;
        return internal
          ? { ...l, internalAddressSpec: { ...internal, address: internal.address ?? "10.99.0.60" } }
          : { ...l, externalAddressSpec: { ...external, address: external?.address ?? "203.0.113.8" } };
      });
      break;
    }
  }
  return out;
};

/** Install Pulumi mocks that record resources. Call before creating any resource. */
export function installMocks(computed: ComputedState = defaultComputedState): MockRecorder {
  const resources: RecordedResource[] = [];
  const options: RecordedOptions[] = [];
  const pending = new Set<string>();

  void pulumi.runtime.setMocks(
    {
      newResource(args) {
        pending.delete(key(args.type, args.name));
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true });
        return { id: `${args.name}-id`, state: { ...args.inputs, ...computed(args) } };
      },
      call(args) {
        throw new Error(`unexpected provider function call ${args.token}: platforms must not use data sources`);
      },
    },
    "pgha",
    "test",
  );

  const record: pulumi.ResourceTransformation = ({ type, name, opts }) => {
    pending.add(key(type, name));
    // Copy: the SDK adds inherited settings to `opts` after transformations ran.
    options.push({ type, name, opts: { ...opts } });
    return undefined;
  };

  const find = (type: string, name: string) => resources.find((r) => r.type === type && r.name === name);

  return {
    resources,
    options,
    parent(name = "test") {
      return new pulumi.ComponentResource("pgha:test:Parent", name, {}, { transformations: [record] });
    },
    async settled(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      // Registration is asynchronous (inputs resolve first); poll the event loop until drained.
      while (pending.size > 0) {
        if (Date.now() > deadline) throw new Error(`resources never registered: ${[...pending].join(", ")}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
    ofType(type) {
      return resources.filter((r) => r.type === type);
    },
    get(type, name) {
      const r = find(type, name);
      if (!r) {
        const names = resources.filter((x) => x.type === type).map((x) => x.name);
        throw new Error(`no ${type} named ${name}; have: ${names.join(", ") || "none"}`);
      }
      return r;
    },
    optionsOf(type, name) {
      const o = options.find((x) => x.type === type && x.name === name);
      if (!o) throw new Error(`no recorded options for ${type} ${name}`);
      return o.opts;
    },
    countsByType() {
      const counts: Record<string, number> = {};
      for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
      return counts;
    },
    reset() {
      resources.length = 0;
      options.length = 0;
      pending.clear();
    },
  };
}

/** The value of an output under mocks (never unknown: mocks run as an update, not a preview). */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** Inputs of the small cluster every platform test builds. */
export interface ScenarioInput {
  region: string;
  zones: [string, string, string];
  /** One regional subnet (GCP, local) or one per zone (Yandex). */
  subnets: SubnetSpec[];
  clientCidrs: string[];
  lbAddress?: string;
  lbScope?: "regional" | "global";
  lbExposure?: "internal" | "public";
  egress?: "nat" | "provided";
  proxyOnlySubnets?: { region: string; cidr: string }[];
}

export interface Scenario {
  network: NetworkHandle;
  firewall: FirewallHandle;
  vms: VmHandle[];
  serviceAccount: ServiceAccountHandle | undefined;
  lb: LoadBalancerHandle;
  bucket: BucketHandle;
  /** What the scenario's account got from its read/write grant on the bucket. */
  bucketCredentials: BucketCredentials;
  userData: string[];
}

export const SCENARIO_PORTS = { postgres: 5432, pgbouncer: 6432, patroni: 8008, haproxyMonitor: 7001 } as const;

/** A network, a firewall, three Patroni VMs with data disks, an LB on the primary and a bucket. */
export function buildScenario(platform: Platform, parent: pulumi.Resource, input: ScenarioInput): Scenario {
  const p = SCENARIO_PORTS;
  const network = platform.network(
    { name: "net", subnets: input.subnets, egress: input.egress ?? "nat", proxyOnlySubnets: input.proxyOnlySubnets ?? [] },
    parent,
  );
  const clusterCidrs = input.subnets.map((s) => s.cidr);
  const ingress: FirewallRule[] = [
    {
      name: "cluster",
      protocol: "tcp",
      ports: [p.postgres, p.patroni],
      from: { cidrs: clusterCidrs, self: true },
      description: "replication and Patroni REST between members",
    },
    { name: "clients", protocol: "tcp", ports: [p.postgres, p.pgbouncer], from: { cidrs: input.clientCidrs }, description: "clients" },
    {
      name: "health",
      protocol: "tcp",
      ports: [p.patroni, p.haproxyMonitor],
      from: { healthCheckers: true },
      description: "load balancer health checks",
    },
  ];
  if (platform.capabilities.vip) {
    ingress.push({ name: "vrrp", protocol: "vrrp", ports: [], from: { cidrs: clusterCidrs }, description: "keepalived unicast VRRP" });
  }
  const firewall = platform.firewall({ name: "main-patroni", network, targetTag: "main-patroni", ingress }, parent);
  const serviceAccount = platform.serviceAccount("main-vms", parent);
  const userData: string[] = [];
  const vms = input.zones.map((zone, i) => {
    const subnet = input.subnets.find((s) => s.zone === zone) ?? input.subnets[0];
    const base = subnet.cidr.split("/")[0].split(".").slice(0, 3).join(".");
    const ud = `#cloud-config\nhostname: main-patroni-${i}\nwrite_files: []\n`;
    userData.push(ud);
    return platform.vm(
      {
        name: `main-patroni-${i}`,
        role: "patroni",
        region: input.region,
        zone,
        subnet: subnet.name,
        ip: `${base}.${32 + i}`,
        userData: ud,
        cores: 2,
        memoryGb: 8,
        bootDiskGb: 20,
        dataDisk: { sizeGb: 100, type: "network-ssd" },
        firewalls: [firewall],
        network,
        serviceAccount: serviceAccount?.id,
        spreadGroup: "main",
        os: "ubuntu-22.04",
        deletionProtection: true,
      },
      parent,
    );
  });
  const lb = platform.loadBalancer(
    {
      name: "main-primary",
      scope: input.lbScope ?? "regional",
      region: input.region,
      exposure: input.lbExposure ?? "internal",
      network,
      address: input.lbAddress,
      listeners: [{ name: "postgres", port: p.postgres, targetPort: p.postgres }],
      targets: vms,
      healthCheck: {
        protocol: "http",
        port: p.patroni,
        path: "/primary",
        intervalS: 2,
        timeoutS: 1,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
      },
      sourceRanges: input.clientCidrs,
    },
    parent,
  );
  const bucket = platform.bucket({ name: "main-backups", region: input.region, expireDays: 30 }, parent);
  const bucketCredentials = serviceAccount
    ? platform.grantBucket({ name: "main-backups", bucket, account: serviceAccount, access: "readWrite" }, parent)
    : {};
  return { network, firewall, vms, serviceAccount, lb, bucket, bucketCredentials, userData };
}
