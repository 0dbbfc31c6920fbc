import { describe, expect, it } from "vitest";
import { expandCommandLine, expandSpecifiers, parseEnvironmentFile, parseTimeSpan, splitWords } from "./systemdSyntax";

describe("systemd syntax", () => {
  it("splits words, expands variables, specifiers, time spans, environment files", () => {
    expect(splitWords(`a "b c" 'd "e"' f\\ g "" h\\x41`)).toEqual(["a", "b c", 'd "e"', "f g", "", "hA"]);
    expect(() => splitWords('"open')).toThrow(/unterminated/);
    expect(expandCommandLine(["/bin/x", "$ARGS", "--n=${N}", "$$HOME", "$EMPTY"], { ARGS: "-a  -b", N: "1" })).toEqual([
      "/bin/x",
      "-a",
      "-b",
      "--n=1",
      "$HOME",
    ]);
    expect(expandSpecifiers("%n %N %p %i %I %t %% %H", { unit: "foo-bar@a-b.service", hostname: "h" })).toBe(
      "foo-bar@a-b.service foo-bar@a-b foo-bar a-b a/b /run % h",
    );
    expect(parseTimeSpan("5")).toBe(5000);
    expect(parseTimeSpan("100ms")).toBe(100);
    expect(parseTimeSpan("1min 30s")).toBe(90_000);
    expect(parseTimeSpan("infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(() => parseTimeSpan("soon")).toThrow();
    expect(parseEnvironmentFile("# c\nA=1\nexport B=\"two words\"\nC='x'\nD=plain # trailing\nE=line\\\ncontinued\nbad line\n")).toEqual({
      A: "1",
      B: "two words",
      C: "x",
      D: "plain",
      E: "linecontinued",
    });
  });
});
