import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseUnit } from "./systemdUnit";

describe("systemd unit parsing", () => {
  it("parses sections, continuations, comments, exec prefixes, quoting, specifiers", () => {
    const u = parseUnit(
      "etcd.service",
      `# comment
[Unit]
Description=etcd - highly-available key value store
After=network.target
After=other.service \\
  # a comment inside a continuation is skipped
  third.service
Requires=disk.service
Wants=network-online.target
ConditionPathExists=!/etc/nope

[Service]
Type=notify
User=etcd
Group=etcd
Environment=ETCD_NAME=%H "QUOTED=a b  c" 'SINGLE=x"y'
Environment=DATA=/var/lib/%p
EnvironmentFile=-/etc/default/%p
EnvironmentFile=/etc/required
WorkingDirectory=-/var/lib/etcd
ExecStartPre=-/bin/mkdir -p /var/lib/etcd
ExecStartPre=+/bin/chown etcd /var/lib/etcd
ExecStart=/usr/bin/etcd $DAEMON_ARGS \\
  --name "\${ETCD_NAME}" --data-dir=%S/%p
ExecStartPost=/bin/true
ExecReload=/bin/kill -HUP $MAINPID
ExecStop=/bin/kill -TERM $MAINPID
Restart=on-failure
RestartSec=2s
TimeoutSec=30
RuntimeDirectory=etcd etcd/sub
RuntimeDirectoryMode=0750
LimitNOFILE=1024:65536
KillMode=mixed
KillSignal=INT
SuccessExitStatus=143 SIGUSR1

[Install]
WantedBy=multi-user.target
`,
      { hostname: "db-etcd-0" },
    );
    expect(u.description).toBe("etcd - highly-available key value store");
    expect(u.after).toEqual(["network.target", "other.service", "third.service"]);
    expect(u.requires).toEqual(["disk.service"]);
    expect(u.wants).toEqual(["network-online.target"]);
    expect(u.conditions).toEqual([{ kind: "PathExists", path: "/etc/nope", negate: true, assert: false }]);
    expect(u.wantedBy).toEqual(["multi-user.target"]);
    const s = u.service;
    if (!s) throw new Error("no service");
    expect(s.type).toBe("notify");
    expect(s.user).toBe("etcd");
    expect(s.group).toBe("etcd");
    expect(s.environment).toEqual({ ETCD_NAME: "db-etcd-0", QUOTED: "a b  c", SINGLE: 'x"y', DATA: "/var/lib/etcd" });
    expect(s.environmentFiles).toEqual([
      { path: "/etc/default/etcd", optional: true },
      { path: "/etc/required", optional: false },
    ]);
    expect(s.workingDirectory).toEqual({ path: "/var/lib/etcd", optional: true });
    expect(s.execStartPre.map((c) => [c.ignoreFailure, c.privileged, c.argv])).toEqual([
      [true, false, ["/bin/mkdir", "-p", "/var/lib/etcd"]],
      [false, true, ["/bin/chown", "etcd", "/var/lib/etcd"]],
    ]);
    expect(s.execStart).toHaveLength(1);
    expect(s.execStart[0].argv).toEqual(["/usr/bin/etcd", "$DAEMON_ARGS", "--name", "${ETCD_NAME}", "--data-dir=/var/lib/etcd"]);
    expect(s.execStartPost[0].argv).toEqual(["/bin/true"]);
    expect(s.execReload[0].argv).toEqual(["/bin/kill", "-HUP", "$MAINPID"]);
    expect(s.execStop[0].argv).toEqual(["/bin/kill", "-TERM", "$MAINPID"]);
    expect(s.restart).toBe("on-failure");
    expect(s.restartMs).toBe(2000);
    expect(s.timeoutStopMs).toBe(30_000);
    expect(s.timeoutStartMs).toBe(30_000);
    expect(s.runtimeDirectory).toEqual(["etcd", "etcd/sub"]);
    expect(s.runtimeDirectoryMode).toBe(0o750);
    expect(s.limitNOFILE).toEqual({ soft: 1024, hard: 65536 });
    expect(s.killMode).toBe("mixed");
    expect(s.killSignal).toBe("SIGINT");
    expect(s.successExitStatus).toEqual({ codes: [143], signals: ["SIGUSR1"] });
  });

  it("applies defaults, drop-ins (append, reset with empty value) and template specifiers", () => {
    const main =
      "[Unit]\nDescription=PostgreSQL Cluster %i\n[Service]\nType=forking\n" +
      "ExecStart=-/usr/bin/pg_ctlcluster %i start\nPIDFile=/run/postgresql/%i.pid\nEnvironment=A=1\n";
    const dropIn = "[Service]\nExecStart=\nExecStart=/usr/bin/pg_ctlcluster --foreground %I start\nEnvironment=B=2\nRestart=always\n";
    const u = parseUnit("postgresql@15-main.service", [main, dropIn]);
    const s = u.service;
    if (!s) throw new Error("no service");
    expect(u.description).toBe("PostgreSQL Cluster 15-main");
    expect(s.execStart.map((c) => c.argv)).toEqual([["/usr/bin/pg_ctlcluster", "--foreground", "15/main", "start"]]);
    expect(s.pidFile).toBe("/run/postgresql/15-main.pid");
    expect(s.environment).toEqual({ A: "1", B: "2" });
    expect(s.restart).toBe("always");
    const d = parseUnit("x.service", "[Service]\nExecStart=/bin/true\n").service;
    expect(d).toMatchObject({
      type: "simple",
      restart: "no",
      restartMs: 100,
      timeoutStopMs: 90_000,
      killMode: "control-group",
      killSignal: "SIGTERM",
      runtimeDirectory: [],
    });
    expect(d?.user).toBeUndefined();
  });

  it("parses the Debian units this lab runs", () => {
    for (const name of ["patroni", "etcd", "haproxy", "keepalived", "pgbouncer", "postgresql@"]) {
      const file = `/lib/systemd/system/${name}.service`;
      if (!existsSync(file)) continue;
      const unitName = name.endsWith("@") ? `${name}15-main.service` : `${name}.service`;
      const u = parseUnit(unitName, readFileSync(file, "utf8"), { hostname: "n1" });
      expect(u.service?.execStart.length).toBeGreaterThan(0);
    }
    const patroni = parseUnit(
      "patroni.service",
      "[Service]\nUser=postgres\nExecStart=/usr/bin/patroni /etc/patroni/config.yml\nKillMode=process\nTimeoutSec=30\nRestart=on-failure\n",
    );
    expect(patroni.service).toMatchObject({ killMode: "process", timeoutStopMs: 30_000, restart: "on-failure" });
  });

  it("rejects what systemd rejects", () => {
    expect(() => parseUnit("a.service", "[Service]\nExecStart=/bin/a\nExecStart=/bin/b\n")).toThrow(/only allowed for Type=oneshot/);
    expect(() => parseUnit("a.service", "[Service]\nType=simple\n")).toThrow(/no ExecStart/);
    expect(() => parseUnit("a.service", "[Service]\nExecStart=/bin/a\nRestart=sometimes\n")).toThrow(/Restart=sometimes/);
    expect(() => parseUnit("a.service", "ExecStart=/bin/a\n")).toThrow(/outside of a section/);
    expect(() => parseUnit("a.service", "[Service]\nExecStart=/bin/a %Q\n")).toThrow(/unsupported specifier %Q/);
    expect(parseUnit("a.service", "[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=/bin/b\n").service?.execStart).toHaveLength(2);
  });
});
