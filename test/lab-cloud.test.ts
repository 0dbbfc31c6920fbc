// The lab boots a Yandex plan: the shipped yc-homework stack fitted to this
// host (`--fit-host`: no WAL-G backups, whose binary the lab cannot download,
// and an HAProxy maxconn within this sandbox's 20000 open files), each change
// being one the preflight would otherwise name. Everything else is the cloud plan as
// synthesized: the planned IPs in three zone subnets, Debian 13 user-data, data
// disks prepared by the node's own pgha-prepare-disk, and the Network Load
// Balancer, realised as an HAProxy in its own namespace. Then the leader-crash
// drill runs through that load balancer. Needs root and loop devices.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveStackFile } from "../packages/lab/lib/cli/stackArg";
import { WORK_ROOT } from "../packages/lab/lib/paths";
import { EGRESS_TYPES } from "../packages/lab/lib/check/egress";
import { isMemberUp, psql } from "../packages/lab/lib/lab/cli/client";
import { loopDevicesAvailable } from "../packages/lab/lib/lab/node/dataDisk";
import { labDown } from "../packages/lab/lib/lab/cli/down";
import { fitStackToHost, hostFactsHere } from "../packages/lab/lib/lab/cli/fitHost";
import { DRILLS } from "../packages/lab/lib/lab/drills";
import {
  type LabContext,
  clientSecrets,
  labDirFor,
  loadLab,
  readInterRegionDelay,
  writeMeta,
} from "../packages/lab/lib/lab/cli/labContext";
import { netnsExists } from "../packages/lab/lib/lab/network/network";
import { readAttachedDataDisks } from "../packages/lab/lib/lab/node/nodeView";
import { openFilesHardLimit } from "../packages/lab/lib/lab/cli/preflight";
import { haproxyMaxconnWithin } from "../packages/pgha/lib/render/haproxy";
import { renderDrillReport } from "../packages/lab/lib/lab/drills/report";
import { type LabStatus, collectStatus, formatStatus } from "../packages/lab/lib/lab/cli/status";
import { defaultStateDir, readNodeSupervisor, runInNode } from "../packages/lab/lib/lab/systemd/supervisorControl";
import { bootNode, labUp, nodeLayers } from "../packages/lab/lib/lab/cli/up";
import { cloudInitErrorsOnDisk } from "../packages/lab/lib/lab/node/firstBootNeeds";
import { labImages } from "../packages/lab/lib/lab/node/image/imageExec";
import { PLAN_FILE, type SynthPlan } from "../packages/lab/lib/synth/plan";
import { synthStack } from "../packages/lab/lib/synth/synth";

const isRoot = process.getuid?.() === 0;
const log = (l: string) => console.log(l);

const STACK = "yc-homework-fit";
const GCP = "gcp-dr-fit";
const NO_EGRESS = "yc-homework-noegress";

/**
 * `pgha lab up <stack> --fit-host`: checks the changes it makes when `changes` is given, boots
 * the fitted stack (never beside another lab: they share the fabric) and reads its status.
 */
async function upFitted(stack: string, changes?: string[]): Promise<{ ctx: LabContext; status: LabStatus }> {
  for (const s of ["lab", STACK, GCP, NO_EGRESS])
    if (existsSync(labDirFor(s))) throw new Error(`${labDirFor(s)} exists: a lab is running here; run 'pgha lab down' first`);
  const fit = fitStackToHost(resolveStackFile(stack), stack, hostFactsHere());
  if (changes) expect(fit.changes).toEqual(changes);
  const t0 = Date.now();
  const ctx = await labUp(fit.stackFile, log);
  console.log(`MEASURED lab up (${fit.stack}): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { ctx, status: await collectStatus(ctx) };
}

async function downIfUp(lab: string): Promise<void> {
  if (existsSync(labDirFor(lab))) await labDown(labDirFor(lab), log);
}

/** What the host's own PostgreSQL directories hold: the nodes' first boot (pg_dropcluster) must not touch them. */
function hostPostgresFiles(): string[] {
  return ["/var/lib/postgresql", "/etc/postgresql"].flatMap((d) =>
    existsSync(d) ? execFileSync("find", [d], { encoding: "utf8" }).split("\n") : [],
  );
}

async function dataMount(node: string): Promise<string> {
  const h = readNodeSupervisor(defaultStateDir(labDirFor(STACK), node)) ?? expect.fail(`${node} is not running`);
  const r = await runInNode(h, ["findmnt", "--noheadings", "--output", "SOURCE,FSTYPE", "/var/lib/postgresql"]);
  return r.stdout.trim().replace(/\s+/g, " ");
}

describe.skipIf(!isRoot || !loopDevicesAvailable())(
  "pgha lab boots a yandex plan: planned IPs, data disks, the NLB stand-in, leader-crash through it",
  () => {
    let ctx: LabContext;
    let status: LabStatus;
    let hostFilesBefore: string[];

    beforeAll(async () => {
      hostFilesBefore = hostPostgresFiles();
      const openFiles = openFilesHardLimit();
      ({ ctx, status } = await upFitted("yc-homework", [
        "clusters[0] (main).backups.tool: walg -> pgbackrest: the WAL-G binary cannot be downloaded here; " +
          "pgBackRest's S3 repository keeps the plan's bucket, endpoint and static key, in the lab's object storage (RGW)",
        `clusters[0] (main).haproxy.maxconn: 10000 -> ${haproxyMaxconnWithin(openFiles)}, what ${openFiles} open files (ulimit -Hn) allow`,
      ]));
    }, 420_000);

    afterAll(() => downIfUp(STACK), 120_000);

    it("runs every planned node on its planned IP, and the NLB stand-in on the planned frontend address", () => {
      const byName = new Map(status.nodes.map((n) => [n.name, n]));
      for (const n of ctx.plan.nodes) expect(byName.get(n.name)?.ip, n.name).toBe(n.ip);
      expect(status.nodes.filter((n) => n.supervisor !== "running").map((n) => n.name)).toEqual([]);
      expect(byName.get("lb-main")).toMatchObject({ role: "cloud-lb", ip: "10.130.1.45", namespace: "pgha-lb-main" });
      const main = status.patroni.main;
      expect(main.filter((m) => m.role === "leader")).toHaveLength(1);
      expect(main.filter((m) => m.role === "sync_standby")).toHaveLength(1);
      expect(main.every(isMemberUp)).toBe(true);
      expect(status.loadBalancers).toEqual([
        expect.objectContaining({ name: "main", kind: "cloud", address: "10.130.1.45", holder: "lb-main" }),
      ]);
      // Its health check sees the HAProxy pair (the plan's targets) on every listener.
      const targets = status.haproxy.filter((h) => h.node === "lb-main" && h.proxy === "primary");
      expect(targets.map((t) => t.server).sort()).toEqual(["main-haproxy-0", "main-haproxy-1"]);
      expect(targets.some((t) => t.status === "UP")).toBe(true);
    });

    it("every node fetched its secret from the Lockbox stand-in as its own service account: no token left in its files", async () => {
      const decisions = readFileSync(join(labDirFor(STACK), "metadata", "metadata.log"), "utf8");
      const fetched: string[] = [];
      for (const n of ctx.plan.nodes) {
        // A node whose user-data holds no secret (the HAProxy pair here) has no manifest.
        if (!readFileSync(join(ctx.planDir, n.userDataFile), "utf8").includes("path: /etc/pgha/secrets.json")) continue;
        const h = readNodeSupervisor(defaultStateDir(labDirFor(STACK), n.name)) ?? expect.fail(`${n.name} is not running`);
        const manifest = await runInNode(h, ["cat", "/etc/pgha/secrets.json"]);
        const secretId = (JSON.parse(manifest.stdout) as { store: { kind: string; secretId: string } }).store;
        expect(secretId.kind).toBe("yandex-lockbox");
        expect((await runInNode(h, ["/usr/local/sbin/pgha-secrets", "check"])).code, n.name).toBe(0);
        const own = `(VM ${n.name}) GET https://payload.lockbox.api.cloud.yandex.net/lockbox/v1/secrets/${secretId.secretId}/payload -> 200`;
        expect(decisions, n.name).toContain(own);
        fetched.push(n.name);
      }
      expect(fetched.sort()).toEqual(["main-pg-0", "main-pg-1", "main-pg-2", "yc-etcd-0", "yc-etcd-1", "yc-etcd-2"]);
    });

    it("answers through the load balancer: the primary listener writes, the replicas listener reads from a replica", async () => {
      const s = clientSecrets(ctx);
      const w = await psql(
        s,
        "10.130.1.45",
        5000,
        "CREATE TABLE IF NOT EXISTS lb_probe(id int); INSERT INTO lb_probe VALUES (1); SELECT pg_is_in_recovery()",
      );
      expect(w.stdout.trim().split("\n").pop()).toBe("f");
      const r = await psql(s, "10.130.1.45", 5001, "SELECT pg_is_in_recovery()");
      expect(r.stdout.trim()).toBe("t");
    });

    it(
      "keeps PostgreSQL's data on the node's own data disk (an ext4 the node formatted), " + "and leaves the host's PostgreSQL files alone",
      async () => {
        for (const n of ["main-pg-0", "main-pg-1", "main-pg-2"]) {
          const [disk] = readAttachedDataDisks(labDirFor(STACK), n);
          expect(await dataMount(n)).toBe(`${disk.loop} ext4`);
        }
        expect(hostPostgresFiles()).toEqual(hostFilesBefore);
      },
    );

    it(
      "drill leader-crash through the NLB stand-in: within bounds, " +
        "nothing acknowledged lost, and the crashed node comes back on its data disk",
      async () => {
        const r = await DRILLS["leader-crash"](ctx, log);
        console.log(renderDrillReport([r], "lab-cloud.md").markdown);
        const failed = r.bounds.filter((b) => !b.ok).map((b) => `${b.name}: expected ${b.expected}, measured ${b.actual}`);
        expect(failed).toEqual([]);
        expect(r.lostAcknowledged).toEqual([]);
        expect(r.maxWritablePrimaries).toBeLessThanOrEqual(1);
        expect(r.rejoinMs).toBeDefined();
        // The crashed node booted again: its supervisor mounted the data disk from fstab before Patroni started.
        for (const n of ["main-pg-0", "main-pg-1", "main-pg-2"]) expect(await dataMount(n), n).toMatch(/^\/dev\/loop\d+ ext4$/);
      },
      420_000,
    );

    it("lab down removes the namespaces, detaches the loop devices and removes the lab directory", async () => {
      const images = readdirSync(join(labDirFor(STACK), "nodes")).flatMap((n) =>
        readAttachedDataDisks(labDirFor(STACK), n).map((d) => d.image),
      );
      expect(images).toHaveLength(6);
      const namespaces = [...status.nodes.map((n) => n.namespace), "pgha-lab-client", "pgha-fabric"];
      await labDown(labDirFor(STACK), log);
      for (const ns of namespaces) expect(netnsExists(ns), ns).toBe(false);
      const attached = execFileSync("losetup", ["--list", "--noheadings", "--output", "BACK-FILE"], { encoding: "utf8" });
      for (const image of images) expect(attached).not.toContain(image);
      expect(existsSync(labDirFor(STACK))).toBe(false);
    }, 120_000);
  },
);

// gcp-dr fitted: a cross-region topology with a standby cluster streaming through the
// global TCP proxy stand-in across the 50 ms link, and the DR region's own internal LB.
describe.skipIf(!isRoot || !loopDevicesAvailable())(
  "pgha lab boots a gcp plan: a standby cluster behind the global LB stand-in, readable through its own LB",
  () => {
    let ctx: LabContext;
    let status: LabStatus;

    beforeAll(async () => {
      ({ ctx, status } = await upFitted("gcp-dr"));
    }, 420_000);

    afterAll(() => downIfUp(GCP), 120_000);

    it("streams the standby cluster from the global LB's planned address, in the other region", () => {
      const link = ctx.plan.standbyLinks[0];
      const main = ctx.plan.loadBalancers.find((l) => l.name === "main");
      expect(main?.scope).toBe("global");
      expect(link).toMatchObject({ cluster: "dr", source: "main", host: main?.address, port: 5005 });
      expect(status.nodes.find((n) => n.name === "lb-main")).toMatchObject({ role: "cloud-lb", region: "europe-west1", ip: main?.address });
      expect(status.patroni.dr.map((m) => m.role).sort()).toEqual(["replica", "standby_leader"]);
      expect(status.patroni.dr.every(isMemberUp)).toBe(true);
    });

    it(
      "serves the DR region through its own LB while standby: " + "reads via PgBouncer, the standby leader via direct, no primary",
      async () => {
        const s = clientSecrets(ctx);
        const dr = ctx.plan.loadBalancers.find((l) => l.name === "dr")?.address as string;
        expect(status.haproxy.filter((h) => h.node === "lb-dr" && h.status === "UP").length).toBeGreaterThan(0);
        const read = await psql(s, dr, 5001, "SELECT pg_is_in_recovery()");
        expect([read.code, read.stdout.trim()]).toEqual([0, "t"]);
        const direct = await psql(s, dr, 5005, "SELECT pg_is_in_recovery()");
        expect([direct.code, direct.stdout.trim()]).toEqual([0, "t"]);
        const write = await psql(s, dr, 5000, "SELECT 1");
        expect(write.code).not.toBe(0);
        // A write through the global LB reaches the standby across the link.
        await psql(
          s,
          ctx.plan.loadBalancers.find((l) => l.name === "main")?.address as string,
          5000,
          "CREATE TABLE IF NOT EXISTS dr_probe(id int); INSERT INTO dr_probe VALUES (42)",
        );
        const deadline = Date.now() + 20_000;
        let seen = "";
        while (seen !== "42" && Date.now() < deadline) {
          seen = (await psql(s, dr, 5001, "SELECT max(id) FROM dr_probe")).stdout.trim();
          if (seen !== "42") await new Promise((r) => setTimeout(r, 200));
        }
        expect(seen).toBe("42");
      },
    );
  },
);

/**
 * The plan's way out, removed as a cloud would see it gone: the Yandex NAT gateway and route
 * tables deleted, the subnets' routeTableId unset, no public IP on any interface. Edited in the
 * synthesized plan because no stack field means "no egress" (nat has pgha build it, provided
 * claims the network has one), and a plan without the path is exactly what pgha produced for
 * yc-homework before issue 11. Returns what it removed.
 */
function withoutEgress(plan: SynthPlan): string[] {
  const removed: string[] = [];
  plan.resources = plan.resources.filter((r) => {
    const drop = r.type === EGRESS_TYPES.yandexGateway || r.type === EGRESS_TYPES.yandexRouteTable;
    if (drop) removed.push(`${r.type} ${r.name}`);
    return !drop;
  });
  for (const r of plan.resources) {
    if (r.type === EGRESS_TYPES.yandexSubnet && r.inputs.routeTableId !== undefined) {
      delete r.inputs.routeTableId;
      removed.push(`routeTableId of ${r.name}`);
    }
    for (const i of (r.inputs.networkInterfaces ?? []) as { nat?: boolean }[]) if (i.nat) i.nat = false;
  }
  return removed;
}

// yc-homework fitted to this host as above, with its way out removed from the plan: every node's
// cloud-init must fail to reach the package mirror, as a VM with neither NAT nor public IP would,
// and lab status must say why. The lab stops at the first tier (etcd); one Patroni node is booted
// too, to show Patroni never starts. Fast: nothing waits for a timeout (the fabric refuses).
describe.skipIf(!isRoot || !loopDevicesAvailable())(
  "pgha lab enforces egress from the plan: yc-homework without its NAT fails at first boot, and lab status says why",
  () => {
    let ctx: LabContext;
    let upError: Error | undefined;
    let removed: string[];
    let msToFailure: number;

    beforeAll(async () => {
      for (const s of ["lab", STACK, GCP, NO_EGRESS])
        if (existsSync(labDirFor(s))) throw new Error(`${labDirFor(s)} exists: a lab is running here; run 'pgha lab down' first`);
      const fit = fitStackToHost(resolveStackFile("yc-homework"), "yc-homework", hostFactsHere());
      const dir = join(WORK_ROOT, "out", NO_EGRESS);
      mkdirSync(dir, { recursive: true });
      const stackFile = join(dir, `Pulumi.${NO_EGRESS}.yaml`);
      copyFileSync(fit.stackFile, stackFile);
      const labDir = labDirFor(NO_EGRESS);
      const planDir = join(labDir, "plan");
      await synthStack(stackFile, planDir);
      const planFile = join(planDir, PLAN_FILE);
      const plan = JSON.parse(readFileSync(planFile, "utf8")) as SynthPlan;
      removed = withoutEgress(plan);
      writeFileSync(planFile, `${JSON.stringify(plan, null, 2)}\n`);
      writeMeta(labDir, {
        stack: NO_EGRESS,
        stackFile,
        interRegionDelayMs: readInterRegionDelay(stackFile),
        createdAt: new Date().toISOString(),
      });
      const t0 = Date.now();
      upError = await labUp(stackFile, log).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      msToFailure = Date.now() - t0;
      console.log(`MEASURED lab up (${NO_EGRESS}) to the first-boot failure: ${(msToFailure / 1000).toFixed(1)} s`);
      ctx = loadLab(NO_EGRESS);
    }, 420_000);

    afterAll(() => downIfUp(NO_EGRESS), 120_000);

    it("removed the path yc-homework's plan has: the NAT gateway, its route table and every subnet's link to it", () => {
      console.log(`egress removed from the plan: ${removed.join(", ")}`);
      expect(removed).toEqual([
        `${EGRESS_TYPES.yandexGateway} yc-egress`,
        `${EGRESS_TYPES.yandexRouteTable} yc-egress`,
        "routeTableId of yc-yc-a",
        "routeTableId of yc-yc-b",
        "routeTableId of yc-yc-d",
      ]);
      expect(ctx.plan.resources.filter((r) => r.type === EGRESS_TYPES.yandexRouteTable || r.type === EGRESS_TYPES.yandexGateway)).toEqual(
        [],
      );
    });

    it("fails lab up at the first tier's first boot: cloud-init reports errors", () => {
      // A failing cloud-init stage (exit status) or cloud-init's own error record, whichever up.ts meets first.
      const message = upError?.message ?? "lab up did not fail";
      console.log(`lab up failed with: ${message.split("\n").slice(0, 2).join(" | ")}`);
      expect(message).toMatch(/pgha-yc-etcd-\d|^yc-etcd-\d:/);
      expect(message).toMatch(/cloud-init modules --mode final|cloud-init reported errors/);
      expect(message).toMatch(/Some index files failed to download|package_update_upgrade_install/);
    });

    it("lab status names, for every etcd node, the failed first boot and the plan's missing path", async () => {
      // labUp stopped at the first node's failure; the other two finish theirs.
      const etcd = ctx.plan.nodes.filter((n) => n.role === "etcd");
      const deadline = Date.now() + 60_000;
      while (etcd.some((n) => cloudInitErrorsOnDisk(ctx.labDir, n.name) === undefined) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 500));
      const status = await collectStatus(ctx);
      for (const n of etcd) {
        const row = status.nodes.find((x) => x.name === n.name);
        expect(row?.egress, n.name).toEqual({ internet: false, via: "none" });
        expect(row?.firstBootFailure, n.name).toMatch(
          /^first boot failed \(cloud-init: .*\): it needs apt packages from the package mirror \(etcd-client, etcd-server\), but has no path to the internet: subnet yc-yc-[abd] has no route table with a NAT gateway, and the VM no public IP; fix: platform\.egress/,
        );
        // What the node's own apt said: refused on the way to the mirror.
        expect(row?.firstBootFailure, n.name).toMatch(/198\.51\.100\.2.*(unreachable|Could not connect)|Unable to locate package/i);
      }
      console.log(formatStatus(status));
    }, 120_000);

    it("a Patroni node fails the same way: its packages never arrive and Patroni never starts", async () => {
      const node = ctx.plan.nodes.find((n) => n.name === "main-pg-0") ?? expect.fail("no main-pg-0");
      const images = await labImages(log);
      const t0 = Date.now();
      // Without a path it boots on the bare image: no package layer stands in for the apt it cannot run.
      const layers = await nodeLayers(ctx, images, node, log);
      expect(layers).toEqual([images.base]);
      await expect(bootNode(ctx, node, log, layers)).rejects.toThrow(/cloud-init modules --mode final|cloud-init reported errors/);
      console.log(`MEASURED main-pg-0 first boot to its failure: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const h = readNodeSupervisor(defaultStateDir(ctx.labDir, node.name)) ?? expect.fail("main-pg-0 is not running");
      const which = await runInNode(h, ["sh", "-c", "command -v patroni"], { allowFailure: true });
      expect([which.code === 0, which.stdout.trim()]).toEqual([false, ""]);
      const status = await collectStatus(ctx);
      expect(status.patroni.main ?? []).toEqual([]);
      expect(status.nodes.find((n) => n.name === "main-pg-0")?.firstBootFailure).toMatch(
        /it needs apt packages from the package mirror \(.*patroni.*\), but has no path to the internet: subnet yc-yc-a/,
      );
    }, 240_000);
  },
);
