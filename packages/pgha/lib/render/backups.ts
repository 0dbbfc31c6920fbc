/**
 * Backup tool configuration: WAL-G JSON config, pgbackrest.conf, and the leader-only backup
 * script the systemd timer runs. Key names follow WAL-G's docs (README.md, STORAGES.md,
 * PostgreSQL.md) and pgBackRest's configuration reference (checked against pgbackrest 2.45
 * `pgbackrest help backup <option>`).
 */
import type { BackupSpec } from "../config";
import { PGBACKREST_SOURCE_CONFIG, stanzaName, WALG_BIN, WALG_CONFIG, WALG_SOURCE_CONFIG } from "./backupCommands";
import { shellQuote } from "./cloudInit";
import { type BackupTarget, PATHS, pgDataDir, tlsFiles } from "./model";
import { fillTemplate } from "./template";

export interface BackupRenderOptions {
  /** PostgreSQL port on the node (WAL-G's PGPORT, pgBackRest's pg1-port). */
  pgPort?: number;
}

const DEFAULT_PG_PORT = 5432;

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, "");
}

/** `scheme://bucket/prefix` without a trailing slash; the prefix may be empty. */
function objectUrl(scheme: "s3" | "gs", bucket: string, prefix: string): string {
  const p = trimSlashes(prefix);
  return p ? `${scheme}://${bucket}/${p}` : `${scheme}://${bucket}`;
}

function localRepoPath(target: BackupTarget): string {
  if (target.spec.storage.kind !== "local") throw new Error("not a local backup target");
  const p = trimSlashes(target.prefix);
  const root = target.spec.storage.path.replace(/\/+$/, "");
  return p ? `${root}/${p}` : root;
}

function requireBucket(target: BackupTarget): string {
  if (!target.bucket) throw new Error(`backups: ${target.spec.storage.kind} storage needs a bucket name (BackupTarget.bucket is empty)`);
  return target.bucket;
}

function s3Credentials(target: BackupTarget): { id: string; secret: string } {
  if (!target.s3AccessKeyId || !target.s3SecretAccessKey)
    throw new Error(`backups: ${target.spec.storage.kind} storage needs s3AccessKeyId and s3SecretAccessKey (static keys for the bucket)`);
  return { id: target.s3AccessKeyId, secret: target.s3SecretAccessKey };
}

function requireEncryptionKey(target: BackupTarget): string | undefined {
  if (!target.spec.encrypt) return undefined;
  if (!target.encryptionKey) throw new Error("backups.encrypt is true but no encryption key was provided (BackupTarget.encryptionKey)");
  return target.encryptionKey;
}

/**
 * WAL-G's libsodium key must decode to exactly 32 bytes. Generate it as 32 random bytes and
 * pass it hex-encoded (64 hex digits, e.g. random.RandomId{byteLength: 32}.hex) or base64.
 */
export function libsodiumKeyTransform(key: string): "hex" | "base64" {
  if (/^[0-9a-fA-F]{64}$/.test(key)) return "hex";
  if (/^[A-Za-z0-9+/]{43}=$/.test(key)) return "base64";
  throw new Error("the WAL-G backup encryption key must be 32 bytes written as 64 hex digits or as base64 (44 characters)");
}

function walgStorage(target: BackupTarget): Record<string, string> {
  const s = target.spec.storage;
  switch (s.kind) {
    case "yandex":
    case "s3": {
      const creds = s3Credentials(target);
      return {
        WALG_S3_PREFIX: objectUrl("s3", requireBucket(target), target.prefix),
        AWS_ENDPOINT: s.endpoint,
        AWS_REGION: s.region,
        // Yandex Object Storage serves both styles; path style works with any S3 clone.
        AWS_S3_FORCE_PATH_STYLE: String(s.kind === "yandex" ? true : s.forcePathStyle),
        AWS_ACCESS_KEY_ID: creds.id,
        AWS_SECRET_ACCESS_KEY: creds.secret,
      };
    }
    case "gcs":
      // No key: WAL-G uses application-default credentials (the VM's service account, or
      // Workload Identity on GKE).
      return { WALG_GS_PREFIX: objectUrl("gs", requireBucket(target), target.prefix) };
    case "local":
      return { WALG_FILE_PREFIX: localRepoPath(target) };
  }
}

function walgCompression(spec: BackupSpec): string {
  if (spec.compression === "none") throw new Error("backups.compression 'none' is not supported by WAL-G; use lz4, zstd, lzma or brotli");
  return spec.compression;
}

function walgEncryption(target: BackupTarget): Record<string, string> {
  const key = requireEncryptionKey(target);
  if (key === undefined) return {};
  return { WALG_LIBSODIUM_KEY: key, WALG_LIBSODIUM_KEY_TRANSFORM: libsodiumKeyTransform(key) };
}

function json(o: Record<string, string>): string {
  return `${JSON.stringify(o, null, 2)}\n`;
}

/**
 * WALG_CONFIG (/etc/wal-g/walg.json, 0600 postgres): everything wal-push, backup-push,
 * backup-fetch and delete need. WAL-G exports the PG* keys to libpq itself.
 */
export function renderWalgConfig(target: BackupTarget, major: number, opts: BackupRenderOptions = {}): string {
  if (target.spec.tool !== "walg") throw new Error(`renderWalgConfig: backups.tool is '${target.spec.tool}'`);
  return json({
    ...walgStorage(target),
    WALG_COMPRESSION_METHOD: walgCompression(target.spec),
    ...walgEncryption(target),
    // Every scheduled backup is a full one: retainFull then counts scheduled runs, exactly
    // like pgBackRest's repo1-retention-full with --type=full.
    WALG_DELTA_MAX_STEPS: "0",
    WALG_UPLOAD_CONCURRENCY: "16",
    // Refuse to overwrite an archived WAL file with different content (two clusters pointed
    // at one prefix, or a restored copy still archiving) instead of corrupting the archive.
    WALG_PREVENT_WAL_OVERWRITE: "true",
    // Prefetched WAL outside PGDATA: WAL-G's docs warn that prefetch inside pg_wal can make
    // pg_rewind (which runs restore_command on PG >= 13) fail.
    WALG_PREFETCH_DIR: `${PATHS.dataMount}/${major}/walg-prefetch`,
    PGDATA: pgDataDir(major),
    PGHOST: PATHS.runPostgres,
    PGPORT: String(opts.pgPort ?? DEFAULT_PG_PORT),
    PGUSER: "postgres",
  });
}

/**
 * WALG_SOURCE_CONFIG for a standby cluster: the source cluster's archive, used only by
 * wal-fetch/backup-fetch (restore_command fallback, replica creation). No upload settings;
 * give it read-only bucket credentials where the platform can.
 */
export function renderWalgSourceConfig(source: BackupTarget, major: number): string {
  if (source.spec.tool !== "walg") throw new Error(`renderWalgSourceConfig: the source's backups.tool is '${source.spec.tool}'`);
  return json({
    ...walgStorage(source),
    WALG_COMPRESSION_METHOD: walgCompression(source.spec),
    ...walgEncryption(source),
    WALG_PREFETCH_DIR: `${PATHS.dataMount}/${major}/walg-prefetch`,
    PGDATA: pgDataDir(major),
  });
}

/** pgBackRest's compress-type names. */
function pgbackrestCompression(spec: BackupSpec): string {
  switch (spec.compression) {
    case "lz4":
      return "lz4";
    case "zstd":
      return "zst";
    case "none":
      return "none";
    default:
      throw new Error(`backups.compression '${spec.compression}' is not supported by pgBackRest; use lz4, zstd or none`);
  }
}

/** pgBackRest talks HTTPS to S3 only; the endpoint option is a host name, the port separate. */
function s3Endpoint(endpoint: string): { host: string; port?: number } {
  const u = new URL(endpoint);
  if (u.protocol !== "https:") throw new Error(`pgBackRest needs an https:// S3 endpoint (got ${endpoint})`);
  if (u.pathname !== "/" && u.pathname !== "") throw new Error(`S3 endpoint ${endpoint} must not have a path`);
  return u.port ? { host: u.hostname, port: Number(u.port) } : { host: u.hostname };
}

function pgbackrestRepo(target: BackupTarget): string[] {
  const s = target.spec.storage;
  const objectPath = `/${trimSlashes(target.prefix)}`;
  switch (s.kind) {
    case "yandex":
    case "s3": {
      const creds = s3Credentials(target);
      const ep = s3Endpoint(s.endpoint);
      const pathStyle = s.kind === "yandex" ? true : s.forcePathStyle;
      return [
        "repo1-type=s3",
        `repo1-path=${objectPath}`,
        `repo1-s3-endpoint=${ep.host}`,
        ...(ep.port !== undefined ? [`repo1-storage-port=${ep.port}`] : []),
        `repo1-s3-bucket=${requireBucket(target)}`,
        `repo1-s3-region=${s.region}`,
        `repo1-s3-key=${creds.id}`,
        `repo1-s3-key-secret=${creds.secret}`,
        `repo1-s3-uri-style=${pathStyle ? "path" : "host"}`,
        // Fewer, larger objects: cheaper and faster on object stores.
        "repo1-bundle=y",
      ];
    }
    case "gcs":
      // key-type auto: the VM's service account from the metadata server; no key file.
      return [
        "repo1-type=gcs",
        `repo1-path=${objectPath}`,
        `repo1-gcs-bucket=${requireBucket(target)}`,
        "repo1-gcs-key-type=auto",
        "repo1-bundle=y",
      ];
    case "local":
      return ["repo1-type=posix", `repo1-path=${localRepoPath(target)}`];
  }
}

function pgbackrestCipher(target: BackupTarget): string[] {
  const key = requireEncryptionKey(target);
  if (key === undefined) return [];
  if (/[\r\n]/.test(key)) throw new Error("the pgBackRest cipher pass must be a single line");
  return ["repo1-cipher-type=aes-256-cbc", `repo1-cipher-pass=${key}`];
}

function stanzaSection(stanza: string, major: number, pgPort: number): string[] {
  return [`[${stanza}]`, `pg1-path=${pgDataDir(major)}`, `pg1-port=${pgPort}`, `pg1-socket-path=${PATHS.runPostgres}`, "pg1-user=postgres"];
}

function validateStanza(stanza: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(stanza)) throw new Error(`invalid pgBackRest stanza name '${stanza}'`);
}

/**
 * PATHS.pgbackrestConfig (0600 postgres). One repository, one stanza named after the
 * cluster; pg1 is always the local PostgreSQL (every member runs pgBackRest locally and only
 * the leader backs up, so no pgN-host entries and no SSH between nodes).
 */
export function renderPgbackrestConf(target: BackupTarget, cluster: string, major: number, opts: BackupRenderOptions = {}): string {
  if (target.spec.tool !== "pgbackrest") throw new Error(`renderPgbackrestConf: backups.tool is '${target.spec.tool}'`);
  const stanza = stanzaName(cluster);
  validateStanza(stanza);
  const lines = [
    "# pgBackRest configuration rendered by pgha. Holds repository credentials: keep 0600.",
    "[global]",
    ...pgbackrestRepo(target),
    `repo1-retention-full=${target.spec.retainFull}`,
    "repo1-retention-full-type=count",
    ...pgbackrestCipher(target),
    `compress-type=${pgbackrestCompression(target.spec)}`,
    "process-max=2",
    "log-level-console=info",
    "log-level-stderr=warn",
    // Begin the backup with an immediate checkpoint instead of waiting for the next one.
    "start-fast=y",
    // Synchronous archive-push: PostgreSQL recycles a segment only after it is in the repository.
    "archive-async=n",
    "",
    ...stanzaSection(stanza, major, opts.pgPort ?? DEFAULT_PG_PORT),
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * PGBACKREST_SOURCE_CONFIG for a standby cluster: the source cluster's repository and stanza,
 * used only by archive-get (restore_command fallback) and restore. No retention settings: the
 * standby never expires anything in someone else's repository.
 */
export function renderPgbackrestSourceConf(
  source: BackupTarget,
  sourceCluster: string,
  major: number,
  opts: BackupRenderOptions = {},
): string {
  if (source.spec.tool !== "pgbackrest") throw new Error(`renderPgbackrestSourceConf: the source's backups.tool is '${source.spec.tool}'`);
  const stanza = stanzaName(sourceCluster);
  validateStanza(stanza);
  const lines = [
    "# The source cluster's pgBackRest repository, read by this standby cluster (rendered by pgha).",
    "[global]",
    ...pgbackrestRepo(source),
    ...pgbackrestCipher(source),
    "log-level-console=info",
    "log-level-stderr=warn",
    "",
    ...stanzaSection(stanza, major, opts.pgPort ?? DEFAULT_PG_PORT),
  ];
  return `${lines.join("\n")}\n`;
}

export { PGBACKREST_SOURCE_CONFIG, WALG_CONFIG, WALG_SOURCE_CONFIG };

export interface BackupScriptOptions {
  major: number;
  /** Address and port of this node's Patroni REST API. */
  restApiHost: string;
  restApiPort: number;
  /** Patroni REST over HTTPS (self-signed CA: the script skips verification for this read-only GET). */
  restApiTls: boolean;
}

function backupCommands(target: BackupTarget, cluster: string, major: number): string[] {
  if (target.spec.tool === "walg") {
    const walg = `${WALG_BIN} --config ${WALG_CONFIG}`;
    return [
      `${walg} backup-push ${shellQuote(pgDataDir(major))}`,
      // Keeps retainFull full backups and deletes older backups and the WAL before them.
      `${walg} delete retain FULL ${target.spec.retainFull} --confirm`,
    ];
  }
  const pgbr = `pgbackrest --config=${PATHS.pgbackrestConfig} --stanza=${shellQuote(stanzaName(cluster))}`;
  return [
    // Idempotent: creates the stanza on the first run, verifies it afterwards.
    `${pgbr} stanza-create`,
    // pgBackRest expires old backups (repo1-retention-full) after every backup by itself.
    `${pgbr} --type=full backup`,
  ];
}

/** PATHS.backupScript (0750 root:postgres); run by pgha-backup.service as postgres. */
export function renderBackupScript(target: BackupTarget, cluster: string, opts: BackupScriptOptions): string {
  const scheme = opts.restApiTls ? "https" : "http";
  const host = opts.restApiHost.includes(":") ? `[${opts.restApiHost}]` : opts.restApiHost;
  return fillTemplate("pgha-backup.sh.tmpl", {
    cluster,
    tool: target.spec.tool === "walg" ? "WAL-G" : "pgBackRest",
    // The node's own REST certificate names its IP: verified against the cluster CA, never --insecure.
    curlTlsFlags: opts.restApiTls ? `--cacert ${tlsFiles("patroni").caFile} ` : "",
    primaryUrl: shellQuote(`${scheme}://${host}:${opts.restApiPort}/primary`),
    backupCommands: backupCommands(target, cluster, opts.major).join("\n"),
  });
}
