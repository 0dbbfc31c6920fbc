// The lab boots a Yandex plan: the shipped yc-homework stack fitted to this
// host (`--fit-host`: PostgreSQL 15 instead of 16, no WAL-G backups, whose
// binary the lab cannot download, and an HAProxy maxconn within this sandbox's
// 20000 open files), each change being one the preflight would otherwise name. Everything else is the cloud plan as
// synthesized: the planned IPs in three zone subnets, Ubuntu user-data, data
// disks prepared by the node's own pgha-prepare-disk, and the Network Load
// Balancer, realised as an HAProxy in its own namespace. Then the leader-crash
// drill runs through that load balancer. Needs root and loop devices.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveStackFile } from "../lib/cli/stackArg";
import { psql } from "../lib/lab/client";
import { loopDevicesAvailable } from "../lib/lab/dataDisk";
import { labDown } from "../lib/lab/down";
import { fitStackToHost } from "../lib/lab/fitHost";
import { DRILLS } from "../lib/lab/drills";
import { type LabContext, clientSecrets, labDirFor } from "../lib/lab/labContext";
import { netnsExists } from "../lib/lab/network";
import { readAttachedDataDisks } from "../lib/lab/nodeView";
import { installedPostgresMajors, openFilesHardLimit } from "../lib/lab/preflight";
import { renderDrillReport } from "../lib/lab/report";
import { type LabStatus, collectStatus } from "../lib/lab/status";
import { defaultStateDir, readNodeSupervisor, runInNode } from "../lib/lab/supervisorControl";
import { labUp } from "../lib/lab/up";

const isRoot = process.getuid?.() === 0;
const log = (l: string) => console.log(l);

/** What `pgha lab up yc-homework --fit-host` boots. */
function fittedStack(): { stack: string; stackFile: string } {
  const fit = fitStackToHost(resolveStackFile("yc-homework"), "yc-homework", { postgresMajors: installedPostgresMajors(), openFilesLimit: openFilesHardLimit() });
  expect(fit.changes).toEqual([
    "clusters[0] (main).postgres.major: 16 -> 15, the newest installed here",
    "clusters[0] (main).backups removed: the WAL-G binary cannot be downloaded here",
    `clusters[0] (main).haproxy.maxconn: 10000 -> ${Math.floor((openFilesHardLimit() - 50) / 2)}, what ${openFilesHardLimit()} open files (ulimit -Hn) allow`,
  ]);
  return fit;
}
const STACK = "yc-homework-fit";

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
    for (const s of ["lab", STACK]) if (existsSync(labDirFor(s))) throw new Error(`${labDirFor(s)} exists: a lab is running here; run 'pgha lab down' first`);
    hostFilesBefore = hostPostgresFiles();
    const t0 = Date.now();
    ctx = await labUp(fittedStack().stackFile, log);
    console.log(`MEASURED lab up (${STACK}): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    status = await collectStatus(ctx);
  }, 420_000);

  afterAll(async () => {
    if (existsSync(labDirFor(STACK))) await labDown(labDirFor(STACK), log);
  }, 120_000);

  it("runs every planned node on its planned IP, and the NLB stand-in on the planned frontend address", () => {
    const byName = new Map(status.nodes.map((n) => [n.name, n]));
    for (const n of ctx.plan.nodes) expect(byName.get(n.name)?.ip, n.name).toBe(n.ip);
    expect(status.nodes.filter((n) => n.supervisor !== "running").map((n) => n.name)).toEqual([]);
    expect(byName.get("lb-main")).toMatchObject({ role: "cloud-lb", ip: "10.130.1.45", namespace: "pgha-lb-main" });
    const main = status.patroni.main;
    expect(main.filter((m) => m.role === "leader")).toHaveLength(1);
    expect(main.filter((m) => m.role === "sync_standby")).toHaveLength(1);
    expect(main.every((m) => m.state === "running" || m.state === "streaming")).toBe(true);
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
