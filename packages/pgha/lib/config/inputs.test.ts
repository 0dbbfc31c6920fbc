/**
 * The hand-written input interfaces (inputs/) must equal what the zod schemas accept. These are
 * type assertions: `tsc --noEmit` (and vitest's typecheck of this file) fails on any drift, a
 * renamed, added, removed, retyped or optionality-changed field in either.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import { backupSpec, backupStorage } from "./backups";
import { etcdSpec } from "./etcd";
import { haproxyListeners, haproxySpec, healthChecks, keepalivedSpec } from "./haproxy";
import type * as I from "./inputs";
import { parseTopology } from "./parse";
import { callbacks, dynamicConfig, nodeSettings, nodeTags, patroniSpec, permanentSlot, watchdog } from "./patroni";
import { pgbouncerSpec } from "./pgbouncer";
import { applicationRole, database, hbaRule, parameters, postgresSpec, systemUsers } from "./postgres";
import { tlsSpec } from "./tls";
import {
  clientSpec,
  clusterSpec,
  labSpec,
  loadBalancerSpec,
  networkShape,
  platformSpec,
  regionSpec,
  standbySpec,
  subnetSpec,
  topologyShape,
} from "./topology";
import { hardwareSpec } from "./tuning";

// Sections with a prefault accept `undefined` as a whole; the interface is the object itself.
type In<S extends z.ZodType> = NonNullable<z.input<S>>;

describe("input interfaces equal the zod input types", () => {
  it("topology and network", () => {
    expectTypeOf<I.TopologyInput>().toEqualTypeOf<In<typeof topologyShape>>();
    expectTypeOf<I.NetworkInput>().toEqualTypeOf<In<typeof networkShape>>();
    expectTypeOf<I.PlatformInput>().toEqualTypeOf<In<typeof platformSpec>>();
    expectTypeOf<I.RegionInput>().toEqualTypeOf<In<typeof regionSpec>>();
    expectTypeOf<I.SubnetInput>().toEqualTypeOf<In<typeof subnetSpec>>();
    expectTypeOf<I.ClientInput>().toEqualTypeOf<In<typeof clientSpec>>();
    expectTypeOf<I.LabInput>().toEqualTypeOf<In<typeof labSpec>>();
    expectTypeOf<I.TlsInput>().toEqualTypeOf<In<typeof tlsSpec>>();
    expectTypeOf<I.EtcdInput>().toEqualTypeOf<In<typeof etcdSpec>>();
  });

  it("cluster", () => {
    expectTypeOf<I.ClusterInput>().toEqualTypeOf<In<typeof clusterSpec>>();
    expectTypeOf<I.LoadBalancerInput>().toEqualTypeOf<In<typeof loadBalancerSpec>>();
    expectTypeOf<I.StandbyInput>().toEqualTypeOf<In<typeof standbySpec>>();
    expectTypeOf<I.HardwareInput>().toEqualTypeOf<In<typeof hardwareSpec>>();
    expectTypeOf<I.PgbouncerInput>().toEqualTypeOf<In<typeof pgbouncerSpec>>();
  });

  it("postgres", () => {
    expectTypeOf<I.PostgresInput>().toEqualTypeOf<In<typeof postgresSpec>>();
    expectTypeOf<I.ParametersInput>().toEqualTypeOf<In<typeof parameters>>();
    expectTypeOf<I.HbaRuleInput>().toEqualTypeOf<In<typeof hbaRule>>();
    expectTypeOf<I.SystemUsersInput>().toEqualTypeOf<In<typeof systemUsers>>();
    expectTypeOf<I.RoleInput>().toEqualTypeOf<In<typeof applicationRole>>();
    expectTypeOf<I.DatabaseInput>().toEqualTypeOf<In<typeof database>>();
  });

  it("patroni", () => {
    expectTypeOf<I.PatroniInput>().toEqualTypeOf<In<typeof patroniSpec>>();
    expectTypeOf<I.DcsInput>().toEqualTypeOf<In<typeof dynamicConfig>>();
    expectTypeOf<I.PermanentSlotInput>().toEqualTypeOf<In<typeof permanentSlot>>();
    expectTypeOf<I.CallbacksInput>().toEqualTypeOf<In<typeof callbacks>>();
    expectTypeOf<I.WatchdogInput>().toEqualTypeOf<In<typeof watchdog>>();
    expectTypeOf<I.NodeSettingsInput>().toEqualTypeOf<In<typeof nodeSettings>>();
    expectTypeOf<I.NodeTagsInput>().toEqualTypeOf<In<typeof nodeTags>>();
  });

  it("haproxy and backups", () => {
    expectTypeOf<I.HaproxyInput>().toEqualTypeOf<In<typeof haproxySpec>>();
    expectTypeOf<I.HaproxyListenersInput>().toEqualTypeOf<In<typeof haproxyListeners>>();
    expectTypeOf<I.HealthChecksInput>().toEqualTypeOf<In<typeof healthChecks>>();
    expectTypeOf<I.KeepalivedInput>().toEqualTypeOf<In<typeof keepalivedSpec>>();
    expectTypeOf<I.BackupsInput>().toEqualTypeOf<In<typeof backupSpec>>();
    expectTypeOf<I.BackupStorageInput>().toEqualTypeOf<In<typeof backupStorage>>();
  });
});

describe("input interfaces at run time", () => {
  it("a stack typed with TopologyInput parses, and the parser fills the defaults the JSDoc names", () => {
    const input: I.TopologyInput = {
      platform: { kind: "local" },
      regions: [{ name: "lab-a", zones: ["lab-a-1"] }],
      subnets: [{ name: "a", region: "lab-a", cidr: "10.20.1.0/24" }],
      clusters: [
        {
          name: "main",
          region: "lab-a",
          nodeSettings: [undefined, { tags: { nofailover: true } }],
          patroni: { dcs: { synchronous_mode: "quorum" } },
          backups: { storage: { kind: "local", path: "/var/lib/pgbackrest" }, tool: "pgbackrest" },
        },
      ],
    };
    const t = parseTopology(input);
    expect(t.name).toBe("pgha");
    expect(t.etcd.members).toBe(3);
    expect(t.platform.os).toBe("debian-13");
    expect(t.clusters[0].nodes).toBe(3);
    expect(t.clusters[0].postgres.major).toBe(17);
    expect(t.clusters[0].nodeSettings[0]).toEqual({
      tags: { nofailover: false, noloadbalance: false, clonefrom: false, nosync: false },
      parameters: {},
    });
    expect(t.clusters[0].nodeSettings[1].tags?.nofailover).toBe(true);
    expect(t.clusters[0].haproxy.listeners.direct).toBe(5005);
    expect(t.tls).toMatchObject({ certificateValidityDays: 365, renewBeforeDays: 30, caValidityDays: 3650 });
  });
});
