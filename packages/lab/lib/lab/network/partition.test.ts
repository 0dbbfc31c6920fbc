import { describe, expect, it } from "vitest";
import { renderPartitionRuleset } from "./partition";

describe("partition rules", () => {
  it("renders partition rules for same-subnet and routed traffic", () => {
    const r = renderPartitionRuleset([{ address: "10.77.1.10", peers: ["10.77.1.11", "10.78.1.0/24"] }]);
    expect(r).toContain("table bridge pgha_partition {");
    expect(r).toContain("table ip pgha_partition {");
    expect(r).toContain("ip saddr 10.77.1.10 ip daddr { 10.77.1.11, 10.78.1.0/24 } drop");
    expect(r).toContain("ip saddr { 10.77.1.11, 10.78.1.0/24 } ip daddr 10.77.1.10 drop");
    expect(renderPartitionRuleset([])).toBe(
      "table bridge pgha_partition\ndelete table bridge pgha_partition\ntable ip pgha_partition\ndelete table ip pgha_partition\n",
    );
  });
});
