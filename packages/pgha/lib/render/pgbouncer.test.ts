import { describe, expect, it } from "vitest";
import { parseTopology, planAddresses } from "../config";
import type { PatroniNodeModel } from "./model";
import { pgbouncerAuthQuerySql, pgbouncerNodeFiles, renderPgbouncerIni, renderPgbouncerUserlist } from "./pgbouncer";

function model(opts: { tls?: boolean; password?: string; pgbouncer?: Record<string, unknown> } = {}): PatroniNodeModel {
  const t = parseTopology({
    name: "t",
    platform: { kind: "local" },
    regions: [{ name: "r", zones: ["a", "b", "c"] }],
    subnets: [{ name: "s", region: "r", cidr: "10.1.0.0/24" }],
    clusters: [{ name: "main", region: "r", postgres: { major: 15, port: 5433 }, pgbouncer: opts.pgbouncer ?? {} }],
  });
  const plan = planAddresses(t);
  const members = plan.nodes.filter((n) => n.role === "patroni").map((n) => ({ name: n.name, ip: n.ip }));
  return {
    cluster: t.clusters[0],
    node: members[1],
    members,
    clusterCidrs: ["10.1.0.0/24"],
    clientCidrs: [],
    standbyCidrs: [],
    etcd: { hosts: [], tls: true },
    // Config refuses tls.postgres false; the renderer is checked against such a model too.
    tls: { ...t.tls, postgres: opts.tls ?? true },
    passwords: { superuser: "su", replication: "r", rewind: "rw", restApi: "api", pgbouncer: opts.password ?? "pgb-secret", roles: {} },
    parameters: {},
    os: "debian-12",
    permanentSlots: {},
  };
}

/** key = value pairs of one ini section. */
function ini(text: string, sectionName: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1];
    else if (current === sectionName) {
      const eq = line.indexOf("=");
      out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
  }
  return out;
}

describe("renderPgbouncerIni", () => {
  const text = renderPgbouncerIni(model());
  const pgb = ini(text, "pgbouncer");

  it("forwards every database to the local PostgreSQL with auth_user", () => {
    expect(ini(text, "databases")).toEqual({ "*": "host=127.0.0.1 port=5433 auth_user=pgbouncer" });
  });

  it("listens on the node address and loopback, with its own socket dir and stderr logging", () => {
    expect(pgb).toMatchObject({
      listen_addr: "10.1.0.33,127.0.0.1",
      listen_port: "6432",
      unix_socket_dir: "/run/pgbouncer",
      pidfile: "/run/pgbouncer/pgbouncer.pid",
      logfile: "",
      syslog: "0",
    });
  });

  it("authenticates with SCRAM through the auth_query function", () => {
    expect(pgb).toMatchObject({
      auth_type: "scram-sha-256",
      auth_file: "/etc/pgbouncer/userlist.txt",
      auth_query: "SELECT usename, passwd FROM pgbouncer.get_auth($1)",
      admin_users: "pgbouncer",
      stats_users: "pgbouncer",
    });
  });

  it("sizes pools from the spec", () => {
    const custom = ini(
      renderPgbouncerIni(
        model({
          pgbouncer: {
            poolMode: "session",
            defaultPoolSize: 33,
            minPoolSize: 2,
            reservePoolSize: 4,
            maxClientConn: 500,
            maxDbConnections: 90,
          },
        }),
      ),
      "pgbouncer",
    );
    expect(custom).toMatchObject({
      pool_mode: "session",
      default_pool_size: "33",
      min_pool_size: "2",
      reserve_pool_size: "4",
      max_client_conn: "500",
      max_db_connections: "90",
      ignore_startup_parameters: "extra_float_digits",
    });
  });

  it("requires TLS from clients with the node's certificate, and verifies PostgreSQL's over the loopback hop", () => {
    expect(pgb).toMatchObject({
      client_tls_sslmode: "require",
      client_tls_cert_file: "/etc/pgha/tls/postgres.crt",
      client_tls_key_file: "/etc/pgha/tls/postgres.key",
      server_tls_sslmode: "verify-full",
      server_tls_ca_file: "/etc/pgha/tls/ca.crt",
    });
    expect(() => renderPgbouncerIni(model({ tls: false }))).toThrow(/requires PostgreSQL TLS/);
  });

  it("uses a custom auth user everywhere", () => {
    const t = renderPgbouncerIni(model({ pgbouncer: { authUser: "pool_auth" } }));
    expect(ini(t, "databases")["*"]).toBe("host=127.0.0.1 port=5433 auth_user=pool_auth");
    expect(ini(t, "pgbouncer").admin_users).toBe("pool_auth");
  });

  it("refuses a cluster with PgBouncer disabled", () => {
    expect(() => renderPgbouncerIni(model({ pgbouncer: { enabled: false } }))).toThrow("disabled");
  });
});

describe("renderPgbouncerUserlist", () => {
  it("holds only the auth user, quoting embedded double quotes", () => {
    expect(renderPgbouncerUserlist(model())).toBe('"pgbouncer" "pgb-secret"\n');
    expect(renderPgbouncerUserlist(model({ password: 'a"b' }))).toBe('"pgbouncer" "a""b"\n');
  });

  it("rejects empty passwords and control characters", () => {
    expect(() => renderPgbouncerUserlist(model({ password: "" }))).toThrow("empty");
    expect(() => renderPgbouncerUserlist(model({ password: "a\nb" }))).toThrow("control characters");
  });
});

describe("pgbouncerAuthQuerySql", () => {
  const sql = pgbouncerAuthQuerySql();
  it("defines a SECURITY DEFINER function over pg_shadow, owned by the superuser, executable by the auth role only", () => {
    expect(sql).toContain("CREATE OR REPLACE FUNCTION pgbouncer.get_auth(p_usename text)");
    expect(sql).toContain("SECURITY DEFINER");
    expect(sql).toContain("SET search_path = pg_catalog, pg_temp");
    expect(sql).toContain("FROM pg_catalog.pg_shadow s");
    expect(sql).toContain("NOT s.usesuper");
    expect(sql).toContain('ALTER FUNCTION pgbouncer.get_auth(text) OWNER TO "postgres";');
    expect(sql).toContain("REVOKE ALL ON FUNCTION pgbouncer.get_auth(text) FROM PUBLIC;");
    expect(sql).toContain('GRANT EXECUTE ON FUNCTION pgbouncer.get_auth(text) TO "pgbouncer";');
  });

  it("rejects identifiers that would need quoting", () => {
    expect(() => pgbouncerAuthQuerySql('x"; DROP')).toThrow("identifier");
  });
});

describe("pgbouncerNodeFiles", () => {
  it("writes the userlist 0600 and both files owned by postgres", () => {
    expect(pgbouncerNodeFiles(model()).map((f) => [f.path, f.owner, f.permissions])).toEqual([
      ["/etc/pgbouncer/pgbouncer.ini", "postgres:postgres", "0640"],
      ["/etc/pgbouncer/userlist.txt", "postgres:postgres", "0600"],
    ]);
  });
});
