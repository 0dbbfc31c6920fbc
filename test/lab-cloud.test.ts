// The lab boots a Yandex plan: the shipped yc-homework stack fitted to this
// host (`--fit-host`: no WAL-G backups, whose binary the lab cannot download,
// and an HAProxy maxconn within this sandbox's 20000 open files), each change
// being one the preflight would otherwise name. Everything else is the cloud plan as
// synthesized: the planned IPs in three zone subnets, Debian 13 user-data, data
// disks prepared by the node's own pgha-prepare-disk, and the Network Load
// Balancer, realised as an HAProxy in its own namespace. Then the leader-crash
// drill runs through that load balancer. Needs root and loop devices.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveStackFile } from "../lib/cli/stackArg";
import { isMemberUp, psql } from "../lib/lab/client";
import { loopDevicesAvailable } from "../lib/lab/dataDisk";
import { labDown } from "../lib/lab/down";
import { fitStackToHost, hostFactsHere } from "../lib/lab/fitHost";
import { DRILLS } from "../lib/lab/drills";
import { type LabContext, clientSecrets, labDirFor } from "../lib/lab/labContext";
import { netnsExists } from "../lib/lab/network";
import { readAttachedDataDisks } from "../lib/lab/nodeView";
import { openFilesHardLimit } from "../lib/lab/preflight";
import { haproxyMaxconnWithin } from "../lib/render/haproxy";
import { renderDrillReport } from "../lib/lab/report";
import { type LabStatus, collectStatus } from "../lib/lab/status";
import { defaultStateDir, readNodeSupervisor, runInNode } from "../lib/lab/supervisorControl";
import { labUp } from "../lib/lab/up";

const isRoot = process.getuid?.() === 0;
const log = (l: string) => console.log(l);

const STACK = "yc-homework-fit";
const GCP = "gcp-dr-fit";

/**
 * `pgha lab up <stack> --fit-host`: checks the changes it makes when `changes` is given, boots
 * the fitted stack (never beside another lab: they share the fabric) and reads its status.
 */
async function upFitted(stack: string, changes?: string[]): Promise<{ ctx: LabContext; status: LabStatus }> {
  for (const s of ["lab", STACK, GCP]) if (existsSync(labDirFor(s))) throw new Error(`${labDirFor(s)} exists: a lab is running here; run 'pgha lab down' first`);
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
  return ["/var/lib/postgresql", "/etc/postgresql"].flatMap((d) => (existsSync(d) ? execFileSync("find", [d], { encoding: "utf8" }).split("\n") : []));
}

async function dataMount(node: string): Promise<string> {
  const h = readNodeSupervisor(defaultStateDir(labDirFor(STACK), node)) ?? expect.fail(`${node} is not running`);
  const r = await runInNode(h, ["findmnt", "--noheadings", "--output", "SOURCE,FSTYPE", "/var/lib/postgresql"]);
  return r.stdout.trim().replace(/\s+/g, " ");
}

describe.skipIf(!isRoot || !loopDevicesAvailable())("pgha lab boots a yandex plan: planned IPs, data disks, the NLB stand-in, leader-crash through it", () => {
  let ctx: LabContext;
  let status: LabStatus;
  let hostFilesBefore: string[];

  beforeAll(async () => {
    hostFilesBefore = hostPostgresFiles();
    const openFiles = openFilesHardLimit();
    ({ ctx, status } = await upFitted("yc-homework", [
      "clusters[0] (main).backups removed: the WAL-G binary cannot be downloaded here",
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
    expect(status.loadBalancers).toEqual([expect.objectContaining({ name: "main", kind: "cloud", address: "10.130.1.45", holder: "lb-main" })]);
    // Its health check sees the HAProxy pair (the plan's targets) on every listener.
    const targets = status.haproxy.filter((h) => h.node === "lb-main" && h.proxy === "primary");
    expect(targets.map((t) => t.server).sort()).toEqual(["main-haproxy-0", "main-haproxy-1"]);
    expect(targets.some((t) => t.status === "UP")).toBe(true);
  });

  it("answers through the load balancer: the primary listener writes, the replicas listener reads from a replica", async () => {
    const s = clientSecrets(ctx);
    const w = await psql(s, "10.130.1.45", 5000, "CREATE TABLE IF NOT EXISTS lb_probe(id int); INSERT INTO lb_probe VALUES (1); SELECT pg_is_in_recovery()");
    expect(w.stdout.trim().split("\n").pop()).toBe("f");
    const r = await psql(s, "10.130.1.45", 5001, "SELECT pg_is_in_recovery()");
    expect(r.stdout.trim()).toBe("t");
  });

  it("keeps PostgreSQL's data on the node's own data disk (an ext4 the node formatted), and leaves the host's PostgreSQL files alone", async () => {
    for (const n of ["main-pg-0", "main-pg-1", "main-pg-2"]) {
      const [disk] = readAttachedDataDisks(labDirFor(STACK), n);
      expect(await dataMount(n)).toBe(`${disk.loop} ext4`);
    }
    expect(hostPostgresFiles()).toEqual(hostFilesBefore);
  });

  it("drill leader-crash through the NLB stand-in: within bounds, nothing acknowledged lost, and the crashed node comes back on its data disk", async () => {
    const r = await DRILLS["leader-crash"](ctx, log);
    console.log(renderDrillReport([r], "lab-cloud.md").markdown);
    const failed = r.bounds.filter((b) => !b.ok).map((b) => `${b.name}: expected ${b.expected}, measured ${b.actual}`);
    expect(failed).toEqual([]);
    expect(r.lostAcknowledged).toEqual([]);
    expect(r.maxWritablePrimaries).toBeLessThanOrEqual(1);
    expect(r.rejoinMs).toBeDefined();
    // The crashed node booted again: its supervisor mounted the data disk from fstab before Patroni started.
    for (const n of ["main-pg-0", "main-pg-1", "main-pg-2"]) expect(await dataMount(n), n).toMatch(/^\/dev\/loop\d+ ext4$/);
  }, 420_000);

  it("lab down removes the namespaces, detaches the loop devices and removes the lab directory", async () => {
    const images = readdirSync(join(labDirFor(STACK), "nodes")).flatMap((n) => readAttachedDataDisks(labDirFor(STACK), n).map((d) => d.image));
    expect(images).toHaveLength(6);
    const namespaces = [...status.nodes.map((n) => n.namespace), "pgha-lab-client", "pgha-fabric"];
    await labDown(labDirFor(STACK), log);
    for (const ns of namespaces) expect(netnsExists(ns), ns).toBe(false);
    const attached = execFileSync("losetup", ["--list", "--noheadings", "--output", "BACK-FILE"], { encoding: "utf8" });
    for (const image of images) expect(attached).not.toContain(image);
    expect(existsSync(labDirFor(STACK))).toBe(false);
  }, 120_000);
});

// gcp-dr fitted: a cross-region topology with a standby cluster streaming through the
// global TCP proxy stand-in across the 50 ms link, and the DR region's own internal LB.
describe.skipIf(!isRoot || !loopDevicesAvailable())("pgha lab boots a gcp plan: a standby cluster behind the global LB stand-in, readable through its own LB", () => {
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

  it("serves the DR region through its own LB while standby: reads via PgBouncer, the standby leader via direct, no primary", async () => {
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
    await psql(s, ctx.plan.loadBalancers.find((l) => l.name === "main")?.address as string, 5000, "CREATE TABLE IF NOT EXISTS dr_probe(id int); INSERT INTO dr_probe VALUES (42)");
    const deadline = Date.now() + 20_000;
    let seen = "";
    while (seen !== "42" && Date.now() < deadline) {
      seen = (await psql(s, dr, 5001, "SELECT max(id) FROM dr_probe")).stdout.trim();
      if (seen !== "42") await new Promise((r) => setTimeout(r, 200));
    }
    expect(seen).toBe("42");
  });
});
