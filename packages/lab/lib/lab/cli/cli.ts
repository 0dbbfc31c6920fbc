// `pgha lab up|status|drill|down`, called by lib/cli/main.ts.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs, flagValue } from "../../cli/args";
import { resolveStackFile } from "../../cli/stackArg";
import { DRILL_NAMES, DRILLS, type DrillResult } from "../drills";
import { labImages } from "../node/image/imageExec";
import { labDown } from "./down";
import { type LabContext, labDirFor, loadLab, readLabMeta } from "./labContext";
import { renderDrillReport } from "../drills/report";
import { collectStatus, formatStatus } from "./status";
import { LAB_REPLACEMENTS } from "../node/cloudInit";
import { fitStackToHost, hostFactsHere } from "./fitHost";
import { labUp, stackNameOf } from "./up";

const log = (line: string) => process.stdout.write(`${line}\n`);

const USAGE = `usage: pgha lab image                  build (or find in /var/cache/pgha-lab) the Debian 13 images and package mirror
       pgha lab up [stack] [--fit-host] boot the stack's plan on this machine (default stack: lab);
                                      --fit-host first makes (and lists) the changes this host needs
       pgha lab status [stack] [--json]
       pgha lab drill <name|all> [--stack S] [--runs N] [--report FILE.md]
       pgha lab demo [stack]          up, the leader-crash drill, and its report printed
       pgha lab down [stack]
drills: ${DRILL_NAMES.join(", ")}
by name only: cert-rotation (needs a lab brought up with PGHA_SYNTH_NOW before a renewal date that has passed)
`;

function stackOf(positional: string | undefined): { stackFile: string; stack: string } {
  // A running lab is found by its name even when its stack file lives outside stacks/.
  const running = positional && /^[a-z0-9][a-z0-9-]*$/.test(positional) && existsSync(join(labDirFor(positional), "lab.json"));
  if (running) return { stackFile: readLabMeta(positional).stackFile, stack: positional };
  const stackFile = resolveStackFile(positional ?? "lab");
  return { stackFile, stack: stackNameOf(stackFile) };
}

export async function runLab(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const args = parseArgs(rest, ["runs", "report", "stack"], ["json", "fit-host"]);
  if (sub === undefined || sub === "--help" || sub === "-h" || args.flags.has("help")) {
    process.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write("pgha lab: must run as root (network namespaces, mounts)\n");
    return 1;
  }
  switch (sub) {
    case "image": {
      const t0 = Date.now();
      const images = await labImages(log);
      for (const [what, dir] of Object.entries(images)) log(`${what}: ${dir}`);
      log(`lab images ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return 0;
    }
    case "up": {
      let { stackFile, stack } = stackOf(args.positionals[0]);
      if (args.flags.has("fit-host")) {
        const fit = fitStackToHost(stackFile, stack, hostFactsHere());
        log(`--fit-host: lab '${fit.stack}' from ${fit.stackFile}, changed from ${stack}:`);
        for (const c of fit.changes.length > 0 ? fit.changes : ["nothing: it fits as it is"]) log(`  - ${c}`);
        ({ stackFile, stack } = { stackFile: fit.stackFile, stack: fit.stack });
      }
      log("steps the lab replaces (everything else in the user-data runs through the image's own cloud-init 25.1):");
      for (const r of LAB_REPLACEMENTS) log(`  - ${r}`);
      const ctx = await labUp(stackFile, log);
      log("");
      log(formatStatus(await collectStatus(ctx)));
      return 0;
    }
    case "status": {
      const { stack } = stackOf(args.positionals[0]);
      const st = await collectStatus(loadLab(stack));
      log(args.flags.has("json") ? JSON.stringify(st, null, 2) : formatStatus(st));
      return 0;
    }
    case "down": {
      const { stack } = stackOf(args.positionals[0]);
      await labDown(labDirFor(stack), log);
      return 0;
    }
    case "drill": {
      const name = args.positionals[0];
      const names = name === "all" ? DRILL_NAMES : [name];
      if (name === undefined || names.some((n) => !(n in DRILLS))) {
        process.stderr.write(`pgha lab drill: unknown drill '${name}' (available: all, ${Object.keys(DRILLS).join(", ")})\n`);
        return 2;
      }
      const runs = Number(flagValue(args, "runs") ?? "1");
      if (!Number.isInteger(runs) || runs < 1) {
        process.stderr.write(`pgha lab drill: --runs must be a positive integer, got '${flagValue(args, "runs")}'\n`);
        return 2;
      }
      const { stack } = stackOf(flagValue(args, "stack"));
      const { results, errors } = await runDrills(loadLab(stack), names, runs);
      const reportFile = flagValue(args, "report");
      if (reportFile) writeReport(results, reportFile);
      return errors.length === 0 && results.every((r) => r.passed) ? 0 : 1;
    }
    case "demo": {
      const { stackFile, stack } = stackOf(args.positionals[0]);
      const ctx = await labUp(stackFile, log);
      log("");
      log(formatStatus(await collectStatus(ctx)));
      const { results, errors } = await runDrills(ctx, ["leader-crash"], 1);
      const reportFile = `out/${stack}/leader-crash.md`;
      log("");
      if (results.length > 0) log(writeReport(results, reportFile));
      log(`lab '${stack}' is still up: 'pgha lab status', more drills with 'pgha lab drill all', remove it with 'pgha lab down'`);
      return errors.length === 0 && results.every((r) => r.passed) ? 0 : 1;
    }
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

/** Every run; a drill that could not finish (it threw) is reported and counted as failed, and the others still run. */
async function runDrills(ctx: LabContext, names: string[], runs: number): Promise<{ results: DrillResult[]; errors: string[] }> {
  const results: DrillResult[] = [];
  const errors: string[] = [];
  for (const name of names) {
    for (let i = 0; i < runs; i++) {
      const label = `${name}${runs > 1 ? ` run ${i + 1}/${runs}` : ""}`;
      log(`drill ${label}`);
      try {
        const r = await DRILLS[name](ctx, log);
        log(
          `  => ${r.passed ? "passed" : "FAILED"}: ` +
            `${r.bounds.map((b) => `${b.name} ${b.actual}${b.ok ? "" : ` (expected ${b.expected})`}`).join("; ")}`,
        );
        results.push(r);
      } catch (e) {
        errors.push(`${label}: ${(e as Error).message}`);
        log(`  => FAILED, did not finish: ${(e as Error).message}`);
      }
    }
  }
  if (errors.length > 0) log(`drills that did not finish:\n  ${errors.join("\n  ")}`);
  return { results, errors };
}

/** Writes FILE.md and its SVG timeline; returns the Markdown. */
function writeReport(results: DrillResult[], reportFile: string): string {
  const { markdown, svg, svgFile } = renderDrillReport(results, reportFile);
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, markdown);
  writeFileSync(svgFile, svg);
  log(`report: ${reportFile} (timeline ${svgFile})`);
  return markdown;
}
