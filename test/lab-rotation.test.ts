// The cert-rotation drill on a lab of its own: brought up "as of" the day before the last leaf
// renewal date that has passed (PGHA_SYNTH_NOW), so that a re-synthesis as of now renews every
// leaf certificate with the same CAs, under the writer.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveStackFile } from "../packages/lab/lib/cli/stackArg";
import { labDown } from "../packages/lab/lib/lab/cli/down";
import { type LabContext, labDirFor } from "../packages/lab/lib/lab/cli/labContext";
import { labUp } from "../packages/lab/lib/lab/cli/up";
import { DRILLS, type DrillResult } from "../packages/lab/lib/lab/drills";
import { renderDrillReport } from "../packages/lab/lib/lab/drills/report";
import { DEFAULT_NOT_BEFORE } from "../packages/lab/lib/synth/mocks";
import { issuance } from "../packages/lab/lib/synth/renewal";

const isRoot = process.getuid?.() === 0;
const log = (l: string) => console.log(l);
const DAY_MS = 86_400_000;

/** The lab stack's leaves: tls defaults (365 days, renewed 30 days before expiry). */
function bootClock(now: Date): Date {
  const current = issuance(DEFAULT_NOT_BEFORE, now, 365 * 24, 30 * 24);
  if (current.renewals === 0)
    throw new Error(`no leaf renewal date has passed since ${DEFAULT_NOT_BEFORE.toISOString()}: nothing to rotate to`);
  return new Date(current.notBefore.getTime() - DAY_MS);
}

describe.skipIf(!isRoot)("pgha lab: cert-rotation drill (every leaf renewed on a running cluster)", () => {
  let ctx: LabContext;
  let result: DrillResult | undefined;
  const previous = process.env.PGHA_SYNTH_NOW;

  beforeAll(async () => {
    if (existsSync(labDirFor("lab"))) throw new Error(`${labDirFor("lab")} exists: a lab is running here; run 'pgha lab down' first`);
    process.env.PGHA_SYNTH_NOW = bootClock(new Date()).toISOString();
    try {
      ctx = await labUp(resolveStackFile("lab"), log);
    } finally {
      if (previous === undefined) delete process.env.PGHA_SYNTH_NOW;
      else process.env.PGHA_SYNTH_NOW = previous;
    }
  }, 420_000);

  afterAll(async () => {
    if (result) console.log(renderDrillReport([result], "lab-rotation.md").markdown);
    if (existsSync(labDirFor("lab"))) await labDown(labDirFor("lab"), log);
  }, 120_000);

  it("renews every leaf under the writer: new serials verified by the same CA, 0 lost, 0 failed writes, no restart", async () => {
    result = await DRILLS["cert-rotation"](ctx, log);
    for (const b of result.bounds) expect(b.ok, `${b.name}: expected ${b.expected}, measured ${b.actual}`).toBe(true);
    expect(result.lostAcknowledged).toEqual([]);
    expect(result.failedWrites).toBe(0);
    expect(result.ackedWrites).toBeGreaterThan(20);
    expect(result.facts.filter((f) => / -> [0-9A-F]+, verified$/.test(f)).length).toBeGreaterThanOrEqual(3 * 3 + 3 * 2 + 1);
  }, 600_000);
});
