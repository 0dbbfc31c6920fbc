import { z } from "zod";

export const hardwareSpec = z
  .strictObject({
    vcpus: z.number().int().min(1).max(512).default(2).describe("vCPUs per node: 1-512; default 2."),
    ramGb: z.number().min(0.5).max(4096).default(4).describe("Memory per node in GB: 0.5-4096; default 4."),
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
