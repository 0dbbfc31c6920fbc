// The parts every drill shares: the cluster under test and its endpoint, a healthy
// start, the writer and the split-brain monitor, the step log and the read-back.
import type { SynthPlanNode } from "../../synth/plan";
import { type PatroniMember, patroniCluster, patroniNode, psql } from "../cli/client";
import { type ClientSecrets, type LabContext, clientSecrets, clusterOfLoadBalancer, nodesOf, standbyClusters } from "../cli/labContext";
import { sleep } from "../host/procs";
import { type Timing, patroniYaml, timingOf } from "../node/patroniPlan";
import { patroniTable } from "../cli/status";
import { waitFor, waitPatroni } from "../cli/up";
import { type WriteAttempt, type Writer, ensureDrillTable, lostAcknowledged, startWriter } from "./writer";
import { type PrimaryMonitor, PROBE_TABLE_DDL, startPrimaryMonitor } from "./monitor";
import { type DrillStep, type PrimaryObservation, seconds } from "./types";

export type Log = (line: string) => void;

/** Drills measure seconds: a 1 s poll would blur them. */
const QUICK_POLL_MS = 200;

export interface Endpoint {
  host: string;
  port: number;
}

/** What the split-brain monitor saw, once stopped. */
export interface MonitorFigures {
  observations: PrimaryObservation[];
  maxWritablePrimaries: number;
  maxNotInRecovery: number;
}

/** The writer's and the monitor's figures every drill reports. */
export function writeFigures(attempts: WriteAttempt[], lost: number[], monitor: MonitorFigures) {
  return {
    ackedWrites: attempts.filter((a) => a.ok).length,
    failedWrites: attempts.filter((a) => !a.ok).length,
    lostAcknowledged: lost,
    maxWritablePrimaries: monitor.maxWritablePrimaries,
    maxNotInRecovery: monitor.maxNotInRecovery,
  };
}

export class DrillRun {
  readonly t0Ms = Date.now();
  readonly steps: DrillStep[] = [];
  readonly secrets: ClientSecrets;
  readonly members: SynthPlanNode[];
  readonly timing: Timing;
  readonly run: string;
  writer?: Writer;
  monitor?: PrimaryMonitor;
  faultAtMs = 0;

  constructor(
    readonly ctx: LabContext,
    readonly drill: string,
    readonly cluster: string,
    readonly endpoint: Endpoint,
    private readonly log: Log,
  ) {
    this.secrets = clientSecrets(ctx, { cluster });
    this.members = nodesOf(ctx, "patroni", cluster);
    this.timing = timingOf(ctx, this.members[0]);
    this.run = `${drill}-${this.t0Ms}`;
  }

  /** etcd host:port list of the cluster's DCS, as its patroni.yml names them. */
  etcdHosts(): string[] {
    return this.etcdHostsOf(this.members[0]);
  }

  etcdHostsOf(node: SynthPlanNode): string[] {
    const hosts = patroniYaml(this.ctx, node).etcd3?.hosts ?? [];
    return Array.isArray(hosts) ? hosts : hosts.split(",");
  }

  dataDirOf(node: SynthPlanNode): string {
    const dir = patroniYaml(this.ctx, node).postgresql?.data_dir;
    if (!dir) throw new Error(`${node.name}: patroni.yml names no data_dir`);
    return dir;
  }

  /** The DCS key prefix (Patroni's `namespace`, default /service/). */
  namespaceOf(node: SynthPlanNode): string {
    return patroniYaml(this.ctx, node).namespace ?? "/service/";
  }

  step(text: string): void {
    const atMs = Date.now() - this.t0Ms;
    this.steps.push({ atMs, text });
    this.log(`  [${(atMs / 1000).toFixed(1)} s] ${text}`);
  }

  node(name: string): SynthPlanNode {
    const n = this.ctx.plan.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name} in the plan`);
    return n;
  }

  async currentMembers(): Promise<PatroniMember[]> {
    return (
      (
        await patroniCluster(
          this.secrets,
          this.members.map((m) => m.ip),
        )
      )?.members ?? []
    );
  }

  /** One leader, every replica streaming from it, a synchronous standby in sync mode; the members then. */
  healthy(timeoutMs = 150_000): Promise<PatroniMember[]> {
    return waitPatroni(this.ctx, this.cluster, timeoutMs);
  }

  leaderOf(members: PatroniMember[]): SynthPlanNode {
    const l = members.find((m) => m.role === "leader" || m.role === "standby_leader");
    if (!l) throw new Error(`cluster ${this.cluster} has no leader`);
    return this.node(l.name);
  }

  /** Writer through the endpoint and the split-brain monitor, then a short baseline. */
  async startLoad(baselineMs = 2000): Promise<void> {
    await ensureDrillTable(this.secrets, this.endpoint.host, this.endpoint.port, [PROBE_TABLE_DDL]);
    this.writer = startWriter(this.secrets, this.endpoint.host, this.endpoint.port, this.run);
    this.monitor = startPrimaryMonitor(this.secrets, this.members);
    this.step(
      `writer: INSERT through ${this.endpoint.host}:${this.endpoint.port} every 100 ms; ` +
        `monitor: every member polled for writability every 500 ms`,
    );
    await sleep(baselineMs);
  }

  /** Record the fault; `atMs` is when its injection began (a clean shutdown or a switchover takes a while). */
  fault(text: string, atMs = Date.now()): void {
    this.faultAtMs = atMs;
    this.step(`FAULT: ${text}`);
  }

  /**
   * RTO: from the fault to the first write acknowledged after the outage it caused (after the
   * first failed write since the fault; with no failure at all, the first write since the fault).
   * A clean shutdown keeps answering for a moment, so "first ack after the fault" alone would read 0.
   */
  async firstAckAfterFault(timeoutMs = 90_000): Promise<number | undefined> {
    const writer = this.writer as Writer;
    const first = () => {
      const since = writer.attempts.filter((a) => a.startMs >= this.faultAtMs);
      const failed = since.find((a) => !a.ok);
      return since.find((a) => a.ok && (!failed || a.startMs > failed.startMs));
    };
    try {
      await waitFor("writes acknowledged again", timeoutMs, first, QUICK_POLL_MS);
    } catch {
      this.step(`no acknowledged write within ${timeoutMs / 1000} s of the fault`);
      return undefined;
    }
    const a = first() as WriteAttempt;
    const rtoMs = a.endMs - this.faultAtMs;
    this.step(`writes acknowledged again (id ${a.id}, ${seconds(rtoMs)} after the fault)`);
    return rtoMs;
  }

  /** Wait for the first failed write since the fault (the outage beginning), up to `withinMs`. */
  async outageStarted(withinMs: number): Promise<void> {
    const writer = this.writer as Writer;
    const failed = () => writer.attempts.find((a) => !a.ok && a.startMs >= this.faultAtMs);
    try {
      const a = await waitFor("a failed write", withinMs, failed, QUICK_POLL_MS);
      this.step(`outage began: first failed write (id ${a.id}) ${seconds(a.startMs - this.faultAtMs)} after the fault`);
    } catch {
      this.step(`no failed write within ${seconds(withinMs)} of the fault`);
    }
  }

  /**
   * Wait until the last `count` writes since the fault were all acknowledged: a switchover's
   * POST returns before HAProxy has found the new primary, so one early ack is not the end.
   */
  async steady(count = 10, timeoutMs = 90_000): Promise<void> {
    const writer = this.writer as Writer;
    const ok = () => {
      const since = writer.attempts.filter((a) => a.startMs >= this.faultAtMs);
      return since.length >= count && since.slice(-count).every((a) => a.ok) ? true : undefined;
    };
    try {
      await waitFor("steady writes", timeoutMs, ok, QUICK_POLL_MS);
      this.step(`writes steady: the last ${count} acknowledged`);
    } catch {
      this.step(`writes not steady within ${seconds(timeoutMs)} of the fault`);
    }
  }

  /** Stop the writer after a tail of writes. */
  async stopLoad(tailMs = 2000): Promise<WriteAttempt[]> {
    await sleep(tailMs);
    const writer = this.writer as Writer;
    await writer.stop();
    const acked = writer.attempts.filter((a) => a.ok).length;
    this.step(`writer stopped: ${acked} acknowledged, ${writer.attempts.length - acked} failed`);
    return writer.attempts;
  }

  /**
   * Read every acknowledged id back through the endpoint. Drills call it last, after the failed
   * node is back: a node that comes back and wins (split brain) rewinds the others' writes away.
   */
  async lostWrites(): Promise<number[]> {
    const writer = this.writer as Writer;
    const lost = await lostAcknowledged(this.secrets, this.endpoint.host, this.endpoint.port, this.run, writer.attempts);
    this.step(`read back through ${this.endpoint.host}:${this.endpoint.port}: ${lost.length} acknowledged write(s) missing`);
    return lost;
  }

  async stopLoadAndCheck(tailMs = 2000): Promise<{ attempts: WriteAttempt[]; lost: number[] }> {
    const attempts = await this.stopLoad(tailMs);
    return { attempts, lost: await this.lostWrites() };
  }

  /** Time from now until `probe` holds; undefined (and a step) if it never does. */
  async timeUntil(what: string, timeoutMs: number, probe: () => Promise<boolean> | boolean): Promise<number | undefined> {
    const start = Date.now();
    try {
      await waitFor(what, timeoutMs, async () => ((await probe()) ? true : undefined), QUICK_POLL_MS);
    } catch {
      this.step(`${what}: not within ${timeoutMs / 1000} s`);
      return undefined;
    }
    const ms = Date.now() - start;
    this.step(`${what} after ${(ms / 1000).toFixed(1)} s`);
    return ms;
  }

  /** Is `name` a replica streaming from the current leader? */
  async streamingReplica(name: string): Promise<boolean> {
    const members = await this.currentMembers();
    const leader = members.find((m) => m.role === "leader" || m.role === "standby_leader");
    if (!leader || leader.name === name) return false;
    const st = await patroniNode(this.secrets, this.node(leader.name).ip);
    return (st?.replication ?? []).some((r) => r.application_name === name && r.state === "streaming");
  }

  /** `patronictl list` of this drill's cluster, or of another one. */
  table(members: PatroniMember[], cluster = this.cluster): string {
    return patroniTable(cluster, members);
  }

  /** What the split-brain monitor has seen so far. */
  observations(): PrimaryObservation[] {
    return this.monitor?.observations ?? [];
  }

  /** Stop the split-brain monitor and sum up what it saw. */
  async stopMonitor(): Promise<MonitorFigures> {
    await this.monitor?.stop();
    const observations = this.monitor?.observations ?? [];
    return {
      observations,
      maxWritablePrimaries: Math.max(0, ...observations.map((o) => o.writable.length)),
      maxNotInRecovery: Math.max(0, ...observations.map((o) => o.notInRecovery.length)),
    };
  }

  /** psql straight to one member (not through the load balancer). */
  sql(node: SynthPlanNode, statement: string, timeoutS = 5) {
    return psql(this.secrets, node.ip, 5432, statement, timeoutS);
  }
}

/** The primary (non-standby) Patroni cluster and its load-balanced primary endpoint. */
export function primaryClusterEndpoint(ctx: LabContext): { cluster: string; endpoint: Endpoint } {
  const standby = standbyClusters(ctx.plan);
  const node = nodesOf(ctx, "patroni").find((n) => !standby.has(n.component));
  if (!node) throw new Error("no primary Patroni cluster in the plan");
  const lb = ctx.plan.loadBalancers.find(
    (l) => clusterOfLoadBalancer(ctx.plan, l) === node.component && l.address && l.listeners.some((x) => x.name === "primary"),
  );
  if (!lb?.address) throw new Error(`cluster ${node.component} has no load balancer with a primary listener in the plan`);
  const port = (lb.listeners.find((l) => l.name === "primary") as { port: number }).port;
  return { cluster: node.component, endpoint: { host: lb.address, port } };
}
