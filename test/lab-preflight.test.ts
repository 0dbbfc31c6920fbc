// The lab boots Debian 13 nodes with PostgreSQL 17. A copy of the yc-homework stack planned
// for Ubuntu 22.04 with PostgreSQL 16 (both from PGDG) must be refused by `lab up` before it
// builds anything, naming the fields to change, and leave nothing behind.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { resolveStackFile } from "../packages/lab/lib/cli/stackArg";
import { WORK_ROOT } from "../packages/lab/lib/paths";
import { labDirFor } from "../packages/lab/lib/lab/cli/labContext";
import { labUp } from "../packages/lab/lib/lab/cli/up";

const STACK = "preflight-ubuntu";
const dir = join(WORK_ROOT, "out", STACK);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(existsSync(labDirFor(STACK)))("lab up preflight", () => {
  it("refuses an OS and a PostgreSQL major Debian 13 does not carry, naming the fields, and leaves no lab directory", async () => {
    const doc = parseYaml(readFileSync(resolveStackFile("yc-homework"), "utf8")) as {
      config: Record<string, { platform: { os?: string }; clusters: { postgres?: { major?: number } }[] }>;
    };
    const topology = doc.config["pgha:topology"];
    topology.platform.os = "ubuntu-22.04";
    for (const c of topology.clusters) c.postgres = { ...c.postgres, major: 15 };
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `Pulumi.${STACK}.yaml`);
    writeFileSync(file, stringifyYaml(doc));
    const lines: string[] = [];
    const refusal = labUp(file, (l) => lines.push(l));
    await expect(refusal).rejects.toThrow(/cannot boot on this host:/);
    const message = await refusal.catch((e: Error) => e.message);
    expect(message).toMatch(
      /nodes [^:]*main-pg-0[^:]*: PostgreSQL 15 \(postgresql-15\) is not in Debian 13, which the lab boots \(it ships PostgreSQL 17 only\); set clusters\[\]\.postgres\.major: 17/,
    );
    expect(message).toMatch(
      /the user-data adds apt source pgdg: deb \[signed-by=\$KEY_FILE\] https:\/\/apt\.postgresql\.org\/pub\/repos\/apt jammy-pgdg main, beyond Debian's archive, .* set platform\.os: debian-13/,
    );
    expect(existsSync(labDirFor(STACK))).toBe(false);
    expect(lines.some((l) => l.startsWith("booting"))).toBe(false);
  }, 60_000);
});
