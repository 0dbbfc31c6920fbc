import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { gkeModel } from "../../../../test/gke-fixtures";
import { buildPatroniManifests, promoteStandbyManifests } from "./manifests";

type Env = { name: string; value?: string }[];
const envOf = (m: ReturnType<typeof buildPatroniManifests>): Env =>
  JSON.parse(JSON.stringify(m.statefulSet)).spec.template.spec.containers[0].env;

describe("promoting a standby cluster", () => {
  const standby = buildPatroniManifests(gkeModel("dr"));
  const promoted = promoteStandbyManifests(standby);

  test("removes exactly the STANDBY_* variables", () => {
    const before = envOf(standby).map((e) => e.name);
    const after = envOf(promoted).map((e) => e.name);
    expect(before.filter((n) => n.startsWith("STANDBY_")).sort()).toEqual(
      [
        "STANDBY_HOST",
        "STANDBY_PORT",
        "STANDBY_PRIMARY_SLOT_NAME",
        "STANDBY_USE_WALG_RESTORE",
        "STANDBY_WALE_GS_PREFIX",
        "STANDBY_WALG_LIBSODIUM_KEY",
        "STANDBY_WALG_LIBSODIUM_KEY_TRANSFORM",
      ].sort(),
    );
    expect(after).toEqual(before.filter((n) => !n.startsWith("STANDBY_")));
    // Everything else is untouched: Services, RBAC, volumes, own archive.
    const { statefulSet: _a, ...restBefore } = standby;
    const { statefulSet: _b, ...restAfter } = promoted;
    expect(JSON.stringify(restAfter)).toBe(JSON.stringify(restBefore));
    expect(envOf(promoted).find((e) => e.name === "WALE_GS_PREFIX")?.value).toBe("gs://dr-backups-123/pgha/dr/17");
  });

  test("equals the cluster built without its standby block (what the stack records after promotion)", () => {
    const m = gkeModel("dr");
    const withoutStandby = buildPatroniManifests({ ...m, standby: undefined, cluster: { ...m.cluster, standby: undefined } });
    // The hot-standby floor taken from the source stays as it was (both have the same hardware here).
    expect(JSON.stringify(promoted)).toBe(JSON.stringify(withoutStandby));
  });

  test("does not modify its input", () => {
    expect(envOf(standby).some((e) => e.name === "STANDBY_HOST")).toBe(true);
  });

  test("bootstrap.dcs holds no standby_cluster either way (Spilo renders it from STANDBY_*)", () => {
    for (const m of [standby, promoted]) {
      const config = parse(envOf(m).find((e) => e.name === "SPILO_CONFIGURATION")!.value!);
      expect(config.bootstrap.dcs.standby_cluster).toBeUndefined();
    }
  });
});
