// What a drill reports. Numbers are measured from the lab client's clock.
import type { WriteAttempt } from "./writer";

export interface DrillStep {
  atMs: number;
  text: string;
}

export interface PrimaryObservation {
  atMs: number;
  /** Members that answered `pg_is_in_recovery() = false` in this poll. */
  notInRecovery: string[];
  /** Of those, members that also acknowledged a probe write: writable primaries. */
  writable: string[];
}

/** One pass/fail rule of a drill, e.g. "RTO < ttl + 10 s". */
export interface DrillBound {
  name: string;
  expected: string;
  actual: string;
  ok: boolean;
}

export interface DrillResult {
  drill: string;
  cluster: string;
  /** The node the fault hit (or the node the drill acted on). */
  failedNode: string;
  leaderBefore?: string;
  leaderAfter?: string;
  t0Ms: number;
  faultAtMs: number;
  /** Fault to the first acknowledged write through the load balancer. */
  rtoMs?: number;
  /** Fault to when another member than the old leader was first known to take writes (see failoverSplit). */
  newPrimaryWritableMs?: number;
  ackedWrites: number;
  failedWrites: number;
  lostAcknowledged: number[];
  /** Most members acknowledging writes as primaries in one poll (must stay <= 1). */
  maxWritablePrimaries: number;
  /** Most members out of recovery in one poll, writable or not (informational). */
  maxNotInRecovery: number;
  /** Recovery action to the failed node serving again (as a replica, member, or proxy). */
  rejoinMs?: number;
  before: string;
  after: string;
  steps: DrillStep[];
  attempts: WriteAttempt[];
  observations: PrimaryObservation[];
  bounds: DrillBound[];
  /** Drill-specific facts worth a line in the report. */
  facts: string[];
  passed: boolean;
}

export const seconds = (ms: number | undefined): string => (ms === undefined ? "n/a" : `${(ms / 1000).toFixed(1)} s`);

/** Common bounds: lost acknowledged writes and split brain. */
export function safetyBounds(r: Pick<DrillResult, "lostAcknowledged" | "maxWritablePrimaries">): DrillBound[] {
  return [
    { name: "acknowledged writes lost", expected: "0", actual: String(r.lostAcknowledged.length), ok: r.lostAcknowledged.length === 0 },
    { name: "writable primaries at once", expected: "<= 1", actual: String(r.maxWritablePrimaries), ok: r.maxWritablePrimaries <= 1 },
  ];
}

export function upperBound(name: string, limitMs: number, actualMs: number | undefined): DrillBound {
  return { name, expected: `< ${seconds(limitMs)}`, actual: seconds(actualMs), ok: actualMs !== undefined && actualMs < limitMs };
}

/**
 * RTO from the writer's log: fault to the first acknowledged write after the last failed write
 * since the fault (the end of the outage, blips included); with no failure at all, fault to
 * the first acknowledged write. Undefined if no write succeeded after the outage.
 */
export function rtoOf(attempts: WriteAttempt[], faultAtMs: number): number | undefined {
  const since = attempts.filter((a) => a.startMs >= faultAtMs);
  const lastFailure = since.filter((a) => !a.ok).at(-1);
  const ack = since.find((a) => a.ok && (!lastFailure || a.startMs > lastFailure.startMs));
  return ack ? ack.endMs - faultAtMs : undefined;
}

/**
 * The failover split in two: when another member than `oldLeader` was first known to take
 * writes after the fault, and how much later the load balancer delivered one. Known at the
 * earlier of: the split-brain monitor's poll that saw it write (polls start every 500 ms, so
 * up to one poll late), and the first write acknowledged through the load balancer.
 */
export function failoverSplit(
  observations: PrimaryObservation[],
  faultAtMs: number,
  oldLeader: string,
  rtoMs: number | undefined,
): { member: string; writableMs: number; followedMs?: number } | undefined {
  for (const o of observations) {
    if (o.atMs < faultAtMs) continue;
    const member = o.writable.find((m) => m !== oldLeader);
    if (!member) continue;
    const writableMs = rtoMs === undefined ? o.atMs - faultAtMs : Math.min(o.atMs - faultAtMs, rtoMs);
    return { member, writableMs, followedMs: rtoMs === undefined ? undefined : rtoMs - writableMs };
  }
  return undefined;
}
