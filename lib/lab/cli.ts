// `pgha lab up|status|drill|down`, called by lib/cli/main.ts.
import { writeFileSync } from "node:fs";
import { parseArgs, flagValue } from "../cli/args";
import { resolveStackFile } from "../cli/stackArg";
import { runLeaderCrash } from "./drills/leaderCrash";
import { labDown } from "./down";
import { labDirFor, loadLab } from "./labContext";
import { renderDrillReport } from "./report";
import { collectStatus, formatStatus } from "./status";
import { LAB_REPLACEMENTS } from "./cloudInit";
import { labUp, stackNameOf } from "./up";

const log = (line: string) => process.stdout.write(`${line}\n`);

const USAGE = `usage: pgha lab up [stack]            boot the stack's plan on this machine (default stack: lab)
       pgha lab status [stack] [--json]
       pgha lab drill leader-crash [--stack S] [--runs N] [--report FILE.md]
       pgha lab down [stack]
`;

function stackOf(positional: string | undefined): { stackFile: string; stack: string } {
  const stackFile = resolveStackFile(positional ?? "lab");
  return { stackFile, stack: stackNameOf(stackFile) };
}

export async function runLab(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const args = parseArgs(rest, ["runs", "report", "stack"], ["json"]);
  if (sub === undefined || sub === "--help" || sub === "-h" || args.flags.has("help")) {
    process.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write("pgha lab: must run as root (network namespaces, mounts)\n");
    return 1;
  }
  switch (sub) {
    case "up": {
      const { stackFile } = stackOf(args.positionals[0]);
      log("steps the lab replaces (everything else in the user-data runs through the real cloud-init 22.4):");
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
      const { stack } = stackOf(flagValue(args, "stack"));
      const runs = Number(flagValue(args, "runs") ?? "1");
      if (name !== "leader-crash") {
        process.stderr.write(`pgha lab drill: unknown drill '${name}' (available: leader-crash)\n`);
        return 2;
      }
      const ctx = loadLab(stack);
      const results = [];
      for (let i = 0; i < runs; i++) {
        log(`leader-crash run ${i + 1}/${runs}`);
        results.push(await runLeaderCrash(ctx, log));
      }
      const reportFile = flagValue(args, "report");
      if (reportFile) {
        const { markdown, svg, svgFile } = renderDrillReport(results, reportFile);
        writeFileSync(reportFile, markdown);
        writeFileSync(svgFile, svg);
        log(`report: ${reportFile} (timeline ${svgFile})`);
      }
      return results.every((r) => r.passed) ? 0 : 1;
    }
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}
