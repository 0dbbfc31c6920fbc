import { describe, expect, it } from "vitest";
import { parseTmpfiles } from "./tmpfiles";

describe("tmpfiles.d", () => {
  it("keeps the directories to create, with mode and owner defaults, and skips files and specifiers", () => {
    expect(parseTmpfiles("# x\nd /run/postgresql 2775 postgres postgres - -\nf /run/x 0644\nd /run/%t 0755\nd /run/lock\n")).toEqual([
      { path: "/run/postgresql", mode: 0o2775, user: "postgres", group: "postgres" },
      { path: "/run/lock", mode: 0o755, user: "root", group: "root" },
    ]);
  });
});
