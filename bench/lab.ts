/**
 * Lab benchmark (not a test; root, about 10 minutes): boots the default `lab` stack and prints,
 * side by side in one run,
 *   - lab bring-up: `lab up` on fresh nodes (with --empty-cache: first with the Debian 13 images,
 *     mirror and package layers built from nothing, then warm), an idempotent second `lab up`,
 *     and `lab down`, for the default lab stack and for yc-homework fitted to this host;
 *   - pgbench select-only: through HAProxy (+ PgBouncer, and `direct` without it) vs the leader directly;
 *   - pgbench -C (a connection per transaction): through PgBouncer vs PostgreSQL directly;
 *   - replay lag under pgbench write load: in-region replicas vs the standby 50 ms away;
 *   - median leader-crash RTO over N runs: the `fast` timing profile vs `default`, switched
 *     on the running cluster through PATCH /config (a day-2 change, nothing restarted).
 *   npx tsx bench/lab.ts [--runs 3] [--seconds 10] [--only throughput,lag,rto] [--empty-cache]
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { resolveStackFile } from "../packages/lab/lib/cli/stackArg";
import { TIMING_PROFILES } from "../packages/pgha/lib/config";
import { patroniRequest } from "../packages/lab/lib/lab/cli/client";
import { labDown } from "../packages/lab/lib/lab/cli/down";
import { DRILLS } from "../packages/lab/lib/lab/drills";
import { DrillRun, primaryClusterEndpoint } from "../packages/lab/lib/lab/drills/harness";
import { clientSecrets, type LabContext, labDirFor, nodesOf } from "../packages/lab/lib/lab/cli/labContext";
import { sleep } from "../packages/lab/lib/lab/host/procs";
import { fitStackToHost, hostFactsHere } from "../packages/lab/lib/lab/cli/fitHost";
import { labUp } from "../packages/lab/lib/lab/cli/up";
import { runAsPostgres } from "../packages/lab/lib/lab/drills/nodeActions";
import { median, pgbench, percentile, table } from "./labMeasure";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg("runs", 3);
const onlyAt = process.argv.indexOf("--only");
/** --only throughput,lag,rto: run a subset (bring-up is always measured). */
const ONLY = new Set(onlyAt > 0 ? process.argv[onlyAt + 1].split(",") : ["throughput", "lag", "rto"]);
const SECONDS = arg("seconds", 10);
const quiet = () => undefined;
const say = (line: string) => process.stdout.write(`${line}\n`);

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = Date.now();
  const value = await f();
  return { ms: Date.now() - t, value };
}

async function leaderAndReplicas(ctx: LabContext) {
  const { cluster, endpoint } = primaryClusterEndpoint(ctx);
  const run = new DrillRun(ctx, "bench", cluster, endpoint, quiet);
  const members = await run.healthy();
  const leader = run.leaderOf(members);
  return { run, endpoint, leader, replicas: run.members.filter((m) => m.name !== leader.name) };
}

/** pgbench's tables (scale 5), created straight on the leader. */
async function pgbenchInit(ctx: LabContext): Promise<void> {
  const { leader } = await leaderAndReplicas(ctx);
  const init = await pgbench(clientSecrets(ctx), leader.ip, 5432, ["-i", "-q", "-s", "5"], 120);
  if (init.code !== 0) throw new Error(`pgbench -i: ${init.error}`);
}

async function throughput(ctx: LabContext): Promise<void> {
  const s = clientSecrets(ctx);
  const { endpoint, leader } = await leaderAndReplicas(ctx);
  await pgbenchInit(ctx);
  const c = ["-c", "4", "-j", "2", "-T", String(SECONDS)];
  const rows: (string | number)[][] = [];
  const add = async (what: string, host: string, port: number, extra: string[]) => {
    const r = await pgbench(s, host, port, [...extra, ...c], SECONDS);
    rows.push([what, `${host}:${port}`, r.failed ? `failed: ${r.error}` : r.tps.toFixed(0), r.failed ? "" : r.latencyMs.toFixed(2)]);
  };
  await add("select-only via HAProxy + PgBouncer (primary)", endpoint.host, endpoint.port, ["-S"]);
  await add("select-only via HAProxy, no PgBouncer (direct)", endpoint.host, 5005, ["-S"]);
  await add("select-only straight to the leader", leader.ip, 5432, ["-S"]);
  await add("-C select-only via PgBouncer on the leader", leader.ip, 6432, ["-S", "-C"]);
  await add("-C select-only straight to the leader", leader.ip, 5432, ["-S", "-C"]);
  say(`\npgbench, 4 clients, ${SECONDS} s each, TLS (sslmode=require), from the lab client namespace`);
  say(table(["what", "endpoint", "tps", "latency ms"], rows));
}

/** pg_stat_replication on the leader, as postgres over its socket: per-standby replay lag in bytes and ms. */
async function replicationLag(ctx: LabContext, leader: string): Promise<{ name: string; bytes: number; ms: number }[]> {
  const sql =
    "SELECT application_name, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), " +
    "coalesce(extract(epoch FROM replay_lag) * 1000, 0) FROM pg_stat_replication";
  const r = await runAsPostgres(ctx, leader, ["/usr/lib/postgresql/17/bin/psql", "-X", "-At", "-F", "|", "-c", sql], 10_000);
  if (r.code !== 0) throw new Error(`${leader}: pg_stat_replication: ${r.stderr.trim()}`);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [name, bytes, ms] = line.split("|");
      return { name, bytes: Number(bytes), ms: Number(ms) };
    });
}

async function replayLag(ctx: LabContext): Promise<void> {
  const s = clientSecrets(ctx);
  const { endpoint, leader, replicas } = await leaderAndReplicas(ctx);
  const standbys = ctx.plan.standbyLinks.flatMap((l) => nodesOf(ctx, "patroni", l.cluster));
  const targets = [...replicas, ...standbys];
  await pgbenchInit(ctx);
  const samples = new Map<string, { bytes: number[]; ms: number[] }>(targets.map((t) => [t.name, { bytes: [], ms: [] }]));
  let loading = true;
  const load = pgbench(s, endpoint.host, endpoint.port, ["-N", "-c", "4", "-j", "2", "-T", String(SECONDS * 2)], SECONDS * 2).finally(
    () => {
      loading = false;
    },
  );
  await sleep(2000);
  while (loading) {
    for (const row of await replicationLag(ctx, leader.name)) {
      samples.get(row.name)?.bytes.push(row.bytes);
      samples.get(row.name)?.ms.push(row.ms);
    }
    await sleep(500);
  }
  const w = await load;
  say(
    `\nreplay lag (leader's pg_stat_replication) under pgbench simple-update load through ${endpoint.host}:${endpoint.port} ` +
      `(${w.failed ? `load failed: ${w.error}` : `${w.tps.toFixed(0)} tps`}), sampled every 0.5 s`,
  );
  say(
    table(
      ["replica", "where", "samples", "median ms", "p95 ms", "max ms", "median bytes", "max bytes"],
      targets.map((t) => {
        const v = samples.get(t.name) ?? { bytes: [], ms: [] };
        const where = standbys.includes(t) ? `standby cluster, ${ctx.meta.interRegionDelayMs} ms away` : "same region";
        return [
          t.name,
          where,
          v.ms.length,
          median(v.ms).toFixed(1),
          percentile(v.ms, 95).toFixed(1),
          Math.max(0, ...v.ms).toFixed(1),
          median(v.bytes),
          Math.max(0, ...v.bytes),
        ];
      }),
    ),
  );
}

async function setTiming(ctx: LabContext, profile: keyof typeof TIMING_PROFILES): Promise<void> {
  const { run, leader } = await leaderAndReplicas(ctx);
  const r = await patroniRequest(run.secrets, "PATCH", `https://${leader.ip}:8008/config`, TIMING_PROFILES[profile]);
  if (!r.ok) throw new Error(`PATCH /config: ${r.status}`);
  // Every member picks the new values up on its next cycle.
  await sleep(TIMING_PROFILES.default.loop_wait * 1000 + 2000);
}

async function failoverRto(ctx: LabContext): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const profile of ["fast", "default"] as const) {
    await setTiming(ctx, profile);
    const rtos: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await DRILLS["leader-crash"](ctx, quiet);
      if (r.rtoMs !== undefined) rtos.push(r.rtoMs / 1000);
      say(
        `  leader-crash, ${profile} profile, run ${i + 1}: ` +
          `RTO ${r.rtoMs === undefined ? "none" : `${(r.rtoMs / 1000).toFixed(1)} s`}, lost ${r.lostAcknowledged.length}`,
      );
    }
    const t = TIMING_PROFILES[profile];
    rows.push([
      profile,
      `${t.ttl}/${t.loop_wait}/${t.retry_timeout}`,
      rtos.length,
      median(rtos).toFixed(1),
      Math.min(...rtos).toFixed(1),
      Math.max(...rtos).toFixed(1),
    ]);
  }
  await setTiming(ctx, "fast");
  say(`\nleader-crash RTO over ${RUNS} run(s) per profile (kill -9 of the leader's VM + cable cut)`);
  say(table(["profile", "ttl/loop/retry", "runs", "median s", "min s", "max s"], rows));
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("bench/lab.ts must run as root (the lab needs namespaces and mounts)");
  if (existsSync(labDirFor("lab")))
    throw new Error(`a lab is up (${labDirFor("lab")}): 'pgha lab down' first, the benchmark measures a cold bring-up`);
  // --empty-cache: the images, mirror and layers are built inside the first bring-up, from Debian's archive.
  const emptyCache = process.argv.includes("--empty-cache") ? mkdtempSync("/var/cache/pgha-lab-bench-") : undefined;
  if (emptyCache) process.env.PGHA_LAB_CACHE = emptyCache;
  const cold = await timed(() => labUp(resolveStackFile("lab"), quiet));
  const warm = await timed(() => labUp(resolveStackFile("lab"), quiet));
  const ctx = cold.value;
  const rows: string[][] = [];
  try {
    if (ONLY.has("throughput")) await throughput(ctx);
    if (ONLY.has("lag")) await replayLag(ctx);
    if (ONLY.has("rto")) await failoverRto(ctx);
  } finally {
    const down = await timed(() => labDown(labDirFor("lab"), quiet));
    const what = "lab (local: VIP pair, no data disks)";
    if (emptyCache) {
      rows.push(bringUpRow(`${what}, empty cache: images, mirror, layers built`, ctx, cold.ms, warm.ms, down.ms));
      // Fresh nodes over the images and layers just built: what `lab up` costs after a `lab down`.
      const fresh = await timed(() => labUp(resolveStackFile("lab"), quiet));
      const freshDown = await timed(() => labDown(labDirFor("lab"), quiet));
      rows.push(bringUpRow(`${what}, warm cache`, fresh.value, fresh.ms, Number.NaN, freshDown.ms));
    } else {
      rows.push(bringUpRow(`${what}, warm cache`, ctx, cold.ms, warm.ms, down.ms));
    }
    rows.push(["lab on Debian 12 host packages (README before Debian 13 nodes; recorded, not run)", "12", "42.9", "1.0", "9.5"]);
    // The same measurement for a cloud plan: yc-homework fitted to this host (data disks, NLB stand-in).
    const fit = fitStackToHost(resolveStackFile("yc-homework"), "yc-homework", hostFactsHere());
    const ycCold = await timed(() => labUp(fit.stackFile, quiet));
    const ycWarm = await timed(() => labUp(fit.stackFile, quiet));
    const ycDown = await timed(() => labDown(labDirFor(fit.stack), quiet));
    rows.push(bringUpRow(`${fit.stack} (yandex: NLB stand-in, loop data disks)`, ycCold.value, ycCold.ms, ycWarm.ms, ycDown.ms));
    say("\nlab bring-up: cold `lab up` (synth + cloud-init + boot), `lab up` again (idempotent), `lab down`");
    say(table(["stack", "nodes", "cold s", "again s", "down s"], rows));
    if (emptyCache) rmSync(emptyCache, { recursive: true, force: true });
  }
}

function bringUpRow(name: string, ctx: LabContext, coldMs: number, warmMs: number, downMs: number): string[] {
  const s = (ms: number) => (Number.isNaN(ms) ? "-" : (ms / 1000).toFixed(1));
  return [name, String(ctx.net.nodes.length - 1), s(coldMs), s(warmMs), s(downMs)];
}

main().catch((e: Error) => {
  process.stderr.write(`bench/lab.ts: ${e.message}\n`);
  process.exit(1);
});
