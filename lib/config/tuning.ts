import { z } from "zod";

export const hardwareSpec = z
  .strictObject({
    vcpus: z.number().int().min(1).max(512).default(2),
    ramGb: z.number().min(0.5).max(4096).default(4),
    diskType: z.enum(["ssd", "hdd", "network-ssd", "network-hdd", "nvme"]).default("network-ssd"),
    diskGb: z.number().int().min(10).max(65536).default(50),
    workload: z.enum(["oltp", "olap", "mixed"]).default("oltp"),
  })
  .prefault({});
export type HardwareSpec = z.infer<typeof hardwareSpec>;
