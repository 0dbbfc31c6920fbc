// Markdown report and SVG timeline of drill runs (pure: text out of results).
import { basename } from "node:path";
import { type DrillResult, seconds } from "./types";

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** One row per run: writes as green (acknowledged) / red (failed) ticks; fault and first ack marked. */
export function renderTimelineSvg(results: DrillResult[]): string {
  const width = 960;
  const rowH = 64;
  const left = 190;
  const span = Math.max(1, ...results.map((r) => Math.max(0, ...r.attempts.map((a) => a.endMs - r.t0Ms))));
  const x = (ms: number) => left + (Math.max(0, ms) / span) * (width - left - 20);
  const parts: string[] = [];
  results.forEach((r, i) => {
    const y = 40 + i * rowH;
    parts.push(`<text x="8" y="${y + 12}" font-size="12">${escapeXml(r.drill)}</text>`);
    parts.push(`<text x="8" y="${y + 27}" font-size="10" fill="#555">${escapeXml(r.failedNode.slice(0, 30))}</text>`);
    for (const a of r.attempts) {
      const title = `id ${a.id} ${a.ok ? "acknowledged" : (a.error ?? "failed")}`;
      parts.push(
        `<rect x="${x(a.startMs - r.t0Ms).toFixed(1)}" y="${y + (a.ok ? 0 : 16)}" width="2" ` +
          `height="14" fill="${a.ok ? "#2a9d4b" : "#d62828"}"><title>${escapeXml(title)}</title></rect>`,
      );
    }
    const fx = x(r.faultAtMs - r.t0Ms).toFixed(1);
    parts.push(
      `<line x1="${fx}" y1="${y - 6}" x2="${fx}" y2="${y + 36}" stroke="#000" ` +
        `stroke-dasharray="3,2"/><text x="${fx}" y="${y - 8}" font-size="10">fault</text>`,
    );
    if (r.rtoMs !== undefined) {
      const rx = x(r.faultAtMs - r.t0Ms + r.rtoMs).toFixed(1);
      parts.push(
        `<line x1="${rx}" y1="${y - 6}" x2="${rx}" y2="${y + 36}" stroke="#1d4ed8"/><text ` +
          `x="${rx}" y="${y + 46}" font-size="10">first ack (RTO ${seconds(r.rtoMs)})</text>`,
      );
    }
  });
  const height = 50 + results.length * rowH;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="16" font-size="12">Writes through the load balancer, every 100 ms (green: acknowledged, red: failed); ` +
    `x axis 0 to ${seconds(span)} from each drill's start</text>
${parts.join("\n")}
</svg>
`
  );
}

function summaryRow(r: DrillResult): string {
  const leaders = r.leaderBefore === r.leaderAfter ? (r.leaderAfter ?? "?") : `${r.leaderBefore ?? "?"} → ${r.leaderAfter ?? "?"}`;
  return (
    `| ${r.drill} | ${r.failedNode} | ${leaders} | ${seconds(r.rtoMs)} | ${r.ackedWrites} | ${r.failedWrites} | ` +
    `${r.lostAcknowledged.length} | ${r.maxWritablePrimaries} | ${seconds(r.rejoinMs)} | ${r.passed ? "yes" : "**NO**"} |`
  );
}

export function renderDrillReport(results: DrillResult[], reportFile: string): { markdown: string; svg: string; svgFile: string } {
  const svgFile = `${reportFile.replace(/\.md$/, "")}.svg`;
  const drills = [...new Set(results.map((r) => r.drill))];
  const out: string[] = [`# pgha lab drills: ${drills.join(", ")}`, ""];
  out.push(
    "RTO: from the fault to the first write acknowledged through the load balancer after the last failed one. Lost: " +
      "acknowledged writes missing afterwards. Writable: most members acknowledging writes as primaries at once. " +
      "Rejoin: recovery action to the failed node serving again.",
    "",
    "| Drill | Target | Leader | RTO | Acked | Failed | Lost | Writable | Rejoin | Passed |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...results.map(summaryRow),
    "",
    `![timeline](${basename(svgFile)})`,
    "",
  );
  results.forEach((r, i) => {
    out.push(`## ${i + 1}. ${r.drill} (cluster ${r.cluster})`, "", "| Bound | Expected | Measured | OK |", "|---|---|---|---|");
    for (const b of r.bounds) out.push(`| ${b.name} | ${b.expected} | ${b.actual} | ${b.ok ? "yes" : "**NO**"} |`);
    out.push("", "Steps:", "");
    for (const s of r.steps) out.push(`- \`${(s.atMs / 1000).toFixed(1)} s\` ${s.text}`);
    if (r.facts.length > 0) out.push("", ...r.facts.map((f) => `- ${f}`));
    out.push("", `Members out of recovery at once (writable or not): at most ${r.maxNotInRecovery}.`);
    if (r.lostAcknowledged.length > 0) out.push("", `Lost acknowledged ids: ${r.lostAcknowledged.join(", ")}`);
    out.push("", "Before:", "", "```", r.before, "```", "", "After:", "", "```", r.after, "```", "");
  });
  return { markdown: `${out.join("\n")}\n`, svg: renderTimelineSvg(results), svgFile };
}
