import { z } from "zod";

export const pgbouncerSpec = z
  .strictObject({
    enabled: z.boolean().default(true),
    port: z.number().int().min(1024).max(65535).default(6432),
    poolMode: z.enum(["session", "transaction", "statement"]).default("transaction"),
    defaultPoolSize: z.number().int().min(1).max(10000).default(20),
    minPoolSize: z.number().int().min(0).default(0),
    reservePoolSize: z.number().int().min(0).default(5),
    maxClientConn: z.number().int().min(10).max(100000).default(1000),
    maxDbConnections: z.number().int().min(0).default(0),
    /** auth_query through a dedicated role, so application passwords live only in PostgreSQL. */
    authUser: z.string().regex(/^[a-z_][a-z0-9_]*$/).default("pgbouncer"),
  })
  .prefault({});
export type PgbouncerSpec = z.infer<typeof pgbouncerSpec>;
