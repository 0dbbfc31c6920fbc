// Split-brain watch: poll every member directly. A member out of recovery is only
// counted as a writable primary if it also acknowledges a probe write: a frozen old
// leader that wakes up outside recovery, but whose commits wait forever on a
// synchronous standby that no longer follows it, accepts nothing.
import type { SynthPlanNode } from "../../synth/plan";
import { psql } from "../cli/client";
import type { ClientSecrets } from "../cli/labContext";
import { sleep } from "../host/procs";
import type { PrimaryObservation } from "./types";

export const PROBE_TABLE = "pgha_lab_probe";

export const PROBE_TABLE_DDL = `CREATE TABLE IF NOT EXISTS ${PROBE_TABLE} (member text NOT NULL, at timestamptz NOT NULL DEFAULT now())`;

export interface PrimaryMonitor {
  observations: PrimaryObservation[];
  stop(): Promise<void>;
}

async function probe(s: ClientSecrets, m: SynthPlanNode): Promise<{ notInRecovery: boolean; writable: boolean }> {
  const r = await psql(s, m.ip, 5432, `SELECT pg_is_in_recovery()`, 1);
  if (r.code !== 0 || r.stdout.trim() !== "f") return { notInRecovery: false, writable: false };
  // psql is killed after a few seconds: a commit stuck waiting for a synchronous standby is never acknowledged.
  const w = await psql(s, m.ip, 5432, `INSERT INTO ${PROBE_TABLE} (member) VALUES ('${m.name}') RETURNING 'acked'`, 1);
  return { notInRecovery: true, writable: w.code === 0 && w.stdout.trim() === "acked" };
}

export function startPrimaryMonitor(s: ClientSecrets, members: SynthPlanNode[], intervalMs = 500): PrimaryMonitor {
  const observations: PrimaryObservation[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const atMs = Date.now();
      const answers = await Promise.all(members.map(async (m) => ({ m, a: await probe(s, m) })));
      observations.push({
        atMs,
        notInRecovery: answers.filter((x) => x.a.notInRecovery).map((x) => x.m.name),
        writable: answers.filter((x) => x.a.writable).map((x) => x.m.name),
      });
      await sleep(Math.max(0, atMs + intervalMs - Date.now()));
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
