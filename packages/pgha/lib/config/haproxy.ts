import { z } from "zod";
import { dnsName, ipv4 } from "./common";

const listenerPort = z.number().int().min(1024).max(65535);

/** The kernel's default fs.nr_open: no process can raise its open-file limit (LimitNOFILE=) above it. */
export const KERNEL_NR_OPEN = 1048576;

/**
 * Open-file limit the HAProxy unit grants (LimitNOFILE=): two descriptors per connection (client and
 * server side) plus a round 1024 for listeners, checks and logs.
 */
export function haproxyUnitNofile(maxconn: number): number {
  return 2 * maxconn + 1024;
}

/** The largest maxconn whose unit limit stays within nr_open: 523776. */
export const HAPROXY_MAX_MAXCONN = (KERNEL_NR_OPEN - 1024) / 2;

export const haproxyListeners = z
  .strictObject({
    primary: listenerPort.default(5000).describe("The primary, through PgBouncer when it is enabled; default 5000."),
    replicas: listenerPort.default(5001).describe("Running replicas without noloadbalance; default 5001."),
    sync: listenerPort.optional().describe("Synchronous standbys only (`/sync`); needs patroni.dcs.synchronous_mode. Default none."),
    async: listenerPort.optional().describe("Asynchronous replicas whose lag is under asyncMaxLagBytes (`/async?lag=`). Default none."),
    asyncMaxLagBytes: z
      .number()
      .int()
      .min(0)
      .default(16 * 1024 * 1024)
      .describe("Lag limit of the async listener in bytes; >= 0; default 16777216 (16 MiB)."),
    direct: listenerPort
      .optional()
      .default(5005)
      .describe(
        "The primary straight to PostgreSQL, bypassing PgBouncer: " +
          "replication (standby clusters stream through it) and sessions that need session state. Default 5005.",
      ),
    stats: listenerPort.default(7000).describe("HAProxy's stats page; default 7000."),
    monitor: listenerPort
      .default(7001)
      .describe("Answers 200 only while the primary backend has a server up, for cloud LB health checks; default 7001."),
  })
  .prefault({});

export const healthChecks = z
  .strictObject({
    intervalMs: z.number().int().min(100).max(60000).default(3000).describe("Milliseconds between checks: 100-60000; default 3000."),
    fall: z.number().int().min(1).max(10).default(3).describe("Failed checks before a server is marked down: 1-10; default 3."),
    rise: z.number().int().min(1).max(10).default(2).describe("Passed checks before a server is marked up: 1-10; default 2."),
    checkTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(60000)
      .default(2000)
      .describe("Check timeout in milliseconds: 100-60000, and fall x (intervalMs + checkTimeoutMs) within Patroni's ttl; default 2000."),
    connectTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(60000)
      .default(4000)
      .describe("Connect timeout in milliseconds: 100-60000; default 4000."),
    clientTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .default(30 * 60 * 1000)
      .describe("Idle client timeout in milliseconds: >= 1000; default 1800000 (30 min)."),
    serverTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .default(30 * 60 * 1000)
      .describe("Idle server timeout in milliseconds: >= 1000; default 1800000 (30 min)."),
  })
  .prefault({});

export const keepalivedSpec = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe("Default: on where the platform can float a VIP (local, yandex); gcp cannot, so true is rejected there."),
    vip: ipv4.optional().describe("The floating IPv4 address; must lie in the HAProxy nodes' subnet. Planned when omitted."),
    virtualRouterId: z.number().int().min(1).max(255).default(51).describe("VRRP virtual router id: 1-255; default 51."),
    priority: z
      .number()
      .int()
      .min(11)
      .max(254)
      .default(150)
      .describe("VRRP priority of the first node: 11-254 (the second gets priority - 10); default 150."),
    advertIntervalS: z.number().int().min(1).max(255).default(1).describe("VRRP advertisement interval in seconds: 1-255; default 1."),
    interface: z
      .string()
      .regex(/^[a-z0-9]{1,15}$/)
      .default("eth0")
      .describe("Network interface the VIP is added to: 1-15 lowercase letters or digits; default eth0."),
  })
  .prefault({});

export const haproxySpec = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Run an HAProxy pair in front of the cluster; default true."),
    nodes: z.literal(2).default(2).describe("HAProxy nodes: always 2."),
    listeners: haproxyListeners.describe("Ports HAProxy listens on; each 1024-65535 and unique on the node."),
    checks: healthChecks.describe("How HAProxy checks members through Patroni's REST API, and its timeouts."),
    keepalived: keepalivedSpec.describe("The floating VIP in front of the pair (local and yandex)."),
    maxconn: z
      .number()
      .int()
      .min(100)
      .max(HAPROXY_MAX_MAXCONN, {
        error: (iss) =>
          `must be <= ${HAPROXY_MAX_MAXCONN}: it needs LimitNOFILE=2*maxconn+1024 = ${haproxyUnitNofile(Number(iss.input))}, ` +
          `above the kernel's default nr_open (${KERNEL_NR_OPEN}), so HAProxy cannot raise its open-file limit and never starts`,
      })
      .default(10000)
      .describe(
        `Connection limit per HAProxy node: 100-${HAPROXY_MAX_MAXCONN} (two open files each, within the kernel's nr_open); default 10000.`,
      ),
    subnet: dnsName.optional().describe("Subnet for the HAProxy nodes; default: the cluster's subnets."),
  })
  .prefault({});
export type HaproxySpec = z.infer<typeof haproxySpec>;
