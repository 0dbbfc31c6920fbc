// `systemctl reload` in a lab node: the supervisor runs the unit's ExecReload= with $MAINPID set,
// as systemd does, and the main process keeps running (the rotation drill relies on it).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitUntil } from "../host/procs";
import { Supervisor } from "./supervisor";

const dirs: string[] = [];
const supervisors: Supervisor[] = [];
afterEach(async () => {
  for (const s of supervisors.splice(0)) await s.stopAll();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(units: Record<string, string>): { supervisor: Supervisor; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "pgha-supervisor-reload-"));
  dirs.push(dir);
  const unitDir = join(dir, "units");
  mkdirSync(unitDir);
  for (const [name, text] of Object.entries(units)) writeFileSync(join(unitDir, name), text);
  const supervisor = new Supervisor(
    { node: "t", hostname: "t", startEnabled: false, unitDirs: [unitDir], launcherNamespaces: { mnt: "", uts: "" } },
    join(dir, "state"),
    () => undefined,
  );
  supervisors.push(supervisor);
  return { supervisor, dir };
}

/** A service that writes its pid once and a line per SIGHUP it gets. */
const hupCounter = (log: string, reload: string) => `[Service]
ExecStart=/bin/sh -c 'trap "echo hup >> ${log}" HUP; echo $$$$ > ${log}.pid; while :; do sleep 0.05; done'
${reload}
`;

describe("supervisor reload", () => {
  it("runs ExecReload= with $MAINPID: the main process gets SIGHUP and keeps running under the same pid", async () => {
    const { supervisor, dir } = setup({});
    const log = join(dir, "hups");
    writeFileSync(join(dir, "units", "counter.service"), hupCounter(log, "ExecReload=/bin/kill -HUP $MAINPID"));
    await supervisor.start("counter.service");
    const started = await waitUntil(() => {
      try {
        return readFileSync(`${log}.pid`, "utf8").trim().length > 0;
      } catch {
        return false;
      }
    }, 5000);
    expect(started).toBe(true);
    const pid = supervisor.status().units.find((u) => u.unit === "counter.service")?.pid;
    expect(pid).toBeGreaterThan(0);
    const hups = () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .split("\n")
            .filter((l) => l === "hup").length
        : 0;
    // One at a time: signals that arrive while the shell waits for sleep coalesce into one trap run.
    await supervisor.reload("counter.service");
    expect(await waitUntil(() => hups() === 1, 5000)).toBe(true);
    await supervisor.reload("counter.service");
    expect(await waitUntil(() => hups() === 2, 5000)).toBe(true);
    const after = supervisor.status().units.find((u) => u.unit === "counter.service");
    expect(after).toMatchObject({ state: "active", pid, restarts: 0 });
  });

  it("refuses a unit without ExecReload= and one that is not active, as systemctl does", async () => {
    const { supervisor, dir } = setup({});
    writeFileSync(join(dir, "units", "plain.service"), hupCounter(join(dir, "plain"), ""));
    await expect(supervisor.reload("plain.service")).rejects.toThrow(/not active/);
    await supervisor.start("plain.service");
    await expect(supervisor.reload("plain.service")).rejects.toThrow(/does not support reload/);
  });
});

describe("supervisor reload from a running oneshot", () => {
  it("runs at once while the oneshot's start job holds the queue (pgha-tls-refresh reloads from inside its start)", async () => {
    const { supervisor, dir } = setup({});
    const log = join(dir, "hups");
    const go = join(dir, "go");
    writeFileSync(join(dir, "units", "counter.service"), hupCounter(log, "ExecReload=/bin/kill -HUP $MAINPID"));
    writeFileSync(
      join(dir, "units", "refresh.service"),
      `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'while [ ! -e ${go} ]; do sleep 0.05; done'\n`,
    );
    await supervisor.start("counter.service");
    expect(await waitUntil(() => existsSync(`${log}.pid`) && readFileSync(`${log}.pid`, "utf8").trim() !== "", 5000)).toBe(true);
    const oneshot = supervisor.start("refresh.service");
    expect(
      await waitUntil(() => supervisor.status().units.some((u) => u.unit === "refresh.service" && u.state === "activating"), 5000),
    ).toBe(true);
    // Without the exception this reload would queue behind the oneshot, which waits for 'go': a deadlock.
    const reloaded = await Promise.race([
      supervisor.reload("counter.service").then(() => "reloaded"),
      new Promise((r) => setTimeout(() => r("queued"), 3000)),
    ]);
    expect(reloaded).toBe("reloaded");
    expect(await waitUntil(() => existsSync(log) && readFileSync(log, "utf8").includes("hup"), 5000)).toBe(true);
    writeFileSync(go, "");
    await oneshot;
    expect(supervisor.status().units.find((u) => u.unit === "refresh.service")?.state).toBe("inactive");
    // Once the oneshot is done, reloads queue as before (and still work).
    await supervisor.reload("counter.service");
  });
});
