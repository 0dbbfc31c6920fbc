// Inter-region delay for the lab.
//
// Mechanism (chosen because it works on this kernel): `sch_netem` and
// `sch_fq` are not built in (`tc qdisc add ... netem` -> "Specified qdisc kind
// is unknown"), so neither netem nor the EDT/skb->tstamp + fq trick is
// possible. nfnetlink_queue and the iptables NFQUEUE target are built in, so
// the fabric namespace (the router between subnets) sends every packet that
// crosses regions to an NFQUEUE, and nfqueue-delayer.py (stdlib python,
// metadata-only copy) holds each packet for the configured time before
// accepting it. Delay is one-way per direction, so a round trip between
// regions costs 2x delay. Rules use --queue-bypass: if the delayer is not
// running, traffic passes undelayed instead of being dropped.
import { exec, execAllowFailure } from "../host/exec";
import { type DetachedProcess, spawnDetached } from "../host/daemon";
import type { DelayRule, QueueDelay } from "./networkPlan";
import { terminate } from "../host/procs";
import { labAsset } from "../../paths";

/** Our chain in the fabric's filter table; FORWARD jumps to it. */
export const DELAY_CHAIN = "PGHA-DELAY";

export const DELAYER_SCRIPT = labAsset("lab/network/nfqueue-delayer.py");
const PYTHON = "/usr/bin/python3";

export interface DelayerRecord extends DetachedProcess {
  queues: QueueDelay[];
}

function iptables(netns: string, args: string[]) {
  return exec("ip", ["netns", "exec", netns, "iptables", "-w", ...args]);
}

/** Replace the delay rules in the fabric namespace (flush + re-add: idempotent). */
export async function applyDelayRules(fabricNetns: string, rules: DelayRule[]): Promise<void> {
  await execAllowFailure("ip", ["netns", "exec", fabricNetns, "iptables", "-w", "-N", DELAY_CHAIN]);
  await iptables(fabricNetns, ["-F", DELAY_CHAIN]);
  const jump = ["FORWARD", "-j", DELAY_CHAIN];
  const present = await execAllowFailure("ip", ["netns", "exec", fabricNetns, "iptables", "-w", "-C", ...jump]);
  if (present.code !== 0) await iptables(fabricNetns, ["-I", ...jump]);
  for (const r of rules) {
    await iptables(fabricNetns, [
      "-A",
      DELAY_CHAIN,
      "-s",
      r.fromCidr,
      "-d",
      r.toCidr,
      "-j",
      "NFQUEUE",
      "--queue-num",
      String(r.queue),
      "--queue-bypass",
    ]);
  }
}

/** Start the delayer inside the fabric namespace; resolves once its queues are bound. */
export async function startDelayer(fabricNetns: string, queues: QueueDelay[], logFile: string): Promise<DelayerRecord> {
  const argv = ["ip", "netns", "exec", fabricNetns, PYTHON, DELAYER_SCRIPT, ...queues.map((q) => `${q.queue}:${q.delayMs}`)];
  const proc = await spawnDetached(argv, logFile, (log) => log.includes("nfqueue-delayer bound"));
  return { ...proc, queues };
}

export async function stopDelayer(rec: DelayerRecord): Promise<void> {
  await terminate(rec, 3000);
}

export function sameQueues(a: QueueDelay[], b: QueueDelay[]): boolean {
  return a.length === b.length && a.every((q, i) => q.queue === b[i].queue && q.delayMs === b[i].delayMs);
}
