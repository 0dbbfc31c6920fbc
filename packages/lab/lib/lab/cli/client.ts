// The lab's own client, in namespace pgha-lab-client on the database subnet:
// the host's root namespace has no route into the lab, so every probe, the
// writer and psql run from here, with the tools image's programs (PostgreSQL 17's
// psql and pgbench, etcdctl 3.5, curl): the host has none of them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type DetachedProcess, spawnDetached } from "../host/daemon";
import { type ExecOptions, type ExecResult, execAllowFailure } from "../host/exec";
import { imageCommand, labImages } from "../node/image/imageExec";
import { type ClientSecrets, CLIENT_NODE, type LabContext, LABS_DIR } from "./labContext";
import { nodeNetns } from "../network/names";
import { isSameProcess } from "../host/procs";

export const CLIENT_NETNS = nodeNetns(CLIENT_NODE);

/** The process holding the client's root (a throwaway root over the tools image); host runtime state. */
const HOLDER_FILE = "/run/pgha-lab/client-root.json";
type Holder = DetachedProcess & { labsDir: string; tools: string };
let holder: Promise<Holder> | undefined;

/** The recorded holder, if it runs and binds this checkout's lab dirs over the current tools image. */
function recordedHolder(tools: string): Holder | undefined {
  if (!existsSync(HOLDER_FILE)) return undefined;
  const h = JSON.parse(readFileSync(HOLDER_FILE, "utf8")) as Holder;
  return isSameProcess(h) && h.labsDir === LABS_DIR && h.tools === tools ? h : undefined;
}

async function startHolder(): Promise<Holder> {
  const { tools } = await labImages();
  const running = recordedHolder(tools);
  if (running) return running;
  // The lab dirs are bound in: the client's certificates and keys live there.
  const argv = imageCommand(["/bin/sh", "-c", "echo ready; exec sleep infinity"], {
    lower: [tools],
    binds: [LABS_DIR],
    netns: CLIENT_NETNS,
  });
  mkdirSync(dirname(HOLDER_FILE), { recursive: true, mode: 0o700 });
  const h = {
    ...(await spawnDetached(argv, join(dirname(HOLDER_FILE), "client-root.log"), (log) => log.includes("ready"))),
    labsDir: LABS_DIR,
    tools,
  };
  writeFileSync(HOLDER_FILE, `${JSON.stringify(h)}\n`);
  return h;
}

/** One holder per process (concurrent first calls share it); a dead one (lab down) is replaced. */
async function clientRootHolder(): Promise<Holder> {
  const current = holder && (await holder.catch(() => undefined));
  if (current && isSameProcess(current)) return current;
  holder = startHolder();
  return holder;
}

export async function inClient(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const h = await clientRootHolder();
  const p = `/proc/${h.pid}`;
  return execAllowFailure(
    "nsenter",
    [`--net=/run/netns/${CLIENT_NETNS}`, `--mount=${p}/ns/mnt`, `--root=${p}/root`, `--wd=${p}/cwd`, "--", ...argv],
    opts,
  );
}

/** GET a JSON document (Patroni REST over TLS, checked against the lab CA); undefined if unreachable. */
export async function getJson<T>(url: string, s: ClientSecrets, timeoutS = 2): Promise<T | undefined> {
  const r = await inClient(["curl", "-sS", "--max-time", String(timeoutS), "--cacert", s.caFile, url], {
    timeoutMs: (timeoutS + 3) * 1000,
  });
  if (r.code !== 0) return undefined;
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    return undefined;
  }
}

export async function getText(url: string, timeoutS = 2): Promise<string | undefined> {
  const r = await inClient(["curl", "-sS", "--max-time", String(timeoutS), url], { timeoutMs: (timeoutS + 3) * 1000 });
  return r.code === 0 ? r.stdout : undefined;
}

/** One psql call as the application role; the password goes through the environment only. */
export function psql(s: ClientSecrets, host: string, port: number, sql: string, timeoutS = 2): Promise<ExecResult> {
  return inClient(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], {
    env: {
      PGHOST: host,
      PGPORT: String(port),
      PGUSER: s.appUser,
      PGDATABASE: s.appDatabase,
      PGPASSWORD: s.appPassword,
      PGSSLMODE: "require",
      PGCONNECT_TIMEOUT: String(timeoutS),
      PGAPPNAME: "pgha-lab",
    },
    timeoutMs: (timeoutS * 2 + 3) * 1000,
  });
}

/**
 * The connection string a user would use, password masked: verify-full against the cluster CA
 * (the lab's copy of it), as the stack's `connectionString` output says. The lab's own psql
 * calls use sslmode=require only because one client talks to clusters with different CAs.
 */
export function maskedConnString(s: ClientSecrets, host: string, port: number): string {
  return `postgresql://${s.appUser}:****@${host}:${port}/${s.appDatabase}?sslmode=verify-full&sslrootcert=${s.caFile}`;
}

export interface EtcdHealth {
  endpoint: string;
  health: boolean;
  error?: string;
}

/** etcdctl (v3 API) from the lab client, with the etcd client certificate. */
function etcdctl(s: ClientSecrets, endpoints: string[], args: string[], commandTimeout = "3s"): Promise<ExecResult> {
  return inClient(
    [
      "etcdctl",
      `--endpoints=${endpoints.join(",")}`,
      `--cacert=${s.etcdCaFile}`,
      `--cert=${s.etcdCertFile}`,
      `--key=${s.etcdKeyFile}`,
      "--dial-timeout=2s",
      `--command-timeout=${commandTimeout}`,
      ...args,
    ],
    { env: { ETCDCTL_API: "3" }, timeoutMs: 15_000 },
  );
}

export async function etcdHealth(s: ClientSecrets, endpoints: string[]): Promise<EtcdHealth[]> {
  const r = await etcdctl(s, endpoints, ["-w", "json", "endpoint", "health"]);
  try {
    return JSON.parse(r.stdout) as EtcdHealth[];
  } catch {
    return endpoints.map((endpoint) => ({ endpoint, health: false, error: (r.stderr || r.stdout).trim().split("\n")[0] }));
  }
}

/** The address of the etcd raft leader among `endpoints` (from `endpoint status`), if one answers. */
export async function etcdLeader(s: ClientSecrets, endpoints: string[]): Promise<string | undefined> {
  const r = await etcdctl(s, endpoints, ["-w", "simple", "endpoint", "status"]);
  // "<endpoint>, <id>, <version>, <db size>, <is leader>, ..." (JSON would round the uint64 ids).
  for (const line of r.stdout.split("\n")) {
    const f = line.split(", ");
    if (f[4] === "true") return new URL(f[0]).hostname;
  }
  return undefined;
}

/** Delete every key under `prefix` (a Patroni cluster's DCS state, when a DBA re-seeds it). */
export async function etcdDeletePrefix(s: ClientSecrets, endpoints: string[], prefix: string): Promise<void> {
  const r = await etcdctl(s, endpoints, ["del", "--prefix", prefix], "5s");
  if (r.code !== 0) throw new Error(`etcdctl del --prefix ${prefix}: ${r.stderr.trim()}`);
}

export interface PatroniMember {
  name: string;
  role: string;
  state: string;
  host: string;
  port: number;
  api_url?: string;
  timeline?: number;
  lag?: number | string;
  /** From the member's own GET /patroni (lab status): Patroni's version and PostgreSQL's server_version, e.g. 170012. */
  patroniVersion?: string;
  serverVersion?: number;
}

export interface PatroniCluster {
  members: PatroniMember[];
}

/** Patroni's `GET /` of one member: on the leader, `replication` lists its walsenders. */
export interface PatroniNodeStatus {
  state: string;
  role: string;
  timeline?: number;
  replication?: { application_name: string; state: string; sync_state: string }[];
  server_version?: number;
  patroni?: { version: string; scope: string };
}

export function patroniNode(s: ClientSecrets, ip: string, timeoutS = 2): Promise<PatroniNodeStatus | undefined> {
  return getJson<PatroniNodeStatus>(`https://${ip}:8008/`, s, timeoutS);
}

/**
 * An authenticated call to Patroni's REST API (switchover, config). The credentials go to
 * curl through a config on stdin, never on a command line other processes can read.
 */
export async function patroniRequest(
  s: ClientSecrets,
  method: "POST" | "PATCH",
  url: string,
  body: unknown,
  timeoutS = 30,
): Promise<{ ok: boolean; status: string }> {
  const config = `user = "${s.restUser}:${s.restPassword.replace(/["\\]/g, "\\$&")}"\n`;
  const r = await inClient(
    [
      "curl",
      "-sS",
      "-K",
      "-",
      "--max-time",
      String(timeoutS),
      "--cacert",
      s.caFile,
      "-X",
      method,
      "-H",
      "Content-Type: application/json",
      "--data-binary",
      JSON.stringify(body),
      "-w",
      "\n%{http_code}",
      url,
    ],
    { input: config, timeoutMs: (timeoutS + 5) * 1000 },
  );
  const lines = r.stdout.trimEnd().split("\n");
  const code = lines.pop() ?? "";
  const answer = (lines.join(" ").trim() || r.stderr.trim()).slice(0, 120);
  return { ok: r.code === 0 && /^2\d\d$/.test(code), status: `${code} ${answer}`.trim() };
}

/** Patroni's /cluster as seen by the first member that answers. */
export async function patroniCluster(s: ClientSecrets, memberIps: string[]): Promise<PatroniCluster | undefined> {
  for (const ip of memberIps) {
    const c = await getJson<PatroniCluster>(`https://${ip}:8008/cluster`, s);
    if (c) return c;
  }
  return undefined;
}

/** Patroni 4 reports a member that streams WAL (a replica, a standby leader) as "streaming". */
export const isMemberUp = (m: { state: string }) => m.state === "running" || m.state === "streaming";
/** A synchronous standby, or in quorum mode (Patroni >= 4.0) a member of the commit quorum. */
export const isSynchronousStandby = (m: { role: string }) => m.role === "sync_standby" || m.role === "quorum_standby";

/**
 * Members when the cluster is healthy: exactly one leader, every other member streaming from it,
 * and with `needSync`, a synchronous standby named (Patroni names one a loop after a replica streams).
 */
export async function healthyMembers(
  s: ClientSecrets,
  members: { name: string; ip: string }[],
  standby: boolean,
  needSync = false,
): Promise<PatroniMember[] | undefined> {
  const c = await patroniCluster(
    s,
    members.map((m) => m.ip),
  );
  if (!c) return undefined;
  const leaders = c.members.filter((m) => (standby ? m.role === "standby_leader" : m.role === "leader") && isMemberUp(m));
  if (leaders.length !== 1 || c.members.length !== members.length) return undefined;
  const leaderIp = members.find((m) => m.name === leaders[0].name)?.ip;
  if (!leaderIp) return undefined;
  const st = await patroniNode(s, leaderIp);
  const streaming = new Set((st?.replication ?? []).filter((r) => r.state === "streaming").map((r) => r.application_name));
  const replicas = c.members.filter((m) => m.name !== leaders[0].name);
  if (!replicas.every((m) => isMemberUp(m) && streaming.has(m.name))) return undefined;
  return !needSync || replicas.some(isSynchronousStandby) ? c.members : undefined;
}

export type { LabContext };
