import { describe, expect, it } from "vitest";
import { inputText } from "./inputText";

describe("inputText", () => {
  it("reads strings, numbers and booleans as text, and anything else as the fallback or its JSON", () => {
    expect(inputText("europe-west1", "")).toBe("europe-west1");
    expect(inputText(5432)).toBe("5432");
    expect(inputText(false, "x")).toBe("false");
    expect(inputText(undefined, "pgha-synth")).toBe("pgha-synth");
    expect(inputText({ id: "rt-1" }, "")).toBe("");
    expect(inputText({ id: "rt-1" })).toBe('{"id":"rt-1"}');
    expect(inputText(undefined)).toBe("undefined");
  });
});
