// Drill backup-restore: a full pgBackRest backup with the rendered pgha-backup script,
// rows before and after a recorded moment, then a point-in-time restore of that
// moment into a scratch data directory on the leader's node, promoted on a new
// timeline, and the exact set of rows checked. The cluster itself is not touched.
import { PATHS } from "pgha/render/model";
import { sleep } from "../host/procs";
import { DRILL_TABLE } from "./writer";
import { DrillRun, type Log, primaryClusterEndpoint, writeFigures } from "./harness";
import type { LabContext } from "../cli/labContext";
import { runAsPostgres } from "./nodeActions";
import { type DrillResult, safetyBounds, seconds, upperBound } from "./types";

const SCRATCH = "/var/lib/postgresql/pgha-pitr";
const SCRATCH_SOCKET = "/var/lib/postgresql/pgha-pitr-socket";
const SCRATCH_PORT = 5499;
const ROWS_BEFORE = 20;
const ROWS_AFTER = 20;

export async function runBackupRestore(ctx: LabContext, log: Log): Promise<DrillResult> {
  const { cluster, endpoint } = primaryClusterEndpoint(ctx);
  const run = new DrillRun(ctx, "backup-restore", cluster, endpoint, log);
  const before = await run.healthy();
  const leader = run.leaderOf(before);
  const major = /\/postgresql\/(\d+)\//.exec(run.dataDirOf(leader))?.[1] ?? "15";
  const bin = `/usr/lib/postgresql/${major}/bin`;
  const asPostgres = async (argv: string[], what: string, timeoutMs = 300_000) => {
    const r = await runAsPostgres(ctx, leader.name, argv, timeoutMs);
    if (r.code !== 0) throw new Error(`${leader.name}: ${what} failed: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" | ")}`);
    return r.stdout.trim();
  };
  const scratchSql = (sql: string) =>
    asPostgres(
      [`${bin}/psql`, "-X", "-At", "-h", SCRATCH_SOCKET, "-p", String(SCRATCH_PORT), "-d", run.secrets.appDatabase, "-c", sql],
      sql,
    );
  const clusterSql = async (sql: string) => {
    const r = await run.sql(leader, sql, 10);
    if (r.code !== 0) throw new Error(`${sql}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  };
  run.step(`cluster ${cluster} healthy; leader ${leader.name}`);
  await run.startLoad();
  run.fault(`backup + point-in-time restore on ${leader.name} while the writer runs`);

  let t = Date.now();
  // The node's own nightly timer may be running a backup right now (a run that crosses its
  // OnCalendar time): pgBackRest then refuses a second one with its lock error [050]. Wait
  // for that backup to finish, as an operator would, and take ours after it.
  for (let waitedMs = 0; ; waitedMs += 5000) {
    const r = await runAsPostgres(ctx, leader.name, [PATHS.backupScript], 300_000);
    if (r.code === 0) break;
    const out = `${r.stderr}\n${r.stdout}`;
    if (!/ERROR: \[050\]/.test(out) || waitedMs >= 600_000)
      throw new Error(`${leader.name}: pgha-backup failed: ${out.trim().split("\n").slice(-3).join(" | ")}`);
    if (waitedMs === 0) run.step("another pgBackRest backup holds the stanza's lock (the nightly timer?): waiting for it");
    await sleep(5000);
    t = Date.now();
  }
  const backupMs = Date.now() - t;
  run.step(`${PATHS.backupScript} (the rendered, timer-run script) took a full pgBackRest backup in ${seconds(backupMs)}`);

  const pitrRun = `${run.run}-pitr`;
  await clusterSql(`INSERT INTO ${DRILL_TABLE} (run, id) SELECT '${pitrRun}', g FROM generate_series(1, ${ROWS_BEFORE}) g`);
  await sleep(1000);
  const target = await clusterSql("SELECT now()");
  await sleep(1000);
  await clusterSql(
    `INSERT INTO ${DRILL_TABLE} (run, id) SELECT '${pitrRun}', g FROM generate_series(${ROWS_BEFORE + 1}, ${ROWS_BEFORE + ROWS_AFTER}) g`,
  );
  run.step(`rows 1-${ROWS_BEFORE} written, target time ${target} recorded, rows ${ROWS_BEFORE + 1}-${ROWS_BEFORE + ROWS_AFTER} written`);
  const segment = await asPostgres([`${bin}/psql`, "-X", "-At", "-c", "SELECT pg_walfile_name(pg_switch_wal())"], "pg_switch_wal");
  await run.timeUntil(
    `WAL segment ${segment} archived`,
    60_000,
    async () =>
      (await asPostgres(
        [`${bin}/psql`, "-X", "-At", "-c", "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"],
        "pg_stat_archiver",
      )) >= segment,
  );
  const timelineBefore = parseInt(segment.slice(0, 8), 16);

  t = Date.now();
  await asPostgres(
    ["sh", "-c", `rm -rf -- ${SCRATCH} ${SCRATCH_SOCKET} && mkdir -m 0700 ${SCRATCH} ${SCRATCH_SOCKET}`],
    "scratch directory",
  );
  await asPostgres(
    [
      "pgbackrest",
      `--config=${PATHS.pgbackrestConfig}`,
      `--stanza=${cluster}`,
      `--pg1-path=${SCRATCH}`,
      "--type=time",
      `--target=${target}`,
      "--target-action=promote",
      "restore",
    ],
    "pgbackrest restore",
  );
  const restoreMs = Date.now() - t;
  run.step(`pgbackrest restore --type=time --target='${target}' into ${SCRATCH} in ${seconds(restoreMs)}`);
  // The copy must not archive into the cluster's repository, nor look like a member.
  const opts =
    `-c port=${SCRATCH_PORT} -c listen_addresses='' -c unix_socket_directories=${SCRATCH_SOCKET} -c ` +
    `archive_mode=off -c cluster_name=pgha-pitr -c synchronous_standby_names='' -c primary_conninfo=''`;
  let rows = "";
  let timelineAfter = 0;
  let recoveryMs: number | undefined;
  try {
    t = Date.now();
    await asPostgres([`${bin}/pg_ctl`, "-D", SCRATCH, "-l", `${SCRATCH}.log`, "-w", "-t", "120", "-o", opts, "start"], "pg_ctl start");
    recoveryMs = await run.timeUntil(
      "restored copy recovered to the target and promoted",
      120_000,
      async () => (await scratchSql("SELECT pg_is_in_recovery()").catch(() => "")) === "f",
    );
    rows = await scratchSql(`SELECT string_agg(id::text, ',' ORDER BY id) FROM ${DRILL_TABLE} WHERE run = '${pitrRun}'`);
    timelineAfter = parseInt((await scratchSql("SELECT pg_walfile_name(pg_current_wal_lsn())")).slice(0, 8), 16);
    run.step(`restored copy: timeline ${timelineAfter} (cluster: ${timelineBefore}); rows present: ${rows || "none"}`);
  } finally {
    await asPostgres([`${bin}/pg_ctl`, "-D", SCRATCH, "-m", "fast", "-w", "stop"], "pg_ctl stop").catch(() => undefined);
    await asPostgres(["sh", "-c", `rm -rf -- ${SCRATCH} ${SCRATCH_SOCKET} ${SCRATCH}.log`], "cleanup").catch(() => undefined);
  }
  const { attempts, lost } = await run.stopLoadAndCheck(0);
  const monitor = await run.stopMonitor();
  const expected = Array.from({ length: ROWS_BEFORE }, (_, i) => i + 1).join(",");
  const result: DrillResult = {
    drill: "backup-restore",
    cluster,
    failedNode: leader.name,
    leaderBefore: leader.name,
    leaderAfter: run.leaderOf(await run.currentMembers()).name,
    t0Ms: run.t0Ms,
    faultAtMs: run.faultAtMs,
    ...writeFigures(attempts, lost, monitor),
    before: run.table(before),
    after: run.table(await run.currentMembers()),
    steps: run.steps,
    attempts,
    observations: monitor.observations,
    bounds: [],
    facts: [
      `full backup ${seconds(backupMs)}`,
      `restore ${seconds(restoreMs)}`,
      `recovery to the target and promotion ${seconds(recoveryMs)}`,
    ],
    passed: false,
  };
  result.bounds = [
    { name: "rows in the restored copy", expected: `exactly 1-${ROWS_BEFORE}`, actual: rows || "none", ok: rows === expected },
    {
      name: "restored copy on a new timeline",
      expected: `> ${timelineBefore}`,
      actual: String(timelineAfter),
      ok: timelineAfter > timelineBefore,
    },
    upperBound("restore + recovery", 180_000, recoveryMs === undefined ? undefined : restoreMs + recoveryMs),
    ...safetyBounds(result),
  ];
  result.passed = result.bounds.every((b) => b.ok);
  return result;
}
