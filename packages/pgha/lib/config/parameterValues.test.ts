import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clusterParametersFor, labTopology } from "../../../../test/support/fixtures";
import { formatSize } from "../render/tuning";
import { GUC_TABLES, type GucSpec } from "./gucs";
import { checkValue, closest, humanQuantity, parseBool, roundHalfEven } from "./parameterValues";

const KB_SETTING: GucSpec = { type: "integer", context: "user", unit: "kB", min: 0, max: 2 ** 31 - 1 };
const BLOCKS_SETTING: GucSpec = { type: "integer", context: "postmaster", unit: "8kB", min: 16, max: 1073741823 };
const MS_SETTING: GucSpec = { type: "integer", context: "user", unit: "ms", min: -1, max: 2 ** 31 - 1 };
const value = (spec: GucSpec, raw: string | number | boolean) => {
  const r = checkValue("x", spec, raw, 17);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe("values read as PostgreSQL reads them", () => {
  it("memory units convert to the base unit, whatever the base", () => {
    const units: [string, number][] = [
      ["kB", 1],
      ["MB", 1024],
      ["GB", 1024 ** 2],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.constantFrom(...units), (n, [unit, kb]) => {
        expect(value(KB_SETTING, `${n}${unit}`)).toBe(n * kb);
        // 8kB blocks: PostgreSQL rounds to the nearest block, halves to even (rint).
        if (n * kb >= 128) expect(value(BLOCKS_SETTING, `${n} ${unit}`)).toBe(roundHalfEven((n * kb) / 8));
      }),
    );
  });

  it("time units convert to milliseconds", () => {
    const units: [string, number][] = [
      ["ms", 1],
      ["s", 1000],
      ["min", 60_000],
      ["h", 3_600_000],
      ["d", 86_400_000],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.constantFrom(...units), (n, [unit, ms]) => {
        expect(value(MS_SETTING, `${n}${unit}`)).toBe(n * ms);
      }),
    );
  });

  it("every size the tuning renders reads back as the same number of kB, and so does its human form", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (kb) => {
        expect(value(KB_SETTING, formatSize(kb))).toBe(kb);
        const human = humanQuantity(kb, "kB");
        if (!human.startsWith("~")) expect(value(KB_SETTING, human)).toBe(kb);
      }),
    );
  });

  it("rounds like C's rint: halves to even", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });

  it("booleans: PostgreSQL's spellings and unique prefixes, nothing else", () => {
    for (const s of ["on", "ON", "true", "t", "tr", "yes", "y", "1", true]) expect(parseBool(s)).toBe(true);
    for (const s of ["off", "of", "OFF", "false", "f", "no", "n", "0", false]) expect(parseBool(s)).toBe(false);
    for (const s of ["o", "", "2", "enable", "truee", "onn"]) expect(parseBool(s)).toBeUndefined();
  });

  it("suggests the nearest name only when it is a likely typo", () => {
    const names = Object.keys(GUC_TABLES[17].settings);
    expect(closest("shared_bufers", names)).toBe("shared_buffers");
    expect(closest("maxconnections", names)).toBe("max_connections");
    expect(closest("completely_unrelated", names)).toBeUndefined();
  });
});

describe("what pgha renders passes the same checks", () => {
  it.each([15, 17])("every parameter pgha derives for PostgreSQL %i is a setting of that major, with a value it accepts", (major) => {
    const t = labTopology((i) => {
      for (const c of i.clusters) c.postgres = { ...(c.postgres as object), major };
      i.clusters[0].hardware = { vcpus: 8, ramGb: 32, workload: "olap", diskType: "nvme" };
    });
    const table = GUC_TABLES[major];
    for (const c of t.clusters) {
      const params = clusterParametersFor(t, c);
      expect(Object.keys(params).length).toBeGreaterThan(20);
      for (const [name, raw] of Object.entries(params)) {
        const spec = table.settings[name];
        expect(spec, `${name} is not a PostgreSQL ${major} setting`).toBeDefined();
        const r = checkValue(name, spec, raw, major);
        expect(r.ok ? "" : r.message).toBe("");
      }
    }
  });
});
