// The shape most drills share: healthy cluster, load on, one fault, measure the
// first acknowledged write, read everything back, undo the fault, time the rejoin.
import type { SynthPlanNode } from "../../synth/plan";
import type { PatroniMember } from "../cli/client";
import { type DrillRun, writeFigures } from "./harness";
import { MEASUREMENT_SLACK_MS, cloudHealthCheckAt, clusterHaproxyChecks, loadBalancerFollowBoundMs } from "../cloud/haproxyPlan";
import { type DrillBound, type DrillResult, failoverSplit, rtoOf, safetyBounds, seconds, upperBound } from "./types";

export interface FaultContext {
  run: DrillRun;
  /** Members when the drill started (healthy). */
  before: PatroniMember[];
  leader: SynthPlanNode;
  /** Scratch space for a drill's hooks within one run. */
  state: Record<string, unknown>;
}

export interface FaultDrillSpec {
  name: string;
  /** The node the fault hits. */
  target(f: FaultContext): Promise<SynthPlanNode> | SynthPlanNode;
  /** Inject the fault; returns what was done, for the step log. */
  inject(f: FaultContext, target: SynthPlanNode): Promise<string> | string;
  /** After the first acknowledged write, while the writer still runs (e.g. leader-freeze's rogue write). */
  afterFailover?(f: FaultContext, target: SynthPlanNode): Promise<void> | void;
  /** Undo the fault; returns what was done. */
  recover(f: FaultContext, target: SynthPlanNode): Promise<string> | string;
  /** The target serves again: streaming replica, healthy etcd member, answering proxy. */
  rejoined(f: FaultContext, target: SynthPlanNode): Promise<boolean>;
  rejoinWhat: string;
  /** How long to wait for the rejoin (default 180 s). */
  rejoinTimeoutMs?: number;
  /**
   * For faults whose outage starts later (a partitioned leader serves until it demotes): how
   * long to wait for the first failed write before measuring the RTO.
   */
  outageStartsWithinMs?(f: FaultContext): number;
  /** How long the writer keeps going after the first acknowledged write (default 2 s). */
  tailMs?(f: FaultContext): number;
  /** Drill-specific bounds on top of "no acknowledged write lost" and "one writable primary". */
  bounds(r: DrillResult, f: FaultContext): DrillBound[];
  /** Facts for the report, gathered at the end. */
  facts?(f: FaultContext, target: SynthPlanNode): Promise<string[]>;
}

export async function runFaultDrill(run: DrillRun, spec: FaultDrillSpec): Promise<DrillResult> {
  const before = await run.healthy();
  const leader = run.leaderOf(before);
  const f: FaultContext = { run, before, leader, state: {} };
  const target = await spec.target(f);
  run.step(`cluster ${run.cluster} healthy, leader ${leader.name}; target ${target.name}`);
  await run.startLoad();

  const injectedAt = Date.now();
  run.fault(await spec.inject(f, target), injectedAt);
  if (spec.outageStartsWithinMs) await run.outageStarted(spec.outageStartsWithinMs(f));
  await run.firstAckAfterFault();
  await run.steady();
  if (spec.afterFailover) await spec.afterFailover(f, target);
  const attempts = await run.stopLoad(spec.tailMs?.(f) ?? 2000);
  const rtoMs = rtoOf(attempts, run.faultAtMs);
  run.step(`RTO (fault to the first write acknowledged after the last failed one): ${seconds(rtoMs)}`);
  const promoted = failoverSplit(run.observations(), run.faultAtMs, leader.name, rtoMs);
  if (promoted?.followedMs !== undefined) {
    run.step(
      `of which: ${promoted.member} took writes on its own address ${seconds(promoted.writableMs)} after the fault, ` +
        `the load balancer followed ${seconds(promoted.followedMs)} later`,
    );
  }
  const mid = await run.currentMembers();
  const leaderAfter = mid.find((m) => m.role === "leader")?.name;

  run.step(await spec.recover(f, target));
  const rejoinMs = await run.timeUntil(`${target.name} ${spec.rejoinWhat}`, spec.rejoinTimeoutMs ?? 180_000, () =>
    spec.rejoined(f, target),
  );
  const monitor = await run.stopMonitor();
  const lost = await run.lostWrites();
  const after = await run.currentMembers();
  const facts = spec.facts ? await spec.facts(f, target) : [];

  const result: DrillResult = {
    drill: spec.name,
    cluster: run.cluster,
    failedNode: target.name,
    leaderBefore: leader.name,
    leaderAfter,
    t0Ms: run.t0Ms,
    faultAtMs: run.faultAtMs,
    rtoMs,
    newPrimaryWritableMs: promoted?.writableMs,
    ...writeFigures(attempts, lost, monitor),
    rejoinMs,
    before: run.table(before),
    after: run.table(after),
    steps: run.steps,
    attempts,
    observations: monitor.observations,
    bounds: [],
    facts,
    passed: false,
  };
  result.bounds = [
    ...safetyBounds(result),
    {
      name: `${target.name} ${spec.rejoinWhat}`,
      expected: "yes",
      actual: rejoinMs === undefined ? "no" : "yes",
      ok: rejoinMs !== undefined,
    },
    ...spec.bounds(result, f),
  ];
  result.passed = result.bounds.every((b) => b.ok);
  return result;
}

export const secondsToMs = (s: number) => s * 1000;

/**
 * A leader that cannot refresh its key (crashed, frozen): the key expires at most ttl after its
 * last refresh; the replica that sees it go promotes within one retry_timeout (Patroni's bound
 * on a DCS or PostgreSQL call that stalls it); then the load balancer must find the new
 * primary. Each part has its own bound, so a slow one is named; the RTO bound is their sum.
 */
export function leaseExpiryFailoverBounds(r: DrillResult, f: FaultContext, what: string): DrillBound[] {
  const failoverMs = secondsToMs(f.run.timing.ttl + f.run.timing.retryTimeout);
  const cloud = cloudHealthCheckAt(f.run.ctx, f.run.endpoint.host);
  const followMs = loadBalancerFollowBoundMs(clusterHaproxyChecks(f.run.ctx, f.run.cluster), cloud);
  const followedMs = r.rtoMs !== undefined && r.newPrimaryWritableMs !== undefined ? r.rtoMs - r.newPrimaryWritableMs : undefined;
  return [
    // The monitor sees the new primary take writes up to MEASUREMENT_SLACK_MS after it does.
    upperBound(
      "a replica promoted and writable (leader key gone within ttl, promotion within retry_timeout)",
      failoverMs + MEASUREMENT_SLACK_MS,
      r.newPrimaryWritableMs,
    ),
    upperBound(
      `the load balancer follows (HAProxy marks the new primary up${cloud ? ", then the cloud LB its HAProxy nodes" : ""})`,
      followMs,
      followedMs,
    ),
    upperBound(`RTO (${what}: the leader key must expire)`, failoverMs + followMs, r.rtoMs),
  ];
}

/** Rejoin probe of the Patroni drills: the target streams from the current leader. */
export const streamsAsReplica = (f: FaultContext, t: SynthPlanNode): Promise<boolean> => f.run.streamingReplica(t.name);
