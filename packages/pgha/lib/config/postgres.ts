import { z } from "zod";
import { SUPPORTED_POSTGRES_MAJORS } from "./gucs";

/** The majors with a parameter table generated from their own server (gucs/): a major pgha cannot check is not supported. */
export const POSTGRES_MAJORS = SUPPORTED_POSTGRES_MAJORS;
/** Default major: the one Debian 13, the default OS, ships (its only one); other majors need PGDG there. */
export const DEFAULT_CLOUD_POSTGRES_MAJOR = 17;
const MAJORS_TEXT = POSTGRES_MAJORS.join(" and ");
export const postgresMajor = z
  .number()
  .int()
  .refine((m) => (POSTGRES_MAJORS as readonly number[]).includes(m), {
    error: (issue) =>
      `PostgreSQL ${String(issue.input)} is not supported: pgha checks parameters against a table generated from ` +
      `that major's own server, and has tables for ${MAJORS_TEXT}`,
  })
  .meta({ enum: [...POSTGRES_MAJORS] });

export const parameterValue = z.union([z.string(), z.number(), z.boolean()]);
export const parameters = z.record(z.string().regex(/^[a-z_][a-z0-9_.]*$/, "parameter names are lowercase identifiers"), parameterValue);
export type Parameters = z.infer<typeof parameters>;

/**
 * Parameters Patroni keeps in the DCS and enforces cluster-wide: a per-node value
 * is ignored or breaks replicas (hot standby requires them >= the primary's).
 */
export const DCS_ONLY_PARAMETERS = [
  "max_connections",
  "max_locks_per_transaction",
  "max_worker_processes",
  "max_prepared_transactions",
  "wal_level",
  "track_commit_timestamp",
  "max_wal_senders",
  "max_replication_slots",
  "wal_log_hints",
  "wal_keep_segments",
  "wal_keep_size",
  "hot_standby",
] as const;

/** Parameters Patroni itself owns; setting them anywhere fights Patroni. */
export const PATRONI_OWNED_PARAMETERS = [
  "listen_addresses",
  "port",
  "cluster_name",
  "hba_file",
  "ident_file",
  "config_file",
  "data_directory",
  "primary_conninfo",
  "primary_slot_name",
  "restore_command",
  "recovery_target",
  "synchronous_standby_names",
] as const;

const HBA_TYPES = ["local", "host", "hostssl", "hostnossl"] as const;
const HBA_METHODS = ["scram-sha-256", "md5", "reject", "peer", "cert", "trust"] as const;

export const hbaRule = z.strictObject({
  type: z.enum(HBA_TYPES).describe("Connection type: local, host, hostssl or hostnossl."),
  database: z.string().min(1).default("all").describe("Database the rule matches; default all."),
  user: z.string().min(1).default("all").describe("Role the rule matches; default all."),
  address: z.string().optional().describe("Client CIDR for host rules; omit for local."),
  method: z.enum(HBA_METHODS).describe("Authentication method: scram-sha-256, md5, reject, peer, cert or trust."),
});
export type HbaRule = z.infer<typeof hbaRule>;

const roleName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a PostgreSQL identifier: lowercase letters, digits and '_', starting with a letter or '_'");
const IDENTIFIER = "a PostgreSQL identifier (lowercase letters, digits and '_', at most 63)";

export const systemUsers = z
  .strictObject({
    superuser: roleName.default("postgres").describe("Superuser role name; default postgres."),
    replication: roleName.default("replicator").describe("Role replicas stream as; default replicator."),
    rewind: roleName.default("rewind_user").describe("Role pg_rewind connects as; default rewind_user."),
  })
  .prefault({});

export const applicationRole = z.strictObject({
  name: roleName.describe(`Role name: ${IDENTIFIER}.`),
  options: z
    .array(z.enum(["CREATEDB", "CREATEROLE", "REPLICATION", "BYPASSRLS"]))
    .default([])
    .describe("Role attributes besides LOGIN, which is implied: CREATEDB, CREATEROLE, REPLICATION, BYPASSRLS. Default none."),
});

export const database = z.strictObject({
  name: roleName.describe(`Database name: ${IDENTIFIER}.`),
  owner: roleName.describe("Owning role: one of `roles` or the superuser."),
  extensions: z
    .array(z.string().regex(/^[a-z_][a-z0-9_]*$/))
    .default([])
    .describe("Extensions to create in the database (lowercase names). Default none."),
});

export const postgresSpec = z
  .strictObject({
    major: postgresMajor
      .default(DEFAULT_CLOUD_POSTGRES_MAJOR)
      .describe(
        "PostgreSQL major version: 15 or 17, the majors pgha has parameter tables for; " +
          "default 17 (the one Debian 13, the default OS, ships).",
      ),
    port: z.number().int().min(1024).max(65535).default(5432).describe("PostgreSQL port on the nodes: 1024-65535; default 5432."),
    parameters: parameters
      .default({})
      .describe(
        "Cluster-wide parameters by lowercase name (to bootstrap.dcs.postgresql.parameters). " +
          "Ones Patroni and pgha own (port, listen_addresses, primary_conninfo, ...) are rejected. Default none.",
      ),
    hba: z
      .array(hbaRule)
      .default([])
      .describe("Extra pg_hba rules, placed before pgha's defaults; pgha always writes the full file. Default none."),
    users: systemUsers.describe("Names of the system roles Patroni uses."),
    roles: z
      .array(applicationRole)
      .default([])
      .describe("Application roles: LOGIN, each with a password generated as a Pulumi secret. Default none."),
    databases: z.array(database).default([]).describe("Databases to create. Default none."),
  })
  .prefault({});
export type PostgresSpec = z.infer<typeof postgresSpec>;
