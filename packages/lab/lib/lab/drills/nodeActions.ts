// What drills do to a node: crash it, shut it down, boot it, freeze its database.
import type { SynthPlanNode } from "../../synth/plan";
import type { LabContext } from "../cli/labContext";
import { cutNode, restoreNode } from "../network/network";
import { type ProcessIdentity, signalIfSame } from "../host/procs";
import type { ExecResult } from "../host/exec";
import {
  type NodeSupervisorHandle,
  defaultStateDir,
  killNode,
  nodeProcesses,
  readNodeSupervisor,
  runInNode,
  stopNodeSupervisor,
} from "../systemd/supervisorControl";
import { bootNode } from "../cli/up";

export function supervisorOf(ctx: LabContext, node: string): NodeSupervisorHandle {
  const h = readNodeSupervisor(defaultStateDir(ctx.labDir, node));
  if (!h) throw new Error(`node ${node} has no running supervisor`);
  return h;
}

/** The VM dies: SIGKILL every process of the node and unplug its cable, at the same moment. */
export async function crashNode(ctx: LabContext, node: SynthPlanNode): Promise<string> {
  const h = supervisorOf(ctx, node.name);
  const [killMs] = await Promise.all([killNode(h), cutNode(ctx.net, node.name)]);
  // Said when it shows: a process in uninterruptible I/O outlives SIGKILL until the I/O returns.
  const slow = killMs > 1000 ? ` (the last process, in uninterruptible I/O, was gone ${(killMs / 1000).toFixed(1)} s after SIGKILL)` : "";
  return `kill -9 of every process of ${node.name} and its link cut${slow}`;
}

/** Cable back in, and the VM boots: the supervisor starts its enabled units. */
export async function rebootNode(ctx: LabContext, node: SynthPlanNode): Promise<string> {
  await restoreNode(ctx.net, node.name);
  await bootNode(ctx, node, () => undefined);
  return `${node.name}: link restored, node booted (enabled units started)`;
}

/** A clean shutdown: units stopped in reverse dependency order, as systemd does at poweroff. */
export async function shutdownNode(ctx: LabContext, node: SynthPlanNode): Promise<string> {
  await stopNodeSupervisor(supervisorOf(ctx, node.name));
  return `graceful shutdown of ${node.name} (Patroni stops PostgreSQL and releases the leader key)`;
}

export async function startNode(ctx: LabContext, node: SynthPlanNode): Promise<string> {
  await bootNode(ctx, node, () => undefined);
  return `${node.name} booted again`;
}

/** Patroni and every PostgreSQL process of the node. */
export function databaseProcesses(ctx: LabContext, node: string): ProcessIdentity[] {
  return nodeProcesses(supervisorOf(ctx, node)).filter(
    (p) => /\/usr\/bin\/patroni\b/.test(p.cmdline) || /\/bin\/postgres\b/.test(p.cmdline) || /^postgres: /.test(p.cmdline),
  );
}

export function signalAll(procs: ProcessIdentity[], signal: NodeJS.Signals): number {
  return procs.filter((p) => signalIfSame(p, signal)).length;
}

/** A command as the postgres user inside the node (psql over its socket uses peer auth); reports its exit code, callers judge it. */
export function runAsPostgres(ctx: LabContext, node: string, argv: string[], timeoutMs = 300_000): Promise<ExecResult> {
  return runInNode(supervisorOf(ctx, node), ["runuser", "-u", "postgres", "--", ...argv], { timeoutMs, allowFailure: true });
}
