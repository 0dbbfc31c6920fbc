// The S3 credentials a node's user-data carries: the WAL-G JSON config (AWS_* keys) and
// pgbackrest.conf (repo1-s3-*), as lib/render/backups.ts writes them. Pure: the lab reads which
// static key each node holds, for which bucket and endpoint, from the files the node would have.
import { type BackupStorageConfig, pgbackrestStorage, walgStorage } from "../../../check/backupConfig";

export interface S3CredentialUse {
  /** The file in the user-data that names it. */
  file: string;
  /** https://host[:port] */
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secretKey: string;
}

/** A static S3 key the file holds, with where it is used; undefined for other storage or no key. */
function credentialUse(
  file: string,
  storage: BackupStorageConfig | undefined,
  endpointOf: (s: BackupStorageConfig) => string | undefined,
): S3CredentialUse | undefined {
  if (storage?.kind !== "s3" || storage.accessKeyId === undefined || storage.secretAccessKey === undefined) return undefined;
  const endpoint = endpointOf(storage);
  if (endpoint === undefined) return undefined;
  return {
    file,
    endpoint,
    bucket: storage.bucket,
    region: storage.region ?? "",
    accessKey: storage.accessKeyId,
    secretKey: storage.secretAccessKey,
  };
}

// WAL-G names a URL (AWS's own endpoint when it names none); pgBackRest a host and maybe a port.
const walgEndpoint = (s: BackupStorageConfig) => s.endpoint ?? "https://s3.amazonaws.com";
const pgbackrestEndpoint = (s: BackupStorageConfig) => (s.endpoint ? `https://${s.endpoint}${s.port ? `:${s.port}` : ""}` : undefined);

/** Every S3 credential in a node's write_files, one per file that holds one. */
export function s3CredentialsIn(files: { path: string; content: string }[]): S3CredentialUse[] {
  const out: S3CredentialUse[] = [];
  for (const f of files) {
    const use = f.content.trimStart().startsWith("{")
      ? credentialUse(f.path, walgStorage(f.content), walgEndpoint)
      : credentialUse(f.path, pgbackrestStorage(f.content), pgbackrestEndpoint);
    if (use) out.push(use);
  }
  return out;
}
