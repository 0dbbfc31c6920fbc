import { haproxyUnitNofile } from "../config";
import { type HaproxyNodeModel, type NodeFile, PATHS } from "./model";
import { fillTemplate } from "./template";

/** Monitor frontend paths (cloud LB health checks ask /health; keepalived's check asks /alive). */
export const HAPROXY_HEALTH_PATH = "/health";
export const HAPROXY_ALIVE_PATH = "/alive";

/**
 * One HAProxy listener per role. The check path is a Patroni 4 REST endpoint (docs: rest_api.rst)
 * that answers 200 only on a member in that role: `/primary` the leader running as primary,
 * `/replica` a running replica without noloadbalance, `/sync` a synchronous standby, `/quorum`
 * a quorum standby, `/async` a standby that is neither; `lag` is in bytes behind the leader's
 * last known LSN. `direct` is the primary at PostgreSQL's own port, bypassing PgBouncer
 * (replication from standby clusters, session state).
 */
export interface RoleListener {
  name: "primary" | "replicas" | "sync" | "async" | "direct";
  port: number;
  checkPath: string;
  /** Port on the Patroni members the traffic goes to. */
  serverPort: number;
}

export function roleListeners(m: HaproxyNodeModel): RoleListener[] {
  const l = m.spec.listeners;
  const to = m.backendPort;
  const out: RoleListener[] = [
    { name: "primary", port: l.primary, checkPath: "/primary", serverPort: to },
    { name: "replicas", port: l.replicas, checkPath: "/replica", serverPort: to },
  ];
  // Quorum mode reports its synchronous standbys as quorum standbys, never sync ones: /sync would
  // answer 200 on none, /quorum on each member named in the primary's `ANY n (...)`.
  if (l.sync !== undefined)
    out.push({ name: "sync", port: l.sync, checkPath: m.synchronousMode === "quorum" ? "/quorum" : "/sync", serverPort: to });
  if (l.async !== undefined) out.push({ name: "async", port: l.async, checkPath: `/async?lag=${l.asyncMaxLagBytes}`, serverPort: to });
  // In a standby cluster `direct` is the standby leader (Patroni's /leader: whoever holds the
  // leader lock), so its own standbys and read-only clients have an endpoint before promotion.
  if (l.direct !== undefined)
    out.push({ name: "direct", port: l.direct, checkPath: m.standbyCluster ? "/leader" : "/primary", serverPort: m.directPort ?? to });
  return out;
}

/**
 * The listener whose live server makes /health answer 200: the one that reaches the cluster's
 * leader. A standby cluster has no primary until it is promoted; judged by `primary`, every
 * HAProxy of it would look dead to the cloud load balancer, and so would its read-only listeners.
 */
export function leaderListener(m: HaproxyNodeModel): "primary" | "direct" {
  return m.standbyCluster && m.spec.listeners.direct !== undefined ? "direct" : "primary";
}

/**
 * Check interval while a server is changing state. HAProxy 2.6 starts every server UP (there is
 * no `init-state` before 3.1), so right after a (re)start each listener briefly includes every
 * member until `fall` checks fail; and a failing primary needs `fall` checks to be marked down.
 * Once one check has failed (or succeeded on a down server) the rest come every `fastinter`, so
 * both windows shrink to about inter + (fall - 1) * fastinter. Down servers are checked every
 * fastinter too (`downinter`): after a failover the new primary is a down server of the primary
 * listener, and every second until it is found is write downtime. Those checks are OPTIONS
 * requests to Patroni, cheap even at that rate.
 */
export function fastInterMs(intervalMs: number): number {
  return Math.min(intervalMs, Math.max(100, Math.round(intervalMs / 3)));
}

function listenerBlock(m: HaproxyNodeModel, r: RoleListener): string {
  const c = m.spec.checks;
  // shutdown-sessions: when a server stops being (say) the primary, its open client sessions are
  // cut, so no client keeps writing to a demoted node. Not on `direct`: it carries replication,
  // whose sessions PostgreSQL ends itself when a primary demotes (a dead one fails them), and
  // HAProxy 3.0 strands a session still connecting to a server it marks down that way: a
  // standby cluster's walreceiver waited ~15 min on one in the lab.
  const shutdown = r.name === "direct" ? "" : " on-marked-down shutdown-sessions";
  // Checks are HTTPS to Patroni, verified against the cluster CA (HAProxy applies a server's SSL
  // settings to check-ssl too); each server line names the member its certificate must be for.
  // Client traffic is not touched: mode tcp passes its TLS through to PgBouncer/PostgreSQL.
  const tls = ` check-ssl verify required ca-file ${PATHS.haproxyClusterCa}`;
  const lines = [
    `listen ${r.name}`,
    `    bind *:${r.port}`,
    "    balance roundrobin",
    "    option httpchk",
    // OPTIONS: Patroni answers it with the status code only, the cheapest check it serves.
    `    http-check send meth OPTIONS uri ${r.checkPath}`,
    "    http-check expect status 200",
    `    default-server inter ${c.intervalMs}ms fastinter ${fastInterMs(c.intervalMs)}ms ` +
      `downinter ${fastInterMs(c.intervalMs)}ms fall ${c.fall} rise ${c.rise}${shutdown}${tls}`,
    ...m.backends.map(
      (b) => `    server ${b.name} ${b.ip}:${r.serverPort} check port ${m.patroniRestPort} check-sni ${b.name} verifyhost ${b.name}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

function validate(m: HaproxyNodeModel): void {
  if (!m.restApiTls) throw new Error(`haproxy for cluster '${m.cluster}': pgha requires TLS on Patroni's REST API (tls.restApi)`);
  if (!m.restApiCaCert?.includes("BEGIN CERTIFICATE"))
    throw new Error(`haproxy for cluster '${m.cluster}': no cluster CA certificate to verify Patroni's REST API against`);
  if (m.backends.length === 0) throw new Error(`haproxy for cluster '${m.cluster}': no backends`);
  const names = new Set(m.backends.map((b) => b.name));
  if (names.size !== m.backends.length) throw new Error(`haproxy for cluster '${m.cluster}': duplicate backend names`);
  for (const b of m.backends) {
    if (!/^[A-Za-z0-9_.:-]+$/.test(b.name)) throw new Error(`haproxy: backend name '${b.name}' is not a valid HAProxy server name`);
  }
}

/** /etc/haproxy/haproxy.cfg for one HAProxy node. Both nodes of a pair get the same listeners. */
export function renderHaproxyCfg(m: HaproxyNodeModel): string {
  validate(m);
  const c = m.spec.checks;
  return fillTemplate("haproxy.cfg.tmpl", {
    cluster: m.cluster,
    nodeName: m.node.name,
    restPort: m.patroniRestPort,
    maxconn: m.spec.maxconn,
    connectTimeoutMs: c.connectTimeoutMs,
    clientTimeoutMs: c.clientTimeoutMs,
    serverTimeoutMs: c.serverTimeoutMs,
    checkTimeoutMs: c.checkTimeoutMs,
    roleListeners: roleListeners(m)
      .map((r) => listenerBlock(m, r))
      .join("\n"),
    statsPort: m.spec.listeners.stats,
    monitorPort: m.spec.listeners.monitor,
    healthPath: HAPROXY_HEALTH_PATH,
    leaderListener: leaderListener(m),
    leaderKind: leaderListener(m) === "direct" ? "leader (the standby leader until promotion)" : "primary",
    alivePath: HAPROXY_ALIVE_PATH,
  });
}

/** Descriptors HAProxy needs beyond two per connection: its listeners, checks and logs. */
const HAPROXY_EXTRA_FILES = 50;

/**
 * Open files HAProxy itself needs: two descriptors per connection (client and server side) plus
 * a few for listeners and checks. It refuses to start when it cannot raise its limit that far
 * ("Cannot raise FD limit"); with the default maxconn 10000 that is above the 20000 a shell or
 * container often has (the lab's preflight and --fit-host check against this).
 */
export function haproxyOpenFilesNeeded(maxconn: number): number {
  return 2 * maxconn + HAPROXY_EXTRA_FILES;
}

/** The largest maxconn HAProxy can start with under this many open files. */
export function haproxyMaxconnWithin(openFiles: number): number {
  return Math.floor((openFiles - HAPROXY_EXTRA_FILES) / 2);
}

/**
 * Open-file limit the HAProxy unit grants (LimitNOFILE=): what HAProxy needs for its maxconn
 * (haproxyOpenFilesNeeded), with a round 1024 instead of the bare extra, as headroom.
 */
export function haproxyNofileLimit(m: Pick<HaproxyNodeModel, "spec">): number {
  return haproxyUnitNofile(m.spec.maxconn);
}

/**
 * haproxy.cfg and the cluster CA certificate its checks verify Patroni against: neither is a
 * secret; HAProxy reads both as root before dropping to the haproxy user.
 */
export function haproxyNodeFiles(m: HaproxyNodeModel): NodeFile[] {
  return [
    { path: PATHS.haproxyConfig, content: renderHaproxyCfg(m), owner: "root:root", permissions: "0644" },
    { path: PATHS.haproxyClusterCa, content: m.restApiCaCert ?? "", owner: "root:root", permissions: "0644" },
  ];
}
