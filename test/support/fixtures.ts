/**
 * Shared test inputs: a small lab-like topology parsed by the real schema, and the per-node
 * render models built from it the way components do (address plan, CIDRs, parameters).
 * Passwords are fixed fakes; nothing here is a real secret.
 */
import { type ClusterSpec, parseTopology, planAddresses, type Topology, type TopologyInput } from "../../lib/config";
import { etcdHostPorts } from "../../lib/render/etcd";
import type { BackupTarget, ClusterPasswords, EtcdMemberModel, Member, PatroniNodeModel } from "../../lib/render/model";
import { clusterParameters, type ParameterSet } from "../../lib/render/postgresParameters";

/** 3 etcd, a 3-node synchronous cluster `main` with backups, a 1-node standby cluster `dr` in a second region. */
export function labTopologyInput(): TopologyInput {
  return {
    name: "lab",
    platform: { kind: "local", os: "debian-12", clientCidrs: ["10.77.0.0/16"] },
    regions: [
      { name: "lab-east", zones: ["east-a", "east-b", "east-c"] },
      { name: "lab-west", zones: ["west-a"] },
    ],
    subnets: [
      { name: "east", region: "lab-east", cidr: "10.77.1.0/24" },
      { name: "west", region: "lab-west", cidr: "10.77.2.0/24" },
    ],
    etcd: { members: 3 },
    clusters: [
      {
        name: "main",
        region: "lab-east",
        nodes: 3,
        postgres: { major: 15, roles: [{ name: "app", options: ["CREATEDB"] }], databases: [{ name: "app", owner: "app", extensions: ["pg_trgm"] }] },
        patroni: { dcs: { timing: "fast", synchronous_mode: true } },
        hardware: { vcpus: 2, ramGb: 1, diskType: "ssd" },
        backups: { tool: "pgbackrest", storage: { kind: "local", path: "/var/lib/pgbackrest" }, retainFull: 2 },
      },
      {
        name: "dr",
        region: "lab-west",
        nodes: 1,
        postgres: { major: 15 },
        patroni: { dcs: { timing: "fast" } },
        haproxy: { enabled: false },
        hardware: { vcpus: 2, ramGb: 1, diskType: "ssd" },
        standby: { source: "main" },
      },
    ],
  };
}

/** Parse the lab input after letting `edit` change a fresh copy of it. */
export function labTopology(edit?: (input: TopologyInput & { clusters: Record<string, unknown>[] }) => void): Topology {
  const input = structuredClone(labTopologyInput()) as TopologyInput & { clusters: Record<string, unknown>[] };
  edit?.(input);
  return parseTopology(input);
}

export function clusterByName(t: Topology, name: string): ClusterSpec {
  const c = t.clusters.find((x) => x.name === name);
  if (!c) throw new Error(`no cluster '${name}'`);
  return c;
}

export function testPasswords(cluster: ClusterSpec): ClusterPasswords {
  return {
    superuser: `su-${cluster.name}-pw`,
    replication: "repl-pw",
    rewind: `rewind-${cluster.name}-pw`,
    restApi: `rest-${cluster.name}-pw`,
    pgbouncer: `bouncer-${cluster.name}-pw`,
    roles: Object.fromEntries(cluster.postgres.roles.map((r) => [r.name, `${r.name}-pw`])),
    backupEncryptionKey: "backup-key",
  };
}

export function backupTargetFor(cluster: ClusterSpec): BackupTarget | undefined {
  const b = cluster.backups;
  if (!b) return undefined;
  const bucket = b.storage.kind === "local" ? b.storage.path : (b.storage.bucket ?? `pgha-${cluster.name}`);
  return { spec: b, bucket, prefix: `${cluster.name}/`, s3AccessKeyId: undefined, s3SecretAccessKey: undefined };
}

function membersOf(t: Topology, component: string, role: "patroni" | "etcd"): (Member & { subnet: string })[] {
  return planAddresses(t)
    .nodes.filter((n) => n.role === role && n.component === component)
    .map((n) => ({ name: n.name, ip: n.ip, subnet: n.subnet }));
}

function cidrsOf(t: Topology, subnets: string[]): string[] {
  return [...new Set(subnets)].map((s) => {
    const subnet = t.subnets.find((x) => x.name === s);
    if (!subnet) throw new Error(`no subnet '${s}'`);
    return subnet.cidr;
  });
}

function standbySlotName(follower: ClusterSpec): string {
  return follower.standby?.slotName ?? `standby_${follower.name.replaceAll("-", "_")}`;
}

/** Final cluster-wide parameters; a standby cluster keeps at least its source's hot-standby minimums. */
export function clusterParametersFor(t: Topology, cluster: ClusterSpec): ParameterSet {
  const followers = t.clusters.filter((c) => c.standby?.source === cluster.name);
  const source = cluster.standby ? clusterByName(t, cluster.standby.source) : undefined;
  return clusterParameters(cluster, {
    tls: t.tls.postgres,
    backups: backupTargetFor(cluster),
    standbyClusters: followers.length,
    sourceParameters: source ? clusterParametersFor(t, source) : undefined,
  });
}

/** The render model of Patroni node `index` of cluster `clusterName`, as a component would build it. */
export function patroniNodeModel(t: Topology, clusterName: string, index: number): PatroniNodeModel {
  const cluster = clusterByName(t, clusterName);
  const members = membersOf(t, cluster.name, "patroni");
  const node = members[index];
  if (!node) throw new Error(`cluster '${clusterName}' has no node ${index}`);
  const followers = t.clusters.filter((c) => c.standby?.source === cluster.name);
  const backups = backupTargetFor(cluster);
  const etcdMembers = membersOf(t, t.name, "etcd");
  let standby: PatroniNodeModel["standby"];
  if (cluster.standby) {
    const source = clusterByName(t, cluster.standby.source);
    const sourceNodes = membersOf(t, source.name, "patroni");
    const vip = planAddresses(t).vips.find((v) => v.cluster === source.name);
    standby = {
      host: vip?.ip ?? sourceNodes[0].ip,
      port: vip ? source.haproxy.listeners.primary : source.postgres.port,
      primarySlotName: standbySlotName(cluster),
      sourceBackups: cluster.standby.restoreFromSourceBackups ? backupTargetFor(source) : undefined,
    };
  }
  return {
    cluster,
    node: { name: node.name, ip: node.ip },
    members: members.map((x) => ({ name: x.name, ip: x.ip })),
    clusterCidrs: cidrsOf(t, members.map((x) => x.subnet)),
    clientCidrs: t.platform.clientCidrs,
    standbyCidrs: cidrsOf(t, followers.flatMap((f) => membersOf(t, f.name, "patroni").map((x) => x.subnet))),
    etcd: { hosts: etcdHostPorts(etcdMembers, t.etcd.clientPort), tls: t.tls.etcd },
    tls: t.tls,
    passwords: testPasswords(cluster),
    parameters: clusterParametersFor(t, cluster),
    backups,
    standby,
    os: t.platform.os,
    permanentSlots: {
      ...cluster.patroni.dcs.slots,
      ...Object.fromEntries(followers.map((f) => [standbySlotName(f), { type: "physical" as const }])),
    },
  };
}

export function etcdMemberModel(t: Topology, index: number): EtcdMemberModel {
  const members = membersOf(t, t.name, "etcd").map((x) => ({ name: x.name, ip: x.ip }));
  const node = members[index];
  if (!node) throw new Error(`no etcd member ${index}`);
  return { spec: t.etcd, clusterName: `${t.name}-etcd`, node, members, tls: t.tls.etcd };
}
