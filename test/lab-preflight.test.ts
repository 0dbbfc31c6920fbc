// A yandex stack's plan asks for PostgreSQL 16; this host (and CI) has 15 only: `lab up`
// must say so before it builds anything, and leave nothing behind.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resolveStackFile } from "../lib/cli/stackArg";
import { labDirFor } from "../lib/lab/labContext";
import { installedPostgresMajors } from "../lib/lab/preflight";
import { labUp } from "../lib/lab/up";

describe.skipIf(installedPostgresMajors().includes("16") || existsSync(labDirFor("yc-homework")))("lab up preflight", () => {
  it("refuses a plan whose PostgreSQL major is not installed, naming it, and leaves no lab directory", async () => {
    const lines: string[] = [];
    await expect(labUp(resolveStackFile("yc-homework"), (l) => lines.push(l))).rejects.toThrow(
      /cannot boot on this host:\n {2}- the plan asks for PostgreSQL 16 \(\/usr\/lib\/postgresql\/16\/bin, nodes [^)]+\), which is not installed on this host \(installed: [^)]*\); install postgresql-16/,
    );
    expect(existsSync(labDirFor("yc-homework"))).toBe(false);
  }, 60_000);
});
