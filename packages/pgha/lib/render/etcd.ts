import YAML from "yaml";
import { type EtcdMemberModel, type Member, tlsFiles } from "./model";

/**
 * etcd 3.4/3.5 configuration file (`etcd --config-file`; Debian 13 ships 3.5.16). Keys are the command-line flag names;
 * TLS goes in the nested client-transport-security / peer-transport-security maps, the
 * only place the config-file format accepts it. etcd ignores unknown keys silently, so
 * test/tools/etcd.test.ts checks the values etcd logs at startup, not only that it starts.
 */
export function renderEtcdConfig(m: EtcdMemberModel): string {
  return YAML.stringify(etcdConfig(m), { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false });
}

function scheme(tls: boolean): string {
  return tls ? "https" : "http";
}

/** Client URLs of every member, for etcdctl --endpoints and health checks. */
export function etcdEndpoints(members: Member[], clientPort: number, tls: boolean): string[] {
  return members.map((x) => `${scheme(tls)}://${x.ip}:${clientPort}`);
}

/** `ip:port` of every member: Patroni's etcd3.hosts (the scheme goes to etcd3.protocol). */
export function etcdHostPorts(members: Member[], clientPort: number): string[] {
  return members.map((x) => `${x.ip}:${clientPort}`);
}

export function etcdConfig(m: EtcdMemberModel): Record<string, unknown> {
  const { spec, node } = m;
  if (!m.members.some((x) => x.name === node.name)) throw new Error(`etcd member '${node.name}' is not in its own initial-cluster`);
  const s = scheme(m.tls);
  const peerUrl = (ip: string) => `${s}://${ip}:${spec.peerPort}`;
  const clientUrl = (ip: string) => `${s}://${ip}:${spec.clientPort}`;
  // Loopback too, so etcdctl and health checks on the node need no address.
  const listenClient = [...new Set([clientUrl(node.ip), clientUrl("127.0.0.1")])];
  const f = tlsFiles("etcd");
  // Both directions require a certificate from our CA: peers and clients (Patroni, etcdctl) alike.
  const security = { "cert-file": f.certFile, "key-file": f.keyFile, "trusted-ca-file": f.caFile, "client-cert-auth": true };
  return {
    name: node.name,
    "data-dir": spec.dataDir,
    "listen-peer-urls": peerUrl(node.ip),
    "listen-client-urls": listenClient.join(","),
    "initial-advertise-peer-urls": peerUrl(node.ip),
    "advertise-client-urls": clientUrl(node.ip),
    "initial-cluster": m.members.map((x) => `${x.name}=${peerUrl(x.ip)}`).join(","),
    "initial-cluster-token": m.clusterName,
    // Members are only ever created together at first boot; a replaced member joins via `member add` (lib/ops).
    "initial-cluster-state": "new",
    "heartbeat-interval": spec.heartbeatIntervalMs,
    "election-timeout": spec.electionTimeoutMs,
    "quota-backend-bytes": spec.quotaBackendBytes,
    // Patroni rewrites its keys every loop_wait; keep an hour of history, then compact.
    "auto-compaction-mode": "periodic",
    "auto-compaction-retention": "1h",
    // Patroni talks v3 (etcd3); the v2 API stays off.
    "enable-v2": false,
    // Patroni's etcd3 client speaks JSON to the gRPC gateway (/v3/...). etcd 3.4 turns the gateway
    // on by default only for command-line flags; from a config file it is off unless set
    // (etcd-io/etcd#12093, fixed in 3.5): without this line Patroni gets 404 and waits forever.
    "enable-grpc-gateway": true,
    logger: "zap",
    "log-level": "info",
    "log-outputs": ["stderr"],
    ...(m.tls ? { "client-transport-security": security, "peer-transport-security": security } : {}),
  };
}
