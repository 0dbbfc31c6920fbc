// Markdown report and SVG timeline of a drill (pure: text out of results).
import { basename } from "node:path";
import type { DrillResult } from "./drills/leaderCrash";

const sec = (ms: number | undefined) => (ms === undefined ? "n/a" : `${(ms / 1000).toFixed(1)} s`);

/** One row per run: writes as green (acked) / red (failed) ticks, fault and rejoin marked. */
export function renderTimelineSvg(results: DrillResult[]): string {
  const width = 900;
  const rowH = 60;
  const left = 110;
  const span = Math.max(...results.map((r) => Math.max(...r.attempts.map((a) => a.endMs - r.t0Ms), 1)));
  const x = (ms: number) => left + (ms / span) * (width - left - 20);
  const parts: string[] = [];
  results.forEach((r, i) => {
    const y = 30 + i * rowH;
    parts.push(`<text x="8" y="${y + 20}" font-size="12">run ${i + 1} (${r.failedNode})</text>`);
    for (const a of r.attempts) {
      parts.push(`<rect x="${x(a.startMs - r.t0Ms).toFixed(1)}" y="${y + (a.ok ? 0 : 16)}" width="2" height="14" fill="${a.ok ? "#2a9d4b" : "#d62828"}"><title>id ${a.id} ${a.ok ? "acked" : (a.error ?? "failed")}</title></rect>`);
    }
    const fx = x(r.faultAtMs - r.t0Ms);
    parts.push(`<line x1="${fx}" y1="${y - 6}" x2="${fx}" y2="${y + 36}" stroke="#000" stroke-dasharray="3,2"/><text x="${fx + 3}" y="${y - 8}" font-size="10">fault</text>`);
    if (r.rtoMs !== undefined) {
      const rx = x(r.faultAtMs - r.t0Ms + r.rtoMs);
      parts.push(`<line x1="${rx}" y1="${y - 6}" x2="${rx}" y2="${y + 36}" stroke="#1d4ed8"/><text x="${rx + 3}" y="${y + 46}" font-size="10">first ack (RTO ${sec(r.rtoMs)})</text>`);
    }
  });
  const height = 40 + results.length * rowH;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="14" font-size="12">writes through the load balancer (green: acknowledged, red: failed); x: 0 - ${sec(span)}</text>
${parts.join("\n")}
</svg>
`;
}

export function renderDrillReport(results: DrillResult[], reportFile: string): { markdown: string; svg: string; svgFile: string } {
  const svgFile = reportFile.replace(/\.md$/, "") + ".svg";
  const out: string[] = [`# pgha lab drill: ${results[0]?.drill ?? "?"}`, ""];
  out.push("| Run | Failed node | New leader | RTO | Acked writes | Failed writes | Lost acked writes | Max writable primaries at once | Rejoin | Passed |");
  out.push("|---|---|---|---|---|---|---|---|---|---|");
  results.forEach((r, i) => {
    out.push(`| ${i + 1} | ${r.failedNode} | ${r.newLeader ?? "?"} | ${sec(r.rtoMs)} | ${r.ackedWrites} | ${r.failedWrites} | ${r.lostAcknowledged.length} | ${r.maxWritablePrimaries} | ${sec(r.rejoinMs)} | ${r.passed ? "yes" : "NO"} |`);
  });
  out.push("", `Bounds: RTO < ttl + 10 s (${(results[0]?.ttl ?? 0) + 10} s), lost acknowledged writes = 0 (synchronous mode), never two writable primaries, the failed node rejoins.`, "");
  out.push(`![timeline](${basename(svgFile)})`, "");
  results.forEach((r, i) => {
    out.push(`## Run ${i + 1}`, "", "Steps:", "");
    for (const s of r.steps) out.push(`- \`${(s.atMs / 1000).toFixed(1)} s\` ${s.text}`);
    out.push("", "Before:", "", "```", r.before, "```", "", "After:", "", "```", r.after, "```", "");
    if (r.lostAcknowledged.length > 0) out.push(`Lost acknowledged ids: ${r.lostAcknowledged.join(", ")}`, "");
  });
  return { markdown: `${out.join("\n")}\n`, svg: renderTimelineSvg(results), svgFile };
}
