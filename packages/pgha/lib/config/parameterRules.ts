/**
 * Parameters and extensions checked against the cluster's PostgreSQL major, using the table
 * generated from that major's own server (gucs/): names, values (types, units, bounds, enums),
 * settings that cannot be set, and extensions the server package does not ship. Then the rules
 * between parameters and pgha's own features (parameterCrossRules.ts).
 */
import { GUC_TABLES, type GucTable } from "./gucs";
import { crossParameterRules, type ParameterSource } from "./parameterCrossRules";
import { checkValue, closest, type RawValue, type ValueCheck } from "./parameterValues";
import { PATRONI_OWNED_PARAMETERS } from "./postgres";
import type { ClusterSpec, Topology } from "./topology";

type Add = (path: string, message: string) => void;

/** Every parameter and extension problem of cluster `c` (at `p`, e.g. `clusters[0]`). */
export function parameterRules(t: Topology, c: ClusterSpec, p: string, add: Add): void {
  const table = GUC_TABLES[c.postgres.major];
  if (!table) return; // an unsupported major is refused by the schema (postgres.ts)
  const sources: ParameterSource[] = [
    { path: `${p}.postgres.parameters`, values: understood(table, `${p}.postgres.parameters`, c.postgres.parameters, add) },
    ...c.nodeSettings.map((ns, i) => {
      const path = `${p}.nodeSettings[${i}].parameters`;
      return { path, values: understood(table, path, ns.parameters ?? {}, add), node: i };
    }),
  ];
  crossParameterRules(t, c, p, sources, add);
  extensionRules(table, c, p, add);
}

/** The parameters of one map that PostgreSQL would accept, read as it reads them; the rest reported. */
function understood(table: GucTable, path: string, params: Record<string, RawValue>, add: Add): Map<string, number | string | boolean> {
  const out = new Map<string, number | string | boolean>();
  for (const [name, raw] of Object.entries(params)) {
    // Patroni-owned ones are refused in rules.ts.
    if ((PATRONI_OWNED_PARAMETERS as readonly string[]).includes(name)) continue;
    const r = checkParameter(table, name, raw);
    if (!r.ok) add(`${path}.${name}`, r.message);
    else if (!name.includes(".")) out.set(name, r.value);
  }
  return out;
}

/** One setting as the server of `table` would take it from postgresql.conf: name, settability, value. */
export function checkParameter(table: GucTable, name: string, raw: RawValue): ValueCheck {
  // Custom settings (extension.name) are the extension's to check.
  if (name.includes(".")) return { ok: true, value: typeof raw === "boolean" ? (raw ? "on" : "off") : String(raw) };
  const spec = table.settings[name];
  if (!spec) {
    const guess = closest(name, Object.keys(table.settings));
    return {
      ok: false,
      message:
        `unknown parameter '${name}' for PostgreSQL ${table.major}` +
        (guess ? `; did you mean '${guess}'?` : "") +
        " (settings of extensions take a dotted name, e.g. pg_stat_statements.max)",
    };
  }
  if (spec.context === "internal")
    return { ok: false, message: `${name} cannot be set: PostgreSQL fixes it when the server is built or the cluster is initialized` };
  return checkValue(name, spec, raw, table.major);
}

function extensionRules(table: GucTable, c: ClusterSpec, p: string, add: Add): void {
  c.postgres.databases.forEach((d, i) =>
    d.extensions.forEach((ext, j) => {
      if (table.extensions.includes(ext)) return;
      const guess = closest(ext, table.extensions);
      add(
        `${p}.postgres.databases[${i}].extensions[${j}]`,
        `'${ext}' is not shipped with PostgreSQL ${table.major} (package postgresql-${table.major}), ` +
          "so CREATE EXTENSION would fail when the cluster bootstraps" +
          (guess ? `; did you mean '${guess}'?` : `; shipped: ${table.extensions.join(", ")}`),
      );
    }),
  );
}
