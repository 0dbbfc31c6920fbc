import { z } from "zod";

export const pgbouncerSpec = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Run PgBouncer on every Patroni node; default true."),
    port: z.number().int().min(1024).max(65535).default(6432).describe("PgBouncer port: 1024-65535; default 6432."),
    poolMode: z
      .enum(["session", "transaction", "statement"])
      .default("transaction")
      .describe("session, transaction or statement; default transaction."),
    defaultPoolSize: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .default(20)
      .describe("Server connections per database and user: 1-10000; default 20."),
    minPoolSize: z.number().int().min(0).default(0).describe("Server connections kept open per pool: >= 0; default 0."),
    reservePoolSize: z.number().int().min(0).default(5).describe("Extra server connections a pool may use under load: >= 0; default 5."),
    maxClientConn: z
      .number()
      .int()
      .min(10)
      .max(100000)
      .default(1000)
      .describe("Client connections per PgBouncer: 10-100000; default 1000."),
    maxDbConnections: z.number().int().min(0).default(0).describe("Server connections per database: >= 0, 0 = unlimited; default 0."),
    authUser: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .default("pgbouncer")
      .describe("Role for auth_query, so application passwords live only in PostgreSQL; default pgbouncer."),
  })
  .prefault({});
export type PgbouncerSpec = z.infer<typeof pgbouncerSpec>;
