/**
 * A company stack's view of pgha, repeated the way a new user tries it: `npm pack` both
 * packages, install the tarballs into a fresh project that has the tsconfig `pulumi new
 * typescript` writes, compile it with tsc, run it under Pulumi mocks with plain node and under
 * the ts-node registration Pulumi's Node.js runtime uses, and run the packed CLI. The programs
 * are the repository's examples, built against the packed packages (no alias, no paths).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "../..");
const TEMPLATE = join(__dirname, "project");
const EXAMPLES = ["yandex-basic", "gcp-cross-region-standby", "gke-patroni-standby"];

const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

interface RunResult {
  error?: string;
  outputs: Record<string, unknown>;
  types: Record<string, number>;
  modules: { gcp: number; kubernetes: number; tsx: number };
}

let work: string;
let project: string;
const packed = new Map<string, Packed>();
let yandexOnlyInstallBytes = 0;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function npmInstall(specs: string[]): void {
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...specs], project);
}

function diskBytes(dir: string): number {
  return Number(execFileSync("du", ["-sb", dir], { encoding: "utf8" }).split("\t")[0]);
}

/** The pgha:topology / pgha:gke config a stack program reads, as Pulumi passes it (PULUMI_CONFIG). */
function stackConfig(stack: string): string {
  const yaml = run(
    process.execPath,
    [
      "-e",
      `const y=require("yaml");const d=y.parse(require("fs").readFileSync(process.argv[1],"utf8"));const c={};for(const[k,v]of ` +
        `Object.entries(d.config))c[k]=typeof v==="string"?v:JSON.stringify(v);process.stdout.write(JSON.stringify(c))`,
      join(ROOT, "stacks", `Pulumi.${stack}.yaml`),
    ],
    ROOT,
  );
  return yaml;
}

function runProgram(how: "node" | "ts-node", example: string, env: NodeJS.ProcessEnv = {}): RunResult {
  const args = how === "node" ? [join(project, "bin", "run.js"), example] : [join(project, "pulumi-ts-node.js"), example];
  const out = run(process.execPath, args, project, env);
  const line = out.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`no RESULT line from ${example} (${how}):\n${out}`);
  return JSON.parse(line.slice("RESULT ".length)) as RunResult;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "pgha-consumer-"));
  // prepack builds each package; --json reports what went into the tarballs.
  const report = JSON.parse(
    run("npm", ["pack", "--workspace", "pgha", "--workspace", "@pgha/lab", "--pack-destination", work, "--json", "--loglevel=error"], ROOT),
  ) as (Packed & { name: string })[];
  for (const p of report) packed.set(p.name, p);

  project = join(work, "project");
  mkdirSync(project);
  for (const f of readdirSync(TEMPLATE)) copyFileSync(join(TEMPLATE, f), join(project, f));
  for (const e of EXAMPLES) copyFileSync(join(ROOT, "examples", e, "index.ts"), join(project, `${e}.ts`));
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "company-stack", version: "1.0.0", private: true, main: "bin/run.js" }, null, 2),
  );

  // A Yandex-only company stack: pgha and what `pulumi new typescript` brings, nothing else.
  npmInstall([
    join(work, packed.get("pgha")!.filename),
    `@pulumi/pulumi@${versionOf("@pulumi/pulumi")}`,
    `typescript@${versionOf("typescript")}`,
    `@types/node@${versionOf("@types/node")}`,
    `ts-node@${versionOf("ts-node")}`,
  ]);
  yandexOnlyInstallBytes = diskBytes(join(project, "node_modules"));
  run(join(project, "node_modules", ".bin", "tsc"), ["-p", "."], project);
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed pgha", () => {
  it("holds only what runs: compiled code with declarations, templates, schema and the Yandex SDK subset", () => {
    const pgha = packed.get("pgha")!;
    const paths = pgha.files.map((f) => f.path);
    const allowed =
      /^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts)|templates\/[^/]+|schema\/pgha-stack\.schema\.json|sdks\/yandex\/(README\.md|bin\/(package\.json|.+\.(js|d\.ts))))$/;
    expect(paths.filter((p) => !allowed.test(p))).toEqual([]);
    expect(paths.filter((p) => /\.test\.|\/test[A-Za-z]*\./.test(p))).toEqual([]);
    for (const needed of [
      "dist/index.js",
      "dist/index.d.ts",
      "templates/haproxy.cfg.tmpl",
      "templates/patroniOps.py",
      "schema/pgha-stack.schema.json",
      "sdks/yandex/bin/index.js",
    ])
      expect(paths).toContain(needed);
    // Numbers for the README: printed, bounded loosely (the tarball was 607,719 bytes with 439 files before the split).
    process.stdout.write(
      `pgha tarball: ${pgha.files.length} files, ${pgha.size} bytes packed, ` +
        `${pgha.unpackedSize} unpacked; Yandex-only install: ${yandexOnlyInstallBytes} bytes\n`,
    );
    expect(pgha.files.length).toBeLessThan(439);
  });

  it("the lab package ships its compiled CLI and the scripts its nodes run, and no tests", () => {
    const paths = packed.get("@pgha/lab")!.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(["bin/pgha.js", "dist/cli/main.js", "lib/lab/node/image/enter-root.sh", "lib/lab/network/nfqueue-delayer.py"]),
    );
    expect(paths.filter((p) => /\.test\.|\.ts$/.test(p) && !p.endsWith(".d.ts"))).toEqual([]);
  });

  it("a Yandex-only install has neither @pulumi/gcp nor @pulumi/kubernetes, nor the lab's libraries", () => {
    for (const absent of ["@pulumi/gcp", "@pulumi/kubernetes", "@peculiar/x509", "@noble/curves", "@pulumi/policy", "tsx", "@pgha/lab"])
      expect(existsSync(join(project, "node_modules", absent)), absent).toBe(false);
  });
});

describe("a company stack on the Pulumi template's tsconfig", () => {
  it("compiles with tsc (done in setup); without esModuleInterop the only errors are in zod's own declarations", () => {
    expect(existsSync(join(project, "bin", "yandex-basic.js"))).toBe(true);
    const strict = join(project, "tsconfig.strict.json");
    const config = JSON.parse(readFileSync(join(project, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    delete config.compilerOptions.esModuleInterop;
    writeFileSync(strict, JSON.stringify({ ...config, compilerOptions: { ...config.compilerOptions, noEmit: true } }));
    const r = spawnSync(join(project, "node_modules", ".bin", "tsc"), ["-p", strict, "--pretty", "false"], {
      cwd: project,
      encoding: "utf8",
    });
    const errors = r.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((l) => !l.startsWith("node_modules/zod/"))).toEqual([]);
  });

  it("runs the Yandex example under mocks with plain node, loading no GCP or Kubernetes SDK", () => {
    const r = runProgram("node", "yandex-basic");
    expect(r.error).toBeUndefined();
    expect(r.modules).toEqual({ gcp: 0, kubernetes: 0, tsx: 0 });
    // 3 etcd + 3 Patroni + 2 HAProxy VMs, a data disk per etcd and Patroni member, one NLB.
    expect(r.types["yandex:index/computeInstance:ComputeInstance"]).toBe(8);
    expect(r.types["yandex:index/computeDisk:ComputeDisk"]).toBe(6);
    expect(r.types["yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer"]).toBe(1);
    expect(r.outputs.writeEndpoint).toMatch(/^\d+\.\d+\.\d+\.\d+:5000$/);
    expect(r.outputs.restUrls).toHaveLength(3);
  });

  it("runs the same program under Pulumi's ts-node registration, with the same result", () => {
    const viaNode = runProgram("node", "yandex-basic");
    const viaTsNode = runProgram("ts-node", "yandex-basic");
    expect(viaTsNode.error).toBeUndefined();
    expect(viaTsNode.types).toEqual(viaNode.types);
    expect(viaTsNode.outputs).toEqual(viaNode.outputs);
  });

  it("a GCP program without @pulumi/gcp installed fails with the install hint, not a module trace", () => {
    const r = runProgram("node", "gcp-cross-region-standby");
    expect(r.error).toMatch(/needs the optional peer dependency @pulumi\/gcp: npm install @pulumi\/gcp@/);
  });
});

describe("with the optional peers and the lab installed", () => {
  beforeAll(() => {
    npmInstall([
      `@pulumi/gcp@${versionOf("@pulumi/gcp")}`,
      `@pulumi/kubernetes@${versionOf("@pulumi/kubernetes")}`,
      join(work, packed.get("@pgha/lab")!.filename),
    ]);
  }, 900_000);

  it("runs the GCP cross-region example: a standby streaming through the primary's load balancer", () => {
    const r = runProgram("node", "gcp-cross-region-standby");
    expect(r.error).toBeUndefined();
    expect(r.modules.kubernetes).toBe(0);
    expect(r.types["gcp:compute/instance:Instance"]).toBeGreaterThanOrEqual(13);
    const follows = r.outputs.standbyFollows as { source: string; host: string; port: number };
    expect(follows.source).toBe("main");
    expect(follows.port).toBe(5005);
    expect(r.outputs.primaryEndpoint).toBe(`${follows.host}:5000`);
  });

  it("runs the GKE example from its stack file's config", () => {
    const r = runProgram("node", "gke-patroni-standby", { PULUMI_CONFIG: stackConfig("gke-dr") });
    expect(r.error).toBeUndefined();
    expect(r.types["gcp:container/cluster:Cluster"]).toBe(2);
    expect(r.types["kubernetes:apps/v1:StatefulSet"]).toBe(2);
    expect(Object.keys(r.outputs.primaryAddresses as object).sort()).toEqual(["dr", "main"]);
  });

  it("the packed CLI runs without tsx: version, validate and synth", () => {
    const bin = join(project, "node_modules", ".bin", "pgha");
    expect(run(bin, ["--version"], project).trim()).toBe(
      JSON.parse(readFileSync(join(ROOT, "packages", "lab", "package.json"), "utf8")).version,
    );
    mkdirSync(join(project, "stacks"), { recursive: true });
    copyFileSync(join(ROOT, "stacks", "Pulumi.yc-homework.yaml"), join(project, "stacks", "Pulumi.yc-homework.yaml"));
    expect(run(bin, ["validate", "yc-homework"], project)).toMatch(/OK/);
    run(bin, ["synth", "yc-homework", "--out", "out/yc"], project);
    const plan = JSON.parse(readFileSync(join(project, "out", "yc", "plan.json"), "utf8")) as { nodes: unknown[] };
    expect(plan.nodes.length).toBeGreaterThan(0);
    expect(existsSync(join(project, "node_modules", "tsx"))).toBe(false);
  });
});
