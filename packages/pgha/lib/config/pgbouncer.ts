import { z } from "zod";

/** LimitNOFILE of the PgBouncer unit (templates/pgbouncer.service.tmpl). */
export const PGBOUNCER_UNIT_NOFILE = 65536;
const PGBOUNCER_MAX_CLIENT_CONN = PGBOUNCER_UNIT_NOFILE - 1024;

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
      // One open file per client; the unit's LimitNOFILE (templates/pgbouncer.service.tmpl) keeps 1024
      // for server connections and listeners. Beyond it accept() fails with EMFILE once clients arrive.
      .max(PGBOUNCER_MAX_CLIENT_CONN, {
        error:
          `must be <= ${PGBOUNCER_MAX_CLIENT_CONN}: each client takes an open file, and PgBouncer's unit has ` +
          `LimitNOFILE=${PGBOUNCER_UNIT_NOFILE}, 1024 of them kept for server connections and listeners`,
      })
      .default(1000)
      .describe(`Client connections per PgBouncer: 10-${PGBOUNCER_MAX_CLIENT_CONN} (one open file each); default 1000.`),
    maxDbConnections: z.number().int().min(0).default(0).describe("Server connections per database: >= 0, 0 = unlimited; default 0."),
    authUser: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .default("pgbouncer")
      .describe("Role for auth_query, so application passwords live only in PostgreSQL; default pgbouncer."),
  })
  .prefault({});
export type PgbouncerSpec = z.infer<typeof pgbouncerSpec>;
