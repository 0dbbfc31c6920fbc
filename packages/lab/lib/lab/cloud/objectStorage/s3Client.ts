// A plain S3 client for the lab's own calls (the deployer creating buckets, tests acting as a
// node): the tools image's curl (8.14) signs requests with AWS Signature V4 itself
// (--aws-sigv4, curl >= 7.75), run in a network namespace, so it goes where a node's client would.
import { execAllowFailure, formatArgv } from "../../host/exec";
import { imageCommand } from "../../node/image/imageExec";

export interface S3Target {
  /** Image root with curl (the tools image). */
  root: string;
  netns: string;
  /** https://host[:port] or http://…, as the client would name it. */
  endpoint: string;
  region: string;
  /** Resolve the endpoint's host to this address (curl --resolve), instead of DNS. */
  resolveTo?: string;
  /** CA file on the host to verify the endpoint's certificate with (bound into the root). */
  caFile?: string;
}

export interface S3Credentials {
  accessKey: string;
  secretKey: string;
}

export interface S3Response {
  status: number;
  body: string;
  /** The S3 error code of an error response (AccessDenied, NoSuchKey, ...). */
  code?: string;
}

const CA_MOUNT = "/run/pgha-lab-s3-ca.pem";

/** `method` on `path` (/bucket, /bucket/key, with ?query), signed with `creds`; `body` is sent as is. */
export async function s3Request(t: S3Target, creds: S3Credentials, method: string, path: string, body?: string): Promise<S3Response> {
  const url = new URL(path, t.endpoint);
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const argv = [
    "curl",
    "-sS",
    "--max-time",
    "30",
    "-X",
    method,
    "--aws-sigv4",
    `aws:amz:${t.region}:s3`,
    "--user",
    `${creds.accessKey}:${creds.secretKey}`,
    ...(t.resolveTo ? ["--resolve", `${url.hostname}:${port}:${t.resolveTo}`] : []),
    ...(t.caFile ? ["--cacert", CA_MOUNT] : []),
    ...(body !== undefined ? ["--data-binary", "@-", "-H", "Content-Type: application/octet-stream"] : []),
    "-w",
    "\n%{http_code}",
    url.toString(),
  ];
  const cmd = imageCommand(argv, { lower: [t.root], netns: t.netns, binds: t.caFile ? [[t.caFile, CA_MOUNT, "ro"]] : [] });
  const r = await execAllowFailure(cmd[0], cmd.slice(1), { input: body ?? "", timeoutMs: 60_000 });
  if (r.code !== 0)
    throw new Error(
      `${method} ${url.href} failed: curl exit ${r.code}: ` +
        `${r.stderr.trim()} (${formatArgv(argv.filter((a) => !a.includes(creds.secretKey)))})`,
    );
  const cut = r.stdout.lastIndexOf("\n");
  const status = Number(r.stdout.slice(cut + 1));
  const text = r.stdout.slice(0, cut);
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  return { status, body: text, ...(code ? { code } : {}) };
}
