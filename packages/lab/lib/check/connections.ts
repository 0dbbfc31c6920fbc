/**
 * Who opens connections to whom, read from the nodes' own configs and the plan's load
 * balancers: Patroni members to each other (PostgreSQL replication, REST API), Patroni to
 * etcd (client port), etcd members to each other (peer port), HAProxy to its backends and
 * their health port, keepalived peers (VRRP), a standby leader to its source, load-balancer
 * health checkers and listeners to their targets, client VMs to the load balancers. Pure.
 */
import { parse as parseYaml } from "yaml";
import type { SynthPlanNode } from "../synth/plan";
import type { PlanLoadBalancer } from "pgha/components/plan";
import { formatIpv4 } from "pgha/config/common";
import { cidrRange } from "./cidr";
import { readCloudConfig } from "./cloudConfig";

export type Source =
  | { kind: "node"; node: string; ip: string }
  | { kind: "cidr"; cidr: string; label: string }
  | { kind: "healthCheckers"; loadBalancer: string };

export interface Connection {
  /** The node that must accept it. */
  to: string;
  port: number;
  protocol: "tcp" | "vrrp";
  from: Source;
  /** What uses it, e.g. "etcd client (Patroni DCS)". */
  what: string;
}

interface NodeConfigs {
  node: SynthPlanNode;
  patroni?: Record<string, any>;
  etcd?: Record<string, any>;
  haproxy?: string;
  keepalived?: string;
  pgbouncerPort?: number;
}

/**
 * How a load balancer's listener traffic reaches its targets: from the clients themselves
 * (passthrough: Yandex NLB, GCP internal passthrough, a VIP) or from the balancer's proxies.
 */
export type ListenerSources = (lb: PlanLoadBalancer) => { proxies: Source[] } | "passthrough";

/** Client networks the stack declares for a load balancer (clientCidrs, or sourceRanges when public). */
export type DeclaredClients = (lb: PlanLoadBalancer) => Source[];

export function connections(
  nodes: SynthPlanNode[],
  userData: (n: SynthPlanNode) => string,
  loadBalancers: PlanLoadBalancer[],
  listenerSources: ListenerSources,
  declaredClients: DeclaredClients = () => [],
): Connection[] {
  const configs = nodes.map((n) => readConfigs(n, userData(n)));
  const byIp = new Map(nodes.map((n) => [n.ip, n]));
  const out: Connection[] = [];
  const add = (to: SynthPlanNode | undefined, port: number, from: Source, what: string, protocol: "tcp" | "vrrp" = "tcp") => {
    if (!to || (from.kind === "node" && from.node === to.name)) return;
    out.push({ to: to.name, port, protocol, from, what });
  };
  const fromNode = (n: SynthPlanNode): Source => ({ kind: "node", node: n.name, ip: n.ip });

  for (const c of configs) {
    if (c.patroni) {
      for (const host of (c.patroni.etcd3?.hosts as string[] | undefined) ?? []) {
        const [ip, port] = splitHostPort(host);
        add(byIp.get(ip), port, fromNode(c.node), "etcd client (Patroni's DCS)");
      }
      const scope = c.patroni.scope;
      for (const peer of configs.filter((p) => p.patroni && p.patroni.scope === scope && p.patroni.namespace === c.patroni?.namespace)) {
        add(peer.node, listenPort(peer.patroni?.postgresql?.listen, 5432), fromNode(c.node), "PostgreSQL replication between members");
        add(peer.node, listenPort(peer.patroni?.restapi?.listen, 8008), fromNode(c.node), "Patroni REST API between members");
      }
      const standby = c.patroni.bootstrap?.dcs?.standby_cluster;
      // One address (a load balancer, a VIP) or, without `via`, the source's members as a libpq multi-host list.
      const port = Number(standby?.port ?? 5432);
      for (const host of String(standby?.host ?? "")
        .split(",")
        .filter(Boolean))
        add(byIp.get(host.trim()), port, fromNode(c.node), "standby leader streams from its source");
    }
    if (c.etcd) {
      const peers = String(c.etcd["initial-cluster"] ?? "")
        .split(",")
        .filter(Boolean);
      for (const p of peers) {
        const url = p.slice(p.indexOf("=") + 1);
        const [ip, port] = splitHostPort(url.replace(/^https?:\/\//, ""));
        add(byIp.get(ip), port, fromNode(c.node), "etcd peer traffic");
      }
    }
    if (c.haproxy) {
      for (const m of c.haproxy.matchAll(/^\s*server\s+\S+\s+([0-9.]+):(\d+)([^\n]*)$/gm)) {
        const target = byIp.get(m[1]);
        add(target, Number(m[2]), fromNode(c.node), "HAProxy backend");
        const check = /\bcheck port (\d+)/.exec(m[3]);
        if (check) add(target, Number(check[1]), fromNode(c.node), "HAProxy health check of the backend");
      }
    }
    if (c.pgbouncerPort !== undefined) {
      // Applications in the own subnets connect to PgBouncer directly.
      for (const cidr of ownSubnets(nodes))
        add(c.node, c.pgbouncerPort, { kind: "cidr", cidr, label: "clients in the own subnet" }, "PgBouncer clients");
    }
    if (c.keepalived) {
      const peers = /unicast_peer\s*\{([^}]*)\}/.exec(c.keepalived)?.[1] ?? "";
      for (const ip of peers.match(/[0-9]+(?:\.[0-9]+){3}/g) ?? [])
        add(byIp.get(ip), 0, fromNode(c.node), "keepalived VRRP advertisements", "vrrp");
    }
  }

  for (const lb of loadBalancers) {
    const targets = lb.targets.map((t) => byIp.get(t.ip) ?? nodes.find((n) => n.name === t.name));
    if (lb.kind === "cloud")
      for (const t of targets)
        add(t, lb.healthCheck.port, { kind: "healthCheckers", loadBalancer: lb.name }, `health check of load balancer ${lb.name}`);
    const users = lbUsers(lb, configs, nodes);
    const via = lb.kind === "vip" ? "passthrough" : listenerSources(lb);
    for (const l of lb.listeners) {
      const sources: Source[] =
        via === "passthrough"
          ? [...users.filter((u) => u.ports.includes(l.port)).map((u) => fromNode(u.node)), ...declaredClients(lb)]
          : via.proxies;
      for (const t of targets) for (const s of sources) add(t, l.targetPort, s, `load balancer ${lb.name} listener ${l.name}`);
    }
  }
  return dedupe(out);
}

/** Nodes that connect to a load balancer: standby leaders streaming through it, and the client VMs. */
function lbUsers(lb: PlanLoadBalancer, configs: NodeConfigs[], nodes: SynthPlanNode[]): { node: SynthPlanNode; ports: number[] }[] {
  const users: { node: SynthPlanNode; ports: number[] }[] = [];
  for (const c of configs) {
    const standby = c.patroni?.bootstrap?.dcs?.standby_cluster;
    if (standby?.host && lb.address && String(standby.host) === lb.address)
      users.push({ node: c.node, ports: [Number(standby.port ?? 5432)] });
  }
  for (const n of nodes) if (n.role === "client") users.push({ node: n, ports: lb.listeners.map((l) => l.port) });
  return users;
}

function readConfigs(node: SynthPlanNode, userData: string): NodeConfigs {
  const files = readCloudConfig(userData).files;
  const yaml = (path: string) => {
    const text = files.get(path);
    return text === undefined ? undefined : ((parseYaml(text) ?? undefined) as Record<string, any> | undefined);
  };
  return {
    node,
    patroni: yaml("/etc/patroni/patroni.yml"),
    etcd: yaml("/etc/etcd/etcd.conf.yml"),
    haproxy: files.get("/etc/haproxy/haproxy.cfg"),
    keepalived: files.get("/etc/keepalived/keepalived.conf"),
    pgbouncerPort: iniPort(files.get("/etc/pgbouncer/pgbouncer.ini")),
  };
}

/** PgBouncer's `listen_port` (https://www.pgbouncer.org/config.html#listen_port). */
function iniPort(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^\s*listen_port\s*=\s*(\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The subnets the plan's nodes live in, as CIDRs (address and prefix length of each node). */
export function ownSubnets(nodes: SynthPlanNode[]): string[] {
  const out = new Set<string>();
  for (const n of nodes) {
    const range = n.prefixLength > 0 ? cidrRange(`${n.ip}/${n.prefixLength}`) : undefined;
    if (range) out.add(`${formatIpv4(range.first)}/${n.prefixLength}`);
  }
  return [...out].sort();
}

function splitHostPort(s: string): [string, number] {
  const i = s.lastIndexOf(":");
  return [s.slice(0, i), Number(s.slice(i + 1))];
}

/** Patroni `listen: addr[,addr]:port`. */
function listenPort(listen: unknown, fallback: number): number {
  const m = typeof listen === "string" ? /:(\d+)$/.exec(listen) : null;
  return m ? Number(m[1]) : fallback;
}

function dedupe(list: Connection[]): Connection[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const k = `${c.to}|${c.port}|${c.protocol}|${JSON.stringify(c.from)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
