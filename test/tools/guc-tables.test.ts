/**
 * pgha's parameter tables (packages/pgha/lib/config/gucs/postgres<major>.ts) equal what each
 * supported major's installed server says about its settings and extensions
 * (test/support/gucTables.ts), so a package upgrade that adds, drops or changes a setting fails
 * here until the table is regenerated. With PGHA_WRITE_GUC_TABLES=1 (scripts/generate-guc-tables)
 * the test writes the regenerated tables instead of comparing.
 *
 * Then pgha's reading of values (config/parameterValues.ts) against the server's own: each
 * sample is given to the real postgres at startup (-c name=value -C name), which accepts it and
 * shows the value in the base unit, or refuses it; pgha must agree on both.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GUC_TABLES, SUPPORTED_POSTGRES_MAJORS } from "../../packages/pgha/lib/config/gucs";
import { checkParameter } from "../../packages/pgha/lib/config/parameterRules";
import { describeServer, openServer, renderTableModule, TABLE_MAJORS, tableFile } from "../support/gucTables";

const WRITE = process.env.PGHA_WRITE_GUC_TABLES === "1";

describe("PostgreSQL parameter tables", () => {
  it("cover exactly the supported majors", () => {
    expect([...SUPPORTED_POSTGRES_MAJORS]).toEqual([...TABLE_MAJORS]);
  });

  for (const major of TABLE_MAJORS) {
    it(`PostgreSQL ${major}: the checked-in table is the installed server's own description`, () => {
      const described = describeServer(major);
      // Sanity of the description itself, so an empty or garbled answer cannot pass as a table.
      expect(Object.keys(described.settings).length).toBeGreaterThan(300);
      expect(described.settings.shared_buffers).toMatchObject({ type: "integer", unit: "8kB", context: "postmaster" });
      expect(described.settings.wal_level.values).toEqual(["minimal", "replica", "logical"]);
      expect(described.extensions).toContain("pg_stat_statements");
      if (WRITE) {
        writeFileSync(tableFile(major), renderTableModule(described));
        execFileSync("npx", ["prettier", "--write", tableFile(major)], { stdio: "ignore" });
        return;
      }
      const table = GUC_TABLES[major];
      expect(table.settings).toEqual(described.settings);
      expect(table.extensions).toEqual(described.extensions);
    });
  }
});

/** Values PostgreSQL takes or refuses, where a reader could go wrong: units, case, rounding, prefixes, bases, bounds. */
const SAMPLES: [string, string][] = [
  ["shared_buffers", "1GB"],
  ["shared_buffers", "1gb"],
  ["shared_buffers", "128kB"],
  ["shared_buffers", "100kB"],
  ["shared_buffers", "132kB"],
  ["shared_buffers", "16TB"],
  ["shared_buffers", " 64 MB "],
  ["shared_buffers", "0x100"],
  ["work_mem", "1.5MB"],
  ["work_mem", "64"],
  ["work_mem", "10s"],
  ["work_mem", "4096B"],
  ["work_mem", "1TB"],
  ["max_connections", "lots"],
  ["max_connections", "100MB"],
  ["max_connections", "0xC8"],
  ["max_connections", "010"],
  ["max_connections", "300000"],
  ["max_connections", "1e2"],
  ["max_connections", "2.5"],
  ["checkpoint_timeout", "10s"],
  ["checkpoint_timeout", "30s"],
  ["checkpoint_timeout", "1d"],
  ["checkpoint_timeout", "2d"],
  ["checkpoint_timeout", "0.5h"],
  ["autovacuum_naptime", "500ms"],
  ["autovacuum_naptime", "1500ms"],
  ["log_min_duration_statement", "250ms"],
  ["log_min_duration_statement", "-1"],
  ["log_min_duration_statement", "1.5s"],
  ["log_min_duration_statement", "1500us"],
  ["log_rotation_age", "1d"],
  ["log_checkpoints", "o"],
  ["log_checkpoints", "of"],
  ["log_checkpoints", "On"],
  ["log_checkpoints", "TRUE"],
  ["log_checkpoints", "t"],
  ["log_checkpoints", "2"],
  ["log_checkpoints", "enable"],
  ["synchronous_commit", "REMOTE_APPLY"],
  ["synchronous_commit", "yes"],
  ["synchronous_commit", "always"],
  ["huge_pages", "true"],
  ["huge_pages", "try"],
  ["wal_level", "minimal"],
  ["wal_level", "logical"],
  ["random_page_cost", "fast"],
  ["random_page_cost", "1.1"],
  ["random_page_cost", "1e3"],
  ["random_page_cost", "-1"],
  ["vacuum_cost_delay", "2ms"],
  ["vacuum_cost_delay", "1s"],
  ["vacuum_cost_delay", "0.5"],
  ["shared_bufers", "1GB"],
  ["block_size", "16384"],
  ["pg_stat_statements.max", "5000"],
  ["DateStyle", "ISO"],
];
/** Where pgha is stricter than PostgreSQL, on purpose: deprecated aliases pg_settings does not list. */
const STRICTER: [string, string][] = [["wal_level", "hot_standby"]];

describe("pgha reads parameter values as the server does", () => {
  for (const major of TABLE_MAJORS) {
    it(`PostgreSQL ${major}: the same samples accepted, with the same values, and the same refused`, () => {
      const session = openServer(major);
      try {
        const disagreements: string[] = [];
        for (const [name, value] of SAMPLES) {
          const server = session.setting(name, value);
          const ours = checkParameter(GUC_TABLES[major], name.toLowerCase(), value);
          const oursShown = ours.ok ? (typeof ours.value === "boolean" ? (ours.value ? "on" : "off") : String(ours.value)) : "";
          // The server shows numbers in the base unit; reals may print with fewer digits. Strings
          // (DateStyle "ISO" shows as "ISO, MDY") are the server's to interpret: only acceptance counts.
          const isString = GUC_TABLES[major].settings[name.toLowerCase()]?.type === "string";
          const same =
            server.ok === ours.ok &&
            (!server.ok || isString || server.shown === oursShown || (Number(server.shown) === Number(oursShown) && server.shown !== ""));
          if (!same)
            disagreements.push(
              `${name}=${JSON.stringify(value)}: server ${server.ok ? `accepts (${server.shown})` : "refuses"}, ` +
                `pgha ${ours.ok ? `accepts (${oursShown})` : `refuses (${ours.message})`}`,
            );
        }
        expect(disagreements).toEqual([]);
        for (const [name, value] of STRICTER) {
          expect(session.setting(name, value).ok).toBe(true);
          expect(checkParameter(GUC_TABLES[major], name, value).ok).toBe(false);
        }
      } finally {
        session.close();
      }
    });
  }
});
