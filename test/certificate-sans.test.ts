/**
 * sslmode=verify-full checks the address a client dialed against the certificate that answers.
 * HAProxy (mode tcp), the keepalived VIP and the cloud TCP load balancers pass TLS through, so the
 * certificate is the Patroni member's: its SANs must name every address the stack exports for the
 * cluster. Checked on the synthesized plans of the shipped VM stacks.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { PlanLoadBalancer } from "../packages/pgha/lib/components/plan";
import { synthStack } from "../packages/lab/lib/synth/synth";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Plan {
  nodes: { name: string; ip: string; role: string; component: string }[];
  loadBalancers: PlanLoadBalancer[];
  resources: { type: string; name: string; inputs: Record<string, unknown> }[];
}

async function synth(env: string): Promise<Plan> {
  const dir = mkdtempSync(path.join(tmpdir(), `pgha-sans-${env}-`));
  dirs.push(dir);
  await synthStack(path.join(__dirname, "../stacks", `Pulumi.${env}.yaml`), dir);
  return JSON.parse(readFileSync(path.join(dir, "plan.json"), "utf8")) as Plan;
}

describe("member certificates name every address clients are given", () => {
  it.each(["lab", "yc-homework", "gcp-dr"])("%s", async (env) => {
    const plan = await synth(env);
    const component = new Map(plan.nodes.map((n) => [n.name, n.component]));
    const members = plan.nodes.filter((n) => n.role === "patroni");
    expect(members.length).toBeGreaterThan(0);
    let checkedFronts = 0;
    for (const member of members) {
      const csr = plan.resources.find((r) => r.type === "tls:index/certRequest:CertRequest" && r.name === `${member.name}-csr`);
      expect(csr, `no certificate request for ${member.name}`).toBeDefined();
      const ips = new Set(csr?.inputs.ipAddresses as string[]);
      expect(csr?.inputs.dnsNames).toContain(member.name);
      // Dialed directly (the members' multi-host connection string) and by its own PgBouncer over loopback.
      for (const ip of [member.ip, "127.0.0.1"]) expect(ips, `${member.name} lacks ${ip}`).toContain(ip);
      // Its cluster's HAProxy nodes (primaryEndpoint without a VIP is the first of them).
      for (const h of plan.nodes.filter((n) => n.role === "haproxy" && n.component === member.component)) {
        expect(ips, `${member.name} lacks HAProxy ${h.name} ${h.ip}`).toContain(h.ip);
        checkedFronts++;
      }
      // Its cluster's VIP and internal load balancers: exported as endpoints and in the connection string.
      for (const lb of plan.loadBalancers.filter((l) => l.targets.some((t) => component.get(t.name) === member.component))) {
        expect(lb.address, `${lb.name} has no planned address`).toBeDefined();
        expect(ips, `${member.name} lacks ${lb.kind} ${lb.name} ${lb.address}`).toContain(lb.address);
        checkedFronts++;
      }
    }
    // Every shipped stack puts HAProxy or a load balancer in front of a cluster.
    expect(checkedFronts).toBeGreaterThan(0);
  });
});
