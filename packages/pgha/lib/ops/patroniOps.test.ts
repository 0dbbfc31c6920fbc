import { spawn } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { opsCommand, PATRONI_OPS_FILE } from ".";

const SCRIPT = PATRONI_OPS_FILE;

interface Member {
  name: string;
  role: string;
  state: string;
  pending_restart?: boolean;
}

/** A fake Patroni REST API: /cluster, PATCH /config, POST /restart, POST /switchover, with a log of calls. */
function fakePatroni(members: Member[], opts: { readyAfterPolls?: number } = {}) {
  const log: string[] = [];
  let polls = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const [, node, endpoint] = (req.url ?? "").split("/");
      const auth = req.headers.authorization ? Buffer.from(req.headers.authorization.split(" ")[1], "base64").toString() : "";
      if (req.method !== "GET") log.push(`${req.method} ${node} /${endpoint} ${auth}${body ? ` ${body}` : ""}`);
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (endpoint === "cluster") {
        polls++;
        const visible = polls > (opts.readyAfterPolls ?? 0) ? members : members.map((m) => ({ ...m, state: "starting" }));
        res.end(JSON.stringify({ members: visible.map((m) => ({ ...m, api_url: `${base}/${m.name}/patroni` })) }));
      } else if (endpoint === "config" && req.method === "PATCH") {
        for (const m of members) m.pending_restart = true;
        res.end("{}");
      } else if (endpoint === "restart") {
        const m = members.find((x) => x.name === node);
        if (m) m.pending_restart = false;
        res.end("restarted");
      } else if (endpoint === "switchover") {
        const { leader, candidate } = JSON.parse(body);
        for (const m of members) m.role = m.name === candidate ? "leader" : m.name === leader ? "replica" : m.role;
        res.end("switched");
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  return new Promise<{ urls: string[]; log: string[]; close: () => void }>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ urls: members.map((m) => `http://127.0.0.1:${port}/${m.name}`), log, close: () => server.close() });
    }),
  );
}

function run(args: string[], stdin = "", env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn("/usr/bin/python3", [SCRIPT, ...args], { env: { ...process.env, PGHA_SETTLE_SECONDS: "0", ...env } });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("close", (code) => resolve({ code: code ?? -1, out, err }));
    p.stdin.end(stdin);
  });
}

let close: (() => void) | undefined;
afterEach(() => close?.());

const three = (): Member[] => [
  { name: "pg-0", role: "leader", state: "running" },
  { name: "pg-1", role: "sync_standby", state: "streaming" },
  { name: "pg-2", role: "replica", state: "streaming" },
];

describe("patroniOps.py against a fake Patroni REST API", () => {
  it("ready: waits through boot until one leader and N running replicas", async () => {
    const f = await fakePatroni(three(), { readyAfterPolls: 2 });
    close = f.close;
    const r = await run(["ready", "--urls", f.urls.join(","), "--replicas", "2", "--timeout", "20"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ready: pg-0=leader\/running, pg-1=sync_standby\/streaming, pg-2=replica\/streaming/);
  });

  it("ready: fails with the last state seen when replicas never come", async () => {
    const f = await fakePatroni([
      { name: "pg-0", role: "leader", state: "running" },
      { name: "pg-1", role: "replica", state: "starting" },
    ]);
    close = f.close;
    const r = await run(["ready", "--urls", f.urls.join(","), "--replicas", "1", "--timeout", "3"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not ready after 3s: pg-0=leader\/running, pg-1=replica\/starting/);
  });

  it("push: PATCHes the JSON from stdin with basic auth, then restarts replicas first and the leader last via switchover", async () => {
    const f = await fakePatroni(three());
    close = f.close;
    const r = await run(["push", "--urls", f.urls.join(",")], JSON.stringify({ postgresql: { parameters: { work_mem: "8MB" } } }), {
      PATRONI_REST_PASSWORD: "s3cret",
    });
    expect(r.code, r.err).toBe(0);
    expect(f.log).toEqual([
      'PATCH pg-0 /config patroni:s3cret {"postgresql": {"parameters": {"work_mem": "8MB"}}}',
      "POST pg-1 /restart patroni:s3cret {}",
      "POST pg-2 /restart patroni:s3cret {}",
      'POST pg-0 /switchover patroni:s3cret {"leader": "pg-0", "candidate": "pg-1"}',
      "POST pg-0 /restart patroni:s3cret {}",
    ]);
    expect(r.out).not.toContain("s3cret");
  });

  it("the remote command embeds the script and quotes its arguments", () => {
    const cmd = opsCommand("ready", ["https://10.0.0.1:8008", "https://10.0.0.2:8008"], ["--replicas", "1"]);
    expect(cmd).toContain("cat > \"$f\" <<'PGHA_OPS'");
    expect(cmd).toContain("def rolling_restart(urls):");
    expect(cmd.trimEnd().split("\n").at(-1)).toBe(
      `/usr/bin/python3 "$f" ready '--urls' 'https://10.0.0.1:8008,https://10.0.0.2:8008' '--replicas' '1'`,
    );
  });
});
