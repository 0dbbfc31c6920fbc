// `pgha lab status`: what the lab looks like right now, from the lab client.
import { existsSync } from "node:fs";
import { type EtcdHealth, type PatroniMember, etcdHealth, getText, maskedConnString, patroniCluster, patroniNode } from "./client";
import { LAB_LB_STATS_PORT } from "../cloud/cloudLoadBalancer";
import { egressOf } from "../network/egress";
import { execAllowFailure } from "../host/exec";
import { firstBootFailure } from "../node/firstBootNeeds";
import { runInToolsImage } from "../node/image/imageExec";
import { type LabContext, clientSecrets, nodesOf } from "./labContext";
import type { SynthPlanNode } from "../../synth/plan";
import { nodeNetns } from "../network/names";
import { objectStorageStatus } from "../cloud/objectStorage/labObjectStorage";
import { metadataStatus } from "../cloud/metadata/labMetadata";
import { defaultStateDir, readNodeSupervisor } from "../systemd/supervisorControl";
import { etcdEndpointsFor } from "./up";

export interface LabStatus {
  stack: string;
  labDir: string;
  nodes: {
    name: string;
    role: string;
    component: string;
    namespace: string;
    ip: string;
    region: string;
    supervisor: "running" | "stopped";
    patroniRole?: string;
    patroniState?: string;
    /** The node's path to the internet as its plan gives it (lib/check/egress.ts); cloud LB stand-ins have none of their own. */
    egress?: { internet: boolean; via: string; assumption?: true };
    /** Why the first boot failed (with the plan's reason when the node had no path out). */
    firstBootFailure?: string;
  }[];
  patroni: Record<string, PatroniMember[]>;
  etcd: Record<string, EtcdHealth[]>;
  haproxy: { node: string; proxy: string; server: string; status: string }[];
  loadBalancers: {
    name: string;
    kind: string;
    address?: string;
    holder?: string;
    endpoints: { name: string; endpoint: string }[];
    connectionString?: string;
  }[];
  /** The object storage stand-in (RGW), when the plan has buckets. */
  objectStorage?: string[];
  /** The metadata + secret stand-in, when the plan has lab secrets. */
  metadata?: string[];
}

/** Who holds a VIP: the target namespace whose eth0 carries the address. */
export async function vipHolder(ctx: LabContext, address: string, targets: string[]): Promise<string | undefined> {
  for (const t of targets) {
    if (!existsSync(`/run/netns/${nodeNetns(t)}`)) continue;
    const r = await execAllowFailure("ip", ["-n", nodeNetns(t), "-4", "-o", "addr", "show", "dev", "eth0"]);
    if (r.stdout.includes(` ${address}/`)) return t;
  }
  return undefined;
}

/** One row per server of an HAProxy stats CSV (listeners x backends), or UNREACHABLE. */
function serverStates(node: string, csv: string | undefined): LabStatus["haproxy"] {
  if (!csv) return [{ node, proxy: "*", server: "*", status: "UNREACHABLE" }];
  const rows: LabStatus["haproxy"] = [];
  for (const line of csv.split("\n")) {
    const f = line.split(",");
    if (line.startsWith("#") || f.length < 18 || f[1] === "FRONTEND" || f[1] === "BACKEND" || f[0] === "stats" || f[0] === "lab-stats")
      continue;
    rows.push({ node, proxy: f[0], server: f[1], status: f[17] });
  }
  return rows;
}

export async function collectStatus(ctx: LabContext): Promise<LabStatus> {
  const s = clientSecrets(ctx);
  const patroni: Record<string, PatroniMember[]> = {};
  for (const c of new Set(nodesOf(ctx, "patroni").map((n) => n.component))) {
    const secrets = clientSecrets(ctx, { cluster: c });
    const members =
      (
        await patroniCluster(
          secrets,
          nodesOf(ctx, "patroni", c).map((n) => n.ip),
        )
      )?.members ?? [];
    // What each node really runs: the versions its own Patroni reports.
    for (const m of members) {
      const st = await patroniNode(secrets, m.host);
      m.patroniVersion = st?.patroni?.version;
      m.serverVersion = st?.server_version;
    }
    patroni[c] = members;
  }
  const etcd: Record<string, EtcdHealth[]> = {};
  for (const c of new Set(nodesOf(ctx, "etcd").map((n) => n.component)))
    etcd[c] = await etcdHealth(clientSecrets(ctx, { etcdComponent: c }), etcdEndpointsFor(ctx, c));
  const haproxy: LabStatus["haproxy"] = [];
  for (const n of nodesOf(ctx, "haproxy")) haproxy.push(...serverStates(n.name, await getText(`http://${n.ip}:7000/;csv`)));
  // The cloud LB stand-ins: their target health, read on each one's own loopback.
  for (const lb of ctx.loadBalancers) {
    const r = await runInToolsImage(["curl", "-s", "-m", "2", `http://127.0.0.1:${LAB_LB_STATS_PORT}/;csv`], { netns: nodeNetns(lb.name) });
    haproxy.push(...serverStates(lb.name, r.code === 0 ? r.stdout : undefined));
  }
  const loadBalancers: LabStatus["loadBalancers"] = [];
  for (const lb of ctx.plan.loadBalancers) {
    const host = lb.address;
    const primary = lb.listeners.find((l) => l.name === "primary");
    loadBalancers.push({
      name: lb.name,
      kind: lb.kind,
      address: host,
      // A VIP is held by one keepalived node; a cloud LB by the lab node standing in for it.
      holder:
        host && lb.kind === "vip"
          ? await vipHolder(
              ctx,
              host,
              lb.targets.map((t) => t.name),
            )
          : ctx.loadBalancers.find((l) => l.lb.name === lb.name)?.name,
      endpoints: lb.listeners.map((l) => ({ name: l.name, endpoint: `${host}:${l.port}` })),
      connectionString: host && primary ? maskedConnString(s, host, primary.port) : undefined,
    });
  }
  const members = Object.values(patroni).flat();
  const nodes: LabStatus["nodes"] = ctx.plan.nodes.map((n) => {
    const m = members.find((x) => x.name === n.name);
    return {
      name: n.name,
      role: n.role,
      component: n.component,
      namespace: nodeNetns(n.name),
      ip: n.ip,
      region: n.region,
      supervisor: readNodeSupervisor(defaultStateDir(ctx.labDir, n.name)) ? "running" : "stopped",
      patroniRole: m?.role,
      patroniState: m?.state,
      egress: egressSummary(ctx, n),
      firstBootFailure: firstBootFailure(ctx, n),
    };
  });
  for (const lb of ctx.loadBalancers) {
    nodes.push({
      name: lb.name,
      role: "cloud-lb",
      component: lb.lb.name,
      namespace: nodeNetns(lb.name),
      ip: lb.address,
      region: lb.lb.region,
      supervisor: readNodeSupervisor(defaultStateDir(ctx.labDir, lb.name)) ? "running" : "stopped",
    });
  }
  return {
    stack: ctx.stack,
    labDir: ctx.labDir,
    nodes,
    patroni,
    etcd,
    haproxy,
    loadBalancers,
    objectStorage: objectStorageStatus(ctx.labDir),
    metadata: metadataStatus(ctx.labDir),
  };
}

function egressSummary(ctx: LabContext, n: SynthPlanNode): NonNullable<LabStatus["nodes"][number]["egress"]> {
  const e = egressOf(ctx, n);
  return { internet: e.internet, via: e.via, ...(e.assumption ? { assumption: e.assumption } : {}) };
}

const egressCell = (e: LabStatus["nodes"][number]["egress"]) =>
  e === undefined ? "-" : !e.internet ? "none" : e.assumption ? "assumed" : "yes";

function table(rows: string[][]): string {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => `| ${r.map((c, i) => c.padEnd(w[i])).join(" | ")} |`).join("\n");
}

/** server_version 170012 -> "17.12". */
export function postgresVersion(serverVersion: number | undefined): string {
  return serverVersion ? `${Math.floor(serverVersion / 10000)}.${serverVersion % 10000}` : "?";
}

export function patroniTable(cluster: string, members: PatroniMember[]): string {
  const rows = [["Cluster", "Member", "Host", "Role", "State", "TL", "Lag in MB", "Patroni", "PostgreSQL"]];
  for (const m of [...members].sort((a, b) => a.name.localeCompare(b.name))) {
    const lag = typeof m.lag === "number" ? String(Math.round(m.lag / 1048576)) : (m.lag ?? "");
    rows.push([
      cluster,
      m.name,
      m.host,
      m.role === "sync_standby"
        ? "Sync Standby"
        : m.role === "quorum_standby"
          ? "Quorum Standby"
          : m.role === "standby_leader"
            ? "Standby Leader"
            : m.role === "leader"
              ? "Leader"
              : "Replica",
      m.state,
      String(m.timeline ?? ""),
      lag,
      m.patroniVersion ?? "?",
      postgresVersion(m.serverVersion),
    ]);
  }
  return table(rows);
}

export function formatStatus(st: LabStatus): string {
  const out: string[] = [`lab ${st.stack} (${st.labDir})`, ""];
  out.push(
    table([
      ["Node", "Role", "Namespace", "IP", "Region", "Supervisor", "Egress"],
      ...st.nodes.map((n) => [n.name, n.role, n.namespace, n.ip, n.region, n.supervisor, egressCell(n.egress)]),
    ]),
    "",
  );
  const failed = st.nodes.filter((n) => n.firstBootFailure);
  for (const n of failed) out.push(`${n.name}: ${n.firstBootFailure}`);
  if (failed.length > 0) out.push("");
  for (const [c, members] of Object.entries(st.patroni)) out.push(patroniTable(c, members), "");
  for (const [c, h] of Object.entries(st.etcd))
    out.push(
      `etcd ${c}: ${h.map((e) => `${e.endpoint} ${e.health ? "healthy" : `UNHEALTHY${e.error ? ` (${e.error})` : ""}`}`).join(", ")}`,
    );
  out.push("");
  if (st.haproxy.length > 0)
    out.push(table([["HAProxy", "Listener", "Server", "Status"], ...st.haproxy.map((h) => [h.node, h.proxy, h.server, h.status])]), "");
  for (const lb of st.loadBalancers) {
    const holder = lb.holder ? ` ${lb.kind === "vip" ? "held" : "realised"} by ${lb.holder}` : lb.kind === "vip" ? " NOT HELD" : "";
    out.push(`${lb.name} (${lb.kind}) ${lb.address ?? ""}${holder}: ${lb.endpoints.map((e) => `${e.name} ${e.endpoint}`).join(", ")}`);
    if (lb.connectionString)
      out.push(`  connect (from the lab client namespace, e.g. 'ip netns exec pgha-lab-client psql ...'): ${lb.connectionString}`);
  }
  out.push(...(st.objectStorage ?? []));
  out.push(...(st.metadata ?? []));
  return out.join("\n");
}
