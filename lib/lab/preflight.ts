// Before the lab builds anything: can this host run what the plan asks for?
import { existsSync, readdirSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { type LabContext, fileOf, nodesOf } from "./labContext";

/** PostgreSQL majors installed on the host (Debian layout). */
export function installedPostgresMajors(root = "/usr/lib/postgresql"): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => existsSync(`${root}/${d}/bin/postgres`))
    .sort();
}

/** Every problem that stops the plan from booting here, as sentences; empty when it can. */
export function labPreflight(ctx: LabContext, exists: (path: string) => boolean = existsSync): string[] {
  const problems: string[] = [];
  const missing = new Map<string, string[]>();
  for (const node of nodesOf(ctx, "patroni")) {
    const doc = parseYaml(fileOf(ctx, node, "/etc/patroni/patroni.yml")) as { postgresql?: { bin_dir?: string } };
    const binDir = doc.postgresql?.bin_dir;
    if (binDir && !exists(`${binDir}/postgres`)) missing.set(binDir, [...(missing.get(binDir) ?? []), node.name]);
  }
  for (const [binDir, nodes] of missing) {
    const major = /postgresql\/(\d+)\//.exec(binDir)?.[1] ?? "?";
    const have = installedPostgresMajors();
    problems.push(
      `the plan asks for PostgreSQL ${major} (${binDir}, nodes ${nodes.join(", ")}), which is not installed on this host (installed: ${have.join(", ") || "none"}); install postgresql-${major} or set postgres.major to an installed version`,
    );
  }
  return problems;
}
