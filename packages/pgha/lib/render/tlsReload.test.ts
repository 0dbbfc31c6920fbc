import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { etcdMemberModel, labTopology, patroniNodeModel } from "../../../../test/support/fixtures";
import { type TlsMaterial, tlsFiles } from "./model";
import { etcdNodeFiles, patroniNodeFiles } from "./nodeFiles";
import {
  haproxyTlsReloadRules,
  renderTlsReloadScript,
  serviceTlsReloadRules,
  TLS_RELOAD_SCRIPT,
  TLS_RELOAD_UNKNOWN_EXIT,
} from "./tlsReload";

const PEM: TlsMaterial = {
  caCert: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
  cert: "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n",
  key: "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n",
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * Run the rendered script with sh and a fake systemctl on PATH that logs its arguments;
 * units listed in `inactive` answer is-active with 3.
 */
function runScript(script: string, args: string[], opts: { stdin?: string; inactive?: string[]; failReload?: string[] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "pgha-reload-tls-"));
  dirs.push(dir);
  const log = join(dir, "systemctl.log");
  writeFileSync(log, "");
  const fake = join(dir, "systemctl");
  writeFileSync(
    fake,
    `#!/bin/sh
echo "$*" >> ${log}
unit=""; for a in "$@"; do unit="$a"; done
case "$1" in
  is-active) case " ${(opts.inactive ?? []).join(" ")} " in *" $unit "*) exit 3 ;; esac ;;
  reload) case " ${(opts.failReload ?? []).join(" ")} " in *" $unit "*) exit 1 ;; esac ;;
esac
exit 0
`,
  );
  chmodSync(fake, 0o755);
  const file = join(dir, "pgha-reload-tls");
  writeFileSync(file, script);
  const r = spawnSync("sh", [file, ...args], { input: opts.stdin ?? "", env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: "utf8" });
  const calls = readFileSync(log, "utf8").split("\n").filter(Boolean);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, reloads: calls.filter((c) => c.startsWith("reload ")) };
}

const patroniRules = (pgbouncer: boolean) => serviceTlsReloadRules(["patroni", "postgres", "etcd-client"], { pgbouncer });

describe("pgha-reload-tls", () => {
  it("reloads Patroni (REST API, and PostgreSQL by pg_ctl reload) and PgBouncer once each for a renewed PostgreSQL pair", () => {
    const pg = tlsFiles("postgres");
    const r = runScript(renderTlsReloadScript(patroniRules(true)), [pg.certFile, pg.keyFile, tlsFiles("patroni").certFile]);
    expect(r.code).toBe(0);
    expect(r.reloads).toEqual(["reload patroni.service", "reload pgbouncer.service"]);
    expect(r.stdout).toContain("patroni.service: reloaded");
  });

  it("reads the changed paths from stdin (pgha-secrets refresh | pgha-reload-tls) and reloads only Patroni for its REST API pair", () => {
    const rest = tlsFiles("patroni");
    const r = runScript(renderTlsReloadScript(patroniRules(true)), [], { stdin: `${rest.certFile}\n${rest.keyFile}\n` });
    expect(r.code).toBe(0);
    expect(r.reloads).toEqual(["reload patroni.service"]);
  });

  it("reloads nothing for files their service re-reads by itself (etcd, Patroni's etcd client)", () => {
    const etcd = tlsFiles("etcd");
    const e = runScript(renderTlsReloadScript(serviceTlsReloadRules(["etcd"], { pgbouncer: false })), [etcd.certFile, etcd.keyFile]);
    expect(e.code).toBe(0);
    expect(e.reloads).toEqual([]);
    expect(e.stdout).toContain("etcd loads its certificate for each new TLS handshake");
    const c = runScript(renderTlsReloadScript(patroniRules(false)), [tlsFiles("etcd-client").certFile]);
    expect(c.reloads).toEqual([]);
  });

  it("skips an inactive unit, reports a failed reload with exit 1, and a file without a rule with exit 3 after reloading the rest", () => {
    const script = renderTlsReloadScript(patroniRules(true));
    const pg = tlsFiles("postgres").certFile;
    const inactive = runScript(script, [pg], { inactive: ["pgbouncer.service"] });
    expect(inactive.reloads).toEqual(["reload patroni.service"]);
    expect(inactive.stdout).toContain("pgbouncer.service: not active, not reloaded");
    expect(runScript(script, [pg], { failReload: ["patroni.service"] }).code).toBe(1);
    const unknown = runScript(script, ["/etc/patroni/patroni.yml", pg]);
    expect(unknown.code).toBe(TLS_RELOAD_UNKNOWN_EXIT);
    expect(unknown.stderr).toContain("/etc/patroni/patroni.yml: no reload rule");
    expect(unknown.reloads).toEqual(["reload patroni.service", "reload pgbouncer.service"]);
  });

  it("gives HAProxy a reload for files under the TLS directory only", () => {
    const rules = haproxyTlsReloadRules([
      { path: "/etc/haproxy/haproxy.cfg", content: "", owner: "root:root", permissions: "0644" },
      { path: "/etc/pgha/tls/ca.crt", content: PEM.caCert, owner: "haproxy:haproxy", permissions: "0644" },
    ]);
    expect(rules.map((r) => [r.path, r.units])).toEqual([["/etc/pgha/tls/ca.crt", ["haproxy.service"]]]);
  });

  it("is installed 0755 on Patroni and etcd nodes with a rule for each of their TLS files; sh -n accepts it", () => {
    const t = labTopology();
    const files = patroniNodeFiles(patroniNodeModel(t, "main", 0), PEM);
    const script = files.find((f) => f.path === TLS_RELOAD_SCRIPT);
    expect(script).toMatchObject({ owner: "root:root", permissions: "0755" });
    for (const f of files.filter((x) => x.path.startsWith("/etc/pgha/tls/"))) expect(script?.content).toContain(`    ${f.path})`);
    execFileSync("sh", ["-n"], { input: script?.content });
    const etcd = etcdNodeFiles(etcdMemberModel(t, 0), PEM).find((f) => f.path === TLS_RELOAD_SCRIPT);
    expect(etcd?.content).toContain(`${tlsFiles("etcd").keyFile})`);
  });
});
