/**
 * SPILO_CONFIGURATION: the patroni.yml fragment Spilo deep-merges over its own template
 * (user values win). pgha puts the ClusterSpec's dynamic configuration in bootstrap.dcs;
 * Patroni copies it into the DCS once, when the cluster is initialised. Later changes go
 * through `patronictl edit-config` / PATCH /config (see the example README).
 */
import { stringify } from "yaml";
import { type ClusterSpec, resolvedTiming, type SynchronousMode } from "../config";
import { hotStandbyFloor } from "../render/postgresParameters";
import type { PermanentSlot } from "./model";
import { SPILO_LOCAL_PARAMETERS } from "./spilo";

type ParameterValue = string | number | boolean;

export interface SpiloConfiguration {
  bootstrap: {
    dcs: {
      ttl: number;
      loop_wait: number;
      retry_timeout: number;
      maximum_lag_on_failover: number;
      synchronous_mode: SynchronousMode;
      synchronous_mode_strict: boolean;
      synchronous_node_count: number;
      failsafe_mode: boolean;
      postgresql: { use_pg_rewind: boolean; use_slots: boolean; parameters: Record<string, ParameterValue> };
      slots?: Record<string, PermanentSlot>;
    };
  };
  /** Only the parameters Spilo pins node-locally (SPILO_LOCAL_PARAMETERS) that the user overrides. */
  postgresql?: { parameters: Record<string, ParameterValue> };
}

/** Spilo's own rule (configure_spilo.py get_placeholders): 1 connection per 30 MB of the memory limit, 100..1000. */
export function spiloMaxConnections(ramGb: number): number {
  return Math.min(Math.max(100, Math.floor((ramGb * 1024) / 30)), 1000);
}

/** Cluster-wide parameters for bootstrap.dcs: max_connections made explicit, then the user's values. */
export function dcsParameters(cluster: ClusterSpec, source?: ClusterSpec): Record<string, ParameterValue> {
  const own: Record<string, ParameterValue> = {
    max_connections: spiloMaxConnections(cluster.hardware.ramGb),
    ...cluster.postgres.parameters,
  };
  if (!source) return own;
  // Spilo derives max_connections from the pod's memory, so a smaller DR pod would get fewer than
  // the primary and stop replaying: the standby takes the larger of its and its source's values.
  return { ...own, ...hotStandbyFloor(own, dcsParameters(source)) };
}

/** `source`: for a standby cluster, the cluster it follows (hot-standby minimums). */
export function spiloConfiguration(
  cluster: ClusterSpec,
  permanentSlots: Record<string, PermanentSlot>,
  source?: ClusterSpec,
): SpiloConfiguration {
  const dcs = cluster.patroni.dcs;
  const slots = { ...dcs.slots, ...permanentSlots };
  const userParameters = cluster.postgres.parameters;
  const localOverrides = Object.fromEntries(
    Object.entries(userParameters).filter(([k]) => (SPILO_LOCAL_PARAMETERS as readonly string[]).includes(k)),
  );
  return {
    bootstrap: {
      dcs: {
        ...resolvedTiming(dcs),
        maximum_lag_on_failover: dcs.maximum_lag_on_failover,
        synchronous_mode: dcs.synchronous_mode,
        synchronous_mode_strict: dcs.synchronous_mode_strict,
        synchronous_node_count: dcs.synchronous_node_count,
        failsafe_mode: dcs.failsafe_mode,
        postgresql: { use_pg_rewind: dcs.use_pg_rewind, use_slots: dcs.use_slots, parameters: dcsParameters(cluster, source) },
        ...(Object.keys(slots).length > 0 ? { slots } : {}),
      },
    },
    ...(Object.keys(localOverrides).length > 0 ? { postgresql: { parameters: localOverrides } } : {}),
  };
}

export function renderSpiloConfiguration(config: SpiloConfiguration): string {
  return stringify(config, { sortMapEntries: false });
}
