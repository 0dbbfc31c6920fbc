// Lexical pieces of systemd's unit syntax (pure): word splitting with quotes
// and escapes, `%` specifiers, `$VAR` expansion in command lines, time spans,
// environment files. Behaviour follows systemd.syntax(7), systemd.unit(5)
// ("Specifiers"), systemd.service(5) ("Command lines") and systemd.exec(5).

const ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
  "'": "'",
  s: " ",
};

/**
 * Split a value into words like systemd does for ExecStart= and
 * Environment=: whitespace separates words; "double" or 'single' quotes group
 * (and may be empty: "" is an empty word); C-style backslash escapes.
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let started = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      const next = text[i + 1];
      if (next === undefined) throw new Error(`trailing backslash in ${JSON.stringify(text)}`);
      if (next === "x" && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
        word += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
        i += 3;
      } else {
        word += ESCAPES[next] ?? next;
        i += 1;
      }
      started = true;
    } else if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = "";
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in ${JSON.stringify(text)}`);
  if (started) words.push(word);
  return words;
}

export interface SpecifierContext {
  /** Full unit name, e.g. "postgresql@15-main.service". */
  unit: string;
  /** User= of the unit (for %u/%h), default root. */
  user?: string;
  home?: string;
  uid?: number;
  hostname?: string;
}

/** Expand `%` specifiers (systemd.unit(5)); an unknown specifier is an error, as in systemd. */
export function expandSpecifiers(text: string, ctx: SpecifierContext): string {
  const dot = ctx.unit.lastIndexOf(".");
  const prefixed = dot > 0 ? ctx.unit.slice(0, dot) : ctx.unit; // %N
  const at = prefixed.indexOf("@");
  const prefix = at >= 0 ? prefixed.slice(0, at) : prefixed; // %p
  const instance = at >= 0 ? prefixed.slice(at + 1) : ""; // %i
  const table: Record<string, string> = {
    "%": "%",
    n: ctx.unit,
    N: prefixed,
    p: prefix,
    P: unescapeUnitName(prefix),
    i: instance,
    I: unescapeUnitName(instance),
    j: prefix.slice(prefix.lastIndexOf("-") + 1),
    J: unescapeUnitName(prefix.slice(prefix.lastIndexOf("-") + 1)),
    f: `/${unescapeUnitName(instance || prefix)}`.replace(/^\/\//, "/"),
    t: "/run",
    S: "/var/lib",
    C: "/var/cache",
    L: "/var/log",
    E: "/etc",
    T: "/tmp",
    V: "/var/tmp",
    u: ctx.user ?? "root",
    U: String(ctx.uid ?? 0),
    h: ctx.home ?? "/root",
    s: "/bin/sh",
    H: ctx.hostname ?? "localhost",
    l: (ctx.hostname ?? "localhost").split(".")[0],
  };
  return text.replace(/%(.?)/g, (m, ch: string) => {
    const v = table[ch];
    if (v === undefined) throw new Error(`unsupported specifier ${m || "%"} in ${JSON.stringify(text)} (unit ${ctx.unit})`);
    return v;
  });
}

/** Undo systemd-escape: "-" is "/", "\x2d" is a literal "-". */
export function unescapeUnitName(s: string): string {
  return s.replace(/-/g, "/").replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/**
 * Expand environment variables in an already split command line:
 * a word that is exactly `$NAME` becomes the value split on whitespace
 * (zero or more words); `${NAME}` anywhere is replaced verbatim; `$$` is `$`.
 * Unset variables expand to "" (a whole-word `$NAME` then vanishes).
 */
export function expandCommandLine(argv: string[], env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const word of argv) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
    if (whole) {
      out.push(...(env[whole[1]] ?? "").split(/\s+/).filter(Boolean));
      continue;
    }
    out.push(word.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name?: string) => (m === "$$" ? "$" : (env[name as string] ?? ""))));
  }
  return out;
}

const UNITS_MS: Record<string, number> = {
  us: 0.001,
  usec: 0.001,
  ms: 1,
  msec: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

/** "5" (seconds), "100ms", "1min 30s", "infinity" -> milliseconds (Infinity for infinity). */
export function parseTimeSpan(text: string): number {
  const t = text.trim();
  if (t === "infinity") return Number.POSITIVE_INFINITY;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  let total = 0;
  let rest = t;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)\s*/.exec(rest);
    if (!m || UNITS_MS[m[2]] === undefined) throw new Error(`invalid time span ${JSON.stringify(text)}`);
    total += Number(m[1]) * UNITS_MS[m[2]];
    rest = rest.slice(m[0].length);
  }
  if (t.length === 0) throw new Error("empty time span");
  return total;
}

/**
 * Parse an EnvironmentFile= (systemd.exec(5)): KEY=VALUE lines, `#`/`;`
 * comments, optional `export `, single/double quotes, backslash line
 * continuation. Later assignments win.
 */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.replace(/\\\r?\n/g, "").split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue; // systemd ignores (and logs) invalid lines
    let value = m[2];
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\([\\"$`])/g, "$1");
    } else {
      value = value.replace(/\s+#.*$/, "").trim();
    }
    env[m[1]] = value;
  }
  return env;
}
