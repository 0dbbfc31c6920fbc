// Every drill by name, in the order `pgha lab drill all` runs them.
import type { LabContext } from "../cli/labContext";
import { runBackupRestore } from "./backupRestore";
import { runCertRotation } from "./certRotation";
import { runFaultDrill, type FaultDrillSpec } from "./faultDrill";
import { DrillRun, type Log, primaryClusterEndpoint } from "./harness";
import { leaderEtcdPartition, leaderFreeze, switchover } from "./leaderFaults";
import { etcdMemberLoss, haproxyLoss, leaderCrash, leaderStop, replicaCrash } from "./nodeFaults";
import { inQuorumMode, leaderCrashQuorum, replicaCrashQuorum } from "./quorum";
import { runStandbyPromote } from "./standbyPromote";
import type { DrillResult } from "./types";

export type { DrillResult } from "./types";

type DrillRunner = (ctx: LabContext, log: Log) => Promise<DrillResult>;

function faultDrill(spec: FaultDrillSpec): DrillRunner {
  return (ctx, log) => {
    const { cluster, endpoint } = primaryClusterEndpoint(ctx);
    return runFaultDrill(new DrillRun(ctx, spec.name, cluster, endpoint, log), spec);
  };
}

export const DRILLS: Record<string, DrillRunner> = {
  "leader-crash": faultDrill(leaderCrash),
  "leader-stop": faultDrill(leaderStop),
  switchover: faultDrill(switchover),
  "replica-crash": faultDrill(replicaCrash),
  // Patroni 4 quorum commit, switched on live for the drill and back after it.
  "leader-crash-quorum": inQuorumMode(faultDrill(leaderCrashQuorum), (ctx) => primaryClusterEndpoint(ctx).cluster),
  "replica-crash-quorum": inQuorumMode(faultDrill(replicaCrashQuorum), (ctx) => primaryClusterEndpoint(ctx).cluster),
  "etcd-member-loss": faultDrill(etcdMemberLoss),
  "leader-etcd-partition": faultDrill(leaderEtcdPartition),
  "haproxy-loss": faultDrill(haproxyLoss),
  "backup-restore": runBackupRestore,
  // It rebuilds the standby cluster from scratch.
  "standby-promote": runStandbyPromote,
  // Last: where it fails (Patroni < 3.0.3 could split-brain here) the cluster may need a DBA.
  "leader-freeze": faultDrill(leaderFreeze),

  // Needs a lab synthesized before a renewal date that has passed (PGHA_SYNTH_NOW at lab up): not in `all`.
  "cert-rotation": runCertRotation,
};

/** Drills that need a particular lab (see their comment above): run by name only. */
export const SETUP_DRILLS = new Set(["cert-rotation"]);

/** The drills `pgha lab drill all` runs, in order. */
export const DRILL_NAMES = Object.keys(DRILLS).filter((d) => !SETUP_DRILLS.has(d));
