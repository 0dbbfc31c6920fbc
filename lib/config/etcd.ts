import { z } from "zod";
import { dnsName } from "./common";

export const etcdSpec = z
  .strictObject({
    /** Odd, 3 or 5: a quorum survives one (or two) member losses. */
    members: z.number().int().default(3),
    heartbeatIntervalMs: z.number().int().min(10).max(5000).default(100),
    electionTimeoutMs: z.number().int().min(50).max(50000).default(1000),
    /** Backend quota; etcd raises a NOSPACE alarm beyond it. */
    quotaBackendBytes: z.number().int().min(64 * 1024 * 1024).max(8 * 1024 ** 3).default(2 * 1024 ** 3),
    dataDir: z.string().regex(/^\/\S+$/, "must be an absolute path").default("/var/lib/etcd"),
    clientPort: z.number().int().min(1024).max(65535).default(2379),
    peerPort: z.number().int().min(1024).max(65535).default(2380),
    /** Subnet names to place members in; defaults to the region's subnets, round-robin by zone. */
    subnets: z.array(dnsName).optional(),
    region: dnsName.optional(),
  })
  .prefault({});
export type EtcdSpec = z.infer<typeof etcdSpec>;
