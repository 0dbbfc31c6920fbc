/**
 * Tool test: the bootstrap.dcs pgha hands to Spilo (SPILO_CONFIGURATION), embedded in a full
 * patroni.yml shaped like the one Spilo writes on Kubernetes, is accepted by the real
 * `patroni --validate-config` (the lab's Debian 13 tools image's Patroni 4.0.x, test/support/image.ts;
 * Spilo runs 4.0.4).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { PATRONI_LABELS } from "../packages/pgha/lib/kubernetes/spilo";
import { spiloConfiguration } from "../packages/pgha/lib/kubernetes/spiloConfiguration";
import { planGke } from "../packages/pgha/lib/platform/gke/plan";
import { gkeStack } from "./gke-fixtures";
import { freePort } from "./support/fixtures";
import { imagePgBin, runImage } from "./support/image";

const dir = mkdtempSync(join(tmpdir(), "pgha-gke-validate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function validate(config: object, name: string): Promise<{ code: number; output: string }> {
  const file = join(dir, `${name}.yml`);
  writeFileSync(file, stringify(config), { mode: 0o600 });
  const r = await runImage(["patroni", "--validate-config", file], { binds: [dir] });
  return { code: r.code, output: r.stdout + r.stderr };
}

/** A free loopback port: the validator checks that the listen addresses can be bound. */
/**
 * What Spilo's configure_spilo.py produces around the user's SPILO_CONFIGURATION, with local
 * paths and loopback listen addresses (Spilo listens on ':8008'/'*:5432', which Patroni
 * 3.0.2's validator cannot resolve).
 */
async function fullConfig(scope: string, fragment: ReturnType<typeof spiloConfiguration>): Promise<object> {
  const [apiPort, pgPort] = [await freePort(), await freePort()];
  const dataDir = join(dir, `${scope}-data`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const rendered = parse(stringify(fragment)); // exactly what the container reads from the env var
  return {
    scope,
    name: `${scope}-0`,
    namespace: "/service/",
    restapi: { listen: `127.0.0.1:${apiPort}`, connect_address: "10.64.0.5:8008" },
    kubernetes: {
      namespace: "pgha",
      labels: { [PATRONI_LABELS.application.key]: PATRONI_LABELS.application.value },
      scope_label: PATRONI_LABELS.scopeLabel,
      role_label: PATRONI_LABELS.roleLabel,
      leader_label_value: PATRONI_LABELS.leaderValue,
      standby_leader_label_value: PATRONI_LABELS.standbyLeaderValue,
    },
    bootstrap: {
      dcs: rendered.bootstrap.dcs,
      initdb: [{ encoding: "UTF8" }, { locale: "en_US.UTF-8" }, "data-checksums"],
      // Patroni 3.0's validator insisted on bootstrap.pg_hba; 4.x ignores it.
      pg_hba: ["hostssl replication replicator all md5", "hostssl all all all md5"],
    },
    postgresql: {
      listen: `127.0.0.1:${pgPort}`,
      connect_address: "10.64.0.5:5432",
      data_dir: dataDir,
      bin_dir: imagePgBin(),
      authentication: {
        superuser: { username: "postgres", password: "x" },
        replication: { username: "replicator", password: "y" },
        rewind: { username: "postgres", password: "x" },
      },
      parameters: { ...(rendered.postgresql?.parameters ?? {}) },
    },
  };
}

describe("patroni --validate-config", () => {
  const { topology, gke } = gkeStack();
  const plan = planGke(topology, gke);

  for (const c of plan.clusters) {
    test(`accepts the bootstrap.dcs of '${c.spec.name}'`, async () => {
      const source = c.standby ? topology.clusters.find((x) => x.name === c.standby?.source) : undefined;
      const fragment = spiloConfiguration(c.spec, c.permanentSlots, source);
      const r = await validate(await fullConfig(c.spec.name, fragment), c.spec.name);
      expect(r.output).toBe("");
      expect(r.code).toBe(0);
    });
  }

  test("rejects a broken bootstrap.dcs (the check looks at it)", async () => {
    const c = plan.clusters[0];
    const config = (await fullConfig("broken", spiloConfiguration(c.spec, c.permanentSlots))) as {
      bootstrap: { dcs: Record<string, unknown> };
    };
    config.bootstrap.dcs.loop_wait = "ten";
    const r = await validate(config, "broken");
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/bootstrap\.dcs\.loop_wait/);
  });

  test("user parameters Spilo pins locally are written where they win", () => {
    const c = plan.clusters[0];
    const spec = { ...c.spec, postgres: { ...c.spec.postgres, parameters: { shared_buffers: "2GB", work_mem: "64MB" } } };
    const fragment = spiloConfiguration(spec, {});
    expect(fragment.postgresql?.parameters).toEqual({ shared_buffers: "2GB" });
    expect(fragment.bootstrap.dcs.postgresql.parameters).toMatchObject({ shared_buffers: "2GB", work_mem: "64MB" });
  });

  test("a smaller standby keeps at least the source's max_connections (hot standby requirement)", () => {
    const [main, dr] = plan.clusters;
    const small = { ...dr.spec, hardware: { ...dr.spec.hardware, ramGb: 2 } };
    const big = { ...main.spec, hardware: { ...main.spec.hardware, ramGb: 16 } };
    const own = spiloConfiguration(small, {});
    const followed = spiloConfiguration(small, {}, big);
    expect(own.bootstrap.dcs.postgresql.parameters.max_connections).toBe(100);
    expect(followed.bootstrap.dcs.postgresql.parameters.max_connections).toBe(546);
  });
});
