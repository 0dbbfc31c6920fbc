// Drill standby-promote: the source region is lost (every Patroni and HAProxy node of
// the source cluster crashes at once); the DBA promotes the standby cluster as the
// README says (PATCH /config standby_cluster=null) and the application writes to it.
// Then the source comes back and the standby is re-seeded from it, as a DBA would:
// stop Patroni, wipe the data directory and the cluster's DCS keys, start Patroni.
import type { SynthPlanNode } from "../../synth/plan";
import { etcdDeletePrefix, healthyMembers, patroniCluster, patroniRequest } from "../cli/client";
import { clientSecrets, type LabContext, nodesOf } from "../cli/labContext";
import { sleep } from "../host/procs";
import { defaultStateDir, runInNode, supervisorCommand } from "../systemd/supervisorControl";
import { waitFor } from "../cli/up";
import { lostAcknowledged, startWriter } from "./writer";
import { timingOf } from "../node/patroniPlan";
import { DrillRun, primaryClusterEndpoint, type Log } from "./harness";
import { crashNode, rebootNode, supervisorOf } from "./nodeActions";
import { type DrillResult, safetyBounds, seconds, upperBound } from "./types";

/** Async cross-region replication: the last writes before the loss may not have crossed. */
export const MAX_LOST_ASYNC = 10;

export async function runStandbyPromote(ctx: LabContext, log: Log): Promise<DrillResult> {
  const { cluster, endpoint } = primaryClusterEndpoint(ctx);
  const link = ctx.plan.standbyLinks.find((l) => l.source === cluster);
  if (!link) throw new Error(`no standby cluster follows ${cluster} in this plan`);
  const run = new DrillRun(ctx, "standby-promote", cluster, endpoint, log);
  const standbyNodes = nodesOf(ctx, "patroni", link.cluster);
  const ss = clientSecrets(ctx, { cluster: link.cluster });
  const etcdOfStandby = run.etcdHostsOf(standbyNodes[0]).map((h) => `https://${h}`);

  const standbyStreaming = async () => {
    const m = await healthyMembers(ss, standbyNodes, true);
    return m && (await run.streamingReplica(m.find((x) => x.role === "standby_leader")?.name ?? "-")) ? m : undefined;
  };
  const before = await run.healthy();
  const standbyBefore = await waitFor(`standby ${link.cluster} streaming from ${cluster}`, 150_000, standbyStreaming);
  const standbyLeader = run.node((standbyBefore.find((m) => m.role === "standby_leader") as { name: string }).name);
  run.step(
    `source ${cluster} healthy; ` +
      `standby ${link.cluster} leader ${standbyLeader.name} streams from ${link.host}:${link.port} (slot ${link.slot})`,
  );
  await run.startLoad();

  const region = [...run.members, ...nodesOf(ctx, "haproxy", cluster)];
  const lostAt = Date.now();
  run.fault(
    `region lost: ${(await Promise.all(region.map((n) => crashNode(ctx, n)))).length} ` +
      `nodes of ${cluster} killed and cut (${region.map((n) => n.name).join(", ")})`,
    lostAt,
  );

  const patched = await patroniRequest(ss, "PATCH", `https://${standbyLeader.ip}:8008/config`, { standby_cluster: null });
  run.step(`PATCH /config {"standby_cluster": null} on ${standbyLeader.name} -> ${patched.status}`);
  const promoteMs = await run.timeUntil(`${standbyLeader.name} promoted (leader, out of recovery)`, 90_000, async () => {
    const c = await patroniCluster(
      ss,
      standbyNodes.map((n) => n.ip),
    );
    const r = await run.sql(standbyLeader, "SELECT pg_is_in_recovery()", 2);
    return c?.members.some((m) => m.name === standbyLeader.name && m.role === "leader") === true && r.stdout.trim() === "f";
  });
  // The application fails over to the standby region's endpoint.
  const drRun = `${run.run}-promoted`;
  const drWriter = startWriter(run.secrets, standbyLeader.ip, 5432, drRun);
  run.step(`writer 2: INSERT straight to ${standbyLeader.ip}:5432 every 100 ms`);
  let rtoMs: number | undefined;
  await run.timeUntil("first acknowledged write on the promoted standby", 60_000, () => {
    const a = drWriter.attempts.find((x) => x.ok);
    if (a) rtoMs = a.endMs - run.faultAtMs;
    return a !== undefined;
  });
  if (rtoMs !== undefined)
    run.step(`RTO (region loss to the first write on ${link.cluster}) ${seconds(rtoMs)}, promotion alone ${seconds(promoteMs)}`);
  await sleep(2000);
  await Promise.all([run.writer?.stop(), drWriter.stop()]);
  const attempts = run.writer?.attempts ?? [];
  const lost = await lostAcknowledged(run.secrets, standbyLeader.ip, 5432, run.run, attempts);
  const lostPromoted = await lostAcknowledged(run.secrets, standbyLeader.ip, 5432, drRun, drWriter.attempts);
  run.step(
    `read back on ${standbyLeader.name}: ${lost.length} of ${attempts.filter((a) => a.ok).length} writes ` +
      `acknowledged by ${cluster} missing; ${lostPromoted.length} of the promoted cluster's own missing`,
  );

  const recoverAt = Date.now();
  await Promise.all(region.map((n) => rebootNode(ctx, n)));
  await run.healthy();
  run.step(`${cluster} back (its nodes rebooted); re-seeding ${link.cluster} from it`);
  await reseedStandby(ctx, run, standbyNodes, ss, etcdOfStandby, link.cluster);
  const rejoinMs = await run.timeUntil(
    `${link.cluster} streaming again as a standby of ${cluster}`,
    240_000,
    async () => (await standbyStreaming()) !== undefined,
  );
  const monitor = await run.stopMonitor();
  const after =
    (
      await patroniCluster(
        ss,
        standbyNodes.map((n) => n.ip),
      )
    )?.members ?? [];
  const result: DrillResult = {
    drill: "standby-promote",
    cluster: link.cluster,
    failedNode: region.map((n) => n.name).join(", "),
    leaderBefore: standbyLeader.name,
    leaderAfter: after.find((m) => m.role === "standby_leader" || m.role === "leader")?.name,
    t0Ms: run.t0Ms,
    faultAtMs: run.faultAtMs,
    rtoMs,
    ackedWrites: attempts.filter((a) => a.ok).length + drWriter.attempts.filter((a) => a.ok).length,
    failedWrites: attempts.filter((a) => !a.ok).length + drWriter.attempts.filter((a) => !a.ok).length,
    lostAcknowledged: [...lost, ...lostPromoted],
    maxWritablePrimaries: monitor.maxWritablePrimaries,
    maxNotInRecovery: monitor.maxNotInRecovery,
    rejoinMs: rejoinMs === undefined ? undefined : Date.now() - recoverAt,
    before: `${run.table(before)}\n${run.table(standbyBefore, link.cluster)}`,
    after: `${run.table(await run.currentMembers())}\n${run.table(after, link.cluster)}`,
    steps: run.steps,
    attempts: [...attempts, ...drWriter.attempts],
    observations: monitor.observations,
    bounds: [],
    facts: [
      `promotion (PATCH to leader, out of recovery): ${seconds(promoteMs)}`,
      `writes acknowledged by ${cluster} and missing on the promoted ${link.cluster}: ` +
        `${lost.length} (asynchronous cross-region replication)`,
    ],
    passed: false,
  };
  const ttl = timingOf(ctx, standbyNodes[0]).ttl;
  result.bounds = [
    upperBound("RTO (region loss to the first write on the promoted standby)", (ttl + 10) * 1000, rtoMs),
    {
      name: `writes lost in the region loss (async, <= 1 s of writes)`,
      expected: `<= ${MAX_LOST_ASYNC}`,
      actual: String(lost.length),
      ok: lost.length <= MAX_LOST_ASYNC,
    },
    ...safetyBounds({ lostAcknowledged: lostPromoted, maxWritablePrimaries: result.maxWritablePrimaries }).map((b) => ({
      ...b,
      name: `${b.name} (promoted cluster / source)`,
    })),
    {
      name: `${link.cluster} re-seeded as a standby`,
      expected: "yes",
      actual: rejoinMs === undefined ? "no" : "yes",
      ok: rejoinMs !== undefined,
    },
  ];
  result.passed = result.bounds.every((b) => b.ok);
  return result;
}

/** systemctl stop patroni; rm -rf the data directory; drop the DCS keys; systemctl start patroni. */
async function reseedStandby(
  ctx: LabContext,
  run: DrillRun,
  nodes: SynthPlanNode[],
  ss: ReturnType<typeof clientSecrets>,
  etcd: string[],
  cluster: string,
): Promise<void> {
  for (const n of nodes) await supervisorCommand(defaultStateDir(ctx.labDir, n.name), { op: "stop", unit: "patroni.service" });
  for (const n of nodes) {
    const r = await runInNode(supervisorOf(ctx, n.name), ["sh", "-c", `rm -rf -- ${run.dataDirOf(n)}`]);
    if (r.code !== 0) throw new Error(`${n.name}: cannot wipe the data directory: ${r.stderr}`);
  }
  await etcdDeletePrefix(ss, etcd, `${run.namespaceOf(nodes[0])}${cluster}/`);
  for (const n of nodes) await supervisorCommand(defaultStateDir(ctx.labDir, n.name), { op: "start", unit: "patroni.service" });
  run.step(`${cluster}: Patroni stopped, data directory and DCS keys removed, Patroni started (bootstraps as a standby again)`);
}
