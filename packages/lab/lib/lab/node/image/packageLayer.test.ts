import { describe, expect, it } from "vitest";
import { renderRelease } from "../../cloud/mirror";
import { packageNeedsOf } from "./packageLayer";

describe("what a node's user-data asks apt for", () => {
  it("takes the packages, the files written before them, and extra apt sources", () => {
    const needs = packageNeedsOf(
      [
        "#cloud-config",
        "write_files:",
        "  - path: /usr/sbin/policy-rc.d",
        '    content: "#!/bin/sh\\nexit 101\\n"',
        "    permissions: '0755'",
        "  - path: /etc/patroni/patroni.yml",
        "    content: secret",
        "    defer: true",
        "apt:",
        "  sources:",
        "    pgdg: { source: 'deb https://apt.postgresql.org/pub/repos/apt jammy-pgdg main' }",
        "packages: [postgresql-15, patroni, curl]",
      ].join("\n"),
    );
    expect(needs.packages).toEqual(["curl", "patroni", "postgresql-15"]);
    // Deferred files (pgha's own, secrets included) are written after packages: never baked into a layer.
    expect(needs.preinstallFiles).toEqual([{ path: "/usr/sbin/policy-rc.d", content: "#!/bin/sh\nexit 101\n", permissions: "0755" }]);
    expect(needs.extraSources).toEqual(["pgdg: deb https://apt.postgresql.org/pub/repos/apt jammy-pgdg main"]);
    expect(packageNeedsOf("#cloud-config\nhostname: x\n")).toEqual({ packages: [], preinstallFiles: [], extraSources: [] });
  });
});

describe("the mirror's Release file", () => {
  it("lists every index with its size and sha256", () => {
    const r = renderRelease([{ path: "main/binary-amd64/Packages", content: Buffer.from("abc") }], new Date(Date.UTC(2026, 0, 1)));
    expect(r).toContain("Codename: trixie\n");
    expect(r).toContain("Date: Thu, 01 Jan 2026 00:00:00 GMT\n");
    expect(r).toContain("SHA256:\n ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 3 main/binary-amd64/Packages\n");
  });
});
