/**
 * The `pgha` command line: synth / render / check / validate / schema, and `lab` (dispatched to
 * lib/lab/cli/cli.ts once the lab exists). Exit codes: 0 ok, 1 failure, 2 bad usage or invalid
 * stack configuration (printed as field paths, never as a stack trace).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type Topology } from "pgha/config";
import { flagValue, type ParsedArgs, parseArgs, UsageError } from "./args";
import { LAB_PACKAGE_ROOT } from "../paths";
import { resolveStackFile } from "./stackArg";

const USAGE = `usage: pgha <command> [arguments]

commands:
  synth <stack> [--out DIR] [--not-before DATE] [--now DATE] [--seed TEXT]
                        run the stack's Pulumi program in-process under mocks (no Pulumi CLI,
                        no cloud) and write DIR/plan.json and DIR/user-data/<node>.yaml
                        (default DIR: out/<stack>/)
  render <stack> [--out DIR]
                        synth, then list where each node's user-data and the plan went
  check <stack> [--plan DIR] [--seed TEXT]
                        synth the stack (or read the plan already in DIR) and read the plan the
                        way the cloud would: every node's needs (package mirror, downloads,
                        buckets, ports, SSH) against routes, NAT, firewalls, service accounts and
                        grants, and what it exposes beyond the stack; synth runs it too
  validate <stack>      check the stack configuration; print OK or every problem with its field path
  schema                print the JSON Schema of a stack file (stacks/Pulumi.<env>.yaml)
  lab image|up|status|drill|demo|down [...]
                        boot and exercise a synthesized plan on this machine
  help                  this text

<stack> is a name (lab -> stacks/Pulumi.lab.yaml) or a path to a stack file.
synth options:
  --not-before DATE     start of every synthesized certificate's validity (ISO 8601; default
                        2026-01-01T00:00:00Z, fixed so output is reproducible)
  --now DATE            synthesize as a pulumi up at DATE would: certificates due for renewal by
                        then are renewed, CAs kept (ISO 8601; default $PGHA_SYNTH_NOW, else now)
  --seed TEXT           root of the generated passwords and keys (default pgha/<stack>)
exit status: 0 ok, 1 failure, 2 usage error, invalid configuration, or a plan check finding
(an unmet need or an exposure; assumptions such as platform.egress: provided are printed and pass).
set PGHA_DEBUG=1 to see stack traces of unexpected errors.
`;

/** What lib/lab/cli/cli.ts must export for `pgha lab ...`. */
export interface LabCli {
  runLab(argv: string[]): Promise<number>;
}

/** PGHA_LAB_CLI points elsewhere only in tests of the dispatch itself. */
const LAB_CLI = process.env.PGHA_LAB_CLI || join(__dirname, "..", "lab", "cli", "cli");
const LAB_COMMANDS = ["image", "up", "status", "drill", "demo", "down"];

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    case "--version":
      process.stdout.write(`${JSON.parse(readFileSync(join(LAB_PACKAGE_ROOT, "package.json"), "utf8")).version}\n`);
      return 0;
    case "synth":
    case "render":
      return synth(command, parseArgs(rest, ["out", "not-before", "now", "seed"]));
    case "check":
      return check(parseArgs(rest, ["plan", "seed"]));
    case "validate":
      return validate(parseArgs(rest));
    case "schema":
      return schema(parseArgs(rest));
    case "lab":
      return lab(rest);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

function oneStack(args: ParsedArgs, command: string): string {
  if (args.positionals.length !== 1) throw new UsageError(`${command} takes exactly one <stack>`);
  return resolveStackFile(args.positionals[0]);
}

async function synth(command: "synth" | "render", args: ParsedArgs): Promise<number> {
  if (args.flags.has("help")) return help();
  const stackFile = oneStack(args, command);
  const notBeforeText = flagValue(args, "not-before");
  const notBefore = notBeforeText === undefined ? undefined : new Date(notBeforeText);
  if (notBefore && Number.isNaN(notBefore.getTime())) throw new UsageError(`--not-before: '${notBeforeText}' is not a date`);
  const nowText = flagValue(args, "now");
  const now = nowText === undefined ? undefined : new Date(nowText);
  if (now && Number.isNaN(now.getTime())) throw new UsageError(`--now: '${nowText}' is not a date`);
  // Loaded here so `validate` and `schema` do not load Pulumi and the component graph.
  const { synthStack, formatSynthSummary } = await import("../synth/synth");
  const { stackNameFromPath } = await import("../synth/stackFile");
  const outDir = flagValue(args, "out") ?? join("out", stackNameFromPath(stackFile));
  const result = await synthStack(stackFile, outDir, { notBefore, now, seed: flagValue(args, "seed") });
  process.stdout.write(formatSynthSummary(result));
  if (command === "render") {
    process.stdout.write(`user-data per node (mode 0600, holds secrets):\n${result.userDataFiles.map((f) => `  ${f}\n`).join("")}`);
  }
  const { loadStackFile } = await import("../synth/stackFile");
  return printPlanCheck(outDir, loadStackFile(stackFile).topology, flagValue(args, "seed"));
}

/** Run the plan check on a synthesized plan, print its findings, and return its exit code. */
async function printPlanCheck(planDir: string, topology: Topology, seed: string | undefined): Promise<number> {
  const { checkPlanDir } = await import("../check/run");
  const checked = checkPlanDir(planDir, topology, seed);
  process.stdout.write(checked.text);
  return checked.code;
}

async function check(args: ParsedArgs): Promise<number> {
  if (args.flags.has("help")) return help();
  const stackFile = oneStack(args, "check");
  const { loadStackFile } = await import("../synth/stackFile");
  const { topology } = loadStackFile(stackFile);
  const seed = flagValue(args, "seed");
  const given = flagValue(args, "plan");
  if (given !== undefined) return printPlanCheck(given, topology, seed);
  // The plan holds user-data with secrets: synthesized into a private directory, removed after.
  const { synthStack } = await import("../synth/synth");
  const dir = mkdtempSync(join(tmpdir(), "pgha-check-"));
  try {
    await synthStack(stackFile, dir, { seed });
    return await printPlanCheck(dir, topology, seed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function validate(args: ParsedArgs): Promise<number> {
  if (args.flags.has("help")) return help();
  const stackFile = oneStack(args, "validate");
  const { loadStackFile } = await import("../synth/stackFile");
  const { stack, topology } = loadStackFile(stackFile);
  const nodes = topology.clusters.reduce((n, c) => n + c.nodes, 0);
  process.stdout.write(
    `OK ${stackFile}: stack ${stack}, platform ${topology.platform.kind}, ` +
      `${topology.clusters.length} cluster(s), ${nodes} PostgreSQL node(s)\n`,
  );
  return 0;
}

async function schema(args: ParsedArgs): Promise<number> {
  if (args.flags.has("help")) return help();
  if (args.positionals.length > 0) throw new UsageError("schema takes no arguments");
  const { stackFileJsonSchema } = await import("pgha/config");
  process.stdout.write(`${JSON.stringify(stackFileJsonSchema(), null, 2)}\n`);
  return 0;
}

async function lab(argv: string[]): Promise<number> {
  const sub = argv[0];
  if (sub !== undefined && !LAB_COMMANDS.includes(sub) && sub !== "--help" && sub !== "-h") {
    throw new UsageError(`unknown lab command '${sub}' (expected ${LAB_COMMANDS.join(", ")})`);
  }
  // Resolved as require resolves it: cli.js when built, cli.ts when run from sources.
  let entry: string;
  try {
    entry = require.resolve(LAB_CLI);
  } catch {
    process.stderr.write(`pgha: the lab is not built yet (${LAB_CLI} does not exist); 'pgha synth' works already.\n`);
    return 1;
  }
  // A path, not a module name: the lab is optional, so typecheck must not depend on it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(entry) as Partial<LabCli>;
  if (typeof mod.runLab !== "function") throw new Error(`${LAB_CLI} does not export runLab(argv: string[]): Promise<number>`);
  return mod.runLab(argv);
}

function help(): number {
  process.stdout.write(USAGE);
  return 0;
}

/** Print an error the way a user needs it; returns the exit status. */
export function reportError(err: unknown): number {
  if (err instanceof ConfigError) {
    process.stderr.write(`pgha: ${err.message}\n`);
    return 2;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`pgha: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  const debug = process.env.PGHA_DEBUG === "1";
  const message = err instanceof Error ? (debug ? (err.stack ?? err.message) : err.message) : String(err);
  process.stderr.write(`pgha: ${message}\n`);
  return 1;
}
