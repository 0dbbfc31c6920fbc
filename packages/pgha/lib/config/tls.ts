import { z } from "zod";

/** TLS is on by default everywhere; turning it off is for debugging only. */
export const tlsSpec = z
  .strictObject({
    etcd: z.boolean().default(true).describe("TLS between etcd peers and clients; default true (off is for debugging only)."),
    restApi: z.boolean().default(true).describe("TLS on Patroni's REST API; default true (off is for debugging only)."),
    postgres: z.boolean().default(true).describe("TLS for PostgreSQL connections; default true (off is for debugging only)."),
    validityHours: z
      .number()
      .int()
      .min(24)
      .default(24 * 365 * 2)
      .describe("Lifetime of generated leaf certificates in hours: >= 24; default 17520 (2 years)."),
  })
  .prefault({});
export type TlsSpec = z.infer<typeof tlsSpec>;
