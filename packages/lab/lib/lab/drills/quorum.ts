// Quorum commit variants of the drills (Patroni >= 4.0): the running cluster is switched to
// `synchronous_mode: quorum` through its dynamic config (PATCH /config, what a day-2 change
// does; nothing restarts), the drill runs, and the cluster is switched back. With 3 members and
// synchronous_node_count 1 a commit waits for ANY 1 of the 2 replicas, and both are
// quorum_standby: losing either replica must not stall commits, and a failover must lose nothing.
import { getJson, healthyMembers, patroniCluster, patroniRequest } from "../cli/client";
import { type LabContext, clientSecrets, nodesOf } from "../cli/labContext";
import { waitFor } from "../cli/up";
import type { FaultDrillSpec } from "./faultDrill";
import { leaderCrash, replicaCrash } from "./nodeFaults";
import type { DrillResult } from "./types";

export const leaderCrashQuorum: FaultDrillSpec = { ...leaderCrash, name: "leader-crash-quorum" };

export const replicaCrashQuorum: FaultDrillSpec = {
  ...replicaCrash,
  name: "replica-crash-quorum",
  bounds: (r, f) => [
    ...replicaCrash.bounds(r, f),
    {
      name: "no commit waits for the lost replica (ANY 1 of 2 acknowledges)",
      expected: "0 failed writes",
      actual: `${r.failedWrites} failed writes`,
      ok: r.failedWrites === 0,
    },
  ],
};

type Mode = boolean | "quorum";

/** Switch the cluster's synchronous_mode through its leader; returns the mode it had. */
async function switchSynchronousMode(ctx: LabContext, cluster: string, mode: Mode, log: (l: string) => void): Promise<Mode> {
  const s = clientSecrets(ctx, { cluster });
  const nodes = nodesOf(ctx, "patroni", cluster);
  const c = await patroniCluster(
    s,
    nodes.map((n) => n.ip),
  );
  const leader = c?.members.find((m) => m.role === "leader");
  if (!leader) throw new Error(`cluster ${cluster} has no leader to change synchronous_mode on`);
  const before = (await getJson<{ synchronous_mode?: Mode }>(`https://${leader.host}:8008/config`, s))?.synchronous_mode ?? false;
  const r = await patroniRequest(s, "PATCH", `https://${leader.host}:8008/config`, { synchronous_mode: mode });
  if (!r.ok) throw new Error(`PATCH /config synchronous_mode=${mode}: ${r.status}`);
  const role = mode === "quorum" ? "quorum_standby" : mode ? "sync_standby" : undefined;
  await waitFor(`cluster ${cluster} ${role ? `with a ${role}` : "healthy"}`, 60_000, async () => {
    const members = await healthyMembers(s, nodes, false, role !== undefined);
    return members && (!role || members.some((m) => m.role === role)) ? true : undefined;
  });
  log(`  cluster ${cluster}: synchronous_mode ${JSON.stringify(mode)} (was ${JSON.stringify(before)}; PATCH /config on ${leader.name})`);
  return before;
}

/** `drill` run with the cluster in quorum mode; the cluster is switched back even when the drill fails. */
export function inQuorumMode(
  drill: (ctx: LabContext, log: (l: string) => void) => Promise<DrillResult>,
  clusterOf: (ctx: LabContext) => string,
) {
  return async (ctx: LabContext, log: (l: string) => void): Promise<DrillResult> => {
    const cluster = clusterOf(ctx);
    const before = await switchSynchronousMode(ctx, cluster, "quorum", log);
    const restore = () => switchSynchronousMode(ctx, cluster, before, log);
    // A drill that throws is reported as it is, after the cluster is put back.
    const r = await drill(ctx, log).catch(async (e: Error) => {
      await restore().catch(() => undefined);
      throw e;
    });
    const restored = await restore().then(
      () => true,
      (e: Error) => {
        log(`  synchronous_mode not restored: ${e.message}`);
        return false;
      },
    );
    const bound = {
      name: `synchronous_mode back to ${JSON.stringify(before)}`,
      expected: "yes",
      actual: restored ? "yes" : "no",
      ok: restored,
    };
    return {
      ...r,
      facts: [...r.facts, "synchronous_mode: quorum (a commit waits for ANY 1 of the replicas)"],
      bounds: [...r.bounds, bound],
      passed: r.passed && restored,
    };
  };
}
