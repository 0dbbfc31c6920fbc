import { describe, expect, it } from "vitest";
import { parseUnit } from "./systemdUnit";
import { startOrder } from "./unitOrder";

describe("unit start order", () => {
  it("orders units by After=/Before= and pulls in Requires=/Wants=", () => {
    const mk = (name: string, unit: string) => parseUnit(name, `[Unit]\n${unit}\n[Service]\nExecStart=/bin/true\n`);
    const units = new Map(
      [
        mk("patroni.service", "After=etcd.service network.target\nRequires=etcd.service"),
        mk("etcd.service", "After=network.target"),
        mk("pgbouncer.service", "After=patroni.service\nWants=missing.service"),
        mk("haproxy.service", "Before=pgbouncer.service\nRequires=config.service"),
        mk("config.service", ""),
      ].map((u) => [u.name, u]),
    );
    expect(startOrder(units, ["pgbouncer.service", "patroni.service", "haproxy.service"])).toEqual([
      "etcd.service",
      "patroni.service",
      "config.service",
      "haproxy.service",
      "pgbouncer.service",
    ]);
    // Requires= without After= still starts the dependency first.
    const loose = new Map([mk("a.service", "Requires=b.service"), mk("b.service", "")].map((u) => [u.name, u]));
    expect(startOrder(loose, ["a.service"])).toEqual(["b.service", "a.service"]);
    expect(() => startOrder(units, ["nope.service"])).toThrow(/not found/);
    const missing = new Map([mk("a.service", "Requires=b.service")].map((u) => [u.name, u]));
    expect(() => startOrder(missing, ["a.service"])).toThrow(/requires b.service/);
    const cyc = new Map([mk("a.service", "After=b.service"), mk("b.service", "After=a.service\nWants=a.service")].map((u) => [u.name, u]));
    expect(() => startOrder(cyc, ["b.service"])).toThrow(/cycle/);
  });
});
