// What a cluster's rendered haproxy.cfg says about its health checks: how fast its
// primary listener finds a new primary. The lab reads it rather than re-deriving it.
import type { PlanHealthCheck } from "pgha/components/plan";
import { type LabContext, fileOf, nodesOf } from "../cli/labContext";

export interface PrimaryListenerChecks {
  /** Check interval of a down server (the new primary is one, right after a failover). */
  downInterMs: number;
  /** Consecutive passing checks before a down server is marked up. */
  rise: number;
  /** How long one check may take before it counts as failed. */
  checkTimeoutMs: number;
}

function durationMs(v: string, where: string): number {
  const m = /^(\d+)(ms|s)?$/.exec(v);
  if (!m) throw new Error(`haproxy.cfg: cannot read the duration '${v}' of ${where}`);
  // A bare number is milliseconds to HAProxy.
  return Number(m[1]) * (m[2] === "s" ? 1000 : 1);
}

/** The primary listener's checks, from a haproxy.cfg as pgha renders it. */
export function primaryListenerChecks(cfg: string): PrimaryListenerChecks {
  const lines = cfg.split("\n");
  const start = lines.findIndex((l) => l.trim() === "listen primary");
  if (start < 0) throw new Error("haproxy.cfg: no 'listen primary' section");
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  const section = lines.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim());
  const defaultServer = section.find((l) => l.startsWith("default-server "))?.split(/\s+/) ?? [];
  const option = (name: string): string | undefined => {
    const i = defaultServer.indexOf(name);
    return i < 0 ? undefined : defaultServer[i + 1];
  };
  const inter = option("inter") ?? "2000";
  const timeoutCheck = /^\s*timeout check (\S+)$/m.exec(cfg)?.[1];
  return {
    // HAProxy's own defaults: downinter falls back to inter, rise to 2, timeout check to inter.
    downInterMs: durationMs(option("downinter") ?? inter, "downinter"),
    rise: Number(option("rise") ?? 2),
    checkTimeoutMs: durationMs(timeoutCheck ?? inter, "timeout check"),
  };
}

/**
 * How late the drills can see a moment: the split-brain monitor polls every 500 ms, and a
 * writer attempt lasts up to 1 s. Every bound on a measured moment allows for it once.
 */
export const MEASUREMENT_SLACK_MS = 1500;

/**
 * Longest a working new primary may wait to get writes through the load balancer: `rise`
 * checks, a down server checked every downinter, plus one interval for where in its cycle the
 * first check falls and one check timeout for a check in flight; plus 1.5 s for the
 * measurement (the split-brain monitor polls every 500 ms, a writer attempt lasts up to 1 s).
 * A cloud LB in front checks HAProxy's /health, which fails while the primary listener has no
 * server: it marked every HAProxy down during the failover and must see them up again too.
 */
export function loadBalancerFollowBoundMs(c: PrimaryListenerChecks, cloud?: PlanHealthCheck): number {
  const haproxyMs = (c.rise + 1) * c.downInterMs + c.checkTimeoutMs;
  const cloudMs = cloud ? ((cloud.healthyThreshold + 1) * cloud.intervalS + cloud.timeoutS) * 1000 : 0;
  return haproxyMs + cloudMs + MEASUREMENT_SLACK_MS;
}

/** The checks of the cluster's HAProxy nodes (all render the same listener). */
export function clusterHaproxyChecks(ctx: LabContext, cluster: string): PrimaryListenerChecks {
  const [node] = nodesOf(ctx, "haproxy", cluster);
  if (!node) throw new Error(`cluster ${cluster} has no HAProxy node in the plan`);
  return primaryListenerChecks(fileOf(ctx, node, "/etc/haproxy/haproxy.cfg"));
}

/** The health check of the cloud LB at `address`, if the drill's endpoint is one (not a VIP). */
export function cloudHealthCheckAt(ctx: LabContext, address: string): PlanHealthCheck | undefined {
  return ctx.plan.loadBalancers.find((l) => l.kind === "cloud" && l.address === address)?.healthCheck;
}
