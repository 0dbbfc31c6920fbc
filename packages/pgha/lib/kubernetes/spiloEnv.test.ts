import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { gkeModel } from "../../../../test/gke-fixtures";
import { SECRET_KEYS } from "./model";
import { SPILO_DOCUMENTED_ENV, spiloReadsEnv } from "./spiloEnvironment";
import { spiloEnv } from "./statefulSet";

const byName = (env: ReturnType<typeof spiloEnv>) => new Map(env.map((e) => [e.name as string, e]));
const val = (env: ReturnType<typeof spiloEnv>, name: string) => byName(env).get(name)?.value as string | undefined;

describe("Spilo environment", () => {
  const main = spiloEnv(gkeModel("main"));
  const dr = spiloEnv(gkeModel("dr", { host: "10.160.0.77" }));

  test("every variable pgha sets is one the pinned Spilo reads", () => {
    for (const e of [...main, ...dr]) expect(spiloReadsEnv(e.name as string), e.name as string).toBe(true);
  });

  test("the name check rejects names Spilo does not know", () => {
    expect(spiloReadsEnv("WALG_GS_BUCKET")).toBe(false);
    expect(spiloReadsEnv("STANDBY_PRIMARY_SLOT")).toBe(false);
    expect(spiloReadsEnv("STANDBY_WALE_S3_PREFIX")).toBe(false);
    expect(SPILO_DOCUMENTED_ENV).toContain("KUBERNETES_USE_CONFIGMAPS");
  });

  test("no variable is set twice", () => {
    for (const env of [main, dr]) expect(new Set(env.map((e) => e.name)).size).toBe(env.length);
  });

  test("Patroni uses the Kubernetes API as DCS, with ConfigMaps", () => {
    expect(val(main, "DCS_ENABLE_KUBERNETES_API")).toBe("true");
    expect(val(main, "KUBERNETES_USE_CONFIGMAPS")).toBe("true");
    expect(val(main, "SCOPE")).toBe("main");
    expect(val(main, "PGVERSION")).toBe("17");
    expect(byName(main).get("POD_IP")?.valueFrom).toEqual({ fieldRef: { apiVersion: "v1", fieldPath: "status.podIP" } });
    expect(byName(main).get("POD_NAMESPACE")?.valueFrom).toEqual({ fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } });
  });

  test("passwords and keys come from the Secret, never as values", () => {
    const secretRefs = main.filter((e) => e.valueFrom && "secretKeyRef" in e.valueFrom).map((e) => e.name);
    expect(secretRefs.sort()).toEqual(["PGPASSWORD_STANDBY", "PGPASSWORD_SUPERUSER", "WALG_LIBSODIUM_KEY"]);
    expect(byName(main).get("PGPASSWORD_SUPERUSER")?.valueFrom).toEqual({
      secretKeyRef: { name: "main-credentials", key: SECRET_KEYS.superuserPassword },
    });
    for (const e of [...main, ...dr])
      if (/PASSWORD|KEY$/.test(e.name as string) && !(e.name as string).endsWith("TRANSFORM"))
        expect(e.value, e.name as string).toBeUndefined();
  });

  test("WAL-G to GCS through Workload Identity: no credentials file", () => {
    expect(val(main, "WAL_GS_BUCKET")).toBe("main-backups-123");
    expect(val(main, "WALE_GS_PREFIX")).toBe("gs://main-backups-123/pgha/main/17");
    expect(val(main, "USE_WALG_BACKUP")).toBe("true");
    expect(val(main, "USE_WALG_RESTORE")).toBe("true");
    expect(val(main, "BACKUP_SCHEDULE")).toBe("0 3 * * *");
    expect(val(main, "BACKUP_NUM_TO_RETAIN")).toBe("7");
    expect(val(main, "WALG_COMPRESSION_METHOD")).toBe("lz4");
    expect(val(main, "WALG_LIBSODIUM_KEY_TRANSFORM")).toBe("hex");
    for (const env of [main, dr]) expect(byName(env).has("GOOGLE_APPLICATION_CREDENTIALS")).toBe(false);
  });

  test("the standby streams from the source's load balancer through the slot the source keeps", () => {
    expect(val(dr, "STANDBY_HOST")).toBe("10.160.0.77");
    expect(val(dr, "STANDBY_PORT")).toBe("5432");
    const mainSlots = parse(val(main, "SPILO_CONFIGURATION")!).bootstrap.dcs.slots;
    expect(Object.keys(mainSlots)).toContain(val(dr, "STANDBY_PRIMARY_SLOT_NAME"));
    expect(mainSlots[val(dr, "STANDBY_PRIMARY_SLOT_NAME")!]).toEqual({ type: "physical" });
    // Fallback: the source's archive, read-only, decrypted with the source's key.
    expect(val(dr, "STANDBY_WALE_GS_PREFIX")).toBe(val(main, "WALE_GS_PREFIX"));
    expect(val(dr, "STANDBY_WALE_GS_PREFIX")).toBe("gs://main-backups-123/pgha/main/17");
    expect(val(dr, "STANDBY_USE_WALG_RESTORE")).toBe("true");
    expect(byName(dr).get("STANDBY_WALG_LIBSODIUM_KEY")?.valueFrom).toEqual({
      secretKeyRef: { name: "dr-credentials", key: SECRET_KEYS.sourceWalgKey },
    });
    // Only the standby has STANDBY_* variables.
    expect(main.some((e) => (e.name as string).startsWith("STANDBY_"))).toBe(false);
  });

  test("the standby uses the source's replication user", () => {
    expect(val(dr, "PGUSER_STANDBY")).toBe(val(main, "PGUSER_STANDBY"));
    expect(val(dr, "PGUSER_STANDBY")).toBe("replicator");
  });

  test("TLS off lets clients connect without SSL", () => {
    expect(byName(main).has("ALLOW_NOSSL")).toBe(false);
    expect(val(spiloEnv({ ...gkeModel("main"), requireTls: false }), "ALLOW_NOSSL")).toBe("true");
  });
});
