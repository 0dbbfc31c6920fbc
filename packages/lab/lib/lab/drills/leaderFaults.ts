// Drills where the leader stays up but loses its role: switchover,
// leader-etcd-partition, leader-freeze.
import type { SynthPlanNode } from "../../synth/plan";
import { isSynchronousStandby, patroniRequest } from "../cli/client";
import { healPartition, partitionNode } from "../network/network";
import { DRILL_TABLE } from "./writer";
import { type FaultContext, type FaultDrillSpec, leaseExpiryFailoverBounds, secondsToMs, streamsAsReplica } from "./faultDrill";
import { runInNode } from "../systemd/supervisorControl";
import { databaseProcesses, signalAll, supervisorOf } from "./nodeActions";
import { type DrillBound, upperBound } from "./types";

const changedLeader = (r: { leaderAfter?: string }, f: FaultContext): DrillBound => ({
  name: "a new leader",
  expected: `not ${f.leader.name}`,
  actual: r.leaderAfter ?? "none",
  ok: r.leaderAfter !== undefined && r.leaderAfter !== f.leader.name,
});

function candidateOf(f: FaultContext): string {
  const replicas = f.before.filter((m) => m.name !== f.leader.name);
  const c = replicas.find(isSynchronousStandby) ?? replicas[0];
  if (!c) throw new Error(`cluster ${f.run.cluster} has no replica to switch over to`);
  return c.name;
}

export const switchover: FaultDrillSpec = {
  name: "switchover",
  target: (f) => f.leader,
  inject: async (f, t) => {
    const candidate = candidateOf(f);
    const r = await patroniRequest(f.run.secrets, "POST", `https://${t.ip}:8008/switchover`, { leader: t.name, candidate });
    if (!r.ok) throw new Error(`switchover refused: ${r.status}`);
    return `POST /switchover {leader: ${t.name}, candidate: ${candidate}} -> ${r.status}`;
  },
  recover: (_f, t) => `nothing to undo: ${t.name} stays up and follows the new leader`,
  rejoined: streamsAsReplica,
  rejoinWhat: "streaming as a replica",
  bounds: (r, f) => [upperBound("RTO (planned switchover)", secondsToMs(f.run.timing.ttl), r.rtoMs), changedLeader(r, f)],
};

export const leaderEtcdPartition: FaultDrillSpec = {
  name: "leader-etcd-partition",
  target: (f) => f.leader,
  inject: async (f, t) => {
    const etcd = f.run.etcdHosts().map((h) => h.split(":")[0]);
    await partitionNode(f.run.ctx.net, f.run.ctx.netStateFile, t.name, etcd);
    return `${t.name} cut off from every etcd member (${etcd.join(", ")}); clients and replicas still reach it`;
  },
  recover: async (f, t) => {
    await healPartition(f.run.ctx.net, f.run.ctx.netStateFile, t.name);
    return `partition of ${t.name} healed`;
  },
  // Without failsafe_mode the leader serves until it gives up on the DCS (retry_timeout), then
  // demotes. With it, Patroni 4 keeps it primary for as long as every member accepts its POST
  // /failsafe ("continue to run as a leader because failsafe mode is enabled and all members are
  // accessible"), and the replicas do not race for the expired key: then no write may fail.
  outageStartsWithinMs: (f) => secondsToMs(f.run.timing.ttl + 10),
  rejoined: (f, t) => (f.run.timing.failsafeMode ? leadsAgain(f, t) : streamsAsReplica(f, t)),
  rejoinWhat: "back (streaming as a replica; with failsafe_mode, holding the leader key again)",
  bounds: (r, f) =>
    f.run.timing.failsafeMode
      ? [
          {
            name: "no failover: every member accepted the leader's POST /failsafe",
            expected: "0 failed writes",
            actual: `${r.failedWrites} failed writes`,
            ok: r.failedWrites === 0,
          },
        ]
      : [upperBound("RTO (the leader demotes, the lease expires)", secondsToMs(f.run.timing.ttl + 10), r.rtoMs), changedLeader(r, f)],
};

/** `t` holds the leader key (in the DCS, as /cluster reports it) and every other member streams from it. */
async function leadsAgain(f: FaultContext, t: SynthPlanNode): Promise<boolean> {
  const members = await f.run.currentMembers();
  if (members.find((m) => m.role === "leader")?.name !== t.name) return false;
  const others = members.filter((m) => m.name !== t.name);
  return (await Promise.all(others.map((m) => f.run.streamingReplica(m.name)))).every(Boolean);
}

interface FreezeState {
  frozen: ReturnType<typeof databaseProcesses>;
  rogueRun: string;
  rogue?: Promise<{ code: number; stdout: string; stderr: string }>;
  rogueAcked?: boolean;
  /** Rows of the rogue write on the leader and on the old leader, at the end. */
  rowsOnLeader?: string;
  rowsOnOld?: string;
}

const ROGUE_ID = 1;

export const leaderFreeze: FaultDrillSpec = {
  name: "leader-freeze",
  target: (f) => f.leader,
  inject: (f, t) => {
    const frozen = databaseProcesses(f.run.ctx, t.name);
    const n = signalAll(frozen, "SIGSTOP");
    f.state.freeze = { frozen, rogueRun: `${f.run.run}-rogue` } satisfies FreezeState;
    return `SIGSTOP to ${n} Patroni and PostgreSQL processes of ${t.name}`;
  },
  // The old leader is still frozen: a client that kept its address writes to it directly.
  afterFailover: (f, t) => {
    const st = f.state.freeze as FreezeState;
    st.rogue = f.run.sql(t, `INSERT INTO ${DRILL_TABLE} (run, id) VALUES ('${st.rogueRun}', ${ROGUE_ID}) RETURNING id`, 20);
    f.run.step(`rogue write sent straight to the frozen ${t.name}:5432 (run ${st.rogueRun})`);
  },
  recover: async (f, t) => {
    const st = f.state.freeze as FreezeState;
    const n = signalAll(st.frozen, "SIGCONT");
    const r = await st.rogue;
    const acked = r?.code === 0 && r.stdout.trim() === String(ROGUE_ID);
    st.rogueAcked = acked;
    return (
      `SIGCONT to ${n} processes of ${t.name}; ` +
      `the rogue write was ${acked ? "ACKNOWLEDGED" : `not acknowledged (${(r?.stderr ?? "").trim().split("\n")[0] || "no answer"})`}`
    );
  },
  rejoined: streamsAsReplica,
  rejoinWhat: "rewound and streaming as a replica",
  // A rewind takes seconds here; a node that took the leader key back never rejoins.
  rejoinTimeoutMs: 60_000,
  facts: async (f, t) => {
    const st = f.state.freeze as FreezeState;
    const count = async (n: SynthPlanNode) =>
      (await f.run.sql(n, `SELECT count(*) FROM ${DRILL_TABLE} WHERE run = '${st.rogueRun}'`)).stdout.trim();
    const leader = (await f.run.currentMembers()).find((m) => m.role === "leader");
    st.rowsOnLeader = leader ? await count(f.run.node(leader.name)) : "?";
    st.rowsOnOld = await count(t);
    const version =
      (await runInNode(supervisorOf(f.run.ctx, t.name), ["patroni", "--version"]).catch(() => undefined))?.stdout.trim() ?? "patroni ?";
    // A frozen leader that takes the key back on resume (Patroni < 3.0.3: patroni/patroni#2689)
    // shows as the rogue write acknowledged or kept, or the old leader leading at the end: the
    // bounds then fail, and the version names what ran.
    return [
      `rogue write acknowledged: ${st.rogueAcked ? "yes" : "no"}; rows of it on the leader: ` +
        `${st.rowsOnLeader}, on ${t.name} after rejoining: ${st.rowsOnOld}`,
      `${version} on the nodes`,
    ];
  },
  bounds: (r, f) => {
    const st = (f.state.freeze ?? {}) as Partial<FreezeState>;
    return [
      ...leaseExpiryFailoverBounds(r, f, "frozen leader"),
      changedLeader(r, f),
      {
        name: "rogue write gone everywhere",
        expected: "0 rows on leader and old leader",
        actual: `${st.rowsOnLeader} / ${st.rowsOnOld}`,
        ok: st.rowsOnLeader === "0" && st.rowsOnOld === "0",
      },
    ];
  },
};
