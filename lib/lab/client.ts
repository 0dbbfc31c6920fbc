// The lab's own client, in namespace pgha-lab-client on the database subnet:
// the host's root namespace has no route into the lab, so every probe, the
// writer and psql run from here.
import { type ExecOptions, type ExecResult, execAllowFailure } from "./exec";
import { type ClientSecrets, CLIENT_NODE, type LabContext } from "./labContext";
import { nodeNetns } from "./names";

export const CLIENT_NETNS = nodeNetns(CLIENT_NODE);

export function inClient(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return execAllowFailure("ip", ["netns", "exec", CLIENT_NETNS, ...argv], opts);
}

/** GET a JSON document (Patroni REST over TLS, checked against the lab CA); undefined if unreachable. */
export async function getJson<T>(url: string, s: ClientSecrets, timeoutS = 2): Promise<T | undefined> {
  const r = await inClient(["curl", "-sS", "--max-time", String(timeoutS), "--cacert", s.caFile, url], { timeoutMs: (timeoutS + 3) * 1000 });
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
      // libpq 15 cannot do channel binding with Ed25519 server certificates (see LAB_REPLACEMENTS).
      PGCHANNELBINDING: "disable",
      PGCONNECT_TIMEOUT: String(timeoutS),
      PGAPPNAME: "pgha-lab",
    },
    timeoutMs: (timeoutS * 2 + 3) * 1000,
  });
}

/** The connection string a user would use, password masked. */
export function maskedConnString(s: ClientSecrets, host: string, port: number): string {
  return `postgresql://${s.appUser}:****@${host}:${port}/${s.appDatabase}?sslmode=require`;
}

export interface EtcdHealth {
  endpoint: string;
  health: boolean;
  error?: string;
}

export async function etcdHealth(s: ClientSecrets, endpoints: string[]): Promise<EtcdHealth[]> {
  const r = await inClient(
    ["etcdctl", `--endpoints=${endpoints.join(",")}`, `--cacert=${s.etcdCaFile}`, `--cert=${s.etcdCertFile}`, `--key=${s.etcdKeyFile}`, "--dial-timeout=2s", "--command-timeout=3s", "-w", "json", "endpoint", "health"],
    { env: { ETCDCTL_API: "3" }, timeoutMs: 15_000 },
  );
  try {
    return JSON.parse(r.stdout) as EtcdHealth[];
  } catch {
    return endpoints.map((endpoint) => ({ endpoint, health: false, error: (r.stderr || r.stdout).trim().split("\n")[0] }));
  }
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
}

export interface PatroniCluster {
  members: PatroniMember[];
}

/** Patroni's /cluster as seen by the first member that answers. */
export async function patroniCluster(s: ClientSecrets, memberIps: string[]): Promise<PatroniCluster | undefined> {
  for (const ip of memberIps) {
    const c = await getJson<PatroniCluster>(`https://${ip}:8008/cluster`, s);
    if (c) return c;
  }
  return undefined;
}

export type { LabContext };
