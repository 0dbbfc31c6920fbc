/**
 * The lab stands a cloud's internal load balancer in with an HAProxy of its own, configured from
 * the plan's listeners, targets and health check; the tools image's haproxy must accept that config.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveStackFile } from "../../packages/lab/lib/cli/stackArg";
import { type LabLoadBalancerNode, renderLabLoadBalancerConfig } from "../../packages/lab/lib/lab/cloud/cloudLoadBalancer";
import { networkPlanFor } from "../../packages/lab/lib/lab/cli/labContext";
import { readSynthPlan } from "../../packages/lab/lib/synth/plan";
import { synthStack } from "../../packages/lab/lib/synth/synth";
import { runImage } from "../support/image";

const work = mkdtempSync(join(tmpdir(), "pgha-cloud-lb-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let lb: LabLoadBalancerNode;
beforeAll(async () => {
  const planDir = join(work, "yc-homework");
  await synthStack(resolveStackFile("yc-homework"), planDir);
  [lb] = networkPlanFor(readSynthPlan(planDir), 50).loadBalancers;
}, 120_000);

describe("the lab's stand-in for a cloud load balancer", () => {
  it("renders an HAProxy config from the plan's listeners, targets and health check that haproxy -c accepts", async () => {
    const cfg = renderLabLoadBalancerConfig(lb.lb, lb.address);
    expect(cfg).toContain("bind 10.130.1.45:5000");
    expect(cfg).toContain("server main-haproxy-1 10.130.2.43:5001 check port 7001");
    expect(cfg).toContain("http-check send meth GET uri /health");
    expect(cfg).toMatch(/inter 2s .* rise 2 fall 2/);
    expect(renderLabLoadBalancerConfig(lb.lb, lb.address)).toBe(cfg);
    const file = join(work, "lb.cfg");
    writeFileSync(file, cfg);
    const check = () => runImage(["haproxy", "-c", "-q", "-f", file], { binds: [work] });
    expect(await check()).toMatchObject({ code: 0 });
    // The check can fail: a listener without a port is refused by the real program.
    writeFileSync(file, cfg.replace("bind 10.130.1.45:5000", "bind 10.130.1.45:"));
    expect((await check()).code).not.toBe(0);
  });
});
