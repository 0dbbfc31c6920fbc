import { z } from "zod";
import { cronSchedule } from "./common";

const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "bucket names are 3-63 lowercase letters, digits, '.' or '-'");
const prefix = z.string().regex(/^[A-Za-z0-9._/-]*$/, "prefix may contain letters, digits and . _ / -").default("");

export const YANDEX_STORAGE_ENDPOINT = "https://storage.yandexcloud.net";

export const backupStorage = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("yandex"),
    bucket: bucketName.optional(),
    prefix,
    endpoint: z.url().default(YANDEX_STORAGE_ENDPOINT),
    region: z.string().default("ru-central1"),
  }),
  z.strictObject({ kind: z.literal("gcs"), bucket: bucketName.optional(), prefix, location: z.string().default("EU") }),
  z.strictObject({
    kind: z.literal("s3"),
    bucket: bucketName,
    prefix,
    endpoint: z.url(),
    region: z.string().default("us-east-1"),
    forcePathStyle: z.boolean().default(true),
  }),
  z.strictObject({ kind: z.literal("local"), path: z.string().regex(/^\/\S+$/, "must be an absolute path") }),
]);
export type BackupStorage = z.infer<typeof backupStorage>;

export const backupSpec = z.strictObject({
  tool: z.enum(["walg", "pgbackrest"]).default("walg"),
  storage: backupStorage,
  schedule: cronSchedule.default("0 3 * * *"),
  /** Full backups kept; older ones and their WAL are deleted. */
  retainFull: z.number().int().min(1, "retainFull must be >= 1: keep at least one full backup").default(7),
  compression: z.enum(["lz4", "zstd", "lzma", "brotli", "none"]).default("lz4"),
  /** Client-side encryption; the key is generated as a Pulumi secret (or taken from config secret `pgha:backupEncryptionKey`). */
  encrypt: z.boolean().default(true),
  /** Days after which the bucket lifecycle deletes objects regardless (0 = never). */
  bucketExpireDays: z.number().int().min(0).default(0),
});
export type BackupSpec = z.infer<typeof backupSpec>;
