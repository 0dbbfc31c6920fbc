import { describe, expect, it } from "vitest";
import { parseTopology, planAddresses } from "../config";
import { fastInterMs, HAPROXY_ALIVE_PATH, HAPROXY_HEALTH_PATH, haproxyNodeFiles, renderHaproxyCfg, roleListeners } from "./haproxy";
import type { HaproxyNodeModel } from "./model";

const CA_PEM = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
const VERIFY = "check-ssl verify required ca-file /etc/haproxy/pgha-cluster-ca.crt";

type Opts = { listeners?: Record<string, number>; restApiTls?: boolean; directPort?: number; synchronousMode?: boolean | "quorum" };
function model(opts: Opts = {}): HaproxyNodeModel {
  const t = parseTopology({
    name: "t",
    platform: { kind: "local" },
    regions: [{ name: "r", zones: ["a", "b", "c"] }],
    subnets: [{ name: "s", region: "r", cidr: "10.1.0.0/24" }],
    clusters: [
      {
        name: "main",
        region: "r",
        haproxy: { listeners: opts.listeners ?? {} },
        patroni: { dcs: { synchronous_mode: opts.synchronousMode ?? false } },
      },
    ],
  });
  const plan = planAddresses(t);
  const c = t.clusters[0];
  const member = (n: { name: string; ip: string }) => ({ name: n.name, ip: n.ip });
  const haproxies = plan.nodes.filter((n) => n.role === "haproxy").map(member);
  return {
    cluster: c.name,
    spec: c.haproxy,
    node: haproxies[0],
    peers: haproxies,
    backends: plan.nodes.filter((n) => n.role === "patroni").map(member),
    backendPort: c.pgbouncer.port,
    directPort: opts.directPort ?? c.postgres.port,
    patroniRestPort: c.patroni.restApiPort,
    restApiTls: opts.restApiTls ?? true,
    restApiCaCert: CA_PEM,
    synchronousMode: c.patroni.dcs.synchronous_mode,
    vip: null,
  };
}

/** The lines of one `listen`/`frontend` section. */
function section(cfg: string, header: string): string[] {
  const lines = cfg.split("\n");
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no section '${header}'`);
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

describe("renderHaproxyCfg", () => {
  const m = model();
  const cfg = renderHaproxyCfg(m);

  it("logs to stdout and runs in TCP mode with the timeouts from the spec", () => {
    expect(section(cfg, "global")).toEqual(expect.arrayContaining(["maxconn 10000", "log stdout format raw local0"]));
    expect(section(cfg, "defaults")).toEqual(
      expect.arrayContaining([
        "mode tcp",
        "timeout connect 4000ms",
        "timeout client 1800000ms",
        "timeout server 1800000ms",
        "timeout check 2000ms",
      ]),
    );
  });

  it("routes the primary port by Patroni's /primary check, one server per member at the backend port", () => {
    const s = section(cfg, "listen primary");
    expect(s).toContain("bind *:5000");
    expect(s).toContain("option httpchk");
    expect(s).toContain("http-check send meth OPTIONS uri /primary");
    expect(s).toContain("http-check expect status 200");
    expect(s).toContain(
      "default-server inter 3000ms fastinter 1000ms downinter 1000ms fall 3 rise 2 on-marked-down shutdown-sessions " + VERIFY,
    );
    expect(s.filter((l) => l.startsWith("server "))).toEqual([
      "server main-pg-0 10.1.0.32:6432 check port 8008 check-sni main-pg-0 verifyhost main-pg-0",
      "server main-pg-1 10.1.0.33:6432 check port 8008 check-sni main-pg-1 verifyhost main-pg-1",
      "server main-pg-2 10.1.0.34:6432 check port 8008 check-sni main-pg-2 verifyhost main-pg-2",
    ]);
  });

  it("balances the replicas port over members answering /replica", () => {
    const s = section(cfg, "listen replicas");
    expect(s).toContain("bind *:5001");
    expect(s).toContain("balance roundrobin");
    expect(s).toContain("http-check send meth OPTIONS uri /replica");
    expect(s.filter((l) => l.startsWith("server "))).toHaveLength(3);
  });

  it("has no sync/async listeners unless their ports are set", () => {
    expect(cfg).not.toContain("listen sync");
    expect(cfg).not.toContain("listen async");
    const both = renderHaproxyCfg(model({ listeners: { sync: 5002, async: 5003, asyncMaxLagBytes: 1048576 }, synchronousMode: true }));
    expect(section(both, "listen sync")).toEqual(expect.arrayContaining(["bind *:5002", "http-check send meth OPTIONS uri /sync"]));
    expect(section(both, "listen async")).toEqual(
      expect.arrayContaining(["bind *:5003", "http-check send meth OPTIONS uri /async?lag=1048576"]),
    );
  });

  it("sends the direct port to the primary's PostgreSQL, bypassing PgBouncer", () => {
    const s = section(cfg, "listen direct");
    expect(s).toContain("bind *:5005");
    expect(s).toContain("http-check send meth OPTIONS uri /primary");
    expect(s).toContain("default-server inter 3000ms fastinter 1000ms downinter 1000ms fall 3 rise 2 " + VERIFY);
    expect(s).toContain("server main-pg-0 10.1.0.32:5432 check port 8008 check-sni main-pg-0 verifyhost main-pg-0");
    // Without a PostgreSQL port in the model it falls back to the backend port.
    const fallback = renderHaproxyCfg({ ...m, directPort: undefined });
    expect(section(fallback, "listen direct")).toContain(
      "server main-pg-0 10.1.0.32:6432 check port 8008 check-sni main-pg-0 verifyhost main-pg-0",
    );
  });

  it("verifies each member's REST certificate: the cluster CA, and the member's name as SNI and expected host", () => {
    for (const l of ["listen primary", "listen replicas", "listen direct"]) {
      const s = section(cfg, l);
      expect(s.find((x) => x.startsWith("default-server"))).toMatch(
        / check-ssl verify required ca-file \/etc\/haproxy\/pgha-cluster-ca\.crt$/,
      );
      for (const b of m.backends)
        expect(s.find((x) => x.startsWith(`server ${b.name} `))).toMatch(new RegExp(`check-sni ${b.name} verifyhost ${b.name}$`));
    }
    expect(cfg).not.toContain("verify none");
  });

  it("refuses a model without REST TLS or without the cluster CA (pgha never checks Patroni in plaintext or unverified)", () => {
    expect(() => renderHaproxyCfg(model({ restApiTls: false }))).toThrow(/requires TLS on Patroni's REST API/);
    expect(() => renderHaproxyCfg({ ...model(), restApiCaCert: undefined })).toThrow(/no cluster CA certificate/);
  });

  it(
    "cuts client sessions of a server marked down, except on direct " + "(replication ends itself; HAProxy 3.0 strands a connecting one)",
    () => {
      const c = renderHaproxyCfg(model({}));
      for (const l of ["listen primary", "listen replicas"]) expect(section(c, l).join("\n")).toContain("on-marked-down shutdown-sessions");
      expect(section(c, "listen direct").join("\n")).toContain(
        "default-server inter 3000ms fastinter 1000ms downinter 1000ms fall 3 rise 2 " + VERIFY,
      );
      expect(section(c, "listen direct").join("\n")).not.toContain("shutdown-sessions");
    },
  );

  it("serves stats and a monitor that fails while the primary listener has no server up", () => {
    expect(section(cfg, "listen stats")).toEqual(expect.arrayContaining(["mode http", "bind *:7000", "stats enable", "stats uri /"]));
    const mon = section(cfg, "frontend monitor");
    expect(mon).toEqual(
      expect.arrayContaining([
        "mode http",
        "bind *:7001",
        `monitor-uri ${HAPROXY_HEALTH_PATH}`,
        "monitor fail if { nbsrv(primary) lt 1 }",
        `http-request return status 200 content-type text/plain string "alive" if { path ${HAPROXY_ALIVE_PATH} }`,
      ]),
    );
  });

  it("judges a standby cluster's health by its leader: direct checks /leader and the monitor fails only without one", () => {
    const standby = renderHaproxyCfg({ ...m, standbyCluster: true });
    expect(section(standby, "listen direct")).toContain("http-check send meth OPTIONS uri /leader");
    expect(section(standby, "listen primary")).toContain("http-check send meth OPTIONS uri /primary");
    expect(section(standby, "frontend monitor")).toContain("monitor fail if { nbsrv(direct) lt 1 }");
    expect(section(cfg, "listen direct")).toContain("http-check send meth OPTIONS uri /primary");
  });

  it("checks the sync listener with /sync, or /quorum in quorum mode (Patroni 4 has no sync standby there)", () => {
    const listen = (mode: true | "quorum") =>
      section(renderHaproxyCfg(model({ listeners: { sync: 5002 }, synchronousMode: mode })), "listen sync");
    expect(listen(true)).toContain("http-check send meth OPTIONS uri /sync");
    expect(listen("quorum")).toEqual(expect.arrayContaining(["bind *:5002", "http-check send meth OPTIONS uri /quorum"]));
  });

  it("is deterministic and leaves no placeholder behind", () => {
    expect(renderHaproxyCfg(m)).toBe(cfg);
    expect(cfg).not.toMatch(/\{\{|\}\}/);
  });

  it("refuses a model without backends or with duplicate names", () => {
    expect(() => renderHaproxyCfg({ ...m, backends: [] })).toThrow("no backends");
    expect(() => renderHaproxyCfg({ ...m, backends: [m.backends[0], m.backends[0]] })).toThrow("duplicate backend names");
  });
});

describe("fastInterMs", () => {
  it("is a third of the interval, at least 100 ms and never above the interval", () => {
    expect(fastInterMs(3000)).toBe(1000);
    expect(fastInterMs(200)).toBe(100);
    expect(fastInterMs(100)).toBe(100);
    expect(fastInterMs(10000)).toBe(3333);
  });
});

describe("roleListeners", () => {
  it("lists role, port and Patroni check path", () => {
    expect(roleListeners(model({ listeners: { async: 5003 } }))).toEqual([
      { name: "primary", port: 5000, checkPath: "/primary", serverPort: 6432 },
      { name: "replicas", port: 5001, checkPath: "/replica", serverPort: 6432 },
      { name: "async", port: 5003, checkPath: "/async?lag=16777216", serverPort: 6432 },
      { name: "direct", port: 5005, checkPath: "/primary", serverPort: 5432 },
    ]);
  });
});

describe("haproxyNodeFiles", () => {
  it("writes haproxy.cfg and the cluster CA its checks verify against, world-readable (neither is secret), owned by root", () => {
    const [f, ca] = haproxyNodeFiles(model());
    expect(f).toMatchObject({ path: "/etc/haproxy/haproxy.cfg", owner: "root:root", permissions: "0644" });
    expect(ca).toEqual({ path: "/etc/haproxy/pgha-cluster-ca.crt", content: CA_PEM, owner: "root:root", permissions: "0644" });
  });
});
