import { describe, expect, it } from "vitest";
import { fillTemplate, fillText, loadTemplate } from "./template";

describe("fillText", () => {
  it("substitutes every placeholder, numbers included, tolerating inner spaces", () => {
    expect(fillText("a {{x}} b {{ y }} {{x}}", { x: "X", y: 7 })).toBe("a X b 7 X");
  });

  it("inserts values verbatim without re-scanning them", () => {
    expect(fillText("pass={{p}}", { p: "{{q}}$1$&" })).toBe("pass={{q}}$1$&");
  });

  it("throws on a placeholder without a value", () => {
    expect(() => fillText("{{a}} {{b}}", { a: 1 }, "t")).toThrow("t: no value for placeholder {{b}}");
  });

  it("throws on a value that is undefined at run time (an untyped caller)", () => {
    expect(() => fillText("{{a}}", { a: undefined as unknown as string })).toThrow("no value for placeholder {{a}}");
    expect(() => fillText("{{a}}", { a: true as unknown as string })).toThrow("not a string or number");
  });

  it("throws on a value the template does not use", () => {
    expect(() => fillText("{{a}}", { a: 1, typo: 2 })).toThrow("values not used by the template: typo");
  });

  it("throws on a malformed placeholder left in the template", () => {
    expect(() => fillText("{{a}} {{ not-valid }}", { a: 1 })).toThrow("malformed placeholder");
    expect(() => fillText("{{a", {})).toThrow("malformed placeholder");
  });

  it("throws on a non-finite number", () => {
    expect(() => fillText("{{n}}", { n: Number.NaN })).toThrow("not a finite number");
  });
});

describe("fillTemplate", () => {
  it("reads templates/<name> and caches it", () => {
    const first = loadTemplate("haproxy.cfg.tmpl");
    expect(first).toContain("{{roleListeners}}");
    expect(loadTemplate("haproxy.cfg.tmpl")).toBe(first);
  });

  it("rejects names that could escape the templates directory", () => {
    expect(() => fillTemplate("../package.json", {})).toThrow("invalid template name");
  });

  it("reports the template name when a value is missing", () => {
    expect(() => fillTemplate("check_haproxy.sh.tmpl", {})).toThrow("templates/check_haproxy.sh.tmpl: no value");
  });
});
