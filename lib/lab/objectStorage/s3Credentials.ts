// The S3 credentials a node's user-data carries: the WAL-G JSON config (AWS_* keys) and
// pgbackrest.conf (repo1-s3-*), as lib/render/backups.ts writes them. Pure: the lab reads which
// static key each node holds, for which bucket and endpoint, from the files the node would have.
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

function fromWalgJson(file: string, content: string): S3CredentialUse | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(content) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const prefix = doc.WALG_S3_PREFIX;
  const { AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secretKey, AWS_ENDPOINT: endpoint } = doc;
  if (typeof prefix !== "string" || typeof accessKey !== "string" || typeof secretKey !== "string") return undefined;
  const bucket = /^s3:\/\/([^/]+)/.exec(prefix)?.[1];
  if (!bucket) return undefined;
  return { file, endpoint: typeof endpoint === "string" ? endpoint : "https://s3.amazonaws.com", bucket, region: String(doc.AWS_REGION ?? ""), accessKey, secretKey };
}

function fromPgbackrestConf(file: string, content: string): S3CredentialUse | undefined {
  const kv = new Map<string, string>();
  for (const line of content.split("\n")) {
    const m = /^\s*(repo1-[a-z0-9-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) kv.set(m[1], m[2]);
  }
  if (kv.get("repo1-type") !== "s3") return undefined;
  const host = kv.get("repo1-s3-endpoint");
  const [bucket, accessKey, secretKey] = [kv.get("repo1-s3-bucket"), kv.get("repo1-s3-key"), kv.get("repo1-s3-key-secret")];
  if (!host || !bucket || !accessKey || !secretKey) return undefined;
  const port = kv.get("repo1-storage-port");
  return { file, endpoint: `https://${host}${port ? `:${port}` : ""}`, bucket, region: kv.get("repo1-s3-region") ?? "", accessKey, secretKey };
}

/** Every S3 credential in a node's write_files, one per file that holds one. */
export function s3CredentialsIn(files: { path: string; content: string }[]): S3CredentialUse[] {
  const out: S3CredentialUse[] = [];
  for (const f of files) {
    const use = f.content.trimStart().startsWith("{") ? fromWalgJson(f.path, f.content) : fromPgbackrestConf(f.path, f.content);
    if (use) out.push(use);
  }
  return out;
}
