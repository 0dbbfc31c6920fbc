/**
 * What `pgha check` reports. A finding names the node or resource, the need it is about,
 * and the stack field that would fix it. "unmet" and "exposed" fail the check (exit 2);
 * an "assumption" is something the plan cannot show (e.g. `platform.egress: provided`).
 */

export type Severity = "unmet" | "exposed" | "assumption";

export interface Finding {
  severity: Severity;
  /** The node (plan node name) the need belongs to, or the resource that exposes something. */
  node?: string;
  resource?: string;
  /** Short name of the need, e.g. "packages", "download", "bucket-write", "port 5432/tcp", "ssh". */
  need: string;
  /** Stack field that would fix it, e.g. "platform.egress", "clusters[0].backups". */
  field: string;
  message: string;
}

export function isFailing(f: Finding): boolean {
  return f.severity === "unmet" || f.severity === "exposed";
}

/** One line per finding, failing ones first, stable order. */
export function formatFindings(findings: Finding[]): string {
  const order: Record<Severity, number> = { unmet: 0, exposed: 1, assumption: 2 };
  const sorted = [...findings].sort((a, b) => order[a.severity] - order[b.severity] || key(a).localeCompare(key(b)));
  return sorted.map((f) => `${f.severity.padEnd(10)} ${key(f)}: ${f.need}: ${f.message} (fix: ${f.field})\n`).join("");
}

function key(f: Finding): string {
  return f.node ?? f.resource ?? "-";
}
