import { z } from "zod";
import { cronSchedule } from "./common";

const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "bucket names are 3-63 lowercase letters, digits, '.' or '-'");
const BUCKET = "Bucket name: 3-63 lowercase letters, digits, '.' or '-'";
const generatedBucket = bucketName.optional().describe(`${BUCKET}; default: generated. One bucket per cluster.`);
const prefix = z
  .string()
  .regex(/^[A-Za-z0-9._/-]*$/, "prefix may contain letters, digits and . _ / -")
  .default("")
  .describe("Key prefix inside the bucket: letters, digits and . _ / -; default none.");

export const YANDEX_STORAGE_ENDPOINT = "https://storage.yandexcloud.net";

export const backupStorage = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("yandex").describe("Yandex Object Storage (yandex only)."),
    bucket: generatedBucket,
    prefix,
    endpoint: z.url().default(YANDEX_STORAGE_ENDPOINT).describe(`Storage endpoint URL; default ${YANDEX_STORAGE_ENDPOINT}.`),
    region: z.string().default("ru-central1").describe("Storage region; default ru-central1."),
  }),
  z.strictObject({
    kind: z.literal("gcs").describe("Google Cloud Storage (gcp, gke)."),
    bucket: generatedBucket,
    prefix,
    location: z.string().default("EU").describe("Bucket location; default EU."),
  }),
  z.strictObject({
    kind: z.literal("s3").describe("An existing S3-compatible bucket (any platform); its keys are component arguments."),
    bucket: bucketName.describe(`${BUCKET}.`),
    prefix,
    endpoint: z.url().describe("Endpoint URL of the S3 API."),
    region: z.string().default("us-east-1").describe("Signing region; default us-east-1."),
    forcePathStyle: z.boolean().default(true).describe("Path-style bucket addressing (endpoint/bucket); default true."),
  }),
  z.strictObject({
    kind: z.literal("local").describe("A directory on each node (local lab only; a standby cluster cannot restore from it)."),
    path: z
      .string()
      .regex(/^\/\S+$/, "must be an absolute path")
      .describe("Absolute path of the directory."),
  }),
]);
export type BackupStorage = z.infer<typeof backupStorage>;

export const backupSpec = z.strictObject({
  tool: z.enum(["walg", "pgbackrest"]).default("walg").describe("walg or pgbackrest; default walg."),
  storage: backupStorage.describe("Where base backups and WAL go."),
  schedule: cronSchedule
    .default("0 3 * * *")
    .describe("Five-field cron expression (minute hour day-of-month month day-of-week) of full backups; default `0 3 * * *`."),
  retainFull: z
    .number()
    .int()
    .min(1, "retainFull must be >= 1: keep at least one full backup")
    .default(7)
    .describe("Full backups kept: >= 1; older ones and their WAL are deleted. Default 7."),
  compression: z.enum(["lz4", "zstd", "lzma", "brotli", "none"]).default("lz4").describe("lz4, zstd, lzma, brotli or none; default lz4."),
  encrypt: z
    .boolean()
    .default(true)
    .describe("Client-side encryption; the key is a generated Pulumi secret (or config secret `pgha:backupEncryptionKey`). Default true."),
  bucketExpireDays: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("Days after which the bucket lifecycle deletes objects regardless: >= 0, 0 = never; default 0."),
});
export type BackupSpec = z.infer<typeof backupSpec>;
