import { z } from "zod";

/** TLS is on by default everywhere; turning it off is for debugging only. */
export const tlsSpec = z
  .strictObject({
    etcd: z.boolean().default(true),
    restApi: z.boolean().default(true),
    postgres: z.boolean().default(true),
    /** Certificate lifetime of generated leaf certificates. */
    validityHours: z.number().int().min(24).default(24 * 365 * 2),
  })
  .prefault({});
export type TlsSpec = z.infer<typeof tlsSpec>;
