// The lab's egress decisions without root: the fabric's NAT/refusal rules, the `lab up` lines,
// and what `lab status` says about a node whose first boot failed for want of a path out.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EGRESS_TYPES } from "../../check/egress";
import type { SynthPlan, SynthPlanNode, SynthPlanResource } from "../../synth/plan";
import { describeLabEgress, labEgress, nodesWithEgress } from "./egress";
import { firstBootFailure } from "../node/firstBootNeeds";
import type { LabContext } from "../cli/labContext";
import { renderEgressRuleset } from "./network";
import { nodeRootfs } from "../node/nodeView";

describe("the fabric's egress rules", () => {
  it("NATs exactly the nodes with a path and refuses the internet to the others", () => {
    const r = renderEgressRuleset(["10.77.1.10", "10.77.1.32"]);
    expect(r).toContain("elements = { 10.77.1.10, 10.77.1.32 }");
    expect(r).toContain("ip daddr 198.51.100.0/24 ip saddr != @egress reject with icmp type net-unreachable");
    expect(r).toContain('oifname "inet0" ip saddr @egress masquerade');
    // Nobody with a path: an empty set, so every node is refused and none is NATed.
    const none = renderEgressRuleset([]);
    expect(none).not.toContain("elements");
    expect(none).toContain("ip saddr != @egress reject");
  });
});

const res = (type: string, name: string, inputs: Record<string, unknown>): SynthPlanResource => ({
  type,
  name,
  parent: null,
  urn: `urn:${name}`,
  custom: true,
  inputs,
});
const node = (name: string, ip: string, subnet: string): SynthPlanNode => ({
  name,
  ip,
  subnet,
  role: "etcd",
  component: "yc",
  region: "ru-central1",
  zone: "ru-central1-a",
  gateway: "10.130.1.1",
  prefixLength: 24,
  userDataFile: `user-data/${name}.yaml`,
});

/** Two nodes: one on a subnet routed through a NAT gateway, one on a subnet without a route table. */
function yandexPlan(): SynthPlan {
  const vm = (n: string, ip: string, subnet: string) =>
    res(EGRESS_TYPES.yandexVm, n, { networkInterfaces: [{ ipAddress: ip, nat: false, subnetId: `${subnet}-id` }] });
  return {
    stack: "t",
    platform: "yandex",
    loadBalancers: [],
    standbyLinks: [],
    nodes: [node("etcd-0", "10.130.1.10", "a"), node("etcd-1", "10.130.2.10", "b")],
    resources: [
      vm("etcd-0", "10.130.1.10", "net-a"),
      vm("etcd-1", "10.130.2.10", "net-b"),
      res(EGRESS_TYPES.yandexSubnet, "net-a", { routeTableId: "rt-id" }),
      res(EGRESS_TYPES.yandexSubnet, "net-b", {}),
      res(EGRESS_TYPES.yandexRouteTable, "rt", { staticRoutes: [{ destinationPrefix: "0.0.0.0/0", gatewayId: "gw-id" }] }),
      res(EGRESS_TYPES.yandexGateway, "gw", { sharedEgressGateway: {} }),
    ],
  };
}

describe("lab egress from the plan", () => {
  const dir = mkdtempSync(join(tmpdir(), "pgha-egress-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const plan = yandexPlan();
  const ctx = { plan, labDir: join(dir, "lab"), planDir: join(dir, "plan") } as LabContext;

  it("gives the path only to the node whose subnet has one, and says so per way out", () => {
    expect(nodesWithEgress(ctx).map((n) => n.name)).toEqual(["etcd-0"]);
    expect(describeLabEgress(labEgress(ctx))).toEqual([
      "egress through NAT gateway gw via route table rt on subnet net-a: etcd-0",
      "no egress (refused): etcd-1",
    ]);
  });

  it("explains a failed first boot by the missing path, with what apt said", () => {
    mkdirSync(join(ctx.planDir, "user-data"), { recursive: true });
    for (const n of plan.nodes) writeFileSync(join(ctx.planDir, n.userDataFile), "#cloud-config\npackages: [etcd-server, etcd-client]\n");
    const failed = (name: string) => {
      const root = nodeRootfs(ctx.labDir, name);
      mkdirSync(join(root, "var/lib/cloud/data"), { recursive: true });
      mkdirSync(join(root, "var/log"), { recursive: true });
      writeFileSync(
        join(root, "var/lib/cloud/data/result.json"),
        JSON.stringify({
          v1: { errors: ["('package_update_upgrade_install', RuntimeError('Failed to install the following packages'))"] },
        }),
      );
      writeFileSync(
        join(root, "var/log/cloud-init-output.log"),
        "Ign:1 http://198.51.100.2/debian trixie InRelease\nErr:1 http://198.51.100.2/debian trixie InRelease\n" +
          "  Could not connect to 198.51.100.2:80 (198.51.100.2) - connect (101: Network is unreachable)\n",
      );
    };
    const [withPath, without] = plan.nodes;
    expect(firstBootFailure(ctx, without)).toBeUndefined();
    failed(without.name);
    const why = firstBootFailure(ctx, without) ?? "";
    expect(why).toContain("first boot failed (cloud-init: ('package_update_upgrade_install'");
    expect(why).toContain(
      "it needs apt packages from the package mirror (etcd-client, etcd-server), " +
        "but has no path to the internet: subnet net-b is not attached to a route table",
    );
    expect(why).toContain("platform.egress");
    expect(why).toContain('"Could not connect to 198.51.100.2:80 (198.51.100.2) - connect (101: Network is unreachable)"');
    // A node with a path whose first boot failed: the failure, not a blame on egress.
    failed(withPath.name);
    expect(firstBootFailure(ctx, withPath)).not.toContain("no path");
  });
});
