// Parse systemd unit files into a typed object (pure). Covers what the lab
// supervisor honours; everything else stays available in `sections` so a
// reader can see what was ignored. Drop-ins are supported the systemd way:
// parse the main file and each `<unit>.d/*.conf` in order; later assignments
// override single-valued keys and append to lists, an empty assignment
// (`ExecStart=`) resets a list.
import { type SpecifierContext, expandSpecifiers, parseTimeSpan, splitWords } from "./systemdSyntax";

export interface UnitAssignment {
  section: string;
  key: string;
  value: string;
  line: number;
}

/** A command line from Exec*=, with its prefix flags decoded. */
export interface ExecCommand {
  /** Words after specifier expansion; `$VAR`/`${VAR}` are expanded at run time. */
  argv: string[];
  /** `-`: a failing exit status is not an error. */
  ignoreFailure: boolean;
  /** `+` or `!`/`!!`: run with full privileges (User=/Group= not applied). */
  privileged: boolean;
  /** `@`: argv[1] is argv0 and the program is argv[0]; we keep argv as-is and record it. */
  customArgv0: boolean;
  /** `:`: no environment variable substitution. */
  noEnvExpansion: boolean;
  /** The value as written, for messages. */
  raw: string;
}

export type ServiceType = "simple" | "exec" | "forking" | "oneshot" | "notify" | "notify-reload" | "dbus" | "idle";
export type RestartPolicy = "no" | "always" | "on-success" | "on-failure" | "on-abnormal" | "on-abort" | "on-watchdog";
export type KillMode = "control-group" | "mixed" | "process" | "none";

export interface OptionalPath {
  path: string;
  /** `-` prefix: missing is fine. */
  optional: boolean;
}

export interface ResourceLimit {
  soft: number;
  hard: number;
}

export interface ServiceSection {
  type: ServiceType;
  execStartPre: ExecCommand[];
  execStart: ExecCommand[];
  execStartPost: ExecCommand[];
  execReload: ExecCommand[];
  execStop: ExecCommand[];
  execStopPost: ExecCommand[];
  user?: string;
  group?: string;
  workingDirectory?: OptionalPath;
  /** Environment= in order; later wins. */
  environment: Record<string, string>;
  environmentFiles: OptionalPath[];
  restart: RestartPolicy;
  restartMs: number;
  timeoutStartMs: number;
  timeoutStopMs: number;
  runtimeDirectory: string[];
  runtimeDirectoryMode: number;
  /** RuntimeDirectoryPreserve=: "restart" keeps it across restarts, removes it on stop. */
  runtimeDirectoryPreserve: "no" | "yes" | "restart";
  limitNOFILE?: ResourceLimit;
  killMode: KillMode;
  killSignal: string;
  /** SuccessExitStatus=: extra exit codes / signal names counted as clean. */
  successExitStatus: { codes: number[]; signals: string[] };
  pidFile?: string;
  remainAfterExit: boolean;
}

/** Condition*= / Assert*= checks on paths (the kinds the lab can evaluate). */
export interface PathCondition {
  kind: "PathExists" | "PathIsDirectory" | "FileNotEmpty" | "DirectoryNotEmpty" | "PathIsSymbolicLink";
  path: string;
  negate: boolean;
  /** Assert*= fails the start; Condition*= silently skips it. */
  assert: boolean;
}

export interface SystemdUnit {
  name: string;
  description?: string;
  conditions: PathCondition[];
  /** StartLimitIntervalSec=/StartLimitBurst= (systemd defaults: 10s, 5). */
  startLimitIntervalMs: number;
  startLimitBurst: number;
  after: string[];
  before: string[];
  requires: string[];
  wants: string[];
  bindsTo: string[];
  conflicts: string[];
  /** Present for .service units. */
  service?: ServiceSection;
  wantedBy: string[];
  requiredBy: string[];
  /** Every assignment by section and key, in order (after drop-ins), values raw. */
  sections: Record<string, Record<string, string[]>>;
}

/** Split unit file text into assignments: sections, comments, continuations. */
export function parseUnitText(text: string, file = "<unit>"): UnitAssignment[] {
  const out: UnitAssignment[] = [];
  const lines = text.split(/\r?\n/);
  let section: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i].trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    // Continuation: a trailing backslash joins the next line with a space;
    // comment lines inside a continued value are skipped (systemd.syntax(7)).
    while (line.endsWith("\\") && i + 1 < lines.length) {
      line = line.slice(0, -1);
      let next = lines[++i].trim();
      while ((next.startsWith("#") || next.startsWith(";")) && i + 1 < lines.length) next = lines[++i].trim();
      line = `${line} ${next}`;
    }
    if (line.startsWith("[")) {
      const m = /^\[([^\]]+)\]$/.exec(line);
      if (!m) throw new Error(`${file}:${lineNo}: bad section header ${line}`);
      section = m[1];
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`${file}:${lineNo}: expected Key=Value, got ${JSON.stringify(line)}`);
    if (!section) throw new Error(`${file}:${lineNo}: assignment outside of a section`);
    out.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), line: lineNo });
  }
  return out;
}

/** Decode an Exec*= value: prefixes, word splitting, specifiers. */
export function parseExecCommand(raw: string, ctx: SpecifierContext): ExecCommand {
  let rest = raw;
  const flags = { ignoreFailure: false, privileged: false, customArgv0: false, noEnvExpansion: false };
  for (;;) {
    const c = rest[0];
    if (c === "-") flags.ignoreFailure = true;
    else if (c === "+" || c === "!") flags.privileged = true;
    else if (c === "@") flags.customArgv0 = true;
    else if (c === ":") flags.noEnvExpansion = true;
    else break;
    rest = rest.slice(1);
  }
  const argv = splitWords(rest).map((w) => expandSpecifiers(w, ctx));
  if (argv.length === 0) throw new Error(`empty command line in ${JSON.stringify(raw)} (unit ${ctx.unit})`);
  return { argv, ...flags, raw };
}

function list(values: string[]): string[] {
  // List settings: each assignment adds space-separated items; "" resets.
  let out: string[] = [];
  for (const v of values) out = v === "" ? [] : [...out, ...splitWords(v)];
  return out;
}

function last(values: string[] | undefined): string | undefined {
  return values && values.length > 0 ? values[values.length - 1] : undefined;
}

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (/^(1|yes|y|true|t|on)$/i.test(value)) return true;
  if (/^(0|no|n|false|f|off)$/i.test(value)) return false;
  throw new Error(`not a boolean: ${value}`);
}

function preserve(value: string | undefined): "no" | "yes" | "restart" {
  if (value === "restart") return "restart";
  return bool(value, false) ? "yes" : "no";
}

function optionalPath(v: string, ctx: SpecifierContext): OptionalPath {
  const optional = v.startsWith("-");
  return { path: expandSpecifiers(optional ? v.slice(1) : v, ctx), optional };
}

function oneOf<T extends string>(key: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === "") return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${key}=${value}: expected one of ${allowed.join(", ")}`);
  return value as T;
}

/** LimitNOFILE=65536 | 1024:524288 | infinity */
export function parseLimit(value: string): ResourceLimit {
  const one = (v: string) => (v === "infinity" ? Number.POSITIVE_INFINITY : Number(v));
  const [soft, hard = soft] = value.split(":");
  const r = { soft: one(soft), hard: one(hard) };
  if (Number.isNaN(r.soft) || Number.isNaN(r.hard) || r.soft > r.hard) throw new Error(`invalid limit ${value}`);
  return r;
}

function parseService(s: Record<string, string[]>, ctx: SpecifierContext): ServiceSection {
  const execList = (key: string) => {
    let out: ExecCommand[] = [];
    for (const v of s[key] ?? []) out = v === "" ? [] : [...out, parseExecCommand(v, ctx)];
    return out;
  };
  const type = oneOf(
    "Type",
    last(s.Type),
    ["simple", "exec", "forking", "oneshot", "notify", "notify-reload", "dbus", "idle"] as const,
    "simple",
  );
  const execStart = execList("ExecStart");
  if (execStart.length > 1 && type !== "oneshot") {
    throw new Error(`${ctx.unit}: more than one ExecStart= is only allowed for Type=oneshot`);
  }
  if (execStart.length === 0 && type !== "oneshot") throw new Error(`${ctx.unit}: no ExecStart= (required unless Type=oneshot)`);

  const environment: Record<string, string> = {};
  for (const v of s.Environment ?? []) {
    if (v === "") {
      for (const k of Object.keys(environment)) delete environment[k];
      continue;
    }
    for (const word of splitWords(v)) {
      const eq = word.indexOf("=");
      if (eq <= 0) throw new Error(`${ctx.unit}: Environment= item ${JSON.stringify(word)} is not NAME=VALUE`);
      environment[word.slice(0, eq)] = expandSpecifiers(word.slice(eq + 1), ctx);
    }
  }
  let environmentFiles: OptionalPath[] = [];
  for (const v of s.EnvironmentFile ?? []) environmentFiles = v === "" ? [] : [...environmentFiles, optionalPath(v, ctx)];

  const wd = last(s.WorkingDirectory);
  const nofile = last(s.LimitNOFILE);
  const restartSec = last(s.RestartSec);
  const timeoutSec = last(s.TimeoutSec);
  const runtimeMode = last(s.RuntimeDirectoryMode);
  return {
    type,
    execStartPre: execList("ExecStartPre"),
    execStart,
    execStartPost: execList("ExecStartPost"),
    execReload: execList("ExecReload"),
    execStop: execList("ExecStop"),
    execStopPost: execList("ExecStopPost"),
    user: last(s.User) || undefined,
    group: last(s.Group) || undefined,
    workingDirectory: wd ? optionalPath(wd, ctx) : undefined,
    environment,
    environmentFiles,
    restart: oneOf(
      "Restart",
      last(s.Restart),
      ["no", "always", "on-success", "on-failure", "on-abnormal", "on-abort", "on-watchdog"] as const,
      "no",
    ),
    // systemd defaults: RestartSec=100ms, TimeoutStartSec/TimeoutStopSec=90s.
    restartMs: restartSec ? parseTimeSpan(restartSec) : 100,
    timeoutStartMs: parseTimeSpan(last(s.TimeoutStartSec) ?? timeoutSec ?? "90s"),
    timeoutStopMs: parseTimeSpan(last(s.TimeoutStopSec) ?? timeoutSec ?? "90s"),
    runtimeDirectory: list(s.RuntimeDirectory ?? []).map((d) => expandSpecifiers(d, ctx)),
    runtimeDirectoryMode: runtimeMode ? parseInt(runtimeMode, 8) : 0o755,
    runtimeDirectoryPreserve: preserve(last(s.RuntimeDirectoryPreserve)),
    limitNOFILE: nofile ? parseLimit(nofile) : undefined,
    killMode: oneOf("KillMode", last(s.KillMode), ["control-group", "mixed", "process", "none"] as const, "control-group"),
    killSignal: signalName(last(s.KillSignal) || "SIGTERM"),
    successExitStatus: successStatus(s.SuccessExitStatus ?? []),
    pidFile: last(s.PIDFile) ? expandSpecifiers(last(s.PIDFile) as string, ctx) : undefined,
    remainAfterExit: bool(last(s.RemainAfterExit), false),
  };
}

function signalName(v: string): string {
  return v.startsWith("SIG") ? v : `SIG${v}`;
}

function successStatus(values: string[]): { codes: number[]; signals: string[] } {
  const out = { codes: [] as number[], signals: [] as string[] };
  for (const item of list(values)) {
    if (/^\d+$/.test(item)) out.codes.push(Number(item));
    else out.signals.push(signalName(item));
  }
  return out;
}

const CONDITION_KINDS = ["PathExists", "PathIsDirectory", "FileNotEmpty", "DirectoryNotEmpty", "PathIsSymbolicLink"] as const;

function parseConditions(unit: Record<string, string[]>, ctx: SpecifierContext): PathCondition[] {
  const out: PathCondition[] = [];
  for (const [key, values] of Object.entries(unit)) {
    const m = /^(Condition|Assert)(.+)$/.exec(key);
    if (!m || !(CONDITION_KINDS as readonly string[]).includes(m[2])) continue;
    for (const v of values) {
      if (v === "") continue;
      const negate = v.startsWith("!");
      out.push({
        kind: m[2] as PathCondition["kind"],
        path: expandSpecifiers(negate ? v.slice(1) : v, ctx),
        negate,
        assert: m[1] === "Assert",
      });
    }
  }
  return out;
}

export type UnitParseOptions = Omit<SpecifierContext, "unit">;

/**
 * Parse a unit from its main file text followed by drop-in texts (in order).
 * `%u`/`%h` use User= of the unit when `user`/`home` are not given.
 */
export function parseUnit(name: string, texts: string | string[], opts: UnitParseOptions = {}): SystemdUnit {
  const files = Array.isArray(texts) ? texts : [texts];
  const sections: Record<string, Record<string, string[]>> = {};
  files.forEach((t, i) => {
    for (const a of parseUnitText(t, i === 0 ? name : `${name}.d #${i}`)) {
      const sec = (sections[a.section] ??= {});
      (sec[a.key] ??= []).push(a.value);
    }
  });
  const unit = sections.Unit ?? {};
  const install = sections.Install ?? {};
  const user = last(sections.Service?.User) || undefined;
  const ctx: SpecifierContext = { ...opts, unit: name, user: opts.user ?? user };
  return {
    name,
    description: last(unit.Description) === undefined ? undefined : expandSpecifiers(last(unit.Description) as string, ctx),
    conditions: parseConditions(unit, ctx),
    startLimitIntervalMs: parseTimeSpan(last(unit.StartLimitIntervalSec) ?? "10s"),
    startLimitBurst: Number(last(unit.StartLimitBurst) ?? 5),
    after: list(unit.After ?? []),
    before: list(unit.Before ?? []),
    requires: list(unit.Requires ?? []),
    wants: list(unit.Wants ?? []),
    bindsTo: list(unit.BindsTo ?? []),
    conflicts: list(unit.Conflicts ?? []),
    service: name.endsWith(".service") ? parseService(sections.Service ?? {}, ctx) : undefined,
    wantedBy: list(install.WantedBy ?? []),
    requiredBy: list(install.RequiredBy ?? []),
    sections,
  };
}
