// What a node's rendered patroni.yml says about the cluster (timing, DCS,
// data directory): the lab reads it rather than re-deriving it from config.
import { parse as parseYaml } from "yaml";
import { TIMING_PROFILES } from "pgha/config/patroni";
import type { SynthPlanNode } from "../../synth/plan";
import { type LabContext, fileOf } from "../cli/labContext";

/** Patroni timing of a cluster, from its rendered patroni.yml. */
export interface Timing {
  ttl: number;
  loopWait: number;
  retryTimeout: number;
  synchronousMode: boolean;
  failsafeMode: boolean;
}

export interface PatroniYaml {
  namespace?: string;
  etcd3?: { hosts?: string[] | string };
  postgresql?: { data_dir?: string };
  bootstrap?: {
    dcs?: { ttl?: number; loop_wait?: number; retry_timeout?: number; synchronous_mode?: boolean | "quorum"; failsafe_mode?: boolean };
  };
}

export function patroniYaml(ctx: LabContext, node: SynthPlanNode): PatroniYaml {
  return parseYaml(fileOf(ctx, node, "/etc/patroni/patroni.yml")) as PatroniYaml;
}

export function timingOf(ctx: LabContext, node: SynthPlanNode): Timing {
  const dcs = patroniYaml(ctx, node).bootstrap?.dcs ?? {};
  // Unset in patroni.yml means Patroni's own defaults, which are pgha's default profile.
  const d = TIMING_PROFILES.default;
  return {
    ttl: dcs.ttl ?? d.ttl,
    loopWait: dcs.loop_wait ?? d.loop_wait,
    retryTimeout: dcs.retry_timeout ?? d.retry_timeout,
    synchronousMode: dcs.synchronous_mode === true || dcs.synchronous_mode === "quorum",
    failsafeMode: dcs.failsafe_mode === true,
  };
}
