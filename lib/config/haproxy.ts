import { z } from "zod";
import { dnsName, ipv4 } from "./common";

const listenerPort = z.number().int().min(1024).max(65535);

export const haproxyListeners = z
  .strictObject({
    primary: listenerPort.default(5000),
    replicas: listenerPort.default(5001),
    /** Synchronous standbys only (`/sync`). */
    sync: listenerPort.optional(),
    /** Asynchronous replicas whose lag is under asyncMaxLagBytes (`/async?lag=`). */
    async: listenerPort.optional(),
    asyncMaxLagBytes: z.number().int().min(0).default(16 * 1024 * 1024),
    /**
     * The primary straight to PostgreSQL, bypassing PgBouncer: replication (standby clusters
     * stream through it) and sessions that need session state.
     */
    direct: listenerPort.optional().default(5005),
    stats: listenerPort.default(7000),
    /** Answers 200 only while the primary backend has a server up: for cloud LB health checks. */
    monitor: listenerPort.default(7001),
  })
  .prefault({});

export const healthChecks = z
  .strictObject({
    intervalMs: z.number().int().min(100).max(60000).default(3000),
    fall: z.number().int().min(1).max(10).default(3),
    rise: z.number().int().min(1).max(10).default(2),
    checkTimeoutMs: z.number().int().min(100).max(60000).default(2000),
    connectTimeoutMs: z.number().int().min(100).max(60000).default(4000),
    clientTimeoutMs: z.number().int().min(1000).default(30 * 60 * 1000),
    serverTimeoutMs: z.number().int().min(1000).default(30 * 60 * 1000),
  })
  .prefault({});

export const keepalivedSpec = z
  .strictObject({
    /** Default: on where the platform can float a VIP (local, yandex); GCP cannot. */
    enabled: z.boolean().optional(),
    /** The floating address; must lie in the HAProxy nodes' subnet. Planned when omitted. */
    vip: ipv4.optional(),
    virtualRouterId: z.number().int().min(1).max(255).default(51),
    /** Priority of the first node; the second gets priority - 10. */
    priority: z.number().int().min(11).max(254).default(150),
    advertIntervalS: z.number().int().min(1).max(255).default(1),
    interface: z.string().regex(/^[a-z0-9]{1,15}$/).default("eth0"),
  })
  .prefault({});

export const haproxySpec = z
  .strictObject({
    enabled: z.boolean().default(true),
    nodes: z.literal(2).default(2),
    listeners: haproxyListeners,
    checks: healthChecks,
    keepalived: keepalivedSpec,
    maxconn: z.number().int().min(100).default(10000),
    subnet: dnsName.optional(),
  })
  .prefault({});
export type HaproxySpec = z.infer<typeof haproxySpec>;
