// Every drill by name, in the order `pgha lab drill all` runs them.
import type { LabContext } from "../labContext";
import { runBackupRestore } from "./backupRestore";
import { runFaultDrill, type FaultDrillSpec } from "./faultDrill";
import { DrillRun, type Log, primaryClusterEndpoint } from "./harness";
import { leaderEtcdPartition, leaderFreeze, switchover } from "./leaderFaults";
import { etcdMemberLoss, haproxyLoss, leaderCrash, leaderStop, replicaCrash } from "./nodeFaults";
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
  "etcd-member-loss": faultDrill(etcdMemberLoss),
  "leader-etcd-partition": faultDrill(leaderEtcdPartition),
  "haproxy-loss": faultDrill(haproxyLoss),
  "backup-restore": runBackupRestore,
  // It rebuilds the standby cluster from scratch.
  "standby-promote": runStandbyPromote,
  // Last: on Patroni < 3.0.3 it can end in a split brain that leaves the cluster needing a DBA.
  "leader-freeze": faultDrill(leaderFreeze),
};

export const DRILL_NAMES = Object.keys(DRILLS);
