import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheKey, cachedBuild, readManifest } from "./cache";

describe("the lab's build cache", () => {
  let dir: string;
  const saved = process.env.PGHA_LAB_CACHE;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pgha-cache-"));
    process.env.PGHA_LAB_CACHE = dir;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.PGHA_LAB_CACHE;
    else process.env.PGHA_LAB_CACHE = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it("keys entries by their inputs", () => {
    expect(cacheKey({ a: 1 })).toBe(cacheKey({ a: 1 }));
    expect(cacheKey({ a: 1 })).not.toBe(cacheKey({ a: 2 }));
    expect(cacheKey({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });

  it("keeps nothing of a failed build and names the step it failed at", async () => {
    const lines: string[] = [];
    await expect(
      cachedBuild(
        "things",
        { v: 1 },
        (l) => lines.push(l),
        (tmp, step) => {
          step("fetching");
          writeFileSync(join(tmp, "half"), "x");
          step("indexing");
          throw new Error("archive unreachable");
        },
      ),
    ).rejects.toThrow(
      /building the lab's things failed at step 'indexing': archive unreachable; nothing was kept, the next run starts over/,
    );
    expect(readdirSync(join(dir, "things"))).toEqual([]);
    expect(lines.some((l) => l.includes("fetching"))).toBe(true);
  });

  it("builds once, with a manifest of its inputs, and finds the entry afterwards without building", async () => {
    let builds = 0;
    const build = (tmp: string) => {
      builds++;
      writeFileSync(join(tmp, "payload"), "done");
    };
    const first = await cachedBuild("things", { v: 2 }, () => undefined, build);
    const again = await cachedBuild("things", { v: 2 }, () => undefined, build);
    expect(again).toBe(first);
    expect(builds).toBe(1);
    expect(existsSync(join(first, "payload"))).toBe(true);
    expect(readManifest(first)).toMatchObject({ kind: "things", inputs: { v: 2 } });
    expect(readdirSync(join(dir, "things")).filter((d) => d.includes(".building-"))).toEqual([]);
  });
});
