/**
 * What a node's user-data needs from the network and from IAM, read from the cloud-config
 * itself: a package mirror, release downloads, the backup buckets it writes or reads (WAL-G
 * JSON / pgBackRest configs and how its scripts use them), and SSH for the ops user. Pure.
 */
import { type BackupStorageConfig, pgbackrestStorage, walgStorage } from "./backupConfig";
import { type CloudConfigView, readCloudConfig } from "./cloudConfig";

export type BucketKind = "s3" | "gcs" | "posix";

export interface BucketNeed {
  kind: BucketKind;
  /** Bucket name (s3/gcs) or repository path (posix). */
  bucket: string;
  /** readWrite: archive/backup/retention use the config; read: only restore/fetch do. */
  access: "read" | "readWrite";
  /** The config file on the node that names the bucket. */
  configFile: string;
  /** S3 static access key id in that config (Yandex Object Storage). */
  accessKeyId?: string;
  endpoint?: string;
}

export interface NodeNeeds {
  packages: string[];
  /** Hosts of apt sources beyond the image's own (e.g. apt.postgresql.org). */
  aptHosts: string[];
  /** http(s) URLs its scripts fetch (pinned release binaries). */
  downloads: string[];
  buckets: BucketNeed[];
  /** Users that log in over SSH with keys (lib/ops' user). */
  sshUsers: string[];
}

const WRITE_VERBS = new Set(["wal-push", "backup-push", "delete", "archive-push", "backup", "stanza-create", "stanza-upgrade", "expire"]);

export function nodeNeeds(userData: string): NodeNeeds {
  const view = readCloudConfig(userData);
  return {
    packages: view.packages,
    aptHosts: view.aptSources.map(urlHost).filter((h): h is string => h !== undefined),
    downloads: downloadsIn(view),
    buckets: bucketsIn(view),
    sshUsers: view.sshUsers.map((u) => u.name),
  };
}

function urlHost(line: string): string | undefined {
  return /\bhttps?:\/\/([^/\s'"]+)/.exec(line)?.[1];
}

/** URLs fetched by curl or wget in any written script, except local and private addresses. */
export function downloadsIn(view: CloudConfigView): string[] {
  const urls = new Set<string>();
  for (const content of view.files.values()) {
    for (const line of content.split("\n")) {
      if (!/\b(curl|wget)\b/.test(line)) continue;
      for (const m of line.matchAll(/https?:\/\/[^\s'"]+/g)) if (!isLocalUrl(m[0])) urls.add(m[0]);
    }
  }
  return [...urls].sort();
}

function isLocalUrl(url: string): boolean {
  const host = urlHost(url) ?? "";
  return /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1)/.test(host) || /^\$/.test(host);
}

/** Every backup config the node has, with the access its scripts and Patroni settings use it for. */
export function bucketsIn(view: CloudConfigView): BucketNeed[] {
  const everything = [...view.files.values()].join("\n");
  const needs: BucketNeed[] = [];
  for (const [path, content] of view.files) {
    const parsed = bucketOf(
      path.startsWith("/etc/wal-g/") ? walgStorage(content) : path.startsWith("/etc/pgbackrest/") ? pgbackrestStorage(content) : undefined,
    );
    if (!parsed) continue;
    needs.push({ ...parsed, configFile: path, access: usesForWrite(everything, path) ? "readWrite" : "read" });
  }
  return needs;
}

/** Does any command line that names this config (`--config X` / `--config=X`) run a write verb? */
function usesForWrite(text: string, configFile: string): boolean {
  const escaped = configFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`--config[= ]${escaped}\\b([^\\n]*)`, "g");
  for (const m of text.matchAll(re)) {
    const words = m[1].split(/\s+/).filter((w) => !w.startsWith("-") && !w.startsWith("%"));
    if (words.some((w) => WRITE_VERBS.has(w))) return true;
  }
  return false;
}

type ParsedBucket = Omit<BucketNeed, "configFile" | "access">;

function bucketOf(storage: BackupStorageConfig | undefined): ParsedBucket | undefined {
  if (!storage) return undefined;
  if (storage.kind !== "s3") return { kind: storage.kind, bucket: storage.bucket };
  return { kind: "s3", bucket: storage.bucket, accessKeyId: storage.accessKeyId, endpoint: storage.endpoint };
}
