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
  z.strictObject({ type: z.literal("physical").describe("physical: a slot for a physical standby outside the cluster.") }),
  z.strictObject({
    type: z.literal("logical").describe("logical: a slot for logical decoding."),
    database: z.string().min(1).describe("Database the slot decodes."),
    plugin: z.string().min(1).describe("Output plugin, e.g. pgoutput."),
  }),
]);

const slotName = z.string().regex(/^[a-z0-9_]{1,63}$/, "slot names are lowercase letters, digits and '_' (max 63)");

/**
 * Largest loop_wait and retry_timeout the other rules leave: ttl <= PATRONI_TTL_MAX and
 * ttl >= loop_wait + 2*retry_timeout, with the other at its minimum. Stated as bounds so the JSON
 * Schema does not offer values the parser refuses.
 */
const LOOP_WAIT_MAX = PATRONI_TTL_MAX - 2 * PATRONI_TIMING_MIN.retry_timeout;
const RETRY_TIMEOUT_MAX = Math.floor((PATRONI_TTL_MAX - PATRONI_TIMING_MIN.loop_wait) / 2);
/** Synchronous standbys must be fewer than the nodes (at most 9). */
const SYNC_NODE_COUNT_MAX = 8;

/** What goes to bootstrap.dcs and, on day 2, to PATCH /config. */
export const dynamicConfig = z
  .strictObject({
    timing: z
      .enum(["default", "fast"])
      .default("default")
      .describe(
        "Leader lease profile. default: ttl 30, loop_wait 10, retry_timeout 10 (a crashed leader is replaced after ~30-40 s). " +
          "fast: 20/5/5 (~15-25 s, but a DCS stall over 5 s demotes the leader). Default default.",
      ),
    ttl: z
      .number()
      .int()
      .min(PATRONI_TIMING_MIN.ttl, `ttl must be >= ${PATRONI_TIMING_MIN.ttl}: Patroni 4 raises a smaller ttl with only a log warning`)
      .max(PATRONI_TTL_MAX, `ttl must be <= ${PATRONI_TTL_MAX}: a crashed leader is replaced only after ttl seconds`)
      .optional()
      .describe("Leader lock time-to-live in seconds: 20-3600 and >= loop_wait + 2 x retry_timeout. Overrides the timing profile."),
    loop_wait: z
      .number()
      .int()
      .min(PATRONI_TIMING_MIN.loop_wait, `loop_wait must be >= ${PATRONI_TIMING_MIN.loop_wait} (Patroni's minimum)`)
      .max(LOOP_WAIT_MAX, `loop_wait must be <= ${LOOP_WAIT_MAX}: ttl (at most ${PATRONI_TTL_MAX}) must be >= loop_wait + 2*retry_timeout`)
      .optional()
      .describe(`Seconds between runs of Patroni's HA loop: 1-${LOOP_WAIT_MAX} (ttl bounds it). Overrides the timing profile.`),
    retry_timeout: z
      .number()
      .int()
      .min(
        PATRONI_TIMING_MIN.retry_timeout,
        `retry_timeout must be >= ${PATRONI_TIMING_MIN.retry_timeout}: Patroni 4 raises a smaller one with only a log warning`,
      )
      .max(
        RETRY_TIMEOUT_MAX,
        `retry_timeout must be <= ${RETRY_TIMEOUT_MAX}: ttl (at most ${PATRONI_TTL_MAX}) must be >= loop_wait + 2*retry_timeout`,
      )
      .optional()
      .describe(
        `Seconds before Patroni gives up a DCS or PostgreSQL operation: ` +
          `3-${RETRY_TIMEOUT_MAX} (ttl bounds it). Overrides the timing profile.`,
      ),
    maximum_lag_on_failover: z
      .number()
      .int()
      .min(0)
      .default(1048576)
      .describe("Bytes a replica may lag behind and still be promoted; >= 0; default 1048576 (1 MiB)."),
    synchronous_mode: synchronousMode
      .default(false)
      .describe(
        'true: commits wait for synchronous standbys in order (FIRST n); "quorum": ' +
          "for any n of them (ANY n, Patroni >= 4.0); false: asynchronous. Default false.",
      ),
    synchronous_mode_strict: z
      .boolean()
      .default(false)
      .describe(
        "Block commits while no synchronous standby is up instead of falling back to asynchronous; " +
          "needs synchronous_mode and >= 2 nodes. Default false.",
      ),
    synchronous_node_count: z
      .number()
      .int()
      .min(1)
      .max(
        SYNC_NODE_COUNT_MAX,
        `synchronous_node_count must be <= ${SYNC_NODE_COUNT_MAX}: below the number of Patroni nodes, which is at most 9`,
      )
      .default(1)
      .describe(`Synchronous standbys: 1-${SYNC_NODE_COUNT_MAX}, and below the cluster's node count when synchronous. Default 1.`),
    failsafe_mode: z
      .boolean()
      .default(true)
      .describe("Keep the primary running while the DCS is unreachable but every member still sees it; default true."),
    use_pg_rewind: z.boolean().default(true).describe("Rewind a former primary with pg_rewind instead of cloning it anew; default true."),
    use_slots: z.boolean().default(true).describe("Replication slots for the members; default true."),
    slots: z
      .record(slotName, permanentSlot)
      .default({})
      .describe("Permanent replication slots by name (lowercase letters, digits and '_', at most 63). Default none."),
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
    nofailover: z.boolean().default(false).describe("Never promote this member; default false."),
    noloadbalance: z.boolean().default(false).describe("Keep this member out of the replicas listener; default false."),
    clonefrom: z.boolean().default(false).describe("Prefer this member as the source of new replicas; default false."),
    nosync: z.boolean().default(false).describe("Never make this member a synchronous standby; default false."),
    replicatefrom: z
      .string()
      .optional()
      .describe("Member of the same cluster (`<cluster>-pg-<i>`) to stream from, for cascading replication."),
  })
  .prefault({});

const callbackPath = z.string().regex(/^\/\S+$/, "callbacks must be absolute paths to executables");
const onEvent = (event: string) => callbackPath.optional().describe(`Absolute path of an executable run when ${event}.`);
export const callbacks = z
  .strictObject({
    on_start: onEvent("PostgreSQL starts"),
    on_stop: onEvent("PostgreSQL stops"),
    on_restart: onEvent("PostgreSQL restarts"),
    on_reload: onEvent("PostgreSQL reloads its configuration"),
    on_role_change: onEvent("the member's role changes (promotion, demotion)"),
  })
  .prefault({});

export const watchdog = z
  .strictObject({
    mode: z
      .enum(["off", "automatic", "required"])
      .default("off")
      .describe("off, automatic (use one if present) or required (refuse to lead without one); default off."),
    device: z.string().default("/dev/watchdog").describe("Watchdog device; default /dev/watchdog."),
    safety_margin: z
      .number()
      .int()
      .min(0)
      .default(5)
      .describe("Seconds between the watchdog firing and the leader key expiring; >= 0; default 5."),
  })
  .prefault({});

export const replicaMethod = z.enum(["basebackup", "walg", "pgbackrest"]);

/** Settings that may differ between members of one cluster. */
export const nodeSettings = z.strictObject({
  tags: nodeTags.describe("Patroni tags of this member."),
  parameters: parameters
    .default({})
    .describe(
      "Node-local parameters by lowercase name; cluster-wide ones (max_connections, " +
        "wal_level, ...) are rejected: set them in postgres.parameters. Default none.",
    ),
});
export type NodeSettings = z.infer<typeof nodeSettings>;

export const patroniSpec = z
  .strictObject({
    dcs: dynamicConfig.describe("Dynamic configuration: bootstrap.dcs when the cluster is created, PATCH /config on day 2."),
    callbacks: callbacks.describe("Executables Patroni runs on member events (absolute paths)."),
    watchdog: watchdog.describe("Hardware watchdog that resets a node whose Patroni hangs while it holds the leader lock."),
    create_replica_methods: z
      .array(replicaMethod)
      .min(1)
      .optional()
      .describe(
        "Order in which a new replica is created: basebackup, walg or pgbackrest (the latter two need that backups.tool); " +
          "at least one. Default: the backup tool first (if any), then basebackup.",
      ),
    restApiPort: z.number().int().min(1024).max(65535).default(8008).describe("Patroni REST API port: 1024-65535; default 8008."),
  })
  .prefault({});
export type PatroniSpec = z.infer<typeof patroniSpec>;
