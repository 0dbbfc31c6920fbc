import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { SynthPlanNode } from "../synth/plan";
import { connections } from "./connections";

const node = (name: string, ip: string): SynthPlanNode => ({ name, ip, role: "patroni" }) as unknown as SynthPlanNode;

/** A Patroni node's user-data holding only a patroni.yml with the given standby_cluster. */
function standbyUserData(standbyCluster: Record<string, unknown>): string {
  const patroni = { scope: "dr", namespace: "/service/", bootstrap: { dcs: { standby_cluster: standbyCluster } } };
  return `#cloud-config\n${stringify({ write_files: [{ path: "/etc/patroni/patroni.yml", content: stringify(patroni) }] })}`;
}

describe("connections: a standby leader's source", () => {
  const sources = [node("main-0", "10.0.0.10"), node("main-1", "10.0.0.11"), node("main-2", "10.0.0.12")];
  const standby = node("dr-0", "10.1.0.10");

  const streams = (standbyCluster: Record<string, unknown>) =>
    connections(
      [...sources, standby],
      (n) => (n === standby ? standbyUserData(standbyCluster) : "#cloud-config\n"),
      [],
      () => "passthrough",
    )
      .filter((c) => c.what === "standby leader streams from its source")
      .map((c) => `${c.to}:${c.port}`);

  it("one address: the member it names", () => {
    expect(streams({ host: "10.0.0.11", port: 5432 })).toEqual(["main-1:5432"]);
  });

  it("the members fallback (a libpq multi-host list): every member it lists", () => {
    expect(streams({ host: "10.0.0.10,10.0.0.11,10.0.0.12", port: 5432 })).toEqual(["main-0:5432", "main-1:5432", "main-2:5432"]);
  });
});
