import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { undeclaredYandexInputs } from "../../../../test/support/yandexSchema";
import { ConfigError } from "../config";
import { LAB_TYPES } from "../platform";
import { needsPgdg } from "../render/cloudInit";
import { userDataForEtcdNode } from "../render/nodeFiles";
import { tlsFiles } from "../render/model";
import { substituteSecrets } from "../render/secretRefs";
import { composeTopology, type ComposedStack, EtcdCluster, Network, PatroniCluster } from ".";
import { FAKE_PASSWORD_PREFIX, loadStack, resolve } from "./testing";
import { useComponentMocks } from "./testMocks";

const rec = useComponentMocks();

async function compose(env: string): Promise<{ stack: ComposedStack; nodes: Awaited<ReturnType<typeof resolve<any>>> }> {
  const { topology, cloud } = loadStack(env);
  const stack = composeTopology(topology, cloud, rec.parent(env));
  const nodes = await resolve(stack.nodes);
  await rec.settled();
  return { stack, nodes };
}

/** Mocks see secret inputs as `{ <sig>: ..., value }`; tests want the value. */
const plain = (v: any): any => (v && typeof v === "object" && "value" in v && Object.keys(v).some((k) => k.length === 32) ? v.value : v);

const files = (userData: string) =>
  Object.fromEntries((parse(userData).write_files as { path: string; content: string; permissions: string }[]).map((f) => [f.path, f]));

/** A node's files as they are after pgha-secrets fetch: tokens replaced from the node's own lab secret. */
const fetchedFiles = (node: { name: string; userData: string }) => {
  const entries = plain(rec.get(LAB_TYPES.secret, `${node.name}-secrets`).inputs.entries) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(files(node.userData)).map(([p, f]) => [p, { ...f, content: substituteSecrets(f.content, entries) }]),
  );
};

describe("the lab stack under mocks", () => {
  it("registers each component once with its VMs, disks and firewalls", async () => {
    await compose("lab");
    const counts = rec.countsByType();
    expect(counts).toMatchObject({
      "pgha:index:Network": 1,
      "pgha:index:EtcdCluster": 2, // one per region holding Patroni clusters
      "pgha:index:PatroniCluster": 1,
      "pgha:index:StandbyCluster": 1,
      "pgha:index:HaproxyPair": 1,
      "pgha:index:WalgBucket": 1,
      [LAB_TYPES.vm]: 12,
      [LAB_TYPES.disk]: 10, // etcd and PostgreSQL members only; HAProxy holds no data
    });
    expect(counts["pgha:index:TcpLoadBalancer"]).toBeUndefined();
  });

  it("places members on their planned static IPs, round-robin over zones", async () => {
    await compose("lab");
    const vms = rec.ofType(LAB_TYPES.vm).map((r) => r.inputs as Record<string, any>);
    const main = vms.filter((v) => String(v.name).startsWith("main-pg-")).sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(main.map((v) => [v.ip, v.zone])).toEqual([
      ["10.77.1.32", "east-a"],
      ["10.77.1.33", "east-b"],
      ["10.77.1.34", "east-c"],
    ]);
    const etcd = vms
      .filter((v) => String(v.name).startsWith("lab-etcd-"))
      .map((v) => v.ip)
      .sort();
    expect(etcd).toEqual(["10.77.1.10", "10.77.1.11", "10.77.1.12"]);
  });

  it("gives each VM exactly the user-data it reports in the plan", async () => {
    const { nodes } = await compose("lab");
    for (const n of nodes) {
      const vm = rec.ofType(LAB_TYPES.vm).find((r) => (r.inputs as any).name === n.name);
      expect(vm, n.name).toBeDefined();
      expect(plain((vm?.inputs as any).userData)).toBe(n.userData);
    }
  });

  it("renders an etcd member's user-data exactly as the renderer does", async () => {
    const { nodes } = await compose("lab");
    const node = nodes.find((n: any) => n.name === "lab-etcd-1");
    const { topology } = loadStack("lab");
    const members = nodes.filter((n: any) => n.component === "lab" && n.role === "etcd").map((n: any) => ({ name: n.name, ip: n.ip }));
    const pem = (kind: string, name: string) =>
      `-----BEGIN ${kind}-----\n${kind === "CERTIFICATE" ? "CERT" : "KEY"}-${name}\n-----END ${kind}-----\n`;
    const expected = userDataForEtcdNode(
      {
        spec: { ...topology.etcd, region: "east", subnets: undefined },
        clusterName: "lab",
        node: { name: "lab-etcd-1", ip: "10.77.1.11" },
        members,
        tls: true,
      },
      {
        os: topology.platform.os,
        tls: {
          caCert: pem("CERTIFICATE", "lab-etcd-ca"),
          cert: pem("CERTIFICATE", "lab-etcd-1-cert"),
          key: pem("PRIVATE KEY", "lab-etcd-1-key"),
        },
        // The key and certificate travel in the member's own secret, not in user-data.
        secrets: {
          values: { ETCD_KEY: pem("PRIVATE KEY", "lab-etcd-1-key"), ETCD_CERT: pem("CERTIFICATE", "lab-etcd-1-cert") },
          store: { kind: "lab", secret: "lab-etcd-1-secrets" },
        },
      },
    );
    expect(node.userData).toBe(expected);
  });

  it("installs packages on lab nodes exactly as a cloud VM does: listed in user-data, services held by policy-rc.d", async () => {
    const { nodes } = await compose("lab");
    const { topology } = loadStack("lab");
    const main = topology.clusters[0];
    for (const name of ["main-pg-0", "lab-etcd-0", "main-haproxy-0"]) {
      const doc = parse(nodes.find((n: any) => n.name === name).userData);
      expect(doc.packages.length, name).toBeGreaterThan(0);
      expect(doc.package_update, name).toBe(true);
      // Written in cloud-init's init stage (not deferred): in place before the packages install.
      expect(
        doc.write_files.find((f: any) => f.path === "/usr/sbin/policy-rc.d"),
        name,
      ).toMatchObject({ permissions: "0755" });
      expect(doc.write_files.find((f: any) => f.path === "/usr/sbin/policy-rc.d").defer, name).toBeUndefined();
    }
    const pg = parse(nodes.find((n: any) => n.name === "main-pg-0").userData);
    expect(pg.packages).toEqual([
      `postgresql-${main.postgres.major}`,
      "patroni",
      "python3-etcd",
      "curl",
      "ca-certificates",
      "pgbouncer",
      "pgbackrest",
    ]);
    expect(pg.apt !== undefined).toBe(needsPgdg(topology.platform.os, main.postgres.major));
  });

  it("wires Patroni to the region's etcd over TLS, and the standby to the source's VIP and slot", async () => {
    const { nodes } = await compose("lab");
    const pg = parse(fetchedFiles(nodes.find((n: any) => n.name === "main-pg-1"))["/etc/patroni/patroni.yml"].content);
    expect(pg.etcd3.hosts).toEqual(["10.77.1.10:2379", "10.77.1.11:2379", "10.77.1.12:2379"]);
    expect(pg.etcd3.protocol).toBe("https");
    expect(pg.restapi.connect_address).toBe("10.77.1.33:8008");
    expect(pg.bootstrap.dcs.slots).toEqual({ standby_dr: { type: "physical" } });
    expect(pg.bootstrap.dcs.synchronous_mode).toBe(true);

    const dr = parse(fetchedFiles(nodes.find((n: any) => n.name === "dr-pg-0"))["/etc/patroni/patroni.yml"].content);
    expect(dr.etcd3.hosts).toEqual(["10.77.2.10:2379", "10.77.2.11:2379", "10.77.2.12:2379"]);
    expect(dr.bootstrap.dcs.standby_cluster).toMatchObject({ host: "10.77.1.44", port: 5005, primary_slot_name: "standby_dr" });
    // The standby's database is a copy of the source's: every database role's password is the source's.
    for (const role of ["replication", "superuser", "rewind"]) {
      expect(dr.postgresql.authentication[role].password, role).toBe(pg.postgresql.authentication[role].password);
    }
    // Only Patroni's REST API credentials are its own.
    expect(dr.restapi.authentication.password).not.toBe(pg.restapi.authentication.password);
  });

  it("gives a standby's PgBouncer its source's auth_query password (its database holds the source's roles)", async () => {
    const { nodes } = await compose("lab");
    const userlist = (node: string) => fetchedFiles(nodes.find((n: any) => n.name === node))["/etc/pgbouncer/userlist.txt"].content;
    expect(userlist("dr-pg-0")).toBe(userlist("main-pg-0"));
    expect(userlist("main-pg-0")).toMatch(new RegExp(`^"pgbouncer" "${FAKE_PASSWORD_PREFIX}main`));
  });

  it("lets the standby verify the source's certificate: its CA file holds its own CA and the source's", async () => {
    const { nodes } = await compose("lab");
    const caOf = (node: string) => files(nodes.find((n: any) => n.name === node).userData)[tlsFiles("postgres").caFile].content;
    expect(caOf("main-pg-0")).toBe("-----BEGIN CERTIFICATE-----\nCERT-main-pg-ca\n-----END CERTIFICATE-----\n");
    expect(caOf("dr-pg-0")).toBe(
      "-----BEGIN CERTIFICATE-----\nCERT-dr-pg-ca\n-----END CERTIFICATE-----\n" +
        "-----BEGIN CERTIFICATE-----\nCERT-main-pg-ca\n-----END CERTIFICATE-----\n",
    );
  });

  it("keeps secrets secret: passwords only in 0600 files, connection strings and user-data as Pulumi secrets", async () => {
    const { stack, nodes } = await compose("lab");
    expect(await pulumi.isSecret(stack.connectionStrings)).toBe(true);
    const vm = rec.ofType(LAB_TYPES.vm).find((r) => (r.inputs as any).name === "main-pg-0");
    expect(vm).toBeDefined();
    for (const n of nodes) {
      // User-data itself holds references only; the files after pgha-secrets fetch hold the values.
      expect(n.userData, n.name).not.toContain(`${FAKE_PASSWORD_PREFIX}main`);
      expect(n.userData, n.name).not.toContain("PRIVATE KEY-----\n");
      for (const f of Object.values(fetchedFiles(n)) as { path: string; content: string; permissions: string }[]) {
        if (f.content.includes(FAKE_PASSWORD_PREFIX + "main") || f.content.includes("PRIVATE KEY"))
          expect(f.permissions, `${n.name} ${f.path}`).toBe("0600");
      }
    }
  });

  it("protects data disks and ignores user-data changes on VMs", async () => {
    await compose("lab");
    for (const disk of rec.ofType(LAB_TYPES.disk)) {
      const opts = rec.optionsOf(LAB_TYPES.disk, disk.name);
      expect(opts.protect, disk.name).toBe(true);
      expect(opts.retainOnDelete, disk.name).toBe(true);
    }
    for (const vm of rec.ofType(LAB_TYPES.vm))
      expect(rec.optionsOf(LAB_TYPES.vm, vm.name).ignoreChanges).toEqual(expect.arrayContaining(["userData"]));
  });
});

describe("the yc-homework stack under mocks", () => {
  it("builds 3 etcd + 3 Patroni + 2 HAProxy VMs, an NLB asking HAProxy's monitor, and a WAL-G bucket with secret keys", async () => {
    const { stack } = await compose("yc-homework");
    const counts = rec.countsByType();
    expect(counts["yandex:index/computeInstance:ComputeInstance"]).toBe(8);
    expect(counts["yandex:index/computeDisk:ComputeDisk"]).toBe(6);
    expect(counts["yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer"]).toBe(1);
    expect(counts["yandex:index/storageBucket:StorageBucket"]).toBe(1);
    const nlb = rec.ofType("yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer")[0].inputs as any;
    const hc = nlb.attachedTargetGroups[0].healthchecks[0];
    expect(hc.httpOptions).toEqual({ port: 7001, path: "/health" });
    expect(nlb.listeners.map((l: any) => l.port).sort()).toEqual([5000, 5001, 5005]);
    expect((await resolve(stack.endpoints)).main.primary).toBe("10.130.1.45:5000");
    const ud = (await resolve(stack.nodes)).find((n) => n.name === "main-pg-0")?.userData ?? "";
    const walg = JSON.parse(files(ud)["/etc/wal-g/walg.json"].content);
    expect(walg.AWS_ENDPOINT).toBe("https://storage.yandexcloud.net");
    expect(walg.WALG_S3_PREFIX).toBe("s3://yc-main-backups/main");
  });

  it("passes only input properties that exist in the Yandex provider schema", async () => {
    await compose("yc-homework");
    const yandex = rec.resources.filter((r) => r.type.startsWith("yandex:"));
    expect(yandex.length).toBeGreaterThan(20);
    for (const r of yandex) expect(undeclaredYandexInputs(r.type, r.name, r.inputs)).toEqual([]);
  });
});

describe("the gcp-dr stack under mocks", () => {
  it("puts the primary behind the cross-region internal proxy LB (nothing external) and the standby in the second region", async () => {
    const { stack } = await compose("gcp-dr");
    const counts = rec.countsByType();
    expect(counts["gcp:compute/targetTCPProxy:TargetTCPProxy"]).toBeGreaterThan(0);
    expect(counts["gcp:compute/globalForwardingRule:GlobalForwardingRule"]).toBeGreaterThan(0);
    expect(counts["pgha:index:ClientVm"]).toBe(2);
    const links = await resolve(stack.standbyLinks);
    // The standby streams from the LB's planned internal address in the primary's region.
    expect(links).toEqual([{ cluster: "dr", source: "main", host: "10.140.0.45", port: 5005, slot: "standby_dr" }]);
    const schemes = rec.resources.flatMap((r) => ((r.inputs as any).loadBalancingScheme ? [(r.inputs as any).loadBalancingScheme] : []));
    expect(schemes.length).toBeGreaterThan(0);
    expect(schemes.every((x) => x === "INTERNAL_MANAGED" || x === "INTERNAL")).toBe(true);
    expect(rec.ofType("gcp:compute/globalAddress:GlobalAddress")).toEqual([]);
    const instances = rec.ofType("gcp:compute/instance:Instance").map((r) => r.inputs as any);
    expect(instances.length).toBe(17);
    for (const i of instances) {
      expect(plain(plain(i.metadata)?.["user-data"]), i.name).toMatch(/^#cloud-config\n/);
      expect(i.metadataStartupScript).toBeUndefined();
    }
    const hc = rec.ofType("gcp:compute/healthCheck:HealthCheck")[0].inputs as any;
    expect(hc.httpHealthCheck).toMatchObject({ port: 7001, requestPath: "/health" });
  });
});

describe("bad component input", () => {
  it("fails with a ConfigError naming the field, before any resource is registered", async () => {
    const parent = { parent: rec.parent("bad-input") };
    const before = rec.resources.length;
    expect(
      () =>
        new Network(
          "bad",
          {
            platform: { kind: "local" },
            regions: [{ name: "r", zones: ["a"] }],
            subnets: [{ name: "s", region: "r", cidr: "10.0.0.1/24" }],
          },
          parent,
        ),
    ).toThrow(ConfigError);
    const net = new Network(
      "ok",
      { platform: { kind: "local" }, regions: [{ name: "r", zones: ["a"] }], subnets: [{ name: "s", region: "r", cidr: "10.0.0.0/24" }] },
      parent,
    );
    await rec.settled();
    const afterNetwork = rec.resources.length;
    expect(() => new EtcdCluster("e", { network: net, members: 4 }, parent)).toThrow(
      /etcd.members: etcd needs an odd number of members, at least 3 \(got 4\)/,
    );
    const etcd = new EtcdCluster("e", { network: net }, parent);
    await rec.settled();
    const afterEtcd = rec.resources.length;
    let error: unknown;
    try {
      new PatroniCluster("db", { network: net, etcd, region: "r", patroni: { dcs: { ttl: 20, loop_wait: 5, retry_timeout: 10 } } }, parent);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("patroni.dcs.ttl: ttl (20) must be >= loop_wait + 2*retry_timeout (25)");
    await rec.settled();
    expect(rec.resources.length).toBe(afterEtcd);
    expect(afterNetwork).toBeGreaterThan(before);
  });
});
