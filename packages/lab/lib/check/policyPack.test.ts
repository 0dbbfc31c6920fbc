// The policy pack's rules on the shipped stacks' synth plans, presented the way the Pulumi
// engine presents a deployed stack to a policy: cloud ids instead of synth's `<name>-id`, the
// references recorded as per-property dependencies, user-data in the VM metadata, the static
// key's accessKey among its properties.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Topology } from "pgha/config";
import { cloudState } from "../synth/cloudOutputs";
import { readSynthPlan, readUserData, type SynthPlan, type SynthPlanResource } from "../synth/plan";
import { loadStackFile } from "../synth/stackFile";
import { synthStack } from "../synth/synth";
import { isFailing } from "./findings";
import { checkPolicyResources, type PghaPolicyConfig, pghaPolicies } from "./policyPack";
import { type PolicyResourceLike, planFromPolicyResources, REFERENCE_FIELDS } from "./policyPlan";
import { inputText } from "../synth/inputText";

const STACKS = ["yc-homework", "gcp-dr"];
const tmp = mkdtempSync(join(tmpdir(), "pgha-policy-"));
const synthesized = new Map<string, { plan: SynthPlan; dir: string; topology: Topology }>();

beforeAll(async () => {
  for (const stack of STACKS) {
    const file = resolve(__dirname, `../../../../stacks/Pulumi.${stack}.yaml`);
    const dir = join(tmp, stack);
    await synthStack(file, dir);
    synthesized.set(stack, { plan: readSynthPlan(dir), dir, topology: loadStackFile(file).topology });
  }
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Yandex ids are opaque; a GCP resource's id is its path, ending in its name (as the provider reports it). */
const cloudId = (r: SynthPlanResource) =>
  r.type.startsWith("gcp:")
    ? `projects/p/${r.type.split(":")[2]}s/${inputText(r.inputs.name, r.name)}`
    : `enp${createHash("sha1").update(r.name).digest("hex").slice(0, 17)}`;

/** A synth plan as a policy sees the deployed stack. */
function asPolicyResources(stack: string): PolicyResourceLike[] {
  const { plan, dir } = synthesized.get(stack) as { plan: SynthPlan; dir: string };
  const byMockId = new Map<string, SynthPlanResource[]>();
  for (const r of plan.resources.filter((x) => x.custom)) byMockId.set(`${r.name}-id`, [...(byMockId.get(`${r.name}-id`) ?? []), r]);
  const userData = new Map(plan.nodes.map((n) => [n.name, readUserData(dir, n)]));
  return plan.resources.map((r) => {
    const deps: PolicyResourceLike["propertyDependencies"] = {};
    const props: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(r.inputs)) {
      const used: SynthPlanResource[] = [];
      // Synth's ids can collide (a gateway and a route table both named yc-egress): the field says which.
      const swap = (v: unknown, field: string): unknown => {
        if (Array.isArray(v)) return v.map((x) => swap(x, field));
        if (v && typeof v === "object")
          return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, swap(x, k)]));
        if (typeof v !== "string") return v;
        const prefix = v.startsWith("serviceAccount:") ? "serviceAccount:" : "";
        const all = byMockId.get(v.slice(prefix.length)) ?? [];
        const dep = all.length === 1 ? all[0] : all.find((d) => REFERENCE_FIELDS[field]?.includes(d.type));
        if (!dep) return v;
        used.push(dep);
        return `${prefix}${cloudId(dep)}`;
      };
      props[key] = swap(value, key);
      if (used.length > 0) deps[key] = [...new Set(used)].map((d) => ({ name: d.name, type: d.type, urn: d.urn }));
    }
    const metadata = props.metadata as Record<string, unknown> | undefined;
    if (metadata && typeof metadata["user-data"] === "string") metadata["user-data"] = userData.get(inputText(r.inputs.name, r.name));
    if (r.type === "yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey")
      props.accessKey = cloudState(`pgha/${plan.stack}`, r.type, r.name, r.inputs).state.accessKey;
    const parent = plan.resources.find((p) => p.name === r.parent && !p.custom);
    return {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props,
      parent: parent ? { name: parent.name, type: parent.type } : undefined,
      provider: r.custom ? {} : undefined,
      propertyDependencies: deps,
    };
  });
}

function declared(stack: string): PghaPolicyConfig {
  const t = (synthesized.get(stack) as { topology: Topology }).topology;
  return {
    adminCidrs: t.platform.adminCidrs,
    iap: t.platform.iap,
    publicLoadBalancers: t.clusters
      .filter((c) => c.loadBalancer.exposure === "public")
      .map((c) => ({ name: c.name, sourceRanges: c.loadBalancer.sourceRanges, publicDirect: c.loadBalancer.publicDirect })),
  };
}

describe("the policy's plan, read back from deployed resources", () => {
  it.each(STACKS)("%s: the same nodes and load balancers as the synth plan", (stack) => {
    const { plan } = synthesized.get(stack) as { plan: SynthPlan };
    const { plan: seen, userData } = planFromPolicyResources(stack, asPolicyResources(stack));
    // The component names a node's cluster (for stack fields); a client VM belongs to none, and its component is its own.
    const nodeKey = (n: { name: string; ip: string; role: string; component: string }) =>
      `${n.name} ${n.ip} ${n.role} ${n.role === "client" ? "-" : n.component}`;
    expect(seen.nodes.map(nodeKey).sort()).toEqual(plan.nodes.map(nodeKey).sort());
    expect([...userData.values()].every((u) => typeof u === "string" && u.startsWith("#cloud-config"))).toBe(true);
    const lbKey = (l: SynthPlan["loadBalancers"][number]) => ({
      name: l.name,
      scope: l.scope,
      healthPort: l.healthCheck.port,
      ports: l.listeners.map((x) => x.targetPort).sort(),
      targets: l.targets.map((x) => x.ip).sort(),
    });
    expect(seen.loadBalancers.map(lbKey).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      plan.loadBalancers.map(lbKey).sort((a, b) => a.name.localeCompare(b.name)),
    );
  });
});

describe("pgha policies", () => {
  it.each(STACKS)("%s: no violation", (stack) => {
    const findings = checkPolicyResources(asPolicyResources(stack), declared(stack), stack);
    expect(findings.filter(isFailing)).toEqual([]);
  });

  /** Run every policy as the engine would, collecting what each reports. */
  function validate(resources: PolicyResourceLike[], config: PghaPolicyConfig): Record<string, { message: string; urn?: string }[]> {
    const out: Record<string, { message: string; urn?: string }[]> = {};
    for (const p of pghaPolicies()) {
      out[p.name] = [];
      const args = { resources: resources as unknown as PolicyResource[], getConfig: () => config } as unknown as StackValidationArgs;
      void p.validateStack(args, (message, urn) => out[p.name].push({ message, urn }));
    }
    return out;
  }

  it("yc-homework without its route table: mandatory unmet-needs violations on every VM", () => {
    const resources = asPolicyResources("yc-homework").filter((r) => r.type !== "yandex:index/vpcRouteTable:VpcRouteTable");
    const v = validate(resources, declared("yc-homework"));
    expect(v["pgha-unmet-needs"]).toHaveLength(8);
    const haproxy = v["pgha-unmet-needs"].find((x) => x.message.startsWith("main-haproxy-0:"));
    expect(haproxy?.message).toMatch(
      /^main-haproxy-0: package mirror .*routeTableId .* names no route table .*\(stack field: platform\.egress\)$/,
    );
    expect(haproxy?.urn).toMatch(/ComputeInstance::main-haproxy-0$/);
    expect(v["pgha-exposure"]).toEqual([]);
  });

  it("gcp-dr with a project-wide storage role: an exposure violation", () => {
    const resources = asPolicyResources("gcp-dr");
    const member = resources.find((r) => r.type === "gcp:storage/bucketIAMMember:BucketIAMMember") as PolicyResourceLike;
    resources.push({
      ...member,
      type: "gcp:projects/iAMMember:IAMMember",
      name: "wide",
      urn: "urn:pulumi:gcp-dr::pgha::gcp:projects/iAMMember:IAMMember::wide",
      props: { ...member.props, project: "p", role: "roles/storage.admin" },
    });
    const v = validate(resources, declared("gcp-dr"));
    expect(v["pgha-exposure"].map((x) => x.message)).toEqual([
      expect.stringMatching(/^wide: bucket access: project-wide role roles\/storage\.admin .*\(stack field: clusters\[main\]\.backups\)$/),
    ]);
    expect(v["pgha-unmet-needs"]).toEqual([]);
  });

  it("user-data not known yet (a first preview) is advisory, not a pass of its needs", () => {
    const resources = asPolicyResources("yc-homework");
    for (const r of resources)
      if ((r.props.metadata as Record<string, unknown> | undefined)?.["user-data"])
        (r.props.metadata as Record<string, unknown>)["user-data"] = undefined;
    const v = validate(resources, declared("yc-homework"));
    expect(v["pgha-assumptions"]).toHaveLength(8);
    expect(v["pgha-assumptions"][0].message).toContain("is not known in this preview");
  });
});
