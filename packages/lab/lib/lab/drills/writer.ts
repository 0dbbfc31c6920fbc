// The drill's client load: one INSERT through the load balancer every 100 ms
// (a fresh psql connection each time, like a simple application reconnecting),
// recording which ids the database acknowledged.
import { psql } from "../cli/client";
import type { ClientSecrets } from "../cli/labContext";
import { sleep } from "../host/procs";

export const DRILL_TABLE = "pgha_lab_writes";

export interface WriteAttempt {
  id: number;
  startMs: number;
  endMs: number;
  ok: boolean;
  error?: string;
}

export interface Writer {
  attempts: WriteAttempt[];
  stop(): Promise<void>;
}

export async function ensureDrillTable(s: ClientSecrets, host: string, port: number, moreDdl: string[] = []): Promise<void> {
  for (const ddl of [
    `CREATE TABLE IF NOT EXISTS ${DRILL_TABLE} (run text NOT NULL, ` +
      `id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run, id))`,
    ...moreDdl,
  ]) {
    const r = await psql(s, host, port, ddl, 5);
    if (r.code !== 0) throw new Error(`cannot create the drill tables through ${host}:${port}: ${r.stderr.trim()}`);
  }
}

export function startWriter(s: ClientSecrets, host: string, port: number, run: string, intervalMs = 100): Writer {
  const attempts: WriteAttempt[] = [];
  let stopped = false;
  const loop = (async () => {
    for (let id = 1; !stopped; id++) {
      const startMs = Date.now();
      const r = await psql(s, host, port, `INSERT INTO ${DRILL_TABLE} (run, id) VALUES ('${run}', ${id}) RETURNING id`, 1);
      const ok = r.code === 0 && r.stdout.trim() === String(id);
      attempts.push({ id, startMs, endMs: Date.now(), ok, error: ok ? undefined : (r.stderr.trim().split("\n")[0] ?? "").slice(0, 160) });
      const wait = startMs + intervalMs - Date.now();
      if (wait > 0) await sleep(wait);
    }
  })();
  return {
    attempts,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** Acknowledged ids of `run` missing from the database (read through the primary listener). */
export async function lostAcknowledged(
  s: ClientSecrets,
  host: string,
  port: number,
  run: string,
  attempts: WriteAttempt[],
): Promise<number[]> {
  const r = await psql(s, host, port, `SELECT id FROM ${DRILL_TABLE} WHERE run = '${run}' ORDER BY id`, 10);
  if (r.code !== 0) throw new Error(`cannot read back ${DRILL_TABLE}: ${r.stderr.trim()}`);
  const present = new Set(r.stdout.split("\n").filter(Boolean).map(Number));
  return attempts.filter((a) => a.ok && !present.has(a.id)).map((a) => a.id);
}
