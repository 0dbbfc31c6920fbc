import { HAPROXY_ALIVE_PATH } from "./haproxy";
import { type HaproxyNodeModel, type NodeFile, PATHS } from "./model";
import { fillTemplate } from "./template";

/**
 * What the keepalived service (systemd unit or lab supervisor) needs. Explicit pid files keep
 * several keepalived instances from colliding on one host (the lab runs one per node);
 * `/run/keepalived` must exist first (systemd: RuntimeDirectory=keepalived).
 * VRRP only (`--vrrp`): pgha uses no LVS checkers. Logs go to the console (journal/supervisor).
 */
export const KEEPALIVED_RUN_DIR = "/run/keepalived";
export const KEEPALIVED_PID_FILES = {
  main: `${KEEPALIVED_RUN_DIR}/keepalived.pid`,
  vrrp: `${KEEPALIVED_RUN_DIR}/vrrp.pid`,
} as const;

export function keepalivedArgs(
  configFile: string = PATHS.keepalivedConfig,
  pids: { main: string; vrrp: string } = KEEPALIVED_PID_FILES,
): string[] {
  return ["--dont-fork", "--log-console", "--no-syslog", "--vrrp", "--use-file", configFile, "--pid", pids.main, "--vrrp_pid", pids.vrrp];
}

/**
 * The check script runs as root. It would be happy as `nobody` (it only opens a loopback TCP
 * connection), but keepalived 2.2.7 (Debian 12) kills its own config test (`keepalived -t`,
 * exit 143) whenever script_user is a non-root user (acassen/keepalived#2617, fixed in 2.2.8),
 * and pgha wants every rendered file checked by the real program. enable_script_security still
 * refuses a script that a non-root user could modify: write it 0755, owner root, in a root-owned
 * directory. Naming the user also silences 2.2's "keepalived_script user missing" fallback.
 */
export const KEEPALIVED_SCRIPT_USER = "root";

/** VRRPv2 PASS authentication carries at most 8 characters; keepalived would silently truncate. */
export const VRRP_AUTH_PASS_MAX = 8;

/**
 * The auth_pass actually used: the first 8 characters. It is sent in clear in every advert, so
 * it only guards against a stray VRRP speaker on the same router id, not an attacker; unicast
 * peers and security groups do the real fencing.
 */
export function vrrpAuthPass(secret: string): string {
  // Characters that cannot break keepalived's tokenizer (no quotes, spaces, '#' or '!' comments).
  if (!/^[A-Za-z0-9._+=/-]+$/.test(secret))
    throw new Error("keepalived auth password must be non-empty and use only letters, digits and . _ + = / -");
  return secret.slice(0, VRRP_AUTH_PASS_MAX);
}

function requireVip(m: HaproxyNodeModel): NonNullable<HaproxyNodeModel["vip"]> {
  const vip = m.vip;
  if (!vip) throw new Error(`keepalived for cluster '${m.cluster}': the model has no VIP (platform without VIP support)`);
  if (!Number.isInteger(vip.prefixLength) || vip.prefixLength < 1 || vip.prefixLength > 32)
    throw new Error(`keepalived: VIP prefix length ${vip.prefixLength} must be an integer 1-32`);
  if (!Number.isInteger(vip.priority) || vip.priority < 1 || vip.priority > 254)
    throw new Error(`keepalived: priority ${vip.priority} must be 1-254`);
  return vip;
}

function otherPeers(m: HaproxyNodeModel): string[] {
  if (!m.peers.some((p) => p.ip === m.node.ip)) throw new Error(`keepalived: node ${m.node.name} (${m.node.ip}) is not one of the peers`);
  const others = m.peers.filter((p) => p.ip !== m.node.ip).map((p) => p.ip);
  if (others.length === 0) throw new Error(`keepalived for cluster '${m.cluster}': no unicast peer besides ${m.node.ip}`);
  return others;
}

/** /etc/keepalived/keepalived.conf for one node of an HAProxy pair. */
export function renderKeepalivedConf(m: HaproxyNodeModel): string {
  const vip = requireVip(m);
  const k = m.spec.keepalived;
  // The check runs once per advert interval; fall/rise as for HAProxy's backend checks.
  const interval = k.advertIntervalS;
  return fillTemplate("keepalived.conf.tmpl", {
    cluster: m.cluster,
    nodeName: m.node.name,
    scriptUser: KEEPALIVED_SCRIPT_USER,
    checkScript: PATHS.keepalivedCheckScript,
    checkIntervalS: interval,
    checkTimeoutS: interval,
    checkFall: m.spec.checks.fall,
    checkRise: m.spec.checks.rise,
    instanceName: `pgha_${m.cluster.replace(/-/g, "_")}`,
    interface: k.interface,
    virtualRouterId: k.virtualRouterId,
    priority: vip.priority,
    advertIntervalS: k.advertIntervalS,
    nodeIp: m.node.ip,
    unicastPeers: otherPeers(m)
      .map((ip) => `        ${ip}`)
      .join("\n"),
    authPass: vrrpAuthPass(vip.authPass),
    vip: vip.ip,
    vipPrefixLength: vip.prefixLength,
  });
}

/** /etc/keepalived/check_haproxy.sh (mode 0755, owner root). */
export function renderKeepalivedCheckScript(m: HaproxyNodeModel): string {
  return fillTemplate("check_haproxy.sh.tmpl", {
    cluster: m.cluster,
    monitorPort: m.spec.listeners.monitor,
    alivePath: HAPROXY_ALIVE_PATH,
    // Must answer before keepalived's own script timeout (the advert interval) kills it.
    readTimeoutS: Math.max(1, m.spec.keepalived.advertIntervalS),
  });
}

/** keepalived.conf holds the VRRP password (0600); the check script must be root-owned and not writable by others. */
export function keepalivedNodeFiles(m: HaproxyNodeModel): NodeFile[] {
  return [
    { path: PATHS.keepalivedConfig, content: renderKeepalivedConf(m), owner: "root:root", permissions: "0600" },
    { path: PATHS.keepalivedCheckScript, content: renderKeepalivedCheckScript(m), owner: "root:root", permissions: "0755" },
  ];
}
