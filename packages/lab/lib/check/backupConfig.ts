/**
 * A backup tool's storage settings as a rendered config states them (lib/render/backups.ts
 * writes them): the one reader of WAL-G's JSON and pgbackrest.conf, for the plan check (which
 * bucket a node uses, with which key) and the lab's object storage (which key to create). Pure.
 */
export interface BackupStorageConfig {
  kind: "s3" | "gcs" | "posix";
  /** Bucket name (s3/gcs) or repository path (posix). */
  bucket: string;
  /** As the file states it: WAL-G's AWS_ENDPOINT (a URL), pgBackRest's repo1-s3-endpoint (a host). */
  endpoint?: string;
  /** pgBackRest's repo1-storage-port. */
  port?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** WAL-G's storage settings (https://wal-g.readthedocs.io/STORAGES/). */
export function walgStorage(content: string): BackupStorageConfig | undefined {
  let cfg: Record<string, unknown>;
  try {
    cfg = JSON.parse(content) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const s3 = /^s3:\/\/([^/]+)/.exec(text(cfg.WALG_S3_PREFIX) ?? "");
  if (s3)
    return {
      kind: "s3",
      bucket: s3[1],
      endpoint: text(cfg.AWS_ENDPOINT),
      region: text(cfg.AWS_REGION),
      accessKeyId: text(cfg.AWS_ACCESS_KEY_ID),
      secretAccessKey: text(cfg.AWS_SECRET_ACCESS_KEY),
    };
  const gs = /^gs:\/\/([^/]+)/.exec(text(cfg.WALG_GS_PREFIX) ?? "");
  if (gs) return { kind: "gcs", bucket: gs[1] };
  const path = text(cfg.WALG_FILE_PREFIX);
  return path ? { kind: "posix", bucket: path } : undefined;
}

/** pgBackRest repository options (https://pgbackrest.org/configuration.html#section-repository). */
export function pgbackrestStorage(content: string): BackupStorageConfig | undefined {
  const opt = new Map<string, string>();
  for (const line of content.split("\n")) {
    const m = /^\s*(repo1-[a-z0-9-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) opt.set(m[1], m[2]);
  }
  const type = opt.get("repo1-type") ?? "posix";
  const s3Bucket = opt.get("repo1-s3-bucket");
  if (type === "s3" && s3Bucket !== undefined)
    return {
      kind: "s3",
      bucket: s3Bucket,
      endpoint: opt.get("repo1-s3-endpoint"),
      port: opt.get("repo1-storage-port"),
      region: opt.get("repo1-s3-region"),
      accessKeyId: opt.get("repo1-s3-key"),
      secretAccessKey: opt.get("repo1-s3-key-secret"),
    };
  const gcsBucket = opt.get("repo1-gcs-bucket");
  if (type === "gcs" && gcsBucket !== undefined) return { kind: "gcs", bucket: gcsBucket };
  const path = opt.get("repo1-path");
  if (type === "posix" && path !== undefined) return { kind: "posix", bucket: path };
  return undefined;
}
