// Drills where a whole node goes away: leader-crash, leader-stop, replica-crash,
// etcd-member-loss, haproxy-loss.
import type { SynthPlanNode } from "../../synth/plan";
import { etcdHealth, etcdLeader, isSynchronousStandby, psql } from "../cli/client";
import { nodesOf } from "../cli/labContext";
import { vipHolder } from "../cli/status";
import { crashNode, rebootNode, shutdownNode, startNode } from "./nodeActions";
import { type FaultContext, type FaultDrillSpec, leaseExpiryFailoverBounds, secondsToMs, streamsAsReplica } from "./faultDrill";
import { upperBound } from "./types";

export const leaderCrash: FaultDrillSpec = {
  name: "leader-crash",
  target: (f) => f.leader,
  inject: (f, t) => crashNode(f.run.ctx, t),
  recover: (f, t) => rebootNode(f.run.ctx, t),
  rejoined: streamsAsReplica,
  rejoinWhat: "streaming again as a replica",
  bounds: (r, f) => leaseExpiryFailoverBounds(r, f, "crash"),
};

export const leaderStop: FaultDrillSpec = {
  name: "leader-stop",
  target: (f) => f.leader,
  inject: (f, t) => shutdownNode(f.run.ctx, t),
  recover: (f, t) => startNode(f.run.ctx, t),
  rejoined: streamsAsReplica,
  rejoinWhat: "streaming again as a replica",
  // A clean stop releases the leader key: no waiting for the ttl.
  bounds: (r, f) => [upperBound("RTO (graceful stop: no ttl wait)", secondsToMs(f.run.timing.ttl), r.rtoMs)],
};

/** The synchronous standby if there is one: losing it is what stalls commits. */
function replicaTarget(f: FaultContext): SynthPlanNode {
  const replicas = f.before.filter((m) => m.name !== f.leader.name);
  const pick = replicas.find(isSynchronousStandby) ?? replicas[0];
  if (!pick) throw new Error(`cluster ${f.run.cluster} has no replica`);
  return f.run.node(pick.name);
}

export const replicaCrash: FaultDrillSpec = {
  name: "replica-crash",
  target: replicaTarget,
  inject: (f, t) => crashNode(f.run.ctx, t),
  recover: (f, t) => rebootNode(f.run.ctx, t),
  rejoined: streamsAsReplica,
  rejoinWhat: "streaming again as a replica",
  bounds: (r, f) => [
    upperBound("write stall (a new synchronous standby is picked)", secondsToMs(f.run.timing.ttl + 10), r.rtoMs),
    { name: "leader unchanged", expected: f.leader.name, actual: r.leaderAfter ?? "none", ok: r.leaderAfter === f.leader.name },
  ],
};

/** etcd endpoints the cluster's Patroni uses (from its patroni.yml). */
function dcsNodes(f: FaultContext): SynthPlanNode[] {
  const hosts = new Set(f.run.etcdHosts().map((h) => h.split(":")[0]));
  return nodesOf(f.run.ctx, "etcd").filter((n) => hosts.has(n.ip));
}

export const etcdMemberLoss: FaultDrillSpec = {
  name: "etcd-member-loss",
  // The raft leader: the member whose loss forces an election.
  target: async (f) => {
    const nodes = dcsNodes(f);
    const leaderIp = await etcdLeader(
      f.run.secrets,
      nodes.map((n) => `https://${n.ip}:2379`),
    );
    return nodes.find((n) => n.ip === leaderIp) ?? nodes[0];
  },
  inject: async (f, t) => `${await crashNode(f.run.ctx, t)} (the etcd raft leader)`,
  recover: (f, t) => rebootNode(f.run.ctx, t),
  rejoined: async (f, t) => (await etcdHealth(f.run.secrets, [`https://${t.ip}:2379`]))[0]?.health === true,
  rejoinWhat: "healthy etcd member again",
  // Writes never touch etcd: keep writing for a whole ttl, so a spurious demotion would show.
  tailMs: (f) => f.run.timing.ttl * 1000,
  bounds: (r, f) => [
    upperBound("first write after the fault", secondsToMs(f.run.timing.ttl), r.rtoMs),
    { name: "no Patroni failover", expected: f.leader.name, actual: r.leaderAfter ?? "none", ok: r.leaderAfter === f.leader.name },
  ],
};

function vipOf(f: FaultContext): { address: string; targets: string[] } {
  const lb = f.run.ctx.plan.loadBalancers.find((l) => l.kind === "vip" && l.address === f.run.endpoint.host);
  if (!lb?.address) throw new Error(`the drill endpoint ${f.run.endpoint.host} is not a keepalived VIP`);
  return { address: lb.address, targets: lb.targets.map((t) => t.name) };
}

export const haproxyLoss: FaultDrillSpec = {
  name: "haproxy-loss",
  target: async (f) => {
    const vip = vipOf(f);
    const holder = await vipHolder(f.run.ctx, vip.address, vip.targets);
    if (!holder) throw new Error(`nobody holds the VIP ${vip.address}`);
    return f.run.node(holder);
  },
  inject: async (f, t) => `${await crashNode(f.run.ctx, t)} (it held the VIP)`,
  recover: (f, t) => rebootNode(f.run.ctx, t),
  rejoined: async (f, t) => {
    const r = await psql(f.run.secrets, t.ip, f.run.endpoint.port, "SELECT 1", 1);
    return r.code === 0 && r.stdout.trim() === "1";
  },
  rejoinWhat: "HAProxy answering again",
  facts: async (f) => {
    const vip = vipOf(f);
    return [`VIP ${vip.address} held by ${(await vipHolder(f.run.ctx, vip.address, vip.targets)) ?? "nobody"} at the end`];
  },
  bounds: (r, f) => [
    upperBound("RTO (keepalived moves the VIP)", secondsToMs(10), r.rtoMs),
    { name: "no Patroni failover", expected: f.leader.name, actual: r.leaderAfter ?? "none", ok: r.leaderAfter === f.leader.name },
  ],
};
