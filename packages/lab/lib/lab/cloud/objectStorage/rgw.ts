// Ceph's RGW (radosgw 18.2 from Debian 13, in the lab's tools image) on its dbstore backend: an
// S3 server with no Ceph cluster behind it (SQLite files in a state directory). The lab's stand-in
// for a cloud's object storage. This file runs the process and its admin tool; what to create in
// it comes from the plan (planStorage.ts, labObjectStorage.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DetachedProcess, spawnDetached } from "../../host/daemon";
import { type ExecResult, execAllowFailure, formatArgv } from "../../host/exec";
import { imageCommand } from "../../node/image/imageExec";
import { isSameProcess, sleep, terminate } from "../../host/procs";

/** Where the state directory is bound inside the throwaway root radosgw runs in. */
export const RGW_STATE_MOUNT = "/var/lib/pgha-rgw";
const CONF = `${RGW_STATE_MOUNT}/ceph.conf`;
/** The Ceph entity radosgw and radosgw-admin run as (a [client.…] section of the conf). */
const ENTITY = "client.rgw.pgha-lab";

export interface RgwListen {
  address: string;
  port: number;
  /** HTTPS with this certificate and key (paths inside the state directory); plain HTTP without. */
  tls?: { certFile: string; keyFile: string };
}

export interface RgwOptions {
  /** An image root that holds radosgw (the tools image). */
  root: string;
  /** Host directory for the conf, the dbstore databases and TLS files. */
  stateDir: string;
  /** Network namespace radosgw listens in. */
  netns: string;
  listen: RgwListen;
}

/** Beast frontend line: one endpoint, TLS or not. */
export function beastFrontend(l: RgwListen): string {
  if (!l.tls) return `beast endpoint=${l.address}:${l.port}`;
  return (
    `beast ssl_endpoint=${l.address}:${l.port} ssl_certificate=${RGW_STATE_MOUNT}/${l.tls.certFile} ` +
    `ssl_private_key=${RGW_STATE_MOUNT}/${l.tls.keyFile}`
  );
}

/** ceph.conf for a cluster-less RGW: dbstore for data and config, no auth to monitors (there are none). Pure. */
export function renderRgwConf(l: RgwListen): string {
  return [
    "# Written by pgha lab: Ceph RGW on its dbstore backend (no Ceph cluster), the lab's object storage.",
    "[global]",
    "auth_client_required = none",
    "auth_cluster_required = none",
    "auth_service_required = none",
    "log_to_stderr = true",
    "err_to_stderr = true",
    "log_file = ",
    "",
    `[${ENTITY}]`,
    "rgw_backend_store = dbstore",
    "rgw_config_store = dbstore",
    `dbstore_db_dir = ${RGW_STATE_MOUNT}/db`,
    `dbstore_config_uri = file://${RGW_STATE_MOUNT}/db/config.db`,
    `rgw_frontends = ${beastFrontend(l)}`,
    // One beast endpoint, a handful of clients: the default 512 threads only cost memory.
    "rgw_thread_pool_size = 32",
    "debug_rgw = 1",
    "",
  ].join("\n");
}

function rgwArgv(o: Pick<RgwOptions, "root" | "stateDir">, argv: string[], netns?: string): string[] {
  return imageCommand(argv, { lower: [o.root], binds: [[o.stateDir, RGW_STATE_MOUNT]], netns });
}

/** radosgw-admin against the same dbstore (SQLite: it works beside a running radosgw). */
export async function rgwAdmin(o: Pick<RgwOptions, "root" | "stateDir">, args: string[]): Promise<ExecResult> {
  const cmd = rgwArgv(o, ["radosgw-admin", "-c", CONF, "-n", ENTITY, "--no-mon-config", ...args]);
  return execAllowFailure(cmd[0], cmd.slice(1), { timeoutMs: 60_000 });
}

export interface RgwUser {
  uid: string;
  accessKey: string;
  secretKey: string;
  /** May the user create buckets? A cloud service account without a folder role may not. */
  mayCreateBuckets: boolean;
}

/** Create the user with exactly this key, or leave it if it exists with it already. */
export async function ensureRgwUser(o: Pick<RgwOptions, "root" | "stateDir">, u: RgwUser): Promise<void> {
  const info = await rgwAdmin(o, ["user", "info", `--uid=${u.uid}`]);
  if (info.code === 0) {
    const keys = (JSON.parse(info.stdout) as { keys: { access_key: string; secret_key: string }[] }).keys;
    if (keys.some((k) => k.access_key === u.accessKey && k.secret_key === u.secretKey)) return;
    throw new Error(
      `RGW user ${u.uid} exists with another key; the lab's object storage was made for another plan (pgha lab down, then up)`,
    );
  }
  const args = [
    "user",
    "create",
    `--uid=${u.uid}`,
    `--display-name=${u.uid}`,
    `--access-key=${u.accessKey}`,
    `--secret-key=${u.secretKey}`,
  ];
  // RGW: a negative max-buckets disables bucket creation for the user.
  const r = await rgwAdmin(o, [...args, `--max-buckets=${u.mayCreateBuckets ? 1000 : -1}`]);
  if (r.code !== 0)
    throw new Error(`radosgw-admin user create --uid=${u.uid} failed (exit ${r.code}): ${r.stderr.trim().split("\n").slice(-3).join(" ")}`);
}

/** Write the conf and start radosgw in `o.netns`; resolves once it accepts connections. */
export async function startRgw(o: RgwOptions, logFile: string): Promise<DetachedProcess> {
  mkdirSync(join(o.stateDir, "db"), { recursive: true, mode: 0o700 });
  writeFileSync(join(o.stateDir, "ceph.conf"), renderRgwConf(o.listen));
  const argv = rgwArgv(o, ["radosgw", "-c", CONF, "-n", ENTITY, "--no-mon-config", "-f"], o.netns);
  const proc = await spawnDetached(argv, logFile, (log) => log.includes("starting handler: beast"), { timeoutMs: 30_000 });
  // The handler line comes as beast starts; wait for its socket too.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await execAllowFailure("ip", ["netns", "exec", o.netns, "ss", "-Htln", `src ${o.listen.address}:${o.listen.port}`]);
    if (r.code === 0 && r.stdout.trim() !== "") return proc;
    if (!isSameProcess(proc) || Date.now() > deadline) {
      await terminate(proc);
      throw new Error(`radosgw (${formatArgv(argv)}) did not listen on ${o.listen.address}:${o.listen.port}; log ${logFile}`);
    }
    await sleep(20);
  }
}

export async function stopRgw(p: DetachedProcess): Promise<void> {
  await terminate(p, 10_000);
}
