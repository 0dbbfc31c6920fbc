// Drill leader-crash: the leader's VM dies (kill -9 of every process of the
// node + its cable cut) while the writer inserts through the VIP. Measures
// RTO, acknowledged writes lost, concurrent writable primaries, rejoin time.
import type { SynthPlanNode } from "../../synth/plan";
import { type PatroniMember, patroniCluster, psql } from "../client";
import { parse as parseYaml } from "yaml";
import { type LabContext, clientSecrets, fileOf, nodesOf } from "../labContext";
import { cutNode, restoreNode } from "../network";
import { sleep } from "../procs";
import { patroniTable } from "../status";
import { defaultStateDir, killNode, readNodeSupervisor } from "../supervisorControl";
import { bootNode, standbyClusters, waitFor } from "../up";
import { type WriteAttempt, ensureDrillTable, lostAcknowledged, startWriter } from "../writer";

export interface DrillStep {
  atMs: number;
  text: string;
}

export interface PrimaryObservation {
  atMs: number;
  /** Members that answered `pg_is_in_recovery() = false` in this poll. */
  writable: string[];
}

export interface DrillResult {
  drill: string;
  cluster: string;
  failedNode: string;
  newLeader?: string;
  t0Ms: number;
  faultAtMs: number;
  rtoMs?: number;
  ackedWrites: number;
  failedWrites: number;
  lostAcknowledged: number[];
  maxWritablePrimaries: number;
  rejoinMs?: number;
  before: string;
  after: string;
  steps: DrillStep[];
  attempts: WriteAttempt[];
  observations: PrimaryObservation[];
  ttl: number;
  passed: boolean;
}

function primaryCluster(ctx: LabContext): string {
  const standby = standbyClusters(ctx);
  const c = nodesOf(ctx, "patroni").find((n) => !standby.has(n.component));
  if (!c) throw new Error("no primary Patroni cluster in the plan");
  return c.component;
}

/** Poll every member directly: who answers as a writable primary right now? */
function startPrimaryMonitor(ctx: LabContext, members: SynthPlanNode[]): { observations: PrimaryObservation[]; stop(): Promise<void> } {
  const s = clientSecrets(ctx);
  const observations: PrimaryObservation[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const atMs = Date.now();
      const answers = await Promise.all(members.map(async (m) => ({ m, r: await psql(s, m.ip, 5432, "SELECT pg_is_in_recovery()", 1) })));
      observations.push({ atMs, writable: answers.filter((a) => a.r.code === 0 && a.r.stdout.trim() === "f").map((a) => a.m.name) });
      await sleep(Math.max(0, atMs + 500 - Date.now()));
    }
  })();
  return {
    observations,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** Patroni's DCS ttl for the cluster, from its rendered patroni.yml. */
function ttlOf(ctx: LabContext, cluster: string): number {
  const node = nodesOf(ctx, "patroni", cluster)[0];
  const doc = parseYaml(fileOf(ctx, node, "/etc/patroni/patroni.yml")) as { bootstrap?: { dcs?: { ttl?: number } } };
  return doc.bootstrap?.dcs?.ttl ?? 30;
}

export async function runLeaderCrash(ctx: LabContext, log: (l: string) => void): Promise<DrillResult> {
  const cluster = primaryCluster(ctx);
  const s = clientSecrets(ctx, { cluster });
  const members = nodesOf(ctx, "patroni", cluster);
  const vip = ctx.plan.loadBalancers.find((l) => l.address && l.listeners.some((x) => x.name === "primary"));
  if (!vip?.address) throw new Error("the plan has no load balancer with a primary listener");
  const host = vip.address;
  const port = (vip.listeners.find((l) => l.name === "primary") as { port: number }).port;
  const t0Ms = Date.now();
  const steps: DrillStep[] = [];
  const step = (text: string) => {
    steps.push({ atMs: Date.now() - t0Ms, text });
    log(`  [${((Date.now() - t0Ms) / 1000).toFixed(1)} s] ${text}`);
  };

  const before = await waitFor("a healthy cluster before the drill", 120_000, async () => {
    const c = await patroniCluster(s, members.map((m) => m.ip));
    const ok = c && c.members.filter((m) => m.role === "leader" && m.state === "running").length === 1 && c.members.filter((m) => m.state === "running" || m.state === "streaming").length === members.length;
    return ok ? c.members : undefined;
  });
  const leader = (before.find((m) => m.role === "leader") as PatroniMember).name;
  const leaderNode = members.find((m) => m.name === leader) as SynthPlanNode;
  step(`cluster ${cluster} healthy; leader ${leader}`);
  await ensureDrillTable(s, host, port);
  const run = `leader-crash-${t0Ms}`;
  const writer = startWriter(s, host, port, run);
  const monitor = startPrimaryMonitor(ctx, members);
  step(`writer started: INSERT through ${host}:${port} every 100 ms; every member polled for pg_is_in_recovery() every 500 ms`);
  await sleep(3000);

  const handle = readNodeSupervisor(defaultStateDir(ctx.labDir, leader));
  if (!handle) throw new Error(`leader ${leader} has no running supervisor`);
  const faultAtMs = Date.now();
  await Promise.all([killNode(handle), cutNode(ctx.net, leader)]);
  step(`FAULT: kill -9 of every process of ${leader} and its link cut`);

  let rtoMs: number | undefined;
  try {
    await waitFor("first acknowledged write after the fault", 90_000, async () => {
      const a = writer.attempts.find((x) => x.ok && x.startMs > faultAtMs);
      return a ? a : undefined;
    });
    const first = writer.attempts.find((x) => x.ok && x.startMs > faultAtMs) as WriteAttempt;
    rtoMs = first.endMs - faultAtMs;
    step(`first acknowledged write after the fault (id ${first.id}): RTO ${(rtoMs / 1000).toFixed(1)} s`);
  } catch (e) {
    step(`no acknowledged write within 90 s: ${(e as Error).message}`);
  }
  await sleep(3000);
  await writer.stop();
  step(`writer stopped: ${writer.attempts.filter((a) => a.ok).length} acknowledged, ${writer.attempts.filter((a) => !a.ok).length} failed`);

  const lost = await lostAcknowledged(s, host, port, run, writer.attempts);
  step(`read back through ${host}:${port}: ${lost.length} acknowledged write(s) missing`);
  const mid = await patroniCluster(s, members.filter((m) => m.name !== leader).map((m) => m.ip));
  const newLeader = mid?.members.find((m) => m.role === "leader")?.name;

  const restoreAt = Date.now();
  await restoreNode(ctx.net, leader);
  await bootNode(ctx, leaderNode, () => undefined);
  step(`${leader}: link restored, node booted again (supervisor starts its enabled units)`);
  let rejoinMs: number | undefined;
  try {
    await waitFor(`${leader} running as a replica`, 150_000, async () => {
      const c = await patroniCluster(s, members.map((m) => m.ip));
      const m = c?.members.find((x) => x.name === leader);
      return m && m.role !== "leader" && (m.state === "running" || m.state === "streaming") ? true : undefined;
    });
    rejoinMs = Date.now() - restoreAt;
    step(`${leader} rejoined as a replica after ${(rejoinMs / 1000).toFixed(1)} s`);
  } catch (e) {
    step(`${leader} did not rejoin: ${(e as Error).message}`);
  }
  await monitor.stop();
  const after = (await patroniCluster(s, members.map((m) => m.ip)))?.members ?? [];
  const maxWritablePrimaries = Math.max(0, ...monitor.observations.map((o) => o.writable.length));
  const ttl = ttlOf(ctx, cluster);
  const passed = rtoMs !== undefined && lost.length === 0 && maxWritablePrimaries <= 1 && rejoinMs !== undefined;
  return {
    drill: "leader-crash",
    cluster,
    failedNode: leader,
    newLeader,
    t0Ms,
    faultAtMs,
    rtoMs,
    ackedWrites: writer.attempts.filter((a) => a.ok).length,
    failedWrites: writer.attempts.filter((a) => !a.ok).length,
    lostAcknowledged: lost,
    maxWritablePrimaries,
    rejoinMs,
    before: patroniTable(cluster, before),
    after: patroniTable(cluster, after),
    steps,
    attempts: writer.attempts,
    observations: monitor.observations,
    ttl,
    passed,
  };
}
