/**
 * The `pgha` CLI as users run it: bin/pgha.js spawned as a child process (node, the compiled CLI in dist/).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { labTopologyInput } from "../../../../test/support/fixtures";

const BIN = resolve(__dirname, "../../bin/pgha.js");
const tmp = mkdtempSync(join(tmpdir(), "pgha-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function pgha(args: string[], cwd = tmp, env: Record<string, string> = {}) {
  const r = spawnSync(BIN, args, { cwd, encoding: "utf8", env: { ...process.env, PGHA_DEBUG: "", ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function stackFile(name: string, edit?: (t: Record<string, any>) => void): string {
  const t = structuredClone(labTopologyInput()) as Record<string, any>;
  edit?.(t);
  const file = join(tmp, `Pulumi.${name}.yaml`);
  writeFileSync(file, toYaml({ config: { "pgha:topology": t } }));
  return file;
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe("pgha validate", () => {
  it("prints OK for a valid stack", () => {
    const r = pgha(["validate", stackFile("good")]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^OK .*Pulumi\.good\.yaml: stack good, platform local, 2 cluster\(s\), 4 PostgreSQL node\(s\)\n$/);
    expect(r.code).toBe(0);
  });

  it("prints every problem with its field path and exits 2, without a stack trace", () => {
    const file = stackFile("broken", (t) => {
      t.etcd.members = "three";
      t.clusters[0].nodes = 12;
    });
    const r = pgha(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^pgha: invalid pgha stack configuration in .*Pulumi\.broken\.yaml/);
    expect(r.stderr).toMatch(/^ {2}- etcd\.members: /m);
    expect(r.stderr).toMatch(/^ {2}- clusters\[0\]\.nodes: at most 9 Patroni nodes per cluster/m);
    noStackTrace(r.stderr);
  });

  it("reports YAML syntax errors and missing files as configuration errors", () => {
    const bad = join(tmp, "Pulumi.syntax.yaml");
    writeFileSync(bad, "config:\n  pgha:topology: [unclosed\n");
    const syntax = pgha(["validate", bad]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/YAML syntax/);
    noStackTrace(syntax.stderr);
    const missing = pgha(["validate", join(tmp, "Pulumi.nope.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Pulumi\.nope\.yaml: no such file/);
  });

  it("finds a stack by name under stacks/", () => {
    const r = pgha(["validate", "lab"]);
    expect(r.stdout).toMatch(/^OK .*stacks\/Pulumi\.lab\.yaml: stack lab/);
    expect(r.code).toBe(0);
  });
});

describe("pgha schema", () => {
  it("prints the stack file's JSON Schema", () => {
    const r = pgha(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.properties.config.required).toEqual(["pgha:topology"]);
    expect(schema.properties.config.properties["pgha:topology"].properties.clusters.type).toBe("array");
  });
});

describe("pgha synth / render", () => {
  it("writes the plan and user-data for a stack with the real components, and says where", () => {
    const file = stackFile("clilab");
    const out = join(tmp, "out-render");
    const r = pgha(["render", file, "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^synthesized stack clilab \(local\): \d+ resources, \d+ nodes, \d+ load balancers, 1 standby links in \d+ ms\n/,
    );
    expect(r.stdout).toContain(`plan:      ${out}/plan.json`);
    const plan = JSON.parse(readFileSync(join(out, "plan.json"), "utf8"));
    expect(plan.stack).toBe("clilab");
    for (const n of plan.nodes) {
      expect(r.stdout).toContain(`  ${out}/${n.userDataFile}\n`);
      expect(statSync(join(out, n.userDataFile)).mode & 0o777).toBe(0o600);
    }
  });

  it("defaults the output directory to out/<stack>/ under the current directory", () => {
    const r = pgha(["synth", stackFile("defaultout")]);
    expect(r.code).toBe(0);
    expect(existsSync(join(tmp, "out/defaultout/plan.json"))).toBe(true);
  });

  it("exits 2 with the field path on an invalid stack, and on a bad option", () => {
    const r = pgha(["synth", stackFile("synthbroken", (t) => (t.etcd.members = 4))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/- etcd\.members: /);
    noStackTrace(r.stderr);
    const opt = pgha(["synth", "lab", "--not-before", "yesterday-ish"]);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toMatch(/^pgha: --not-before: 'yesterday-ish' is not a date\n/);
  });
});

/** stacks/Pulumi.yc-homework.yaml with `edit` applied to its whole config map (pgha:cloud, pgha:topology). */
function ycStackFile(name: string, edit: (config: Record<string, any>) => void): string {
  const doc = parseYaml(readFileSync(resolve(__dirname, "../../../../stacks/Pulumi.yc-homework.yaml"), "utf8"));
  edit(doc.config);
  const file = join(tmp, `Pulumi.${name}.yaml`);
  writeFileSync(file, toYaml(doc));
  return file;
}

describe("mistakes that used to surface only inside synth are refused by validate and synth alike (exit 2, field path)", () => {
  it.each<[string, (config: Record<string, any>) => void, RegExp]>([
    [
      "a yandex stack without a boot image id for its OS",
      (config) => delete config["pgha:cloud"],
      /^ {2}- pgha:cloud\.imageIds\.debian-13: is required on yandex: .*yc compute image get-latest-from-family debian-13/m,
    ],
    [
      "a backup schedule systemd cannot run",
      (config) => (config["pgha:topology"].clusters[0].backups.schedule = "61 25 * * *"),
      /^ {2}- clusters\[0\]\.backups\.schedule: minute 61 is outside 0-59; hour 25 is outside 0-23/m,
    ],
    [
      "a global load balancer on yandex",
      (config) => (config["pgha:topology"].clusters[0].loadBalancer.scope = "global"),
      /^ {2}- clusters\[0\]\.loadBalancer\.scope: global needs a cross-region TCP load balancer/m,
    ],
    [
      "a client in an unknown subnet",
      (config) => (config["pgha:topology"].clients = [{ region: "ru-central1", subnet: "nope" }]),
      /^ {2}- clients\[0\]\.subnet: unknown subnet 'nope'/m,
    ],
  ])("%s", (_title, edit, issue) => {
    const file = ycStackFile("synthonly", edit);
    for (const command of ["validate", "synth"]) {
      const r = pgha(command === "synth" ? [command, file, "--out", join(tmp, "out-synthonly")] : [command, file]);
      expect(r.code, `${command}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(issue);
      expect(r.stderr).not.toMatch(/error serializing property|failed under mocks/);
      noStackTrace(r.stderr);
    }
  });

  it("refuses a standby cluster with roles of its own at validate and synth", () => {
    const file = stackFile("standbyroles", (t) => (t.clusters[1].postgres = { ...t.clusters[1].postgres, roles: [{ name: "reporting" }] }));
    for (const args of [
      ["validate", file],
      ["synth", file, "--out", join(tmp, "out-standbyroles")],
    ]) {
      const r = pgha(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^ {2}- clusters\[1\]\.postgres\.roles: standby cluster 'dr' cannot create roles/m);
      noStackTrace(r.stderr);
    }
  });
});

describe("pgha check", () => {
  it("passes a shipped stack and prints a one-line summary", () => {
    const r = pgha(["check", "lab"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^check lab: OK \(12 nodes, \d+ needs checked\)\n$/);
    expect(r.code).toBe(0);
  });

  it("exits 2 on a plan with an unmet need and names node, need and field", () => {
    const out = join(tmp, "out-yc");
    expect(pgha(["synth", "yc-homework", "--out", out]).code).toBe(0);
    const planFile = join(out, "plan.json");
    const plan = JSON.parse(readFileSync(planFile, "utf8"));
    plan.resources = plan.resources.filter((r: { type: string }) => r.type !== "yandex:index/vpcRouteTable:VpcRouteTable");
    writeFileSync(planFile, JSON.stringify(plan));
    const r = pgha(["check", "yc-homework", "--plan", out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /^unmet {6}main-pg-0: package mirror \(\d+ packages\), download https:\/\/github\.com\/wal-g\/[^\n]*\(fix: platform\.egress\)$/m,
    );
    expect(r.stdout).toMatch(/^check yc-homework: FAILED, 8 finding\(s\)/m);
    noStackTrace(r.stderr);
  });

  it("runs at the end of synth", () => {
    const r = pgha(["synth", stackFile("synthcheck"), "--out", join(tmp, "out-synthcheck")]);
    expect(r.stdout).toMatch(/\ncheck synthcheck: OK \(12 nodes, \d+ needs checked\)\n$/);
    expect(r.code).toBe(0);
  });

  it("needs exactly one stack", () => {
    const r = pgha(["check"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/check takes exactly one <stack>/);
  });
});

describe("pgha usage", () => {
  it("prints help and exits 0", () => {
    const r = pgha(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: pgha <command>/);
  });

  it("prints the usage and exits 2 on an unknown command, option or lab subcommand", () => {
    for (const args of [["frobnicate"], ["validate", "lab", "--frob"], ["lab", "explode"], []]) {
      const r = pgha(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout + r.stderr).toMatch(/usage: pgha <command>/);
    }
  });

  it("dispatches `pgha lab ...` to the lab's runLab(argv) and exits with its status", () => {
    // The compiled CLI requires the lab's entry point as JavaScript.
    const fake = join(tmp, "fakeLab.js");
    writeFileSync(fake, `exports.runLab = async (argv) => {\n  process.stdout.write(JSON.stringify(argv));\n  return 7;\n};\n`);
    const r = pgha(["lab", "drill", "leader-crash", "--runs", "3"], tmp, { PGHA_LAB_CLI: fake });
    expect(r.stdout).toBe(JSON.stringify(["drill", "leader-crash", "--runs", "3"]));
    expect(r.code).toBe(7);
    // The README's main command.
    const demo = pgha(["lab", "demo"], tmp, { PGHA_LAB_CLI: fake });
    expect(demo.stdout).toBe(JSON.stringify(["demo"]));
    expect(demo.code).toBe(7);
  });

  it("dispatches `pgha lab --help` to the built lab itself", () => {
    const r = pgha(["lab", "--help"], tmp);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pgha lab (image|up)/);
  });

  it("says plainly that the lab is not built yet when its entry point is missing", () => {
    const r = pgha(["lab", "up", "lab"], tmp, { PGHA_LAB_CLI: join(tmp, "no-such-lab.js") });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^pgha: the lab is not built yet/);
  });
});
