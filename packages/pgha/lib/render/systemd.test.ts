import { describe, expect, it } from "vitest";
import { labTopology } from "../../../../test/support/fixtures";
import {
  cronToOnCalendar,
  patroniUnitFiles,
  renderBackupService,
  renderBackupTimer,
  renderEtcdUnit,
  renderHaproxyUnit,
  renderKeepalivedUnit,
  renderPatroniUnit,
  renderPgbouncerUnit,
  UNITS,
  unitPath,
} from "./systemd";

/** `Key=value` lines of one section. */
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

describe("cronToOnCalendar", () => {
  it.each([
    ["0 3 * * *", "*-*-* 03:00:00 UTC"],
    ["*/15 * * * *", "*-*-* *:00/15:00 UTC"],
    ["0 2 * * 0", "Sun *-*-* 02:00:00 UTC"],
    ["0 2 * * 7", "Sun *-*-* 02:00:00 UTC"],
    ["30 1 * * 1-5", "Mon..Fri *-*-* 01:30:00 UTC"],
    ["0 0 * * 0,6", "Sat,Sun *-*-* 00:00:00 UTC"],
    ["0 0 * * 5-7", "Fri..Sun *-*-* 00:00:00 UTC"],
    ["0,30 * * * *", "*-*-* *:00,30:00 UTC"],
    ["5 */2 * * *", "*-*-* 00/2:05:00 UTC"],
    ["0 10-20/2 * * *", "*-*-* 10..20/2:00:00 UTC"],
    ["0 4 1 * *", "*-*-01 04:00:00 UTC"],
    ["0 4 */2 */3 *", "*-01/3-01/2 04:00:00 UTC"],
    ["  0   3 * *   * ", "*-*-* 03:00:00 UTC"],
  ])("%s -> %s", (cron, expected) => {
    expect(cronToOnCalendar(cron)).toBe(expected);
  });

  it.each([
    ["0 3 * *", /five fields/],
    ["@daily x y z w", /only digits/],
    ["60 3 * * *", /minute 60 is outside 0-59/],
    ["0 24 * * *", /hour 24/],
    ["0 3 0 * *", /day-of-month 0/],
    ["0 3 * 13 *", /month 13/],
    ["0 3 * * 8", /day-of-week 8/],
    ["0 20-10 * * *", /runs backwards/],
    ["*/0 * * * *", /positive/],
    ["0 3 1 * 1", /either matches/],
    ["1/2/3 * * * *", /more than one/],
  ])("rejects %s", (cron, why) => {
    expect(() => cronToOnCalendar(cron)).toThrow(why);
  });
});

describe("units", () => {
  it("patroni: postgres user, /usr/bin/patroni with pgha's config, KillMode=process, reload by HUP", () => {
    const u = renderPatroniUnit({ cluster: "main" });
    expect(section(u, "Service")).toEqual(
      expect.arrayContaining([
        "User=postgres",
        "Group=postgres",
        "ExecStart=/usr/bin/patroni /etc/patroni/patroni.yml",
        "ExecReload=/bin/kill -s HUP $MAINPID",
        "KillMode=process",
        "TimeoutSec=30",
        "Restart=on-failure",
        "EnvironmentFile=-/etc/patroni/patroni.env",
      ]),
    );
    expect(section(u, "Unit")).toContain("RequiresMountsFor=/var/lib/postgresql");
    expect(section(u, "Install")).toEqual(["WantedBy=multi-user.target"]);
    expect(u).not.toContain("watchdog");
  });

  it("patroni with a watchdog hands the device to postgres before starting", () => {
    const s = section(renderPatroniUnit({ cluster: "main", watchdogDevice: "/dev/watchdog" }), "Service");
    const chown = s.indexOf("ExecStartPre=+/bin/chown postgres /dev/watchdog");
    expect(chown).toBeGreaterThan(-1);
    expect(chown).toBeLessThan(s.findIndex((l) => l.startsWith("ExecStart=")));
  });

  it("etcd: etcd user, --config-file, notify, data dir mount required", () => {
    const u = renderEtcdUnit({ dataDir: "/var/lib/etcd" });
    expect(section(u, "Service")).toEqual(
      expect.arrayContaining(["Type=notify", "User=etcd", "ExecStart=/usr/bin/etcd --config-file /etc/etcd/etcd.conf.yml"]),
    );
    expect(section(u, "Unit")).toContain("RequiresMountsFor=/var/lib/etcd");
    expect(() => renderEtcdUnit({ dataDir: "relative/dir" })).toThrow(/absolute/);
  });

  it("haproxy: master-worker with a pid file, config checked before start and reload", () => {
    const s = section(renderHaproxyUnit({ nofile: 21024 }), "Service");
    expect(s).toEqual(
      expect.arrayContaining([
        "ExecStartPre=/usr/sbin/haproxy -f /etc/haproxy/haproxy.cfg -c -q",
        "ExecStart=/usr/sbin/haproxy -Ws -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid",
        "ExecReload=/bin/kill -USR2 $MAINPID",
        "Type=notify",
        "LimitNOFILE=21024",
      ]),
    );
  });

  it("keepalived: foreground, console logging, its own pid files in its RuntimeDirectory", () => {
    const s = section(renderKeepalivedUnit(), "Service");
    const exec = s.find((l) => l.startsWith("ExecStart="));
    expect(exec).toMatch(/^ExecStart=\/usr\/sbin\/keepalived --dont-fork --log-console /);
    expect(exec).toContain("--use-file /etc/keepalived/keepalived.conf");
    expect(exec).toContain("--pid /run/keepalived/keepalived.pid");
    expect(exec).toContain("--vrrp_pid /run/keepalived/vrrp.pid");
    expect(s).toContain("RuntimeDirectory=keepalived");
  });

  it("pgbouncer: postgres user, its ini, a RuntimeDirectory for socket and pid", () => {
    const s = section(renderPgbouncerUnit(), "Service");
    expect(s).toEqual(
      expect.arrayContaining(["User=postgres", "ExecStart=/usr/sbin/pgbouncer /etc/pgbouncer/pgbouncer.ini", "RuntimeDirectory=pgbouncer"]),
    );
  });

  it("backup service is a oneshot as postgres; the timer carries the translated schedule", () => {
    const svc = renderBackupService("main", "walg");
    expect(section(svc, "Service")).toEqual(
      expect.arrayContaining(["Type=oneshot", "User=postgres", "ExecStart=/usr/local/bin/pgha-backup"]),
    );
    expect(section(svc, "Install")).toEqual([]);
    const timer = renderBackupTimer("main", "0 2 * * 0");
    expect(section(timer, "Timer")).toEqual(
      expect.arrayContaining(["OnCalendar=Sun *-*-* 02:00:00 UTC", "Unit=pgha-backup.service", "Persistent=true"]),
    );
    expect(section(timer, "Install")).toEqual(["WantedBy=timers.target"]);
  });

  it("patroniUnitFiles follows the cluster: pgbouncer and backup units only when enabled", () => {
    const t = labTopology();
    const main = patroniUnitFiles(t.clusters[0]);
    expect(main.map((f) => f.path)).toEqual([UNITS.patroni, UNITS.pgbouncer, UNITS.backupService, UNITS.backupTimer].map(unitPath));
    for (const f of main) expect(f).toMatchObject({ owner: "root:root", permissions: "0644" });
    const dr = patroniUnitFiles({ ...t.clusters[1], pgbouncer: { ...t.clusters[1].pgbouncer, enabled: false } });
    expect(dr.map((f) => f.path)).toEqual([unitPath(UNITS.patroni)]);
  });
});
