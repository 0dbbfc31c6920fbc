/**
 * Sizes and shapes the clouds and the programs refuse (issue 14, V3): each refused by parseTopology
 * with the field path, the rule and the numbers; accepted at the boundaries.
 */
import { describe, expect, it } from "vitest";
import { gkeStackConfig } from "../../../../test/gke-fixtures";
import { SERVICE_VM } from "../components/vm";
import { parseGkeSettings } from "../platform/gke/settings";
import { gcpMachineType } from "../platform/gcp/sizing";
import { renderPgbouncerUnit } from "../render/systemd";
import { HAPROXY_MAX_MAXCONN, haproxyUnitNofile, KERNEL_NR_OPEN } from "./haproxy";
import { ConfigError, parseTopology } from ".";
import {
  gcpCustomCoresAllowed,
  gcpMachineCapacity,
  gcpMachineShape,
  YANDEX_STANDARD_V3_MAX_GB_PER_CORE,
  yandexShapeProblems,
} from "./machineShapes";
import { PGBOUNCER_UNIT_NOFILE } from "./pgbouncer";
import { expectAccepted, expectRefused, gcpTwoRegions, type InvalidCase, type Mutate } from "./testInvalid";

const hw =
  (hardware: object): Mutate =>
  (t) =>
    (t.clusters[0].hardware = hardware);
const onGcp =
  (hardware: object): Mutate =>
  (t) => {
    gcpTwoRegions(t);
    t.clusters[0].hardware = hardware;
  };
const checks =
  (c: object): Mutate =>
  (t) =>
    (t.clusters[0].haproxy = { checks: c });

const cases: InvalidCase[] = [
  // Yandex standard-v3 at 100% core fraction.
  [
    "yandex: 3 vCPUs (the issue's example), count",
    hw({ vcpus: 3, ramGb: 7.3 }),
    "clusters[0].hardware.vcpus",
    /^Yandex Compute standard-v3 \(Intel Ice Lake\) at 100% core fraction offers 2-16 vCPUs in steps of 2 and 20-96 in steps of 4 \(got 3\)$/,
  ],
  [
    "yandex: 7.3 GB (the issue's example), granularity",
    hw({ vcpus: 3, ramGb: 7.3 }),
    "clusters[0].hardware.ramGb",
    /^Yandex Compute allocates memory in whole GB \(got 7.3\)$/,
  ],
  ["yandex: 1 vCPU", hw({ vcpus: 1, ramGb: 2 }), "clusters[0].hardware.vcpus", /offers 2-16 vCPUs .* \(got 1\)$/],
  ["yandex: 18 vCPUs (steps of 4 above 16)", hw({ vcpus: 18, ramGb: 36 }), "clusters[0].hardware.vcpus", /\(got 18\)$/],
  ["yandex: 100 vCPUs", hw({ vcpus: 100, ramGb: 200 }), "clusters[0].hardware.vcpus", /\(got 100\)$/],
  [
    "yandex: memory not a multiple of the vCPU count",
    hw({ vcpus: 4, ramGb: 6 }),
    "clusters[0].hardware.ramGb",
    /gives 4 vCPUs 1-16 GB per vCPU in whole GB, i\.e\. a multiple of 4 from 4 to 64 GB \(got 6 GB = 1\.5 GB per vCPU\); nearest: 4 or 8 GB$/,
  ],
  [
    "yandex: below 1 GB per vCPU at 100%",
    hw({ vcpus: 8, ramGb: 4 }),
    "clusters[0].hardware.ramGb",
    /a multiple of 8 from 8 to 128 GB \(got 4 GB = 0\.5 GB per vCPU\); nearest: 8 GB$/,
  ],
  [
    "yandex: above 16 GB per vCPU",
    hw({ vcpus: 2, ramGb: 34 }),
    "clusters[0].hardware.ramGb",
    /a multiple of 2 from 2 to 32 GB \(got 34 GB = 17 GB per vCPU\); nearest: 32 GB$/,
  ],
  [
    "yandex: 96 vCPUs allow at most 6 GB per vCPU",
    hw({ vcpus: 96, ramGb: 672 }),
    "clusters[0].hardware.ramGb",
    /gives 96 vCPUs 1-6 GB per vCPU .* from 96 to 576 GB \(got 672 GB = 7 GB per vCPU\)/,
  ],
  // GCP: predefined E2, E2 custom, N2 custom.
  [
    "gcp: odd vCPU count",
    onGcp({ vcpus: 3, ramGb: 6 }),
    "clusters[0].hardware.vcpus",
    /^GCP custom machine types of the series pgha uses \(E2, N2\) take an even vCPU count from 2 to 32, then multiples of 4 up to 128 \(got 3\); nearest: 2 or 4$/,
  ],
  ["gcp: 1 vCPU", onGcp({ vcpus: 1, ramGb: 1 }), "clusters[0].hardware.vcpus", /\(got 1\); nearest: 2$/],
  [
    "gcp: 34 vCPUs (multiples of 4 above 32)",
    onGcp({ vcpus: 34, ramGb: 136 }),
    "clusters[0].hardware.vcpus",
    /\(got 34\); nearest: 32 or 36$/,
  ],
  ["gcp: 132 vCPUs", onGcp({ vcpus: 132, ramGb: 264 }), "clusters[0].hardware.vcpus", /\(got 132\); nearest: 128$/],
  [
    "gcp: memory not a multiple of 256 MB",
    onGcp({ vcpus: 3, ramGb: 7.3 }),
    "clusters[0].hardware.ramGb",
    /^GCP custom machine memory comes in multiples of 256 MB, 0\.25 GB \(got 7\.3 GB = 7475\.2 MB\)$/,
  ],
  [
    "gcp: below 0.5 GB per vCPU",
    onGcp({ vcpus: 8, ramGb: 2 }),
    "clusters[0].hardware.ramGb",
    /^GCP custom machine types need >= 0\.5 GB per vCPU: 8 vCPUs need >= 4 GB \(got 2\)$/,
  ],
  [
    "gcp: beyond N2 extended memory",
    onGcp({ vcpus: 8, ramGb: 640 }),
    "clusters[0].hardware.ramGb",
    /N2 extended memory goes up to 624 GB \(got 640\)$/,
  ],
  // HAProxy: the unit's LimitNOFILE must stay within the kernel's nr_open.
  [
    "haproxy maxconn 1000000000 (the issue's example)",
    (t) => (t.clusters[0].haproxy = { maxconn: 1000000000 }),
    "clusters[0].haproxy.maxconn",
    /^must be <= 523776: it needs LimitNOFILE=2\*maxconn\+1024 = 2000001024, above the kernel's default nr_open \(1048576\), so HAProxy cannot raise its open-file limit and never starts \(got 1000000000\)$/,
  ],
  [
    "haproxy maxconn one above the largest that fits",
    (t) => (t.clusters[0].haproxy = { maxconn: 523777 }),
    "clusters[0].haproxy.maxconn",
    /^must be <= 523776: it needs LimitNOFILE=2\*maxconn\+1024 = 1048578, above .* \(got 523777\)$/,
  ],
  // PgBouncer: one open file per client within the unit's LimitNOFILE.
  [
    "pgbouncer maxClientConn above its open-file limit",
    (t) => (t.clusters[0].pgbouncer = { maxClientConn: 100000 }),
    "clusters[0].pgbouncer.maxClientConn",
    /^must be <= 64512: each client takes an open file, and PgBouncer's unit has LimitNOFILE=65536, .* \(got 100000\)$/,
  ],
  // HAProxy health checks against Patroni's ttl.
  [
    "check timeout of 60 s with a 100 ms interval (the issue's example)",
    checks({ checkTimeoutMs: 60000, intervalMs: 100 }),
    "clusters[0].haproxy.checks.checkTimeoutMs",
    /^HAProxy marks a frozen primary down only after up to fall x \(intervalMs \+ checkTimeoutMs\) = 3 x \(100 \+ 60000\) = 180300 ms, longer than Patroni's ttl \(30 s = 30000 ms\) after which another member may be primary: writes would still reach the old one$/,
  ],
  [
    "checks 1 ms too slow for the fast timing profile (ttl 20)",
    (t) => {
      t.clusters[0].patroni = { dcs: { timing: "fast" } };
      t.clusters[0].haproxy = { checks: { fall: 4, intervalMs: 3000, checkTimeoutMs: 2001 } };
    },
    "clusters[0].haproxy.checks.checkTimeoutMs",
    /= 4 x \(3000 \+ 2001\) = 20004 ms, longer than Patroni's ttl \(20 s = 20000 ms\)/,
  ],
  [
    "a 60 s check interval",
    checks({ intervalMs: 60000 }),
    "clusters[0].haproxy.checks.checkTimeoutMs",
    /= 3 x \(60000 \+ 2000\) = 186000 ms, longer than Patroni's ttl \(30 s = 30000 ms\)/,
  ],
];

describe("sizes and shapes the clouds and the programs refuse", () => {
  it.each(cases)("refuses %s", (_title, mutate, path, message) => expectRefused(mutate, path, message));

  it("gives etcd, HAProxy and client VMs (fixed size, no hardware field) a shape both clouds offer", () => {
    expect(yandexShapeProblems(SERVICE_VM.cores, SERVICE_VM.memoryGb)).toEqual([]);
    expect(gcpMachineShape(SERVICE_VM.cores, SERVICE_VM.memoryGb)).toEqual({ machineType: "e2-highcpu-2" });
  });

  it("names both reasons for the issue's 3 vCPU / 7.3 GB Yandex node", () => {
    expect(yandexShapeProblems(3, 7.3).map((p) => p.field)).toEqual(["vcpus", "ramGb"]);
  });

  it.each<[string, Mutate]>([
    ["yandex 2 vCPU / 2 GB (1 GB per vCPU)", hw({ vcpus: 2, ramGb: 2 })],
    ["yandex 4 vCPU / 16 GB (yc-homework)", hw({ vcpus: 4, ramGb: 16 })],
    ["yandex 2 vCPU / 32 GB (16 GB per vCPU)", hw({ vcpus: 2, ramGb: 32 })],
    ["yandex 20 vCPU / 320 GB", hw({ vcpus: 20, ramGb: 320 })],
    ["yandex 40 vCPU / 640 GB (the platform's most memory)", hw({ vcpus: 40, ramGb: 640 })],
    ["yandex 96 vCPU / 576 GB", hw({ vcpus: 96, ramGb: 576 })],
    ["gcp 4 vCPU / 16 GB (gcp-dr, e2-standard-4)", onGcp({ vcpus: 4, ramGb: 16 })],
    ["gcp 2 vCPU / 2.25 GB (e2-custom)", onGcp({ vcpus: 2, ramGb: 2.25 })],
    ["gcp 2 vCPU / 24 GB (n2 extended memory)", onGcp({ vcpus: 2, ramGb: 24 })],
    ["gcp 128 vCPU / 1024 GB (n2-custom)", onGcp({ vcpus: 128, ramGb: 1024 })],
    ["gcp 8 vCPU / 624 GB (the n2 extended-memory maximum)", onGcp({ vcpus: 8, ramGb: 624 })],
    ["any shape in the lab (local)", (t) => ((t.platform.kind = "local"), (t.clusters[0].hardware = { vcpus: 3, ramGb: 1.3 }))],
    ["the largest maxconn that fits nr_open", (t) => (t.clusters[0].haproxy = { maxconn: 523776 })],
    ["the largest PgBouncer maxClientConn", (t) => (t.clusters[0].pgbouncer = { maxClientConn: 64512 })],
    [
      "checks at exactly Patroni's ttl (4 x (3000 + 2000) = 20 s, fast profile)",
      (t) => {
        t.clusters[0].patroni = { dcs: { timing: "fast" } };
        t.clusters[0].haproxy = { checks: { fall: 4, intervalMs: 3000, checkTimeoutMs: 2000 } };
      },
    ],
    [
      "a check timeout longer than the interval (HAProxy runs one check at a time)",
      checks({ checkTimeoutMs: 500, intervalMs: 200, fall: 2 }),
    ],
    [
      "any check timing without HAProxy",
      (t) => (t.clusters[0].haproxy = { enabled: false, checks: { checkTimeoutMs: 60000, intervalMs: 100 } }),
    ],
  ])("accepts %s", (_title, mutate) => expectAccepted(mutate));

  it("bounds maxconn by the same formula the HAProxy unit renders", () => {
    expect(haproxyUnitNofile(HAPROXY_MAX_MAXCONN)).toBeLessThanOrEqual(KERNEL_NR_OPEN);
    expect(haproxyUnitNofile(HAPROXY_MAX_MAXCONN + 1)).toBeGreaterThan(KERNEL_NR_OPEN);
  });

  it("knows the PgBouncer unit's open-file limit as rendered", () => {
    expect(renderPgbouncerUnit()).toMatch(new RegExp(`^LimitNOFILE=${PGBOUNCER_UNIT_NOFILE}$`, "m"));
  });
});

describe("the shape rules and the GCP sizing are one implementation", () => {
  const sizes: [number, number][] = [];
  for (let vcpus = 1; vcpus <= 130; vcpus++)
    for (const perCore of [0.25, 0.5, 1, 1.3, 2, 4, 6.5, 8, 9, 16, 25]) sizes.push([vcpus, vcpus * perCore]);

  it("gives a GCP machine type of exactly the shape it accepts, and throws on every shape it refuses", () => {
    for (const [vcpus, ramGb] of sizes) {
      const shape = gcpMachineShape(vcpus, ramGb);
      if ("problems" in shape) {
        expect(shape.problems.length, `${vcpus}/${ramGb}`).toBeGreaterThan(0);
        expect(() => gcpMachineType(vcpus, ramGb)).toThrow(/^gcp: no machine type has/);
        continue;
      }
      const type = gcpMachineType(vcpus, ramGb);
      const m = /^(?:e2-(standard|highmem|highcpu)-(\d+)|(e2|n2)-custom-(\d+)-(\d+)(-ext)?)$/.exec(type);
      expect(m, type).not.toBeNull();
      const perCore = { standard: 4, highmem: 8, highcpu: 1 }[m?.[1] as "standard"];
      const cores = Number(m?.[2] ?? m?.[4]);
      const mb = m?.[5] ? Number(m[5]) : perCore * cores * 1024;
      expect([cores, mb], type).toEqual([vcpus, ramGb * 1024]);
      expect(gcpCustomCoresAllowed(cores), type).toBe(true);
      expect(mb % 256, type).toBe(0);
      expect(mb >= 512 * cores, type).toBe(true);
      if (m?.[3] === "e2") expect(cores <= 32 && mb <= 8192 * cores && mb <= 128 * 1024, type).toBe(true);
      if (m?.[3] === "n2") expect(mb > 8192 * cores, type).toBe(m?.[6] === "-ext");
    }
  });

  it("accepts a Yandex shape exactly when the documented table has it", () => {
    for (const [vcpus, ramGb] of sizes) {
      const max = YANDEX_STANDARD_V3_MAX_GB_PER_CORE.get(vcpus);
      const perCore = ramGb / vcpus;
      const documented = max !== undefined && Number.isInteger(ramGb) && Number.isInteger(perCore) && perCore >= 1 && perCore <= max;
      expect(yandexShapeProblems(vcpus, ramGb).length === 0, `${vcpus}/${ramGb}`).toBe(documented);
    }
    // Yandex's stated platform maximum: 96 vCPUs, 640 GB.
    const most = Math.max(...[...YANDEX_STANDARD_V3_MAX_GB_PER_CORE].map(([c, k]) => c * k));
    expect([Math.max(...YANDEX_STANDARD_V3_MAX_GB_PER_CORE.keys()), most]).toEqual([96, 640]);
  });
});

describe("a Patroni pod on GKE must fit the node pool's machine type", () => {
  const stack = () => structuredClone(gkeStackConfig()) as Record<string, any>;
  const issuesOf = (edit: (s: Record<string, any>) => void) => {
    const s = stack();
    edit(s);
    try {
      parseGkeSettings(s["pgha:gke"], parseTopology(s["pgha:topology"]));
    } catch (e) {
      if (e instanceof ConfigError) return e.issues;
      throw e;
    }
    return [];
  };

  it("refuses a pod asking for every vCPU and all the memory of an e2-standard-4 node", () => {
    const issues = issuesOf((s) => (s["pgha:topology"].clusters[0].hardware = { vcpus: 4, ramGb: 16 }));
    expect(issues).toEqual([
      {
        path: "clusters[0].hardware.vcpus",
        message: expect.stringMatching(/^a pod requesting 4 vCPUs does not fit a e2-standard-4 node \(4 vCPUs\): GKE reserves part/),
      },
      {
        path: "clusters[0].hardware.ramGb",
        message: expect.stringMatching(/^a pod requesting 16 GB does not fit a e2-standard-4 node \(16 GB\)/),
      },
    ]);
  });

  it("reads custom node types too, and accepts gke-dr's 2 vCPU / 8 GB pods on e2-standard-4", () => {
    const custom = issuesOf((s) => (s["pgha:gke"].nodePool = { machineType: "n2-custom-4-8192" }));
    expect(custom.map((i) => i.path)).toEqual(["clusters[0].hardware.ramGb", "clusters[1].hardware.ramGb"]);
    expect(custom[0].message).toMatch(/requesting 8 GB does not fit a n2-custom-4-8192 node \(8 GB\)/);
    expect(issuesOf(() => undefined)).toEqual([]);
    expect(gcpMachineCapacity("e2-highmem-4")).toEqual({ vcpus: 4, memoryGb: 32 });
    expect(gcpMachineCapacity("e2-medium")).toBeUndefined();
  });
});
