import { z } from "zod";
import { parameters } from "./postgres";

/**
 * Timing profiles for Patroni's leader lease.
 * - default (ttl 30 / loop_wait 10 / retry_timeout 10): Patroni's own defaults. A crashed
 *   leader is replaced after up to ~30-40 s; tolerates etcd or network stalls of ~10 s
 *   without demoting a healthy leader.
 * - fast (ttl 20 / loop_wait 5 / retry_timeout 5): crash RTO ~15-25 s; twice the DCS
 *   traffic, and a DCS stall longer than 5 s demotes the leader (spurious failovers on
 *   a congested network or a slow etcd disk).
 */
export const TIMING_PROFILES = {
  default: { ttl: 30, loop_wait: 10, retry_timeout: 10 },
  fast: { ttl: 20, loop_wait: 5, retry_timeout: 5 },
} as const;
export type TimingProfileName = keyof typeof TIMING_PROFILES;

/**
 * Patroni 4's own minimums (config.py _validate_and_adjust_timeouts): it raises a smaller
 * value with only a log warning, so the cluster would run with other timing than the stack says.
 */
export const PATRONI_TIMING_MIN = { ttl: 20, loop_wait: 1, retry_timeout: 3 } as const;
/** A crashed leader is replaced only after ttl seconds: past an hour the cluster is not highly available. */
export const PATRONI_TTL_MAX = 3600;

/** true: synchronous standbys named in order (FIRST n); "quorum": any n of them (ANY n, Patroni >= 4.0). */
export const synchronousMode = z.union([z.boolean(), z.literal("quorum")], { error: 'must be true, false or "quorum"' });
export type SynchronousMode = z.infer<typeof synchronousMode>;

export const permanentSlot = z.union([
  z.strictObject({ type: z.literal("physical") }),
  z.strictObject({ type: z.literal("logical"), database: z.string().min(1), plugin: z.string().min(1) }),
]);

const slotName = z.string().regex(/^[a-z0-9_]{1,63}$/, "slot names are lowercase letters, digits and '_' (max 63)");

/** What goes to bootstrap.dcs and, on day 2, to PATCH /config. */
export const dynamicConfig = z
  .strictObject({
    timing: z.enum(["default", "fast"]).default("default"),
    /** Explicit values override the profile. */
    ttl: z
      .number()
      .int()
      .min(PATRONI_TIMING_MIN.ttl, `ttl must be >= ${PATRONI_TIMING_MIN.ttl}: Patroni 4 raises a smaller ttl with only a log warning`)
      .max(PATRONI_TTL_MAX, `ttl must be <= ${PATRONI_TTL_MAX}: a crashed leader is replaced only after ttl seconds`)
      .optional(),
    loop_wait: z.number().int().min(PATRONI_TIMING_MIN.loop_wait, `loop_wait must be >= ${PATRONI_TIMING_MIN.loop_wait} (Patroni's minimum)`).optional(),
    retry_timeout: z
      .number()
      .int()
      .min(PATRONI_TIMING_MIN.retry_timeout, `retry_timeout must be >= ${PATRONI_TIMING_MIN.retry_timeout}: Patroni 4 raises a smaller one with only a log warning`)
      .optional(),
    maximum_lag_on_failover: z.number().int().min(0).default(1048576),
    synchronous_mode: synchronousMode.default(false),
    synchronous_mode_strict: z.boolean().default(false),
    synchronous_node_count: z.number().int().min(1).default(1),
    failsafe_mode: z.boolean().default(true),
    use_pg_rewind: z.boolean().default(true),
    use_slots: z.boolean().default(true),
    slots: z.record(slotName, permanentSlot).default({}),
  })
  .prefault({});
export type DynamicConfig = z.infer<typeof dynamicConfig>;

/** Whether commits wait for standbys (synchronous_mode true or quorum). */
export function isSynchronous(d: Pick<DynamicConfig, "synchronous_mode">): boolean {
  return d.synchronous_mode !== false;
}

export function resolvedTiming(d: DynamicConfig): { ttl: number; loop_wait: number; retry_timeout: number } {
  const base = TIMING_PROFILES[d.timing];
  return {
    ttl: d.ttl ?? base.ttl,
    loop_wait: d.loop_wait ?? base.loop_wait,
    retry_timeout: d.retry_timeout ?? base.retry_timeout,
  };
}

export const nodeTags = z
  .strictObject({
    nofailover: z.boolean().default(false),
    noloadbalance: z.boolean().default(false),
    clonefrom: z.boolean().default(false),
    nosync: z.boolean().default(false),
    /** Node name (`${cluster}-pg-${i}`) to stream from, for cascading replication. */
    replicatefrom: z.string().optional(),
  })
  .prefault({});

const callbackPath = z.string().regex(/^\/\S+$/, "callbacks must be absolute paths to executables");
export const callbacks = z
  .strictObject({
    on_start: callbackPath.optional(),
    on_stop: callbackPath.optional(),
    on_restart: callbackPath.optional(),
    on_reload: callbackPath.optional(),
    on_role_change: callbackPath.optional(),
  })
  .prefault({});

export const watchdog = z
  .strictObject({
    mode: z.enum(["off", "automatic", "required"]).default("off"),
    device: z.string().default("/dev/watchdog"),
    safety_margin: z.number().int().min(0).default(5),
  })
  .prefault({});

export const replicaMethod = z.enum(["basebackup", "walg", "pgbackrest"]);

/** Settings that may differ between members of one cluster. */
export const nodeSettings = z.strictObject({
  tags: nodeTags,
  /** Per-node postgresql.parameters; cluster-wide ones are rejected (see DCS_ONLY_PARAMETERS). */
  parameters: parameters.default({}),
});
export type NodeSettings = z.infer<typeof nodeSettings>;

export const patroniSpec = z
  .strictObject({
    dcs: dynamicConfig,
    callbacks,
    watchdog,
    /** Order in which a new replica is created. Defaults: the backup tool first (if any), then basebackup. */
    create_replica_methods: z.array(replicaMethod).min(1).optional(),
    restApiPort: z.number().int().min(1024).max(65535).default(8008),
  })
  .prefault({});
export type PatroniSpec = z.infer<typeof patroniSpec>;
