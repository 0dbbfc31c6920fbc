// TLS on every client path, for real: boot the default `lab` stack and, from the lab client
// namespace, try every pgha endpoint without TLS: PostgreSQL and PgBouncer on every member (both
// clusters), every HAProxy listener on both HAProxy nodes and on the VIP, Patroni's REST API and
// etcd's client port. Each must refuse. Then the application role connects through the VIP, the
// HAProxy nodes and the members with sslmode=verify-full against the cluster CA, which proves the
// members' certificates name those addresses (HAProxy passes TLS through). Root only.
// The lab stack has no cloud TCP load balancer (its stand-in is covered by test/lab-cloud.test.ts).
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveStackFile } from "../packages/lab/lib/cli/stackArg";
import { inClient } from "../packages/lab/lib/lab/cli/client";
import { labDown } from "../packages/lab/lib/lab/cli/down";
import { type ClientSecrets, type LabContext, clientSecrets, labDirFor, nodesOf } from "../packages/lab/lib/lab/cli/labContext";
import { labUp } from "../packages/lab/lib/lab/cli/up";
import type { ExecResult } from "../packages/lab/lib/lab/host/exec";

const isRoot = process.getuid?.() === 0;
const log = (l: string) => console.log(l);

/** psql as the application role; the password only in the environment. */
function psql(
  s: ClientSecrets,
  host: string,
  port: number,
  ssl: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<ExecResult> {
  return inClient(["psql", "-X", "-At", "-c", "SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"], {
    env: {
      PGHOST: host,
      PGPORT: String(port),
      PGUSER: s.appUser,
      PGDATABASE: s.appDatabase,
      PGPASSWORD: s.appPassword,
      PGCONNECT_TIMEOUT: "5",
      ...ssl,
      ...extra,
    },
    timeoutMs: 20_000,
  });
}

const plaintext = { PGSSLMODE: "disable" };
const verifyFull = (s: ClientSecrets) => ({ PGSSLMODE: "verify-full", PGSSLROOTCERT: s.caFile });

/** What a refused plaintext login looks like at PostgreSQL (pg_hba: hostssl only) and at PgBouncer (client_tls_sslmode require). */
const POSTGRES_REFUSES = /pg_hba\.conf rejects connection for host "[\d.]+", user "\w+", database "\w+", no encryption/;
const PGBOUNCER_REFUSES = /SSL required/;

describe.skipIf(!isRoot)("pgha lab: no pgha endpoint accepts a client without TLS (default lab stack)", () => {
  let ctx: LabContext;
  let secrets: ClientSecrets;

  beforeAll(async () => {
    if (existsSync(labDirFor("lab"))) throw new Error(`${labDirFor("lab")} exists: a lab is running here; run 'pgha lab down' first`);
    ctx = await labUp(resolveStackFile("lab"), log);
    secrets = clientSecrets(ctx);
  }, 420_000);

  afterAll(async () => {
    if (existsSync(labDirFor("lab"))) await labDown(labDirFor("lab"), log);
  }, 120_000);

  it("PostgreSQL (5432) and PgBouncer (6432) on every member of both clusters refuse a plaintext login", async () => {
    const members = nodesOf(ctx, "patroni");
    expect(members.map((m) => m.name).sort()).toEqual(["dr-pg-0", "main-pg-0", "main-pg-1", "main-pg-2"]);
    for (const m of members) {
      const pg = await psql(secrets, m.ip, 5432, plaintext);
      expect(pg.code, `${m.name}:5432 ${pg.stdout}`).not.toBe(0);
      expect(pg.stderr, m.name).toMatch(POSTGRES_REFUSES);
      const bouncer = await psql(secrets, m.ip, 6432, plaintext);
      expect(bouncer.code, `${m.name}:6432 ${bouncer.stdout}`).not.toBe(0);
      expect(bouncer.stderr, m.name).toMatch(PGBOUNCER_REFUSES);
    }
  });

  it("every HAProxy listener, on both HAProxy nodes and on the VIP, refuses a plaintext login", async () => {
    const vip = ctx.plan.loadBalancers.find((l) => l.kind === "vip");
    expect(vip?.address).toBe("10.77.1.44");
    const fronts = [...nodesOf(ctx, "haproxy", "main").map((n) => n.ip), vip?.address as string];
    const listeners = vip?.listeners ?? [];
    expect(listeners.map((l) => l.name)).toEqual(expect.arrayContaining(["primary", "replicas", "direct"]));
    for (const host of fronts)
      for (const l of listeners) {
        const r = await psql(secrets, host, l.port, plaintext);
        expect(r.code, `${host}:${l.port} (${l.name}) ${r.stdout}`).not.toBe(0);
        // `direct` is PostgreSQL itself; the others end at a member's PgBouncer.
        expect(r.stderr, `${host}:${l.port} (${l.name})`).toMatch(l.name === "direct" ? POSTGRES_REFUSES : PGBOUNCER_REFUSES);
      }
  });

  it("Patroni's REST API and etcd's client port answer no plain HTTP request", async () => {
    for (const m of nodesOf(ctx, "patroni")) {
      const r = await inClient(["curl", "-sS", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", `http://${m.ip}:8008/health`], {
        timeoutMs: 15_000,
      });
      // Patroni's TLS socket drops the plaintext request: no HTTP status at all.
      expect(r.code, `${m.name}:8008 answered ${r.stdout}`).not.toBe(0);
      expect(r.stdout).toBe("000");
    }
    for (const e of nodesOf(ctx, "etcd")) {
      const r = await inClient(["curl", "-sS", "--max-time", "5", `http://${e.ip}:2379/health`], { timeoutMs: 15_000 });
      // Go's TLS server answers a plaintext request with a 400 and nothing of etcd's.
      expect(r.stdout, `${e.name}:2379`).not.toMatch(/"health"/);
      if (r.code === 0) expect(r.stdout).toMatch(/Client sent an HTTP request to an HTTPS server/);
    }
  });

  it("the application role connects with sslmode=verify-full through the VIP, each HAProxy node and each member", async () => {
    const vip = ctx.plan.loadBalancers.find((l) => l.kind === "vip");
    const primary = vip?.listeners.find((l) => l.name === "primary")?.port as number;
    const fronts = [vip?.address as string, ...nodesOf(ctx, "haproxy", "main").map((n) => n.ip)];
    for (const host of fronts) {
      const r = await psql(secrets, host, primary, verifyFull(secrets));
      expect(r.stderr, `${host}:${primary}`).toBe("");
      expect(r.stdout.trim()).toBe(`${secrets.appUser}|t`);
    }
    for (const m of nodesOf(ctx, "patroni", "main")) {
      const r = await psql(secrets, m.ip, 6432, verifyFull(secrets));
      expect(r.stderr, `${m.name}:6432`).toBe("");
      expect(r.stdout.trim()).toBe(`${secrets.appUser}|t`);
    }
  });

  it("verify-full does check the name: the same address under a name the certificates lack is refused", async () => {
    const r = await psql(secrets, "not-a-pgha-name", 5000, verifyFull(secrets), { PGHOSTADDR: "10.77.1.44" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/server certificate for "[^"]+" .*does not match host name "not-a-pgha-name"/);
  });
});
