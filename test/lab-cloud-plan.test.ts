// How the lab reads a yandex or gcp plan (no root needed): the stand-in for
// each cloud load balancer (its place in the network; its HAProxy config is
// checked by the image's `haproxy -c` in test/tools/cloud-load-balancer.test.ts),
// the data disks and pinned binaries the nodes' first boot looks for, the view
// of a node with a data disk, and preflight.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { resolveStackFile } from "../packages/lab/lib/cli/stackArg";
import { labLoadBalancerNodes } from "../packages/lab/lib/lab/cloud/cloudLoadBalancer";
import { binariesInFirstBoot, plannedBinaries, plannedDataDisks } from "../packages/lab/lib/lab/node/firstBootNeeds";
import { fitStackToHost, fitTopology } from "../packages/lab/lib/lab/cli/fitHost";
import { bootMounts, parseFstab } from "../packages/lab/lib/lab/systemd/fstab";
import { healthChecks } from "../packages/pgha/lib/config/haproxy";
import {
  cloudHealthCheckAt,
  clusterHaproxyChecks,
  loadBalancerFollowBoundMs,
  primaryListenerChecks,
} from "../packages/lab/lib/lab/cloud/haproxyPlan";
import { type LabContext, networkPlanFor, userDataFiles } from "../packages/lab/lib/lab/cli/labContext";
import { metadataAccessPlan, secretFileOf } from "../packages/lab/lib/lab/cloud/metadata/accessPlan";
import { SECRETS_MANIFEST_PATH, hasSecretTokens } from "../packages/lab/lib/lab/cloud/metadata/nodeSecrets";
import { readSecretFile } from "../packages/lab/lib/synth/secretFiles";
import { fastInterMs } from "../packages/pgha/lib/render/haproxy";
import { resolveNetwork } from "../packages/lab/lib/lab/network/networkPlan";
import { attachedDataDisksFile, ensureNodeRoot } from "../packages/lab/lib/lab/node/nodeView";
import { cachedBinaryPath, verifiedCachedBinary } from "../packages/lab/lib/lab/node/pinnedBinaries";
import { labPreflight } from "../packages/lab/lib/lab/cli/preflight";
import { PLAN_FILE, readSynthPlan } from "../packages/lab/lib/synth/plan";
import { synthStack } from "../packages/lab/lib/synth/synth";

const work = mkdtempSync(join(tmpdir(), "pgha-cloud-plan-"));

/** A shipped stack's plan, as synthesized (Debian 13, PostgreSQL 17: what the lab boots). */
async function contextFor(stack: string): Promise<LabContext> {
  const planDir = join(work, stack);
  await synthStack(resolveStackFile(stack), planDir);
  const plan = readSynthPlan(planDir);
  const { net, clientAddress, loadBalancers } = networkPlanFor(plan, 50);
  return { stack, labDir: join(work, `${stack}-lab`), planDir, plan, net, clientAddress, loadBalancers } as LabContext;
}

let yc: LabContext;
let gcp: LabContext;
beforeAll(async () => {
  yc = await contextFor("yc-homework");
  gcp = await contextFor("gcp-dr");
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const node = (ctx: LabContext, name: string) => ctx.plan.nodes.find((n) => n.name === name) ?? expect.fail(`no node ${name}`);

describe("cloud load balancers in the lab network", () => {
  it("puts an internal LB on its planned address in the subnet that holds it, and keeps the client off it", () => {
    expect(yc.loadBalancers.map((l) => [l.name, l.address, l.subnet.name])).toEqual([["lb-main", "10.130.1.45", "yc-a"]]);
    expect(yc.net.nodes).toContainEqual({ name: "lb-main", subnet: "yc-a", address: "10.130.1.45" });
    expect(yc.clientAddress).not.toBe("10.130.1.45");
    expect(() => resolveNetwork(yc.net)).not.toThrow();
  });

  it(
    "puts the cross-region internal LB on its planned address in the primary's subnet, " +
      "which the other region reaches across the delayed link",
    () => {
      const main = gcp.loadBalancers.find((l) => l.lb.name === "main") ?? expect.fail("no lb main");
      expect(main.lb.scope).toBe("global");
      expect([main.address, main.subnet.name, main.subnet.region]).toEqual(["10.140.0.45", "ew1", "europe-west1"]);
      const dr = gcp.loadBalancers.find((l) => l.lb.name === "dr") ?? expect.fail("no lb dr");
      expect([dr.address, dr.subnet.name]).toEqual(["10.141.0.61", "ew4"]);
      const resolved = resolveNetwork(gcp.net);
      expect(resolved.delayRules).toContainEqual(expect.objectContaining({ fromCidr: "10.141.0.0/24", toCidr: "10.140.0.0/24" }));
    },
  );

  it("keeps the fabric's gateway off an external LB's address, even when it is the first host of its /24", () => {
    const lb = {
      ...gcp.plan.loadBalancers.find((l) => l.scope === "global"),
      address: "198.51.100.1",
    } as LabContext["plan"]["loadBalancers"][number];
    const [node] = labLoadBalancerNodes({ ...gcp.plan, loadBalancers: [lb] }, gcp.net.subnets);
    expect(node.subnet).toEqual({ name: "lb-main", cidr: "198.51.100.0/24", region: "europe-west1", gateway: "198.51.100.254" });
    const net = { subnets: [node.subnet], nodes: [{ name: node.name, subnet: node.subnet.name, address: node.address }] };
    expect(resolveNetwork(net).nodes[0].gateway).toBe("198.51.100.254");
    expect(() => resolveNetwork({ ...net, subnets: [{ ...node.subnet, gateway: "198.51.100.255" }] })).toThrow(
      /gateway 198\.51\.100\.255 is not a host address/,
    );
  });
});

describe("how long a failover may take to reach the client, from the plan's own checks", () => {
  it("reads the primary listener's checks from the rendered haproxy.cfg as the config schema sets them", () => {
    const d = healthChecks.parse({});
    expect(clusterHaproxyChecks(yc, "main")).toEqual({
      downInterMs: fastInterMs(d.intervalMs),
      rise: d.rise,
      checkTimeoutMs: d.checkTimeoutMs,
    });
    expect(() => primaryListenerChecks("global\n    maxconn 10\n")).toThrow(/no 'listen primary' section/);
  });

  it("adds the cloud LB's own rise when the endpoint is one, since it marked every HAProxy down during the failover", () => {
    const checks = clusterHaproxyChecks(yc, "main");
    const nlb = cloudHealthCheckAt(yc, "10.130.1.45");
    expect(nlb).toBeDefined();
    expect(cloudHealthCheckAt(yc, "10.130.1.46")).toBeUndefined();
    const viaHaproxy = loadBalancerFollowBoundMs(checks);
    const hc = nlb as NonNullable<typeof nlb>;
    // At least the cloud LB's healthy threshold of checks, one interval apart.
    expect(loadBalancerFollowBoundMs(checks, hc) - viaHaproxy).toBeGreaterThanOrEqual(hc.healthyThreshold * hc.intervalS * 1000);
  });
});

describe("what a cloud node's first boot looks for", () => {
  it("finds the data disk of Patroni and etcd nodes, none on HAProxy nodes", () => {
    expect(plannedDataDisks(yc, node(yc, "main-pg-0"))).toEqual([
      { device: "/dev/disk/by-id/virtio-data", mountpoint: "/var/lib/postgresql" },
    ]);
    expect(plannedDataDisks(yc, node(yc, "yc-etcd-0"))).toEqual([{ device: "/dev/disk/by-id/virtio-data", mountpoint: "/var/lib/etcd" }]);
    expect(plannedDataDisks(gcp, node(gcp, "main-pg-0"))).toEqual([
      { device: "/dev/disk/by-id/google-data", mountpoint: "/var/lib/postgresql" },
    ]);
    expect(plannedDataDisks(yc, node(yc, "main-haproxy-0"))).toEqual([]);
  });

  it("finds the pinned WAL-G download with its sha256", () => {
    const [walg, ...rest] = plannedBinaries(yc, node(yc, "main-pg-0"));
    expect(rest).toEqual([]);
    expect(walg.url).toMatch(/^https:\/\/github\.com\/wal-g\/wal-g\/releases\/download\/v[\d.]+\/wal-g-pg-22\.04-amd64$/);
    expect(walg.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(walg.installPath).toBe("/usr/local/bin/wal-g");
    expect(binariesInFirstBoot("curl -o x https://example.com/y\n")).toEqual([]);
  });

  it("takes a cached binary only when its sha256 matches the pin", () => {
    const cache = mkdtempSync(join(work, "cache-"));
    const content = "not really wal-g\n";
    const sha256 = execFileSync("sha256sum", { input: content }).toString().split(" ")[0];
    const b = { url: "https://example.com/dl/tool-amd64", sha256, installPath: "/usr/local/bin/tool" };
    expect(verifiedCachedBinary(b, cache)).toBeUndefined();
    writeFileSync(cachedBinaryPath(b, cache), content);
    expect(verifiedCachedBinary(b, cache)).toBe(join(cache, "tool-amd64"));
    writeFileSync(cachedBinaryPath(b, cache), `${content}tampered`);
    expect(verifiedCachedBinary(b, cache)).toBeUndefined();
  });
});

describe("preflight of a cloud plan", () => {
  it("names the WAL-G download the lab cannot make, where to put the file, and the way out", () => {
    const problems = labPreflight(yc, { binaryCache: join(work, "empty-cache"), loopDevices: true, openFilesLimit: 1_048_576 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^nodes main-pg-0, main-pg-1, main-pg-2 download https:\/\/github\.com\/wal-g\/.* at first boot \(to \/usr\/local\/bin\/wal-g\), and lab nodes have no route out; put that file at .*empty-cache\/wal-g-pg-22\.04-amd64 \(it must match the pinned sha256 [0-9a-f]{64}\), or plan without it \(backups\.tool: pgbackrest, or no backups\)$/,
    );
  });

  it("says so when the host has no loop devices for the data disks", () => {
    const problems = labPreflight(yc, { binaryCache: join(work, "empty-cache"), loopDevices: false, openFilesLimit: 1_048_576 });
    expect(problems[0]).toMatch(
      /^nodes main-pg-0, main-pg-1, main-pg-2, yc-etcd-0, yc-etcd-1, yc-etcd-2 have a data disk, .* \(\/dev\/loop-control is missing\)$/,
    );
  });
});

describe("the root of a node with a data disk", () => {
  it("keeps the layers it was created on, and gets a private /dev/disk only with a disk", () => {
    const labDir = join(work, "view-lab");
    const plain = ensureNodeRoot(labDir, "main-pg-0", [work]);
    expect(plain.devDisk).toBeUndefined();
    expect(plain.upper).toBe(join(labDir, "nodes/main-pg-0/upper"));
    const record = attachedDataDisksFile(labDir, "main-pg-0");
    writeFileSync(
      record,
      JSON.stringify([{ device: "/dev/disk/by-id/virtio-data", mountpoint: "/var/lib/postgresql", image: "/x.img", loop: "/dev/loop9" }]),
    );
    // A later boot asks for other layers: the node keeps its own (its files live over them).
    const again = ensureNodeRoot(labDir, "main-pg-0", ["/elsewhere"]);
    expect(again.lower).toEqual([work]);
    expect(again.devDisk).toBe(join(labDir, "nodes/main-pg-0/dev-disk"));
  });

  it("mounts at boot only the fstab entries of its data disks, never the host's own", () => {
    const fstab = parseFstab(
      "# host\nUUID=aaaa / ext4 errors=remount-ro 0 1\n" +
        "UUID=bbbb /var/lib/postgresql ext4 defaults,nofail,noatime 0 2\nUUID=cccc /srv ext4 noauto 0 2\n",
    );
    expect(fstab).toHaveLength(3);
    expect(bootMounts(fstab, ["/var/lib/postgresql"]).map((e) => e.spec)).toEqual(["UUID=bbbb"]);
    expect(bootMounts(fstab, ["/srv"])).toEqual([]);
    expect(bootMounts(fstab, [])).toEqual([]);
  });
});

describe("preflight: HAProxy's open files", () => {
  it("refuses a maxconn whose sockets exceed the host's open-file limit, naming the nodes and the largest maxconn that fits", () => {
    const args = { binaryCache: join(work, "empty-cache"), loopDevices: true };
    const problems = labPreflight(gcp, { ...args, openFilesLimit: 20_000 });
    expect(problems).toContainEqual(
      "HAProxy on dr-haproxy-0, dr-haproxy-1, main-haproxy-0, " +
        "main-haproxy-1 is planned with a maxconn that needs more open files than this host allows (20000, " +
        "ulimit -Hn), and HAProxy refuses to start then; set clusters[].haproxy.maxconn to 9975 or less for the lab",
    );
    expect(labPreflight(gcp, { ...args, openFilesLimit: 1_048_576 }).filter((p) => p.startsWith("HAProxy"))).toEqual([]);
  });
});

describe("preflight: what the lab's own client needs", () => {
  it("refuses a primary cluster without an application role, since the writer logs in as one", () => {
    const problems = labPreflight(gcp, { binaryCache: join(work, "empty-cache"), loopDevices: true, openFilesLimit: 1_048_576 });
    expect(problems).toContainEqual(
      expect.stringMatching(/^cluster main has no application role, and the lab's writer and drills log in as one; add postgres\.roles/),
    );
    expect(
      labPreflight(yc, { binaryCache: join(work, "empty-cache"), loopDevices: true, openFilesLimit: 1_048_576 }).filter((p) =>
        p.includes("application role"),
      ),
    ).toEqual([]);
  });
});

describe("--fit-host", () => {
  const host = { openFilesLimit: 20_000 };

  it("lists exactly the changes a cloud stack needs here, and none for one that fits", () => {
    const doc = parseYaml(readFileSync(resolveStackFile("gcp-dr"), "utf8")) as { config: { "pgha:topology": { clusters: [] } } };
    expect(fitTopology(doc.config["pgha:topology"], host)).toEqual([
      "lab.interRegionDelayMs: 50, since the stack spans 2 regions (without it they would be 0 ms apart)",
      "clusters[0] (main).backups removed: GCS has no local server here (for gcp plans the plan check is the proof of bucket access)",
      "clusters[0] (main).haproxy.maxconn: 10000 -> 9975, what 20000 open files (ulimit -Hn) allow",
      "clusters[0] (main).postgres: role and database 'app' added, for the lab's writer",
      "clusters[1] (dr).haproxy.maxconn: 10000 -> 9975, what 20000 open files (ulimit -Hn) allow",
      "clusters[1] (dr).standby.restoreFromSourceBackups: false, its source has no backups now",
    ]);
    const lab = parseYaml(readFileSync(resolveStackFile("lab"), "utf8")) as { config: { "pgha:topology": { clusters: [] } } };
    expect(fitTopology(lab.config["pgha:topology"], host)).toEqual([]);
    // Yandex Object Storage is served by the lab's RGW: the backups stay, pgBackRest standing in for WAL-G.
    const yc = parseYaml(readFileSync(resolveStackFile("yc-homework"), "utf8")) as {
      config: { "pgha:topology": { clusters: { backups?: Record<string, unknown> }[] } };
    };
    const ycTopology = yc.config["pgha:topology"];
    ycTopology.clusters[0].backups = { ...ycTopology.clusters[0].backups, compression: "brotli" };
    expect(fitTopology(ycTopology as never, host)).toEqual([
      "clusters[0] (main).backups.tool: walg -> pgbackrest: the WAL-G binary cannot be downloaded here; " +
        "pgBackRest's S3 repository keeps the plan's bucket, endpoint and static key, in the lab's object storage (RGW)",
      "clusters[0] (main).backups.compression: brotli -> lz4, which pgBackRest has",
      "clusters[0] (main).haproxy.maxconn: 10000 -> 9975, what 20000 open files (ulimit -Hn) allow",
    ]);
    expect(ycTopology.clusters[0].backups).toMatchObject({
      tool: "pgbackrest",
      compression: "lz4",
      storage: { kind: "yandex", bucket: "yc-main-backups" },
    });
    // A stack for another OS and major: the lab boots Debian 13 with PostgreSQL 17, and says so.
    const other = parseYaml(readFileSync(resolveStackFile("lab"), "utf8")) as {
      config: { "pgha:topology": { platform: { os: string }; clusters: { postgres?: { major?: number } }[] } };
    };
    const t = other.config["pgha:topology"];
    t.platform.os = "ubuntu-24.04";
    t.clusters[0].postgres = { ...t.clusters[0].postgres, major: 15 };
    delete t.clusters[1].postgres?.major;
    expect(fitTopology(t as never, host)).toEqual([
      "platform.os: ubuntu-24.04 -> debian-13, the OS lab nodes run",
      "clusters[0] (main).postgres.major: 15 -> 17, the PostgreSQL Debian 13 ships",
    ]);
  });

  it("turns the gcp-dr stack into one that passes this host's preflight (and the original stack file is untouched)", async () => {
    const original = readFileSync(resolveStackFile("gcp-dr"), "utf8");
    const fit = fitStackToHost(resolveStackFile("gcp-dr"), "gcp-dr", host);
    expect(fit.stack).toBe("gcp-dr-fit");
    expect(readFileSync(fit.stackFile, "utf8")).toMatch(
      /^# gcp-dr fitted to this host by 'pgha lab up --fit-host':\n# {3}lab\.interRegionDelayMs: 50/,
    );
    const planDir = join(work, "gcp-dr-fit");
    await synthStack(fit.stackFile, planDir);
    const plan = readSynthPlan(planDir);
    const { net, clientAddress, loadBalancers } = networkPlanFor(plan, 50);
    const ctx = { stack: fit.stack, labDir: join(work, "fit-lab"), planDir, plan, net, clientAddress, loadBalancers } as LabContext;
    expect(labPreflight(ctx, { binaryCache: join(work, "empty-cache"), loopDevices: true, openFilesLimit: 20_000 })).toEqual([]);
    expect(readFileSync(resolveStackFile("gcp-dr"), "utf8")).toBe(original);
  }, 60_000);
});

describe("the cloud plans' secret stores, as the lab serves them", () => {
  it("each node's manifest names a secret whose payload synth wrote (0600, not in plan.json), readable only by its own account", () => {
    for (const [ctx, kind, stateKey] of [
      [yc, "yandex-lockbox", "secretId"],
      [gcp, "gcp-secret-manager", "secret"],
    ] as const) {
      const access = metadataAccessPlan(ctx.plan);
      expect(access.store).toBe(kind);
      const planText = readFileSync(join(ctx.planDir, PLAN_FILE), "utf8");
      const byIp = new Map(Object.entries(access.vms));
      let withSecret = 0;
      for (const n of ctx.plan.nodes) {
        const files = parseYaml(readFileSync(join(ctx.planDir, n.userDataFile), "utf8")) as {
          write_files: { path: string; content: string }[];
        };
        const manifest = files.write_files.find((f) => f.path === SECRETS_MANIFEST_PATH);
        if (!manifest) continue;
        withSecret++;
        const store = (JSON.parse(manifest.content) as { store: { kind: string; secretId?: string; secret?: string } }).store;
        expect(store.kind, n.name).toBe(kind);
        const file = secretFileOf(access, store) ?? expect.fail(`${n.name}: no payload file for its secret`);
        expect(statSync(join(ctx.planDir, file)).mode & 0o777, file).toBe(0o600);
        const key = store[stateKey] as string;
        expect(access.grants[key], n.name).toEqual([byIp.get(n.ip)?.serviceAccount]);
        for (const v of Object.values(readSecretFile(ctx.planDir, file)))
          expect(planText.includes(v), `${file} value in plan.json`).toBe(false);
        // The lab's own view of the node's files has every token resolved.
        for (const f of userDataFiles(ctx, n)) expect(hasSecretTokens(f.content), `${n.name} ${f.path}`).toBe(false);
      }
      expect(withSecret).toBe(Object.keys(access.secrets).length);
    }
  });
});
