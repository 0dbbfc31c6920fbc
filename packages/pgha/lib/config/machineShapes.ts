/**
 * VM shapes the clouds accept for a node's `hardware` (vcpus, ramGb). The stack states the VM
 * it gets: PostgreSQL is tuned to ramGb, so pgha never silently rounds a shape to another one.
 * Pure; the validation rules (sizeRules.ts) and the GCP sizing (platform/gcp/sizing.ts) share it.
 */

/** A reason a cloud refuses a shape, on the field it is about. */
export interface ShapeProblem {
  field: "vcpus" | "ramGb";
  message: string;
}

/**
 * Yandex Compute Cloud, platform standard-v3 (Intel Ice Lake), the platform pgha requests by default
 * (platform/yandex/platform.ts), at the 100% core fraction pgha always sets.
 * Source: Yandex Cloud docs, "vCPU performance levels", section "Available configurations"
 * (https://yandex.cloud/en/docs/compute/concepts/performance-levels; yandex-cloud/docs
 * en/compute/concepts/performance-levels.md, read 2026-12-07): vCPUs 2-16 in steps of 2 and 20-96 in
 * steps of 4; RAM per core a whole number of GB from 1 up to a maximum that falls with the vCPU count.
 * The API's own error agrees that memory is a whole multiple of the core count ("the specified memory
 * size is not available with 2 cores and 100% core fraction ...; allowed memory size: 2GB, 4GB, 6GB, ...",
 * yandex-cloud/terraform-provider-yandex#243).
 */
export const YANDEX_STANDARD_V3_MAX_GB_PER_CORE: ReadonlyMap<number, number> = new Map([
  ...[2, 4, 6, 8, 10, 12, 14, 16, 20].map((c): [number, number] => [c, 16]),
  [24, 13],
  [28, 11],
  [32, 10],
  [36, 16],
  [40, 16],
  [44, 14],
  [48, 13],
  [52, 12],
  [56, 11],
  [60, 10],
  [64, 10],
  [68, 9],
  [72, 8],
  [76, 8],
  [80, 8],
  [84, 7],
  [88, 7],
  [92, 6],
  [96, 6],
]);

const YANDEX_PLATFORM = "Yandex Compute standard-v3 (Intel Ice Lake) at 100% core fraction";

/** Why Yandex refuses `vcpus`/`ramGb` on standard-v3 at 100% core fraction; empty when it accepts them. */
export function yandexShapeProblems(vcpus: number, ramGb: number): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const maxPerCore = YANDEX_STANDARD_V3_MAX_GB_PER_CORE.get(vcpus);
  if (maxPerCore === undefined)
    problems.push({
      field: "vcpus",
      message: `${YANDEX_PLATFORM} offers 2-16 vCPUs in steps of 2 and 20-96 in steps of 4 (got ${vcpus})`,
    });
  if (!Number.isInteger(ramGb)) {
    problems.push({ field: "ramGb", message: `Yandex Compute allocates memory in whole GB (got ${ramGb})` });
    return problems;
  }
  if (maxPerCore === undefined) return problems;
  const perCore = ramGb / vcpus;
  if (!Number.isInteger(perCore) || perCore < 1 || perCore > maxPerCore) {
    const fits = [...new Set([Math.floor(perCore), Math.ceil(perCore)].map((k) => Math.min(maxPerCore, Math.max(1, k)) * vcpus))];
    problems.push({
      field: "ramGb",
      message:
        `${YANDEX_PLATFORM} gives ${vcpus} vCPUs 1-${maxPerCore} GB per vCPU in whole GB, i.e. a multiple of ${vcpus} ` +
        `from ${vcpus} to ${maxPerCore * vcpus} GB (got ${ramGb} GB = ${round(perCore)} GB per vCPU); nearest: ${fits.join(" or ")} GB`,
    });
  }
  return problems;
}

/**
 * Google Compute Engine: predefined E2 shapes, else E2 custom, else N2 custom machine types.
 * Sources: "Machine types" (https://cloud.google.com/compute/docs/machine-types: E2 up to 32 vCPUs and
 * 128 GB, at most 8 GB per vCPU) and Google's own custom-machine-type sample
 * (https://cloud.google.com/compute/docs/samples/compute-custom-machine-type-helper-class, read 2026-12-07):
 * E2 custom 2-32 vCPUs in steps of 2, 0.5-8 GB per vCPU; N2 custom 2-32 in steps of 2 and 36-128 in
 * steps of 4, 0.5-8 GB per vCPU, beyond that extended memory up to 624 GB; memory in multiples of
 * 256 MB (the Cloud Billing CustomMachineType reference: "an increment of 0.25 (256 MB)").
 */
const E2_PREDEFINED = [
  { family: "e2-standard", gbPerCore: 4, cores: [2, 4, 8, 16, 32] },
  { family: "e2-highmem", gbPerCore: 8, cores: [2, 4, 8, 16] },
  { family: "e2-highcpu", gbPerCore: 1, cores: [2, 4, 8, 16, 32] },
] as const;
const MB_STEP = 256;
const MIN_MB_PER_CORE = 512;
const MAX_MB_PER_CORE = 8192;
const E2_CUSTOM_MAX_CORES = 32;
const E2_CUSTOM_MAX_MB = 128 * 1024;
const N2_CUSTOM_MAX_CORES = 128;
const N2_EXTENDED_MAX_MB = 624 * 1024;

/** vCPU counts of E2/N2 custom types: even from 2 to 32, then multiples of 4 up to 128. */
export function gcpCustomCoresAllowed(vcpus: number): boolean {
  if (!Number.isInteger(vcpus) || vcpus < 2) return false;
  return vcpus <= 32 ? vcpus % 2 === 0 : vcpus <= N2_CUSTOM_MAX_CORES && vcpus % 4 === 0;
}

/** The GCP machine type of exactly `vcpus` and `ramGb` (GiB), or why GCP has none. */
export function gcpMachineShape(vcpus: number, ramGb: number): { machineType: string } | { problems: ShapeProblem[] } {
  for (const shape of E2_PREDEFINED)
    if ((shape.cores as readonly number[]).includes(vcpus) && ramGb === shape.gbPerCore * vcpus)
      return { machineType: `${shape.family}-${vcpus}` };

  const problems: ShapeProblem[] = [];
  const mb = ramGb * 1024;
  if (!gcpCustomCoresAllowed(vcpus))
    problems.push({
      field: "vcpus",
      message:
        `GCP custom machine types of the series pgha uses (E2, N2) take an even vCPU count from 2 to 32, ` +
        `then multiples of 4 up to ${N2_CUSTOM_MAX_CORES} (got ${vcpus}); nearest: ${nearestGcpCores(vcpus)}`,
    });
  if (!Number.isInteger(mb / MB_STEP))
    problems.push({
      field: "ramGb",
      message: `GCP custom machine memory comes in multiples of 256 MB, 0.25 GB (got ${ramGb} GB = ${round(mb)} MB)`,
    });
  if (problems.length > 0) return { problems };

  if (mb < MIN_MB_PER_CORE * vcpus)
    return {
      problems: [
        {
          field: "ramGb",
          message: `GCP custom machine types need >= 0.5 GB per vCPU: ${vcpus} vCPUs need >= ${vcpus / 2} GB (got ${ramGb})`,
        },
      ],
    };
  if (vcpus <= E2_CUSTOM_MAX_CORES && mb <= MAX_MB_PER_CORE * vcpus && mb <= E2_CUSTOM_MAX_MB)
    return { machineType: `e2-custom-${vcpus}-${mb}` };
  if (mb <= MAX_MB_PER_CORE * vcpus) return { machineType: `n2-custom-${vcpus}-${mb}` };
  if (mb <= N2_EXTENDED_MAX_MB) return { machineType: `n2-custom-${vcpus}-${mb}-ext` };
  return {
    problems: [
      {
        field: "ramGb",
        message:
          `more memory than any GCP custom machine type of pgha's series has: ` +
          `N2 extended memory goes up to ${N2_EXTENDED_MAX_MB / 1024} GB (got ${ramGb})`,
      },
    ],
  };
}

function nearestGcpCores(vcpus: number): string {
  const allowed = [...Array.from({ length: 16 }, (_, i) => 2 * (i + 1)), ...Array.from({ length: 24 }, (_, i) => 36 + 4 * i)];
  const below = allowed.filter((c) => c <= vcpus).at(-1);
  const above = allowed.find((c) => c >= vcpus);
  return [...new Set([below, above].filter((c) => c !== undefined))].join(" or ");
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * vCPUs and GB of a GCP machine type name pgha can read: predefined E2, N2 and N2D standard (4 GB per
 * vCPU), highmem (8) and highcpu (1) types ("Machine types"), and E2/N2/N2D custom types
 * (`<series>-custom-<vcpus>-<MB>[-ext]`). Other names (shared-core, other series): undefined.
 */
export function gcpMachineCapacity(machineType: string): { vcpus: number; memoryGb: number } | undefined {
  const predefined = /^(?:e2|n2|n2d)-(standard|highmem|highcpu)-(\d+)$/.exec(machineType);
  if (predefined) {
    const vcpus = Number(predefined[2]);
    return { vcpus, memoryGb: vcpus * { standard: 4, highmem: 8, highcpu: 1 }[predefined[1] as "standard" | "highmem" | "highcpu"] };
  }
  const custom = /^(?:e2|n2|n2d)-custom-(\d+)-(\d+)(?:-ext)?$/.exec(machineType);
  return custom ? { vcpus: Number(custom[1]), memoryGb: Number(custom[2]) / 1024 } : undefined;
}
