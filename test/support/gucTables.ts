/**
 * PostgreSQL's own description of its settings, per major: what pgha's parameter tables
 * (packages/pgha/lib/config/gucs/postgres<major>.ts) are generated from and checked against
 * (test/tools/guc-tables.test.ts; scripts/generate-guc-tables writes them).
 *
 * Source: pg_settings and pg_available_extensions, read from a single-user backend
 * (`postgres --single`: no listener, no server left running) on a throwaway initdb'd data
 * directory, as an unprivileged user. `postgres --describe-config` prints neither units nor
 * enum values (checked on 15.20 and 17.12) and leaves out internal settings, so it cannot tell
 * what `shared_buffers: 64GB` means or which values an enum takes; pg_settings can.
 *
 * Servers: 17 is the tools image's (Debian 13, chrooted, user postgres); 15 is Debian 12's
 * postgresql-15 package, unpacked (never installed or started) by scripts/install-host-packages
 * into PG15_ROOT and run as nobody against the host's libraries.
 */
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { GucSpec, GucTable, GucType } from "../../packages/pgha/lib/config/gucs/types";
import { imageIds, runImageSync, type ImageResult } from "./image";

/** Where scripts/install-host-packages unpacks Debian 12's postgresql-15. */
export const PG15_ROOT = "/var/cache/pgha-postgresql-15/root";

export const TABLE_MAJORS = [15, 17] as const;

/** The generated module of a major. */
export function tableFile(major: number): string {
  return path.join(__dirname, `../../packages/pgha/lib/config/gucs/postgres${major}.ts`);
}

interface Server {
  bin: string;
  /** Runs argv as the unprivileged user that owns `dir`. */
  run(argv: string[], input?: string): ImageResult;
  uid: number;
  gid: number;
}

function server(major: number): Server {
  if (major === 17) {
    const ids = imageIds("postgres");
    return {
      bin: `/usr/lib/postgresql/${major}/bin`,
      run: (argv, input) => runImageSync(argv, { user: "postgres", binds: [tmpdir()], input }),
      ...ids,
    };
  }
  if (major === 15) {
    if (!existsSync(path.join(PG15_ROOT, "usr/lib/postgresql/15/bin/postgres")))
      throw new Error(`PostgreSQL 15's server is not unpacked in ${PG15_ROOT}: run scripts/install-host-packages (as root)`);
    return {
      bin: path.join(PG15_ROOT, "usr/lib/postgresql/15/bin"),
      run: (argv, input) => {
        const r = spawnSync("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", ...argv], {
          input,
          encoding: "utf8",
          env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" },
          timeout: 60_000,
          maxBuffer: 64 * 2 ** 20,
        });
        return { code: r.status ?? 137, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
      },
      uid: 65534,
      gid: 65534,
    };
  }
  throw new Error(`no server source for PostgreSQL ${major}`);
}

/** One line, so the single-user backend runs it as one statement; one JSON value out. */
const QUERY =
  "SELECT json_build_object('server', current_setting('server_version'), " +
  "'settings', (SELECT json_agg(json_build_array(lower(name), vartype, context, unit, min_val, max_val, enumvals) ORDER BY lower(name)) " +
  "FROM pg_settings), " +
  "'extensions', (SELECT json_agg(name ORDER BY name) FROM pg_available_extensions))::text AS description\n";

type Row = [string, GucType, string, string | null, string | null, string | null, string[] | null];

/** The table a single-user backend's answer to QUERY describes. */
export function parseDescription(major: number, stdout: string): GucTable {
  // The backend prints `1: description = "<text>"\t(typeid = ...)`, the text unescaped.
  const m = /^\s*1: description = "(.*)"\s+\(typeid = /m.exec(stdout);
  if (!m) throw new Error(`no description in the single-user backend's output:\n${stdout.slice(0, 2000)}`);
  const raw = JSON.parse(m[1]) as { server: string; settings: Row[]; extensions: string[] };
  const settings: Record<string, GucSpec> = {};
  for (const [name, type, context, unit, min, max, values] of raw.settings) {
    const spec: GucSpec = { type, context };
    if (unit) spec.unit = unit;
    if (min !== null) spec.min = Number(min);
    if (max !== null) spec.max = Number(max);
    if (values) spec.values = values;
    settings[name] = spec;
  }
  return { major, server: raw.server, settings, extensions: raw.extensions };
}

/** A throwaway initdb'd data directory of the installed server of `major`; nothing ever listens on it. */
export interface ServerSession {
  /** The server's own description of its settings and extensions. */
  describe(): GucTable;
  /**
   * What the server makes of `name = value` given at startup (`postgres -c name=value -C name`):
   * accepted with the value it shows (numbers in the base unit), or refused with its error.
   */
  setting(name: string, value: string): { ok: boolean; shown: string; error: string };
  close(): void;
}

export function openServer(major: number): ServerSession {
  const s = server(major);
  const dir = mkdtempSync(path.join(tmpdir(), `pgha-gucs-${major}-`));
  chownSync(dir, s.uid, s.gid);
  const data = path.join(dir, "data");
  const must = (argv: string[], input?: string) => {
    const r = s.run(argv, input);
    if (r.code !== 0) throw new Error(`${argv.join(" ")} exited ${r.code}:\n${r.stderr || r.stdout}`);
    return r.stdout;
  };
  try {
    must([`${s.bin}/initdb`, "-D", data, "--no-locale", "-E", "UTF8", "-A", "trust", "-U", "postgres", "--no-sync"]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    describe: () => parseDescription(major, must([`${s.bin}/postgres`, "--single", "-D", data, "postgres"], QUERY)),
    setting: (name, value) => {
      const r = s.run([`${s.bin}/postgres`, "-D", data, "-c", `${name}=${value}`, "-C", name]);
      return { ok: r.code === 0, shown: r.stdout.trim(), error: r.stderr.trim() };
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Ask the installed server of `major` to describe itself. */
export function describeServer(major: number): GucTable {
  const session = openServer(major);
  try {
    return session.describe();
  } finally {
    session.close();
  }
}

/** The generated module's text (prettier formats it after writing). */
export function renderTableModule(t: GucTable): string {
  const lines = Object.entries(t.settings).map(([name, spec]) => `    ${name}: ${JSON.stringify(spec)},`);
  return [
    `// Generated by scripts/generate-guc-tables from PostgreSQL ${t.server}: its pg_settings and`,
    "// pg_available_extensions. Do not edit; test/tools/guc-tables.test.ts checks it against the installed server.",
    'import type { GucTable } from "./types";',
    "",
    `export const POSTGRES_${t.major}: GucTable = {`,
    `  major: ${t.major},`,
    `  server: ${JSON.stringify(t.server)},`,
    "  settings: {",
    ...lines,
    "  },",
    `  extensions: ${JSON.stringify(t.extensions)},`,
    "};",
    "",
  ].join("\n");
}
