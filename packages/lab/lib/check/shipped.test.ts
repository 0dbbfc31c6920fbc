// `pgha check` on every shipped stack's real synth plan, and the same plans with one resource
// removed, as a cloud would then fail them. gke-dr is not here: its plan has no VMs (Patroni
// runs in GKE pods, whose identities are Workload Identity bindings the VM rules do not read).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import type { Topology } from "pgha/config";
import { readSynthPlan, readUserData, type SynthPlan } from "../synth/plan";
import { loadStackFile } from "../synth/stackFile";
import { synthStack } from "../synth/synth";
import { checkPlan } from "./checkPlan";
import { isFailing } from "./findings";
import { checkPlanDir } from "./run";
import { synthStaticKeyOwner } from "./synthKeys";

const STACKS = ["lab", "yc-homework", "gcp-dr"];
const tmp = mkdtempSync(join(tmpdir(), "pgha-check-"));
const synthesized = new Map<string, { dir: string; topology: Topology }>();

beforeAll(async () => {
  for (const stack of STACKS) {
    const file = resolve(__dirname, `../../../../stacks/Pulumi.${stack}.yaml`);
    const dir = join(tmp, stack);
    await synthStack(file, dir);
    synthesized.set(stack, { dir, topology: loadStackFile(file).topology });
  }
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("pgha check on the shipped stacks", () => {
  it.each(STACKS)("%s passes", (stack) => {
    const { dir, topology } = synthesized.get(stack) as { dir: string; topology: Topology };
    const run = checkPlanDir(dir, topology);
    expect(run.text).toMatch(new RegExp(`^check ${stack}: OK \\(\\d+ nodes, \\d+ needs checked`, "m"));
    expect(run.code, run.text).toBe(0);
  });
});

const OPS_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpsKeyForTheCheckTest ops@example";

/** A shipped stack with its topology edited the way a user would: what it declares changes the plan and the check. */
const VARIANTS: { name: string; from: string; edit: (t: Record<string, any>) => void; assumptions: number }[] = [
  {
    name: "yc-ssh",
    from: "yc-homework",
    edit: (t) => Object.assign(t.platform, { sshKeys: [OPS_KEY], adminCidrs: ["192.0.2.0/24"] }),
    assumptions: 0,
  },
  {
    name: "yc-public",
    from: "yc-homework",
    edit: (t) =>
      Object.assign(t.clusters[0].loadBalancer ?? (t.clusters[0].loadBalancer = {}), {
        exposure: "public",
        sourceRanges: ["198.51.100.0/24"],
      }),
    assumptions: 0,
  },
  { name: "yc-provided", from: "yc-homework", edit: (t) => Object.assign(t.platform, { egress: "provided" }), assumptions: 8 },
  { name: "gcp-iap", from: "gcp-dr", edit: (t) => Object.assign(t.platform, { sshKeys: [OPS_KEY], iap: true }), assumptions: 0 },
  {
    name: "gcp-public",
    from: "gcp-dr",
    edit: (t) =>
      Object.assign(t.clusters[0].loadBalancer ?? (t.clusters[0].loadBalancer = {}), {
        exposure: "public",
        sourceRanges: ["198.51.100.0/24"],
        publicDirect: true,
      }),
    assumptions: 0,
  },
];

describe("pgha check on shipped stacks with declarations added", () => {
  it.each(VARIANTS)("$name passes ($assumptions assumptions)", async ({ name, from, edit, assumptions }) => {
    const doc = parseYaml(readFileSync(resolve(__dirname, `../../../../stacks/Pulumi.${from}.yaml`), "utf8"));
    edit(doc.config["pgha:topology"]);
    const file = join(tmp, `Pulumi.${name}.yaml`);
    writeFileSync(file, toYaml(doc));
    const dir = join(tmp, name);
    await synthStack(file, dir);
    const run = checkPlanDir(dir, loadStackFile(file).topology);
    expect(run.code, run.text).toBe(0);
    expect(run.text.split("\n").filter((l) => l.startsWith("assumption")).length).toBe(assumptions);
  });
});

/** The stack's plan with `edit` applied, checked. */
function checkEdited(stack: string, edit: (plan: SynthPlan) => void) {
  const { dir, topology } = synthesized.get(stack) as { dir: string; topology: Topology };
  const plan = readSynthPlan(dir);
  edit(plan);
  return checkPlan(plan, (n) => readUserData(dir, n), { topology, staticKeyOwner: synthStaticKeyOwner(plan) }).findings.filter(isFailing);
}

const without = (type: string) => (plan: SynthPlan) => {
  const before = plan.resources.length;
  plan.resources = plan.resources.filter((r) => r.type !== type);
  expect(plan.resources.length).toBeLessThan(before);
};

describe("shipped plans with one resource removed", () => {
  it("yc-homework without its route table: no node gets packages", () => {
    const found = checkEdited("yc-homework", without("yandex:index/vpcRouteTable:VpcRouteTable"));
    expect(found).toHaveLength(8);
    expect(found.every((f) => f.severity === "unmet" && f.field === "platform.egress")).toBe(true);
  });

  it("yc-homework without the bucket's grants: the Patroni nodes cannot archive", () => {
    const found = checkEdited("yc-homework", (plan) => {
      const bucket = plan.resources.find((r) => r.type === "yandex:index/storageBucket:StorageBucket");
      expect(bucket?.inputs.grants ?? bucket?.inputs.policy).toBeDefined();
      delete bucket?.inputs.grants;
      delete bucket?.inputs.policy;
    });
    expect(found.map((f) => [f.node, f.need, f.field])).toEqual(
      ["main-pg-0", "main-pg-1", "main-pg-2"].map((n) => [n, "bucket write yc-main-backups", "clusters[0].backups"]),
    );
  });

  it("gcp-dr without bucket IAM: the primary cannot write, the standby cannot read its source", () => {
    const found = checkEdited("gcp-dr", without("gcp:storage/bucketIAMMember:BucketIAMMember"));
    expect(found.map((f) => `${f.node} ${f.need} ${f.field}`).sort()).toEqual([
      "dr-pg-0 bucket read pgha-demo-main-backups clusters[1].standby",
      "dr-pg-1 bucket read pgha-demo-main-backups clusters[1].standby",
      "main-pg-0 bucket write pgha-demo-main-backups clusters[0].backups",
      "main-pg-1 bucket write pgha-demo-main-backups clusters[0].backups",
      "main-pg-2 bucket write pgha-demo-main-backups clusters[0].backups",
    ]);
  });

  it("gcp-dr without Cloud NAT: every node lacks its packages", () => {
    const found = checkEdited("gcp-dr", without("gcp:compute/routerNat:RouterNat"));
    expect(found.length).toBe(17);
    expect(new Set(found.map((f) => f.field))).toEqual(new Set(["platform.egress"]));
  });

  it("lab without its bucket: the pgBackRest repository is under no bucket path", () => {
    const found = checkEdited("lab", without("pgha-lab:index:Bucket"));
    expect(found.map((f) => `${f.node} ${f.need} ${f.field}`).sort()).toEqual(
      ["main-pg-0", "main-pg-1", "main-pg-2"].map((n) => `${n} bucket write /var/lib/pgbackrest/main clusters[0].backups`),
    );
  });

  it("lab without its firewalls: every connection between nodes is refused", () => {
    const found = checkEdited("lab", without("pgha-lab:index:Firewall"));
    expect(found.length).toBeGreaterThan(10);
    expect(found.every((f) => f.severity === "unmet" && f.need.startsWith("port "))).toBe(true);
    expect(found.map((f) => f.need)).toContain("port 2379/tcp (etcd client (Patroni's DCS))");
  });
});
