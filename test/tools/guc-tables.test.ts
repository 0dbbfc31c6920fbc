/**
 * pgha's parameter tables (packages/pgha/lib/config/gucs/postgres<major>.ts) equal what each
 * supported major's installed server says about its settings and extensions
 * (test/support/gucTables.ts), so a package upgrade that adds, drops or changes a setting fails
 * here until the table is regenerated. With PGHA_WRITE_GUC_TABLES=1 (scripts/generate-guc-tables)
 * the test writes the regenerated tables instead of comparing.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GUC_TABLES, SUPPORTED_POSTGRES_MAJORS } from "../../packages/pgha/lib/config/gucs";
import { describeServer, renderTableModule, TABLE_MAJORS, tableFile } from "../support/gucTables";

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
