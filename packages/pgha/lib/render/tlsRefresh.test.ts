/**
 * pgha-tls-refresh.service / .timer: what they say, the pipe they run (bash, with stand-ins for
 * both scripts), and which nodes' user-data installs and enables them.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import YAML from "yaml";
import { etcdMemberModel, labTopology, patroniNodeModel } from "../../../../test/support/fixtures";
import { etcdUserData, patroniUserData } from "../components/userData";
import { FIRST_BOOT_SCRIPT } from "./cloudInit";
import { PATHS, type PatroniNodeModel, type TlsMaterial } from "./model";
import { SECRETS_SCRIPT, type SecretStoreRef } from "./secretRefs";
import { UNITS, unitPath } from "./systemd";
import { TLS_RELOAD_SCRIPT } from "./tlsReload";
import { renderTlsRefreshService, renderTlsRefreshTimer, tlsRefreshUnits } from "./tlsRefresh";

const PEM: TlsMaterial = {
  caCert: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
  cert: "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n",
  key: "-----BEGIN PRIVATE KEY-----\nS0VZLXZhbHVlLW9mLXRoZS1ub2Rl\n-----END PRIVATE KEY-----\n",
};
const STORE: SecretStoreRef = { kind: "lab", secret: "main-pg-0-secrets" };

/** `Key=value` lines of one section, comments left out. */
function section(unit: string, name: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of unit.split("\n")) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1];
    else if (current === name && line && !line.startsWith("#")) out.push(line);
  }
  return out;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The unit's ExecStart= run by bash, with both scripts replaced by stand-ins in a temp dir. */
function runPipe(secrets: { stdout: string; code: number }, reloadCode: number) {
  const dir = mkdtempSync(join(tmpdir(), "pgha-tls-refresh-"));
  dirs.push(dir);
  const secretsStub = join(dir, "pgha-secrets");
  const reloadStub = join(dir, "pgha-reload-tls");
  writeFileSync(secretsStub, `#!/bin/sh\necho "$*" > ${dir}/secrets.args\nprintf '${secrets.stdout}'\nexit ${secrets.code}\n`);
  writeFileSync(reloadStub, `#!/bin/sh\ncat > ${dir}/reload.stdin\nexit ${reloadCode}\n`);
  chmodSync(secretsStub, 0o755);
  chmodSync(reloadStub, 0o755);
  const execStart = section(renderTlsRefreshService(), "Service")
    .find((l) => l.startsWith("ExecStart="))!
    .slice("ExecStart=".length)
    .replaceAll(SECRETS_SCRIPT, secretsStub)
    .replaceAll(TLS_RELOAD_SCRIPT, reloadStub);
  // systemd's quoting: '...' groups one word, as for bash here.
  const m = /^\/bin\/bash -o pipefail -c '([^']+)'$/.exec(execStart);
  expect(m, execStart).not.toBeNull();
  const r = spawnSync("/bin/bash", ["-o", "pipefail", "-c", m![1]], { encoding: "utf8" });
  return {
    code: r.status,
    args: readFileSync(join(dir, "secrets.args"), "utf8").trim(),
    stdin: readFileSync(join(dir, "reload.stdin"), "utf8"),
  };
}

describe("pgha-tls-refresh units", () => {
  it("service: a oneshot running pgha-secrets refresh limited to the TLS directory into pgha-reload-tls, with pipefail", () => {
    const unit = renderTlsRefreshService();
    expect(section(unit, "Service")).toEqual([
      "Type=oneshot",
      `ExecStart=/bin/bash -o pipefail -c '${SECRETS_SCRIPT} refresh --only ${PATHS.tlsDir} | ${TLS_RELOAD_SCRIPT}'`,
      "TimeoutStartSec=15min",
    ]);
    expect(section(unit, "Unit")).toContain("After=network-online.target");
    // Installed only through the timer.
    expect(unit).not.toContain("[Install]");
  });

  it("timer: hourly, spread at random over 45 minutes, catching up after downtime, enabled by timers.target", () => {
    const timer = renderTlsRefreshTimer();
    expect(section(timer, "Timer")).toEqual([
      "OnCalendar=hourly",
      "RandomizedDelaySec=45min",
      "Persistent=true",
      `Unit=${UNITS.tlsRefreshService}`,
    ]);
    expect(section(timer, "Install")).toEqual(["WantedBy=timers.target"]);
  });

  it("the pipe hands the rewritten paths to pgha-reload-tls and fails when either side fails", () => {
    const tls = `${PATHS.tlsDir}/postgres.crt\n${PATHS.tlsDir}/postgres.key\n`;
    const ok = runPipe({ stdout: "/etc/pgha/tls/postgres.crt\\n/etc/pgha/tls/postgres.key\\n", code: 0 }, 0);
    expect(ok).toEqual({ code: 0, args: `refresh --only ${PATHS.tlsDir}`, stdin: tls });
    // The store failed after one file was written: that file is still reloaded, and the unit fails.
    const storeDown = runPipe({ stdout: "/etc/pgha/tls/postgres.crt\\n", code: 1 }, 0);
    expect(storeDown.code).toBe(1);
    expect(storeDown.stdin).toBe(`${PATHS.tlsDir}/postgres.crt\n`);
    // pgha-reload-tls' own failure (3: a file without a rule) is the unit's.
    expect(runPipe({ stdout: "", code: 0 }, 3).code).toBe(3);
  });

  it("only for nodes with pgha-reload-tls and TLS files among the secret's files", () => {
    const reload = { path: TLS_RELOAD_SCRIPT, content: "#!/bin/sh\n", owner: "root:root", permissions: "0755" };
    const both = tlsRefreshUnits([reload], [`${PATHS.tlsDir}/etcd.key`, "/etc/patroni/patroni.yml"]);
    expect(both.files.map((f) => f.path)).toEqual([unitPath(UNITS.tlsRefreshService), unitPath(UNITS.tlsRefreshTimer)]);
    expect(both.files.every((f) => f.permissions === "0644" && f.owner === "root:root")).toBe(true);
    expect(both.services).toEqual([UNITS.tlsRefreshTimer]);
    expect(tlsRefreshUnits([reload], ["/etc/patroni/patroni.yml"])).toEqual({ files: [], services: [] });
    expect(tlsRefreshUnits([], [`${PATHS.tlsDir}/etcd.key`])).toEqual({ files: [], services: [] });
  });
});

interface CloudConfig {
  write_files: { path: string; content: string }[];
}
const firstBoot = (doc: CloudConfig) => doc.write_files.find((f) => f.path === FIRST_BOOT_SCRIPT)!.content;

/** The fixtures' passwords are short; secret references need values of 8 characters or more. */
function longPasswords(m: PatroniNodeModel): PatroniNodeModel {
  const long = (v: string) => `${v}-0123456789`;
  const p = m.passwords;
  const roles = Object.fromEntries(Object.entries(p.roles).map(([k, v]) => [k, long(v)]));
  return {
    ...m,
    passwords: {
      ...p,
      superuser: long(p.superuser),
      replication: long(p.replication),
      rewind: long(p.rewind),
      restApi: long(p.restApi),
      pgbouncer: long(p.pgbouncer),
      roles,
    },
  };
}

describe("user-data installs and enables the timer", () => {
  const target = { platform: "local" as const, sshKeys: [] };
  const t = labTopology();
  const cases = {
    "Patroni node": (store?: SecretStoreRef) =>
      patroniUserData({ model: longPasswords(patroniNodeModel(t, "main", 0)), target, tls: PEM, etcdClientTls: PEM, store }),
    "etcd member": (store?: SecretStoreRef) => etcdUserData({ model: etcdMemberModel(t, 0), target, os: "debian-13", tls: PEM, store }),
  };
  for (const [what, render] of Object.entries(cases)) {
    it(`${what} with secrets in a store: both units written, the timer enabled after the node's services`, () => {
      const doc = YAML.parse(render(STORE)) as CloudConfig;
      const paths = doc.write_files.map((f) => f.path);
      expect(paths).toContain(unitPath(UNITS.tlsRefreshService));
      expect(paths).toContain(unitPath(UNITS.tlsRefreshTimer));
      expect(doc.write_files.find((f) => f.path === unitPath(UNITS.tlsRefreshTimer))!.content).toBe(renderTlsRefreshTimer());
      const boot = firstBoot(doc);
      const enabled = [...boot.matchAll(/^systemctl enable (\S+)$/gm)].map((x) => x[1]);
      expect(enabled.at(-1)).toBe(UNITS.tlsRefreshTimer);
      expect(enabled.length).toBeGreaterThan(1);
      // No secret on the unit's command line or anywhere in the units.
      for (const f of doc.write_files.filter((x) => x.path.includes("pgha-tls-refresh"))) expect(f.content).not.toContain("S0VZ");
    });

    it(`${what} without a store (nothing to fetch): no timer`, () => {
      const doc = YAML.parse(render(undefined)) as CloudConfig;
      expect(doc.write_files.some((f) => f.path.includes("pgha-tls-refresh"))).toBe(false);
      expect(firstBoot(doc)).not.toContain("pgha-tls-refresh");
    });
  }
});
