import { z } from "zod";

export const hardwareSpec = z
  .strictObject({
    vcpus: z
      .number()
      .int()
      .min(1)
      .max(512)
      .default(2)
      .describe(
        "vCPUs per node: 1-512, and on yandex and gcp a count the cloud offers " +
          "(yandex: 2-16 even, 20-96 in steps of 4; gcp: 2-32 even, 36-128 in steps of 4); default 2.",
      ),
    ramGb: z
      .number()
      .min(0.5)
      .max(4096)
      .default(4)
      .describe(
        "Memory per node in GB: 0.5-4096; yandex: a whole multiple of vcpus, 1-16 GB per vCPU (less above 20 vCPUs); " +
          "gcp: a multiple of 0.25, 0.5-8 GB per vCPU (N2 extended memory up to 624 GB); default 4.",
      ),
    diskType: z
      .enum(["ssd", "hdd", "network-ssd", "network-hdd", "nvme"])
      .default("network-ssd")
      .describe("ssd, hdd, network-ssd, network-hdd or nvme; default network-ssd."),
    diskGb: z.number().int().min(10).max(65536).default(50).describe("Data disk per node in GB: 10-65536; default 50."),
    workload: z
      .enum(["oltp", "olap", "mixed"])
      .default("oltp")
      .describe("What PostgreSQL's memory and planner settings are tuned for: oltp, olap or mixed; default oltp."),
  })
  .prefault({});
export type HardwareSpec = z.infer<typeof hardwareSpec>;

const MAX_CONNECTIONS: Record<HardwareSpec["workload"], number> = { oltp: 200, mixed: 100, olap: 50 };

/**
 * pgha's max_connections for a node (render/tuning.ts applies it): by workload (PgBouncer
 * multiplexes clients in front), but at most ~100 per GB of RAM so a small VM does not promise
 * connections it cannot feed. Never below 50 (Patroni, backups, monitoring and superuser
 * reserve need some).
 */
export function maxConnections(hw: HardwareSpec): number {
  return Math.max(50, Math.min(MAX_CONNECTIONS[hw.workload], Math.floor(hw.ramGb * 100)));
}
