// The lab's egress in real namespaces: a node the plan gives a path out reaches the internet
// namespace's HTTP server through the fabric's NAT (the server sees the NAT's address, never the
// node's); a node without one is refused at once; the internet has no route back into the lab.
// Needs root and `ip netns`; runs on a fabric of its own, so it never touches a running lab.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIRROR_ADDRESS } from "../packages/lab/lib/lab/cloud/mirror";
import { execAllowFailure } from "../packages/lab/lib/lab/host/exec";
import { nodeNetns } from "../packages/lab/lib/lab/network/names";
import {
  internetNetns,
  netnsExists,
  readNetworkState,
  setupInternet,
  setupNetwork,
  teardownNetwork,
} from "../packages/lab/lib/lab/network/network";
import type { LabNetworkPlan } from "../packages/lab/lib/lab/network/networkPlan";

function rootSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root (network namespaces)";
  try {
    execFileSync("ip", ["netns", "list"], { stdio: "ignore" });
  } catch {
    return "`ip netns` is unavailable";
  }
  return undefined;
}

const RUN = `e${process.pid.toString(36)}`;
const LAB_DIR = join(__dirname, "..", ".lab", `test-${RUN}`);

/** curl from inside a namespace: exit code, body, how long it took. */
async function fetchFrom(netns: string, url: string): Promise<{ code: number; body: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  const r = await execAllowFailure("ip", ["netns", "exec", netns, "curl", "-sS", "-m", "10", url]);
  return { code: r.code, body: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

describe.skipIf(rootSkipReason() !== undefined)(
  "lab egress: a NAT in front of the internet namespace, for the nodes the plan gives a path",
  () => {
    const plan: LabNetworkPlan = {
      fabric: `${RUN}-fab`,
      subnets: [
        { name: "with-nat", cidr: "10.203.1.0/24", region: "r1" },
        { name: "without", cidr: "10.203.2.0/24", region: "r1" },
      ],
      nodes: [
        { name: `${RUN}-out`, subnet: "with-nat", address: "10.203.1.10" },
        { name: `${RUN}-in`, subnet: "without", address: "10.203.2.10" },
      ],
    };
    const [out, inside] = plan.nodes;
    const stateFile = join(LAB_DIR, "network.json");
    const www = join(LAB_DIR, "www");
    const url = `http://${MIRROR_ADDRESS}/debian/probe`;

    beforeAll(async () => {
      mkdirSync(join(www, "debian"), { recursive: true });
      writeFileSync(join(www, "debian/probe"), "mirror\n");
      await setupNetwork(plan, stateFile);
      await setupInternet(stateFile, [out.address], www);
    }, 30_000);

    afterAll(async () => {
      const namespaces = readNetworkState(stateFile)?.namespaces ?? [];
      await teardownNetwork(stateFile);
      for (const ns of namespaces) expect(netnsExists(ns), ns).toBe(false);
      rmSync(LAB_DIR, { recursive: true, force: true });
    }, 30_000);

    it("lets the node with a path download, through the NAT: the server sees the fabric's uplink address", async () => {
      const r = await fetchFrom(nodeNetns(out.name), url);
      expect([r.code, r.body]).toEqual([0, "mirror\n"]);
      const log = readFileSync(join(LAB_DIR, "mirror-server.log"), "utf8");
      expect(log).toMatch(/^198\.51\.100\.1 - - .*"GET \/debian\/probe HTTP\/1\.1" 200/m);
      expect(log).not.toContain(out.address);
    });

    it("refuses the node without a path at once (net-unreachable), and it never reaches the server", async () => {
      const r = await fetchFrom(nodeNetns(inside.name), url);
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(/unreachable|Failed to connect/i);
      expect(r.ms).toBeLessThan(3000);
      console.log(`MEASURED refusal of a node without egress: ${r.ms} ms`);
      expect(readFileSync(join(LAB_DIR, "mirror-server.log"), "utf8").match(/GET \/debian\/probe/g)).toHaveLength(1);
    });

    it("gives the internet namespace no route back into the lab's subnets", async () => {
      const r = await execAllowFailure("ip", ["-n", internetNetns(`pgha-${plan.fabric}`), "route", "get", out.address]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/unreachable/i);
    });

    it("re-applying with another set moves the path (idempotent setup, the set replaced)", async () => {
      await setupInternet(stateFile, [inside.address], www);
      expect((await fetchFrom(nodeNetns(inside.name), url)).code).toBe(0);
      expect((await fetchFrom(nodeNetns(out.name), url)).code).toBe(7);
    });
  },
);
