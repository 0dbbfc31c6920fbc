import { z } from "zod";
import { dnsName } from "./common";

/** etcd member counts pgha builds: odd (an even count adds no fault tolerance), at most 7 (more slows every write). */
export const ETCD_MEMBER_COUNTS = [3, 5, 7] as const;

// Checked here rather than in the topology rules so the JSON Schema (enum 3, 5, 7) and the parser
// agree on every platform; gke ignores the section, where any count was accepted before.
const etcdMembers = z
  .number()
  .int()
  .min(3, "etcd needs an odd number of members, at least 3")
  .max(7, "at most 7 etcd members: more slows every write")
  .refine((n) => n < 3 || n > 7 || n % 2 === 1, {
    error: (iss) => `etcd needs an odd number of members, at least 3 (got ${String(iss.input)}): an even count adds no fault tolerance`,
  })
  .meta({ enum: [...ETCD_MEMBER_COUNTS] });

export const etcdSpec = z
  .strictObject({
    members: etcdMembers.default(3).describe("Members: 3, 5 or 7 (a quorum survives 1, 2 or 3 member losses); default 3."),
    heartbeatIntervalMs: z
      .number()
      .int()
      .min(10)
      .max(5000)
      .default(100)
      .describe("Heartbeat interval in milliseconds: 10-5000; default 100."),
    electionTimeoutMs: z
      .number()
      .int()
      .min(50)
      .max(50000)
      .default(1000)
      .describe("Election timeout in milliseconds: 50-50000 and >= 5 x heartbeatIntervalMs; default 1000."),
    quotaBackendBytes: z
      .number()
      .int()
      .min(64 * 1024 * 1024)
      .max(8 * 1024 ** 3)
      .default(2 * 1024 ** 3)
      .describe("Backend quota in bytes: 64 MiB to 8 GiB; etcd raises a NOSPACE alarm beyond it. Default 2 GiB."),
    dataDir: z
      .string()
      .regex(/^\/\S+$/, "must be an absolute path")
      .default("/var/lib/etcd")
      .describe("Absolute path of the data directory; default /var/lib/etcd."),
    clientPort: z.number().int().min(1024).max(65535).default(2379).describe("Client port: 1024-65535; default 2379."),
    peerPort: z.number().int().min(1024).max(65535).default(2380).describe("Peer port: 1024-65535, not the clientPort; default 2380."),
    subnets: z.array(dnsName).optional().describe("Subnet names to place members in; default: the region's subnets, round-robin by zone."),
    region: dnsName.optional().describe("Region of the members; default: the first cluster's that is not a standby."),
  })
  .prefault({});
export type EtcdSpec = z.infer<typeof etcdSpec>;
