// cert-rotation: every leaf certificate of a running lab renewed under the writer, no restart.
// A re-synthesis "as of" now (the synthesized pulumi up: leaves past their renewal date are
// re-issued by the same CA) publishes new secret payloads to the metadata stand-in's store; then,
// one node at a time (etcd, replicas, leaders, HAProxy), `systemctl start pgha-tls-refresh.service`
// runs what the node's hourly timer runs on a cloud VM: `pgha-secrets refresh --only /etc/pgha/tls`
// rewrites the changed TLS files and `pgha-reload-tls` reloads what reads them. Every TLS endpoint
// must then present a new serial that verifies against the unchanged CA, and no service may have restarted.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { synthStack } from "../../synth/synth";
import { SECRETS_DIR } from "../../synth/secretFiles";
import type { SynthPlanNode } from "../../synth/plan";
import { type ClientSecrets, type LabContext, clientSecrets, fileOf, nodesOf, userDataFiles } from "../cli/labContext";
import { readSupervisorStatus, runInNode } from "../systemd/supervisorControl";
import { supervisorPaths } from "../systemd/supervisorProtocol";
import { DrillRun, type Log, primaryClusterEndpoint, writeFigures } from "./harness";
import { supervisorOf } from "./nodeActions";
import { type TlsEndpoint, leafSerials, observeTls } from "./tlsProbe";
import { type DrillBound, type DrillResult, safetyBounds, seconds } from "./types";

const REFRESH_UNIT = "pgha-tls-refresh.service";
const WATCHED_UNITS = ["patroni.service", "pgbouncer.service", "etcd.service", "haproxy.service", "keepalived.service"];

const portOf = (hostPort: string | undefined, fallback: number) => Number(/:(\d+)$/.exec(hostPort ?? "")?.[1] ?? fallback);

/** Every TLS endpoint of the plan's nodes, each with the CA its clients trust, plus the primary endpoint through the load balancer. */
export function tlsEndpoints(ctx: LabContext, lb: { host: string; port: number }, primaryCluster: string): TlsEndpoint[] {
  const out: TlsEndpoint[] = [];
  const byCluster = new Map<string, ClientSecrets>();
  const secretsOf = (cluster: string) => byCluster.get(cluster) ?? byCluster.set(cluster, clientSecrets(ctx, { cluster })).get(cluster)!;
  for (const n of nodesOf(ctx, "patroni")) {
    const s = secretsOf(n.component);
    const y = parseYaml(fileOf(ctx, n, "/etc/patroni/patroni.yml")) as { restapi: { listen: string }; postgresql: { listen: string } };
    out.push({
      name: `${n.name} postgres`,
      node: n.name,
      host: n.ip,
      port: portOf(y.postgresql.listen, 5432),
      starttls: "postgres",
      caFile: s.caFile,
    });
    out.push({ name: `${n.name} patroni-rest`, node: n.name, host: n.ip, port: portOf(y.restapi.listen, 8008), caFile: s.caFile });
    const ini = (() => {
      try {
        return fileOf(ctx, n, "/etc/pgbouncer/pgbouncer.ini");
      } catch {
        return undefined;
      }
    })();
    const port = ini && /^listen_port\s*=\s*(\d+)/m.exec(ini)?.[1];
    if (port)
      out.push({ name: `${n.name} pgbouncer`, node: n.name, host: n.ip, port: Number(port), starttls: "postgres", caFile: s.caFile });
  }
  for (const n of nodesOf(ctx, "etcd")) {
    const s = clientSecrets(ctx, { etcdComponent: n.component });
    const y = parseYaml(fileOf(ctx, n, "/etc/etcd/etcd.conf.yml")) as Record<string, string>;
    const client = { certFile: s.etcdCertFile, keyFile: s.etcdKeyFile };
    for (const [kind, key, port] of [
      ["client", "listen-client-urls", 2379],
      ["peer", "listen-peer-urls", 2380],
    ] as const)
      out.push({
        name: `${n.name} etcd-${kind}`,
        node: n.name,
        host: n.ip,
        port: portOf(y[key]?.split(",")[0], port),
        caFile: s.etcdCaFile,
        client,
      });
  }
  out.push({
    name: `load balancer ${lb.host}:${lb.port}`,
    host: lb.host,
    port: lb.port,
    starttls: "postgres",
    caFile: secretsOf(primaryCluster).caFile,
  });
  return out;
}

/** Rotation order: etcd members, then Patroni replicas, then leaders, then HAProxy and anything else. */
export function rotationOrder(nodes: SynthPlanNode[], leaders: Set<string>): SynthPlanNode[] {
  const rank = (n: SynthPlanNode) => (n.role === "etcd" ? 0 : n.role === "patroni" ? (leaders.has(n.name) ? 2 : 1) : 3);
  return [...nodes].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Leaf and CA serials in a directory of secret payloads (what the nodes will fetch). */
function payloadSerials(dir: string): { leaves: Set<string>; cas: Set<string> } {
  const leaves = new Set<string>();
  const cas = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".json"))) {
    for (const v of Object.values(JSON.parse(readFileSync(join(dir, f), "utf8")) as Record<string, string>)) {
      const s = leafSerials(v);
      s.leaves.forEach((x) => leaves.add(x));
      s.cas.forEach((x) => cas.add(x));
    }
  }
  return { leaves, cas };
}

const unitLog = (stateDir: string, unit: string) => join(supervisorPaths(stateDir).unitLogs, `${unit}.log`);
const unitLogSize = (stateDir: string, unit: string) => (existsSync(unitLog(stateDir, unit)) ? statSync(unitLog(stateDir, unit)).size : 0);

/** What a unit printed after `from` bytes of its lab log (the supervisor's stand-in for the journal). */
function unitLogSince(stateDir: string, unit: string, from: number): string[] {
  if (!existsSync(unitLog(stateDir, unit))) return [];
  return readFileSync(unitLog(stateDir, unit))
    .subarray(from)
    .toString("utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("--- "));
}

/** Main pids of the node's services and PostgreSQL's start time: what "no restart" compares. */
async function identities(run: DrillRun, nodes: SynthPlanNode[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of nodes) {
    const status = readSupervisorStatus(supervisorOf(run.ctx, n.name).stateDir);
    for (const u of status?.units ?? []) if (WATCHED_UNITS.includes(u.unit) && u.pid) out.set(`${n.name} ${u.unit}`, `pid ${u.pid}`);
    if (n.role === "patroni") {
      const r = await run.sql(n, "SELECT pg_postmaster_start_time()");
      out.set(`${n.name} postgres`, r.code === 0 ? `started ${r.stdout.trim()}` : "unreachable");
    }
  }
  return out;
}

export async function runCertRotation(ctx: LabContext, log: Log): Promise<DrillResult> {
  const { cluster, endpoint } = primaryClusterEndpoint(ctx);
  const run = new DrillRun(ctx, "cert-rotation", cluster, endpoint, log);
  const before = await run.healthy();
  const leaders = new Set<string>([run.leaderOf(before).name]);
  const endpoints = tlsEndpoints(ctx, endpoint, cluster);
  const observe = async () => new Map(await Promise.all(endpoints.map(async (e) => [e.name, await observeTls(e)] as const)));
  const oldSerials = await observe();
  const unverified = [...oldSerials].filter(([, o]) => !o.verified || !o.serial);
  if (unverified.length > 0) throw new Error(`before the rotation: ${unverified.map(([n, o]) => `${n} (${o.error})`).join(", ")}`);
  const nodes = ctx.plan.nodes.filter((n) => readSupervisorStatus(supervisorOf(ctx, n.name).stateDir));
  const idsBefore = await identities(run, nodes);
  run.step(`${endpoints.length} TLS endpoints verified against their CAs; ${idsBefore.size} service identities recorded`);
  await run.startLoad();

  // The synthesized pulumi up, as of now: leaves past their renewal date get new serials, CAs stay.
  const out = mkdtempSync(join(tmpdir(), "pgha-rotation-"));
  const liveSecrets = join(ctx.planDir, SECRETS_DIR);
  let rotationMs: number | undefined;
  const facts: string[] = [];
  try {
    const oldPayload = payloadSerials(liveSecrets);
    await synthStack(ctx.meta.stackFile, out, { now: new Date() });
    const newPayload = payloadSerials(join(out, SECRETS_DIR));
    const kept = [...newPayload.leaves].filter((s) => oldPayload.leaves.has(s));
    const sameCas = [...oldPayload.cas].every((s) => newPayload.cas.has(s)) && newPayload.cas.size === oldPayload.cas.size;
    facts.push(
      `re-synthesis as of ${new Date().toISOString()}: ${newPayload.leaves.size} leaf certificates in the nodes' secrets, ` +
        `${kept.length} unchanged; CAs ${sameCas ? "unchanged" : "CHANGED"}`,
    );
    if (kept.length === newPayload.leaves.size)
      throw new Error(
        "the re-synthesis renewed no certificate: the running lab's leaves are the ones in force now " +
          "(bring the lab up with PGHA_SYNTH_NOW before a renewal date that has passed)",
      );
    run.fault(`new secret versions published: ${newPayload.leaves.size - kept.length} leaf certificates renewed (same CAs)`);
    for (const f of readdirSync(join(out, SECRETS_DIR))) {
      // Atomic per file, as a new secret version is: the stand-in reads whole files.
      copyFileSync(join(out, SECRETS_DIR, f), join(liveSecrets, `.${f}.tmp`));
      renameSync(join(liveSecrets, `.${f}.tmp`), join(liveSecrets, f));
    }

    for (const n of rotationOrder(nodes, leaders)) {
      const h = supervisorOf(ctx, n.name);
      if (!userDataFiles(ctx, n).some((f) => f.path === `/etc/systemd/system/${REFRESH_UNIT}`)) {
        run.step(`${n.name}: no ${REFRESH_UNIT} (no TLS files in its secret)`);
        continue;
      }
      // The node's own unit, as its timer starts it: exactly what a cloud VM runs after pulumi up.
      const logFrom = unitLogSize(h.stateDir, REFRESH_UNIT);
      const started = await runInNode(h, ["systemctl", "start", REFRESH_UNIT], { allowFailure: true, timeoutMs: 180_000 });
      const output = unitLogSince(h.stateDir, REFRESH_UNIT, logFrom);
      if (started.code !== 0) throw new Error(`${n.name}: ${REFRESH_UNIT} failed: ${started.stderr.trim()}; ${output.join("; ")}`);
      // pgha-secrets logs "rewrote <path>" on stderr (its stdout feeds pgha-reload-tls).
      const rewritten = output.filter((l) => /^pgha-secrets: rewrote \//.test(l));
      const said = output.filter((l) => !rewritten.includes(l));
      run.step(`${n.name}: ${REFRESH_UNIT} rewrote ${rewritten.length} file(s)${said.length ? `; ${said.join("; ")}` : ""}`);
      if (rewritten.length === 0) continue;
      // One node at a time: its endpoints present the new certificate before the next node starts
      // (Patroni handles SIGHUP in its next loop, up to loop_wait later).
      const own = endpoints.filter((e) => e.node === n.name);
      await run.timeUntil(`${n.name}: every endpoint presents a new certificate`, (run.timing.loopWait + 20) * 1000, async () => {
        const now = await Promise.all(own.map((e) => observeTls(e)));
        return now.every((o, i) => o.verified && o.serial !== oldSerials.get(own[i].name)?.serial);
      });
    }
    rotationMs = Date.now() - run.faultAtMs;
    run.step(`rotation done on every node in ${seconds(rotationMs)}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }

  await run.steady();
  const attempts = await run.stopLoad();
  const monitor = await run.stopMonitor();
  const lost = await run.lostWrites();
  const newSerials = await observe();
  const stale = endpoints.filter((e) => {
    const o = newSerials.get(e.name);
    return !o?.verified || !o.serial || o.serial === oldSerials.get(e.name)?.serial;
  });
  for (const e of endpoints) {
    const o = newSerials.get(e.name);
    facts.push(
      `${e.name}: serial ${oldSerials.get(e.name)?.serial} -> ${o?.serial ?? "none"}${o?.verified ? ", verified" : `, ${o?.error}`}`,
    );
  }
  const idsAfter = await identities(run, nodes);
  const restarted = [...idsBefore].filter(([k, v]) => idsAfter.get(k) !== v).map(([k, v]) => `${k} (${v} -> ${idsAfter.get(k) ?? "gone"})`);
  const after = await run.currentMembers();

  const result: DrillResult = {
    drill: "cert-rotation",
    cluster,
    failedNode: "every node",
    leaderBefore: run.leaderOf(before).name,
    leaderAfter: after.find((m) => m.role === "leader")?.name,
    t0Ms: run.t0Ms,
    faultAtMs: run.faultAtMs,
    ...writeFigures(attempts, lost, monitor),
    rejoinMs: rotationMs,
    before: run.table(before),
    after: run.table(after),
    steps: run.steps,
    attempts,
    observations: monitor.observations,
    bounds: [],
    facts: [`rotation time (publish to the last node's endpoints on new certificates): ${seconds(rotationMs)}`, ...facts],
    passed: false,
  };
  const bounds: DrillBound[] = [
    ...safetyBounds(result),
    { name: "failed writes", expected: "0", actual: String(result.failedWrites), ok: result.failedWrites === 0 },
    {
      name: `TLS endpoints on a new certificate that verifies against the CA (of ${endpoints.length})`,
      expected: String(endpoints.length),
      actual: `${endpoints.length - stale.length}${stale.length ? ` (stale: ${stale.map((e) => e.name).join(", ")})` : ""}`,
      ok: stale.length === 0,
    },
    {
      name: `services restarted (of ${idsBefore.size} main processes and postmasters)`,
      expected: "0",
      actual: restarted.length === 0 ? "0" : restarted.join(", "),
      ok: restarted.length === 0,
    },
    {
      name: "rotation completed",
      expected: "yes",
      actual: rotationMs === undefined ? "no" : seconds(rotationMs),
      ok: rotationMs !== undefined,
    },
  ];
  result.bounds = bounds;
  result.passed = bounds.every((b) => b.ok);
  return result;
}
