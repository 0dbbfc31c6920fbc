// Measurements bench/lab.ts takes against a running lab: pgbench runs from the lab
// client namespace, replay-lag sampling, and summary statistics.
import { inClient } from "../packages/lab/lib/lab/cli/client";
import type { ClientSecrets } from "../packages/lab/lib/lab/cli/labContext";

export const PGBENCH = "/usr/lib/postgresql/17/bin/pgbench";

export interface PgbenchResult {
  code: number;
  tps: number;
  latencyMs: number;
  failed: boolean;
  error?: string;
}

/** pgbench as the application role; the password travels in the environment only. */
export async function pgbench(s: ClientSecrets, host: string, port: number, args: string[], timeoutS: number): Promise<PgbenchResult> {
  const r = await inClient([PGBENCH, "-h", host, "-p", String(port), "-U", s.appUser, ...args, s.appDatabase], {
    env: { PGPASSWORD: s.appPassword, PGSSLMODE: "require", PGCONNECT_TIMEOUT: "5" },
    timeoutMs: (timeoutS + 30) * 1000,
  });
  const tps = Number(/tps = ([\d.]+)/.exec(r.stdout)?.[1] ?? Number.NaN);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(r.stdout)?.[1] ?? Number.NaN);
  const failed = r.code !== 0 || Number.isNaN(tps);
  return { code: r.code, tps, latencyMs, failed, error: failed ? (r.stderr.trim().split("\n").pop() ?? `exit ${r.code}`) : undefined };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const median = (values: number[]) => percentile(values, 50);

/** A plain text table, columns padded. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ")).join("\n");
}
