import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SynthPlanNode } from "../../synth/plan";
import { rotationOrder } from "./certRotation";
import { leafSerials, parseSClient, sClientArgv } from "./tlsProbe";

/** A real self-signed certificate with a known serial (the host's openssl). */
function certWithSerial(serial: string, ca: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "pgha-tlsprobe-"));
  try {
    const out = join(dir, "c.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        join(dir, "k.pem"),
        "-out",
        out,
        "-days",
        "1",
        "-subj",
        "/CN=t",
        "-set_serial",
        `0x${serial}`,
        "-addext",
        `basicConstraints=critical,CA:${ca ? "TRUE" : "FALSE"}`,
      ],
      { stdio: "ignore" },
    );
    return readFileSync(out, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("TLS probe", () => {
  it("reads the server certificate's serial and OpenSSL's verdict from s_client output", () => {
    const pem = certWithSerial("0A1B2C", false);
    expect(parseSClient(`CONNECTED(00000003)\n---\nServer certificate\n${pem}subject=CN=t\n    Verify return code: 0 (ok)\n`)).toEqual({
      serial: "0A1B2C",
      verified: true,
      error: undefined,
    });
    const bad = parseSClient(`${pem}Verify return code: 19 (self-signed certificate in certificate chain)\n`);
    expect(bad).toMatchObject({ serial: "0A1B2C", verified: false, error: "verify: self-signed certificate in certificate chain" });
    expect(parseSClient("connect:errno=111\n")).toEqual({ verified: false, error: "no certificate presented" });
  });

  it("separates leaves from CAs in secret payload values (JSON-escaped PEM too)", () => {
    const leaf = certWithSerial("01", false);
    const ca = certWithSerial("02", true);
    expect(leafSerials(`${leaf}${ca}`)).toEqual({ leaves: ["01"], cas: ["02"] });
    expect(leafSerials(JSON.stringify(leaf))).toEqual({ leaves: ["01"], cas: [] });
  });

  it("asks with the CA, STARTTLS for PostgreSQL, a client certificate where given, stdin closed", () => {
    const argv = sClientArgv({
      name: "x",
      host: "10.0.0.1",
      port: 5432,
      starttls: "postgres",
      caFile: "/ca.crt",
      client: { certFile: "/c.crt", keyFile: "/c.key" },
    });
    expect(argv.slice(0, 3)).toEqual(["sh", "-c", 'exec openssl s_client "$@" </dev/null 2>&1']);
    expect(argv.slice(4)).toEqual([
      "-connect",
      "10.0.0.1:5432",
      "-CAfile",
      "/ca.crt",
      "-verify_return_error",
      "-starttls",
      "postgres",
      "-cert",
      "/c.crt",
      "-key",
      "/c.key",
    ]);
  });

  it("rotates etcd first, then replicas, leaders, and HAProxy nodes last", () => {
    const n = (name: string, role: string) => ({ name, role }) as SynthPlanNode;
    const order = rotationOrder([n("ha-0", "haproxy"), n("pg-0", "patroni"), n("pg-1", "patroni"), n("etcd-0", "etcd")], new Set(["pg-0"]));
    expect(order.map((x) => x.name)).toEqual(["etcd-0", "pg-1", "pg-0", "ha-0"]);
  });
});
