import { describe, expect, it } from "vitest";
import { parseUnit } from "./systemdUnit";
import { invocationFor, unitEnvironment } from "./unitExec";

describe("running a unit's commands", () => {
  it("builds the environment and the privilege-dropping argv of a command", () => {
    const u = parseUnit(
      "a.service",
      "[Service]\nUser=nobody\nEnvironment=X=1 ARGS=-v\nEnvironmentFile=-/nonexistent\nEnvironmentFile=/etc/a\n" +
        "ExecStart=/bin/a $ARGS ${X}\nExecStartPre=+/bin/p\nLimitNOFILE=infinity\nRuntimeDirectory=a\n",
    );
    const svc = u.service;
    if (!svc) throw new Error("no service");
    const user = { user: "nobody", uid: 65534, gid: 65534, group: "nogroup", home: "/nonexistent", shell: "/usr/sbin/nologin" };
    const env = unitEnvironment(svc, user, {}, (p) => (p === "/etc/a" ? "X=2\n" : undefined));
    expect(env).toMatchObject({ X: "2", ARGS: "-v", USER: "nobody", HOME: "/nonexistent", RUNTIME_DIRECTORY: "/run/a" });
    const inv = invocationFor(svc.execStart[0], svc, user, env);
    expect([inv.file, ...inv.args]).toEqual([
      "prlimit",
      "--nofile=unlimited:unlimited",
      "--",
      "setpriv",
      "--reuid=65534",
      "--regid=65534",
      "--init-groups",
      "--",
      "/bin/a",
      "-v",
      "2",
    ]);
    const pre = invocationFor(svc.execStartPre[0], svc, user, env);
    expect([pre.file, ...pre.args]).toEqual(["prlimit", "--nofile=unlimited:unlimited", "--", "/bin/p"]);
    expect(() => unitEnvironment(svc, user, {}, () => undefined)).toThrow(/EnvironmentFile \/etc\/a/);
  });
});
