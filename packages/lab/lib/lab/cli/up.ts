// `pgha lab up`: synth the stack, build the network, boot every node with the
// real cloud-init, in dependency order, waiting for each tier to be healthy.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { synthStack } from "../../synth/synth";
import type { SynthPlanNode } from "../../synth/plan";
import { cloudInitErrors, prepareFirstBoot, runCloudInit } from "../node/cloudInit";
import { type PatroniMember, etcdHealth, healthyMembers, psql } from "./client";
import {
  type LabContext,
  clientSecrets,
  clusterOfLoadBalancer,
  labDirFor,
  loadLab,
  nodesOf,
  readInterRegionDelay,
  standbyClusters,
  writeMeta,
} from "./labContext";
import { ensureDataDisks } from "../node/dataDisk";
import { bootLoadBalancerNode } from "../cloud/loadBalancerNode";
import { setupInternet, setupNetwork } from "../network/network";
import { timingOf } from "../node/patroniPlan";
import { installPinnedBinaries } from "../node/pinnedBinaries";
import { labPreflight } from "./preflight";
import { describeLabEgress, hasEgress, labEgress, nodesWithEgress } from "../network/egress";
import { type LabImages } from "../node/image/debianImage";
import { labImages } from "../node/image/imageExec";
import { mirrorWww } from "../cloud/mirror";
import { packageLayer, packageNeedsOf } from "../node/image/packageLayer";
import { nodeDir, readNodeRoot } from "../node/nodeView";
import { setupLabObjectStorage } from "../cloud/objectStorage/labObjectStorage";
import { setupLabMetadata } from "../cloud/metadata/labMetadata";
import { readUserData } from "../../synth/plan";
import { sleep } from "../host/procs";
import { type NodeSupervisorHandle, defaultStateDir, readNodeSupervisor, startNodeSupervisor } from "../systemd/supervisorControl";

export type Log = (line: string) => void;

export function stackNameOf(stackFile: string): string {
  const m = /^Pulumi\.(.+)\.yaml$/.exec(basename(stackFile));
  return m ? m[1] : basename(stackFile).replace(/\.ya?ml$/, "");
}

const firstBootMarker = (ctx: LabContext, node: string) => join(nodeDir(ctx.labDir, node), "first-boot.done");

/**
 * The image layers a node's root is created over: the base image and, under it, the layer of
 * its user-data's package set (built the first time that set is installed). A node that exists
 * keeps the layers it was created on.
 */
export async function nodeLayers(ctx: LabContext, images: LabImages, node: SynthPlanNode, log: Log): Promise<string[]> {
  const recorded = readNodeRoot(ctx.labDir, node.name);
  if (recorded) return recorded.lower;
  // The layer is what the node's own apt would install from the mirror: a node without a path
  // to the internet could not have installed it, so it boots on the bare image.
  if (!hasEgress(ctx, node)) return [images.base];
  const layer = await packageLayer(images, packageNeedsOf(readUserData(ctx.planDir, node)), log);
  return layer ? [layer, images.base] : [images.base];
}

/** Boot one node: start its supervisor (if not running); on its very first boot run cloud-init. */
export async function bootNode(
  ctx: LabContext,
  node: SynthPlanNode,
  log: Log,
  layers?: string[],
): Promise<{ handle: NodeSupervisorHandle; booted: boolean }> {
  const stateDir = defaultStateDir(ctx.labDir, node.name);
  const running = readNodeSupervisor(stateDir);
  if (running) return { handle: running, booted: false };
  const firstBoot = !existsSync(firstBootMarker(ctx, node.name));
  // Before the node's root is recorded: a node with a data disk gets a private /dev/disk (ensureNodeRoot).
  await ensureDataDisks(ctx, node);
  if (firstBoot) {
    // Only a node with a path out could have downloaded them.
    if (hasEgress(ctx, node)) installPinnedBinaries(ctx, node);
    prepareFirstBoot(ctx, node);
  }
  const lower = layers ?? readNodeRoot(ctx.labDir, node.name)?.lower;
  if (!lower) throw new Error(`${node.name} was never booted (no root recorded); run pgha lab up`);
  const handle = await startNodeSupervisor({ labDir: ctx.labDir, node: node.name, lower });
  if (firstBoot) {
    const t0 = Date.now();
    await runCloudInit(handle);
    const errors = await cloudInitErrors(handle);
    if (errors.length > 0) throw new Error(`${node.name}: cloud-init reported errors: ${errors.join("; ")}`);
    writeFileSync(firstBootMarker(ctx, node.name), `${new Date().toISOString()}\n`);
    log(`  ${node.name}: cloud-init done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    log(`  ${node.name}: supervisor restarted, enabled units starting`);
  }
  return { handle, booted: true };
}

/** Poll `probe` until it returns a value; drills poll every 200 ms, since they measure seconds. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined> | T | undefined,
  pollMs = 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(pollMs);
  }
}

export function etcdEndpointsFor(ctx: LabContext, component: string): string[] {
  return nodesOf(ctx, "etcd", component).map((n) => `https://${n.ip}:2379`);
}

export async function waitEtcd(ctx: LabContext, component: string, timeoutMs = 90_000): Promise<void> {
  const s = clientSecrets(ctx, { etcdComponent: component });
  await waitFor(`etcd cluster ${component} healthy`, timeoutMs, async () => {
    const h = await etcdHealth(s, etcdEndpointsFor(ctx, component));
    return h.length > 0 && h.every((e) => e.health) ? true : undefined;
  });
}

/**
 * Wait until the cluster is healthy: one leader, every replica streaming from it, and in
 * synchronous mode a synchronous standby named again. Its members then (for `lab up` and drills).
 */
export async function waitPatroni(ctx: LabContext, cluster: string, timeoutMs = 180_000): Promise<PatroniMember[]> {
  const s = clientSecrets(ctx, { cluster });
  const nodes = nodesOf(ctx, "patroni", cluster);
  const standby = standbyClusters(ctx.plan).has(cluster);
  const needSync = !standby && nodes.length > 1 && timingOf(ctx, nodes[0]).synchronousMode;
  const what = `${standby ? "standby leader" : "leader"} + ${nodes.length - 1} streaming replica(s)${needSync ? ", one synchronous" : ""}`;
  return waitFor(`Patroni cluster ${cluster}: ${what}`, timeoutMs, () => healthyMembers(s, nodes, standby, needSync));
}

/** Every load balancer (VIP or cloud) of a primary cluster answers SQL on its primary listener. */
export async function waitVip(ctx: LabContext, timeoutMs = 90_000): Promise<void> {
  const s = clientSecrets(ctx);
  const standby = standbyClusters(ctx.plan);
  for (const lb of ctx.plan.loadBalancers) {
    const primary = lb.listeners.find((l) => l.name === "primary") ?? lb.listeners[0];
    // A standby cluster's primary listener has no backend until it is promoted.
    if (!lb.address || !primary || standby.has(clusterOfLoadBalancer(ctx.plan, lb) ?? "")) continue;
    await waitFor(`${lb.name} ${lb.address}:${primary.port} answering`, timeoutMs, async () => {
      const r = await psql(s, lb.address as string, primary.port, "select 1");
      return r.code === 0 && r.stdout.trim() === "1" ? true : undefined;
    });
  }
}

async function bootTier(ctx: LabContext, label: string, nodes: SynthPlanNode[], log: Log, layers: Map<string, string[]>): Promise<boolean> {
  if (nodes.length === 0) return false;
  log(`booting ${label}: ${nodes.map((n) => n.name).join(", ")}`);
  const results = await Promise.all(nodes.map((n) => bootNode(ctx, n, log, layers.get(n.name) as string[])));
  return results.some((r) => r.booted);
}

export async function labUp(stackFile: string, log: Log): Promise<LabContext> {
  const t0 = Date.now();
  const stack = stackNameOf(stackFile);
  const labDir = labDirFor(stack);
  const planDir = join(labDir, "plan");
  const fresh = !existsSync(join(planDir, "plan.json"));
  if (fresh) {
    log(`synthesizing ${stackFile} into ${planDir}`);
    await synthStack(stackFile, planDir);
    writeMeta(labDir, { stack, stackFile, interRegionDelayMs: readInterRegionDelay(stackFile), createdAt: new Date().toISOString() });
  }
  const ctx = loadLab(stack);
  const problems = labPreflight(ctx);
  if (problems.length > 0) {
    // Nothing of the lab exists yet but the plan just written: leave nothing behind.
    if (fresh) rmSync(labDir, { recursive: true, force: true });
    throw new Error(`stack '${stack}' cannot boot on this host:\n  - ${problems.join("\n  - ")}`);
  }
  log("Debian 13 images and package mirror (/var/cache/pgha-lab):");
  const images = await labImages(log);
  const layers = new Map<string, string[]>();
  for (const n of ctx.plan.nodes) layers.set(n.name, await nodeLayers(ctx, images, n, log));
  log(
    `network: ${ctx.net.subnets.length} subnet(s), ${ctx.net.nodes.length} namespaces, ` +
      `inter-region delay ${ctx.meta.interRegionDelayMs} ms (NFQUEUE delayer)`,
  );
  await setupNetwork(ctx.net, ctx.netStateFile);
  await setupInternet(
    ctx.netStateFile,
    nodesWithEgress(ctx).map((n) => n.ip),
    mirrorWww(images.mirror),
  );
  for (const line of describeLabEgress(labEgress(ctx))) log(`  ${line}`);
  await setupLabObjectStorage(ctx, images, log);
  // Before any node boots: its first runcmd fetches its secrets from there.
  await setupLabMetadata(ctx, images, log);

  const standby = standbyClusters(ctx.plan);
  const etcdComponents = [...new Set(nodesOf(ctx, "etcd").map((n) => n.component))];
  const pgClusters = [...new Set(nodesOf(ctx, "patroni").map((n) => n.component))];
  // etcd of every region first (the standby cluster's DCS too: it is independent of the primary).
  if (await bootTier(ctx, "etcd", nodesOf(ctx, "etcd"), log, layers)) {
    for (const c of etcdComponents) await waitEtcd(ctx, c);
  }
  for (const c of etcdComponents) log(`  etcd ${c}: healthy`);
  for (const c of pgClusters.filter((x) => !standby.has(x))) {
    if (await bootTier(ctx, `Patroni cluster ${c}`, nodesOf(ctx, "patroni", c), log, layers)) await waitPatroni(ctx, c);
    log(`  Patroni ${c}: leader + replicas running`);
  }
  const haproxyBooted = await bootTier(ctx, "HAProxy + keepalived", nodesOf(ctx, "haproxy"), log, layers);
  let lbBooted = false;
  for (const lb of ctx.loadBalancers) lbBooted = (await bootLoadBalancerNode(ctx, lb, images, log)) || lbBooted;
  if (haproxyBooted || lbBooted) await waitVip(ctx);
  log("  load balancers answering");
  for (const c of pgClusters.filter((x) => standby.has(x))) {
    if (await bootTier(ctx, `standby cluster ${c}`, nodesOf(ctx, "patroni", c), log, layers)) {
      try {
        await waitPatroni(ctx, c, 60_000);
        log(`  standby ${c}: standby leader running`);
      } catch (e) {
        // The primary cluster is usable without its DR copy: report, do not fail the whole lab.
        log(
          `  WARNING standby ${c} did not come up: ${(e as Error).message}; ` +
            `see ${join(nodeDir(ctx.labDir, nodesOf(ctx, "patroni", c)[0].name), "supervisor/logs/patroni.service.log")}`,
        );
      }
    }
  }
  // Client VMs (psql, pgbench) of the plan: nothing waits on them.
  await bootTier(ctx, "client VMs", nodesOf(ctx, "client"), log, layers);
  log(`lab ${stack} up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ctx;
}
