/**
 * Tool test: the client VM's user-data is accepted by the real `cloud-init schema` (the lab's
 * Debian 13 tools image's cloud-init 25.1; test/support/image.ts), and the service file it
 * writes is what the image's libpq (PostgreSQL 17's psql) reads from its system-wide place.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { type ClientService, clientUserData, PG_SERVICE_FILE, pgServiceConf } from "../packages/pgha/lib/platform/gke/clientCloudInit";
import { imagePgBin, runImage } from "./support/image";

const dir = mkdtempSync(join(tmpdir(), "pgha-gke-client-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function schema(text: string, name: string): Promise<{ code: number; output: string }> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const r = await runImage(["cloud-init", "schema", "--config-file", file], { binds: [dir] });
  return { code: r.code, output: r.stdout + r.stderr };
}

const services: ClientService[] = [
  { name: "main", host: "10.160.0.101", port: 5432, user: "postgres", dbname: "postgres", sslmode: "require" },
  { name: "main-replicas", host: "10.160.0.102", port: 5432, user: "postgres", dbname: "postgres", sslmode: "require" },
  { name: "dr", host: "10.161.0.103", port: 5432, user: "postgres", dbname: "postgres", sslmode: "require" },
];

describe("client VM user-data", () => {
  test("is valid cloud-config", async () => {
    const r = await schema(clientUserData(services), "client.yaml");
    expect(r.output).toBe(`Valid schema ${join(dir, "client.yaml")}\n`);
    expect(r.code).toBe(0);
  });

  test("the schema check catches a broken document", async () => {
    const broken = clientUserData(services).replace("- postgresql-client", "postgresql-client: yes");
    const r = await schema(broken, "broken.yaml");
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/^Invalid user-data /m);
  });

  test("installs psql and writes a service per load balancer, without passwords", () => {
    const doc = parse(clientUserData(services).replace(/^#cloud-config\n/, ""));
    expect(doc.packages).toEqual(["postgresql-client"]);
    expect(doc.write_files).toEqual([{ path: PG_SERVICE_FILE, permissions: "0644", owner: "root:root", content: pgServiceConf(services) }]);
    expect(pgServiceConf(services)).toBe(
      [
        "[main]\nhost=10.160.0.101\nport=5432\ndbname=postgres\nuser=postgres\nsslmode=require",
        "[main-replicas]\nhost=10.160.0.102\nport=5432\ndbname=postgres\nuser=postgres\nsslmode=require",
        "[dr]\nhost=10.161.0.103\nport=5432\ndbname=postgres\nuser=postgres\nsslmode=require",
      ].join("\n\n") + "\n",
    );
    expect(clientUserData(services)).not.toMatch(/password/i);
  });

  test("libpq reads the service file where the VM writes it (psql resolves the service to its host and port)", async () => {
    const file = join(dir, "pg_service.conf");
    // Port 9 (discard) on loopback: nothing listens, so libpq reports where it tried to connect.
    writeFileSync(file, pgServiceConf([{ ...services[0], name: "probe", host: "127.0.0.1", port: 9 }]));
    // Bound at PG_SERVICE_FILE, no PGSERVICEFILE: the image's libpq must find it there by itself.
    const psql = (service: string) =>
      runImage([`${imagePgBin()}/psql`, `service=${service}`, "-c", "select 1"], {
        binds: [[file, PG_SERVICE_FILE]],
        env: { PGCONNECT_TIMEOUT: "2" },
      });
    const out = await psql("probe");
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/127\.0\.0\.1.*port 9 failed/);
    const missing = await psql("nope");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/definition of service "nope" not found/);
  });
});
