// Where a lab lives and what it is made of: the synthesized plan, the network
// plan derived from it, the client namespace and the secrets the lab itself
// needs (read from the nodes' user-data, written 0600, never printed).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { WORK_ROOT } from "../../paths";
import { type SynthPlan, type SynthPlanNode, readSynthPlan, readUserData } from "../../synth/plan";
import { formatIpv4, maskOf, parseCidr, parseIpv4 } from "../network/ipv4";
import { type LabLoadBalancerNode, labLoadBalancerNodes } from "../cloud/cloudLoadBalancer";
import type { LabNetworkPlan } from "../network/networkPlan";
import { resolveNodeFiles } from "../cloud/metadata/nodeSecrets";

/** The lab's own client (writer, probes) gets this node name: namespace `pgha-lab-client`. */
export const CLIENT_NODE = "lab-client";

export interface LabMeta {
  stack: string;
  stackFile: string;
  interRegionDelayMs: number;
  createdAt: string;
}

export interface LabContext {
  stack: string;
  labDir: string;
  planDir: string;
  plan: SynthPlan;
  meta: LabMeta;
  net: LabNetworkPlan;
  netStateFile: string;
  clientAddress: string;
  clientDir: string;
  /** The lab's stand-ins for the plan's cloud TCP load balancers. */
  loadBalancers: LabLoadBalancerNode[];
}

/** Every lab's directory lives here: .lab under the repo, gitignored. */
export const LABS_DIR = join(WORK_ROOT, ".lab");

export function labDirFor(stack: string): string {
  return join(LABS_DIR, stack);
}

export function writeMeta(labDir: string, meta: LabMeta): void {
  mkdirSync(labDir, { recursive: true });
  writeFileSync(join(labDir, "lab.json"), `${JSON.stringify(meta, null, 2)}\n`);
}

/** interRegionDelayMs from the stack file's `lab:` section (the plan does not carry it). */
export function readInterRegionDelay(stackFile: string): number {
  const doc = parseYaml(readFileSync(stackFile, "utf8")) as { config?: Record<string, { lab?: { interRegionDelayMs?: number } }> };
  const topo = doc.config?.["pgha:topology"];
  return topo?.lab?.interRegionDelayMs ?? 0;
}

function subnetCidr(n: SynthPlanNode): string {
  return `${formatIpv4((parseIpv4(n.ip) & maskOf(n.prefixLength)) >>> 0)}/${n.prefixLength}`;
}

/** Client address: the highest free host address of the first database subnet. */
function clientAddressFor(plan: SynthPlan, subnet: string, cidr: string): string {
  const c = parseCidr(cidr);
  const used = new Set([...plan.nodes.map((n) => n.ip), ...plan.loadBalancers.flatMap((l) => (l.address ? [l.address] : []))]);
  for (let a = c.network + c.size - 2; a > c.network + 1; a--) {
    if (!used.has(formatIpv4(a))) return formatIpv4(a);
  }
  throw new Error(`no free address for the lab client in subnet ${subnet}`);
}

export function networkPlanFor(
  plan: SynthPlan,
  interRegionDelayMs: number,
): { net: LabNetworkPlan; clientAddress: string; loadBalancers: LabLoadBalancerNode[] } {
  const subnets = new Map<string, { name: string; cidr: string; region: string }>();
  for (const n of plan.nodes) subnets.set(n.subnet, { name: n.subnet, cidr: subnetCidr(n), region: n.region });
  // The client sits where the applications are: the subnet of the primary cluster (not a standby's).
  const standby = standbyClusters(plan);
  const dbNode = plan.nodes.find((n) => n.role === "patroni" && !standby.has(n.component)) ?? plan.nodes[0];
  const home = subnets.get(dbNode.subnet) as { name: string; cidr: string };
  const clientAddress = clientAddressFor(plan, home.name, home.cidr);
  const loadBalancers = labLoadBalancerNodes(plan, [...subnets.values()]);
  for (const lb of loadBalancers) if (!subnets.has(lb.subnet.name)) subnets.set(lb.subnet.name, lb.subnet);
  return {
    clientAddress,
    loadBalancers,
    net: {
      subnets: [...subnets.values()],
      nodes: [
        ...plan.nodes.map((n) => ({ name: n.name, subnet: n.subnet, address: n.ip })),
        ...loadBalancers.map((lb) => ({ name: lb.name, subnet: lb.subnet.name, address: lb.address })),
        { name: CLIENT_NODE, subnet: home.name, address: clientAddress },
      ],
      interRegionDelayMs,
    },
  };
}

/** The lab's record of itself (lab.json); throws when no lab of that name exists. */
export function readLabMeta(stack: string): LabMeta {
  const labDir = labDirFor(stack);
  const metaFile = join(labDir, "lab.json");
  if (!existsSync(metaFile)) throw new Error(`no lab for stack '${stack}' (${labDir}); run 'pgha lab up ${stack}' first`);
  return JSON.parse(readFileSync(metaFile, "utf8")) as LabMeta;
}

/** Clusters whose Patroni nodes follow another cluster (standby clusters). */
export function standbyClusters(plan: SynthPlan): Set<string> {
  return new Set(plan.standbyLinks.map((l) => l.cluster));
}

/** The cluster a load balancer serves: that of its targets (HAProxy nodes carry the cluster as component). */
export function clusterOfLoadBalancer(plan: SynthPlan, lb: SynthPlan["loadBalancers"][number]): string | undefined {
  return lb.targets.map((t) => plan.nodes.find((n) => n.name === t.name)?.component).find((c) => c !== undefined);
}

export function loadLab(stack: string): LabContext {
  const labDir = labDirFor(stack);
  const meta = readLabMeta(stack);
  const planDir = join(labDir, "plan");
  const plan = readSynthPlan(planDir);
  const { net, clientAddress, loadBalancers } = networkPlanFor(plan, meta.interRegionDelayMs);
  return {
    stack,
    labDir,
    planDir,
    plan,
    meta,
    net,
    netStateFile: join(labDir, "network.json"),
    clientAddress,
    clientDir: join(labDir, "client"),
    loadBalancers,
  };
}

interface WriteFile {
  path: string;
  content: string;
}

/** A node's files as the node holds them after its first boot: secret tokens replaced by the values it fetched. */
export function userDataFiles(ctx: LabContext, node: SynthPlanNode): WriteFile[] {
  const doc = parseYaml(readUserData(ctx.planDir, node)) as { write_files?: WriteFile[] };
  return resolveNodeFiles(ctx.planDir, ctx.plan, node.name, doc.write_files ?? []);
}

export function fileOf(ctx: LabContext, node: SynthPlanNode, path: string): string {
  const f = userDataFiles(ctx, node).find((w) => w.path === path);
  if (!f) throw new Error(`${node.name}'s user-data has no ${path}`);
  return f.content;
}

export interface ClientSecrets {
  /** CA that signed the PostgreSQL/Patroni server certificates. */
  caFile: string;
  etcdCaFile: string;
  etcdCertFile: string;
  etcdKeyFile: string;
  appUser: string;
  appDatabase: string;
  appPassword: string;
  restUser: string;
  restPassword: string;
}

/**
 * Copy what the lab's client needs out of a Patroni node's user-data (0600 files).
 * Default: the primary (non-standby) cluster; `etcdComponent`: a Patroni node whose
 * etcd3.hosts point at that etcd cluster (each region's etcd has its own CA).
 */
export function clientSecrets(ctx: LabContext, opts: { cluster?: string; etcdComponent?: string } = {}): ClientSecrets {
  const standby = standbyClusters(ctx.plan);
  const etcdIps = opts.etcdComponent
    ? ctx.plan.nodes.filter((n) => n.role === "etcd" && n.component === opts.etcdComponent).map((n) => `${n.ip}:2379`)
    : [];
  const pg = ctx.plan.nodes.find((n) => {
    if (n.role !== "patroni") return false;
    if (opts.cluster !== undefined) return n.component === opts.cluster;
    if (opts.etcdComponent !== undefined) return fileOf(ctx, n, "/etc/patroni/patroni.yml").includes(etcdIps[0] ?? "-");
    return !standby.has(n.component);
  });
  if (!pg) throw new Error("the plan has no matching Patroni node");
  const dir = join(ctx.clientDir, pg.component);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const put = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text, { mode: 0o600 });
    chmodSync(p, 0o600);
    return p;
  };
  const caFile = put("ca.crt", fileOf(ctx, pg, "/etc/pgha/tls/ca.crt"));
  const etcdCaFile = put("etcd-ca.crt", fileOf(ctx, pg, "/etc/pgha/tls/etcd-ca.crt"));
  const etcdCertFile = put("etcd-client.crt", fileOf(ctx, pg, "/etc/pgha/tls/etcd-client.crt"));
  const etcdKeyFile = put("etcd-client.key", fileOf(ctx, pg, "/etc/pgha/tls/etcd-client.key"));
  // A standby cluster creates no roles (it replicates its source's): the application role
  // comes from the source's post-bootstrap script.
  const source = ctx.plan.standbyLinks.find((l) => l.cluster === pg.component)?.source;
  const roleNode = (source && ctx.plan.nodes.find((n) => n.role === "patroni" && n.component === source)) || pg;
  const m = applicationRole(ctx, roleNode);
  const db = /CREATE DATABASE "([^"]+)"/.exec(fileOf(ctx, roleNode, "/etc/patroni/post-bootstrap.sh"))?.[1] ?? m[1];
  const patroni = parseYaml(fileOf(ctx, pg, "/etc/patroni/patroni.yml")) as {
    restapi: { authentication: { username: string; password: string } };
  };
  return {
    caFile,
    etcdCaFile,
    etcdCertFile,
    etcdKeyFile,
    appUser: m[1],
    appDatabase: db,
    appPassword: m[2],
    restUser: patroni.restapi.authentication.username,
    restPassword: patroni.restapi.authentication.password,
  };
}

/** The first role post-bootstrap.sh creates that is not PgBouncer's auth_query user. */
export function applicationRole(ctx: LabContext, pg: SynthPlanNode): [string, string, string] {
  const authUser = /auth_user=(\S+)/.exec(
    userDataFiles(ctx, pg).find((f) => f.path === "/etc/pgbouncer/pgbouncer.ini")?.content ?? "",
  )?.[1];
  const post = fileOf(ctx, pg, "/etc/patroni/post-bootstrap.sh");
  for (const m of post.matchAll(/ALTER ROLE "([^"]+)" WITH LOGIN[A-Z ]* PASSWORD '([^']+)'/g)) {
    if (m[1] !== authUser) return [m[0], m[1], m[2]];
  }
  throw new Error(`${pg.name}: no application role in post-bootstrap.sh (the lab's writer logs in as one)`);
}

export function nodesOf(ctx: LabContext, role: string, component?: string): SynthPlanNode[] {
  return ctx.plan.nodes.filter((n) => n.role === role && (component === undefined || n.component === component));
}
