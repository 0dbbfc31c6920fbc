/**
 * The rendered units checked by the systemd the nodes run (the tools image's: Debian 13's
 * systemd 257; test/support/image.ts): `systemd-analyze verify` parses them against the
 * image's own unit files and binaries, rejects unknown keys and non-executable Exec*=
 * binaries, and `systemd-analyze calendar` proves every OnCalendar we produce fires at exactly
 * the times cron would.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderBackupScript } from "../../packages/pgha/lib/render/backups";
import type { BackupTarget } from "../../packages/pgha/lib/render/model";
import { PATHS } from "../../packages/pgha/lib/render/model";
import {
  cronToOnCalendar,
  renderBackupService,
  renderBackupTimer,
  renderEtcdUnit,
  renderHaproxyUnit,
  renderKeepalivedUnit,
  renderPatroniUnit,
  renderPgbouncerUnit,
} from "../../packages/pgha/lib/render/systemd";
import { renderTlsRefreshService, renderTlsRefreshTimer } from "../../packages/pgha/lib/render/tlsRefresh";
import { labTopology } from "../support/fixtures";
import { imageFile, imagePostgresMajor, runImageSync } from "../support/image";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "pgha-units-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function verify(files: Record<string, string>): { code: number | null; output: string } {
  const paths = Object.entries(files).map(([name, content]) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  });
  // --man=no: verify would run `man` for Documentation=man:... references, and nodes (like the
  // image) have no man-db; manPagesMissing() checks those references against the image instead.
  const r = runImageSync(["systemd-analyze", "verify", "--man=no", ...paths], { binds: [dir] });
  return { code: r.code, output: `${r.stdout}${r.stderr}` };
}

/** Documentation=man:NAME(SECTION) references of a unit whose page the image does not have. */
function manPagesMissing(unit: string): string[] {
  const refs = [...unit.matchAll(/^Documentation=(.*)$/gm)].flatMap((m) => m[1].split(/\s+/)).filter((d) => d.startsWith("man:"));
  return refs.filter((ref) => {
    const m = /^man:([\w.-]+)\((\d)\)$/.exec(ref);
    return !m || !existsSync(imageFile(`usr/share/man/man${m[2]}/${m[1]}.${m[2]}.gz`));
  });
}

/** Lines systemd-analyze prints about OUR files (it may also mention unrelated units of the image). */
function complaintsAbout(output: string, names: string[]): string[] {
  return output.split("\n").filter((l) => l.trim() && names.some((n) => l.includes(n)));
}

describe("systemd-analyze verify", () => {
  it("accepts every unit pgha writes, with no warnings about them", () => {
    const t = labTopology();
    const main = t.clusters[0];
    // The backup script is installed by cloud-init on a node; here it lives in the temp dir.
    const target: BackupTarget = { spec: main.backups!, bucket: "/var/lib/pgbackrest", prefix: "main/" };
    const script = path.join(dir, "pgha-backup");
    writeFileSync(
      script,
      renderBackupScript(target, "main", { major: imagePostgresMajor(), restApiHost: "127.0.0.1", restApiPort: 8008, restApiTls: true }),
    );
    chmodSync(script, 0o755);
    const units: Record<string, string> = {
      "etcd.service": renderEtcdUnit({ dataDir: t.etcd.dataDir }),
      "patroni.service": renderPatroniUnit({ cluster: "main" }),
      "haproxy.service": renderHaproxyUnit({ nofile: 21024 }),
      "keepalived.service": renderKeepalivedUnit(),
      "pgbouncer.service": renderPgbouncerUnit(),
      "pgha-backup.service": renderBackupService("main", "pgbackrest").replace(`ExecStart=${PATHS.backupScript}`, `ExecStart=${script}`),
      "pgha-backup.timer": renderBackupTimer("main", main.backups!.schedule),
      "pgha-tls-refresh.service": renderTlsRefreshService(),
      "pgha-tls-refresh.timer": renderTlsRefreshTimer(),
    };
    const r = verify(units);
    expect(complaintsAbout(r.output, Object.keys(units))).toEqual([]);
    expect(r.code, r.output).toBe(0);
    // Every man page a unit names is installed on the node (HAProxy, keepalived and PgBouncer name one).
    const manRefs =
      Object.values(units)
        .join("\n")
        .match(/^Documentation=man:/gm) ?? [];
    expect(manRefs.length).toBeGreaterThanOrEqual(3);
    for (const [name, text] of Object.entries(units)) expect(manPagesMissing(text), name).toEqual([]);
    expect(manPagesMissing("Documentation=man:no-such-page(8)\n")).toEqual(["man:no-such-page(8)"]);
  });

  it("accepts the watchdog variant of the Patroni unit", () => {
    const r = verify({ "patroni.service": renderPatroniUnit({ cluster: "main", watchdogDevice: "/dev/watchdog" }) });
    expect(complaintsAbout(r.output, ["patroni.service"])).toEqual([]);
    expect(r.code, r.output).toBe(0);
  });

  it("notices a misspelled key and a missing binary (the check can fail)", () => {
    const bad = renderPgbouncerUnit().replace("KillSignal=", "KillSignall=");
    const r1 = verify({ "pgbouncer.service": bad });
    expect(r1.output).toMatch(/Unknown key 'KillSignall'/);
    const r2 = verify({
      "patroni.service": renderPatroniUnit({ cluster: "main" }).replace("/usr/bin/patroni", "/usr/bin/patroni-nonexistent"),
    });
    expect(r2.code).not.toBe(0);
    expect(r2.output).toMatch(/is not executable/);
  });

  it("the service users exist (etcd, postgres, haproxy) and every ExecStart binary is installed in the image", () => {
    for (const user of ["etcd", "postgres", "haproxy"]) {
      const r = runImageSync(["id", "-u", user]);
      expect(r.code, `${user}: ${r.stderr}`).toBe(0);
    }
    expect(runImageSync(["id", "-u", "nosuchuser"]).code).not.toBe(0);
    for (const bin of ["/usr/bin/etcd", "/usr/bin/patroni", "/usr/sbin/haproxy", "/usr/sbin/keepalived", "/usr/sbin/pgbouncer"]) {
      expect(runImageSync(["test", "-x", bin]).code, bin).toBe(0);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// cron semantics, brute force, as the reference for systemd's calendar

function cronMatches(cron: string, d: Date): boolean {
  const [mi, h, dom, mo, dow] = cron.trim().split(/\s+/);
  const field = (spec: string, value: number, min: number, max: number, sunday7 = false) =>
    spec.split(",").some((item) => {
      const [range, stepText] = item.split("/");
      const step = stepText ? Number(stepText) : 1;
      let lo: number;
      let hi: number;
      if (range === "*") [lo, hi] = [min, max];
      else if (range.includes("-")) [lo, hi] = range.split("-").map(Number);
      else [lo, hi] = [Number(range), stepText ? max : Number(range)];
      for (let v = lo; v <= hi; v += step) if (v === value || (sunday7 && v === 7 && value === 0)) return true;
      return false;
    });
  return (
    field(mi, d.getUTCMinutes(), 0, 59) &&
    field(h, d.getUTCHours(), 0, 23) &&
    field(dom, d.getUTCDate(), 1, 31) &&
    field(mo, d.getUTCMonth() + 1, 1, 12) &&
    field(dow, d.getUTCDay(), 0, 6, true)
  );
}

function cronNext(cron: string, after: Date, n: number): string[] {
  const out: string[] = [];
  const t = new Date(after.getTime() + 60_000);
  for (let i = 0; i < 2 * 366 * 24 * 60 && out.length < n; i++, t.setTime(t.getTime() + 60_000)) {
    if (cronMatches(cron, t)) out.push(t.toISOString().slice(0, 16).replace("T", " "));
  }
  return out;
}

function systemdNext(onCalendar: string, base: Date, n: number): string[] {
  const r = runImageSync(
    [
      "systemd-analyze",
      "calendar",
      `--iterations=${n}`,
      `--base-time=${base.toISOString().slice(0, 19).replace("T", " ")} UTC`,
      onCalendar,
    ],
    {
      env: { TZ: "UTC" },
    },
  );
  if (r.code !== 0) throw new Error(`systemd-analyze calendar '${onCalendar}': ${r.stderr}`);
  // systemd 257 labels the later elapses "Iteration #N" (252: "Iter. #N").
  const times = [...r.stdout.matchAll(/^\s*(?:Next elapse|Iteration #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d):00 UTC$/gm)].map((m) => m[1]);
  if (times.length !== n)
    throw new Error(`systemd-analyze calendar '${onCalendar}': expected ${n} elapses, read ${times.length} from:\n${r.stdout}`);
  return times;
}

describe("OnCalendar fires when cron would", () => {
  const base = new Date(Date.UTC(2026, 0, 30, 22, 47)); // a Friday, near a month end
  it.each([
    "0 3 * * *",
    "*/15 * * * *",
    "0 2 * * 0",
    "0 2 * * 7",
    "30 1 * * 1-5",
    "0 0 * * 5-7",
    "0 0 * * 0,6",
    "0,30 * * * *",
    "5 */2 * * *",
    "0 10-20/2 * * *",
    "0 4 1 * *",
    "0 4 */2 */3 *",
    "15 6 * 2 *",
  ])("%s", (cron) => {
    const onCalendar = cronToOnCalendar(cron);
    expect(systemdNext(onCalendar, base, 8)).toEqual(cronNext(cron, base, 8));
  });
});
