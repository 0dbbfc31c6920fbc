/**
 * Day-2 operations over SSH (`@pulumi/command` remote). Optional: they need an SSH path to
 * one Patroni node (directly or through a bastion). Without one, run the same script by hand.
 */
import { readFileSync } from "node:fs";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { PatroniCluster } from "../components/patroniCluster";
import { packageFile } from "../packageRoot";

/** Where the operations script ships: shipped to the node inline (Patroni nodes have python3). */
export const PATRONI_OPS_FILE = packageFile("templates/patroniOps.py");

let opsScript: string | undefined;
/** The operations script's text, read on first use (importing pgha reads no files). */
export function patroniOpsScript(): string {
  return (opsScript ??= readFileSync(PATRONI_OPS_FILE, "utf8"));
}

export interface OpsConnection {
  /** A Patroni node (or any host that reaches the members' REST API). */
  host: pulumi.Input<string>;
  user?: pulumi.Input<string>;
  privateKey: pulumi.Input<string>;
  /** Bastion, when the nodes have private addresses only. */
  proxy?: { host: pulumi.Input<string>; user?: pulumi.Input<string>; privateKey: pulumi.Input<string> };
}

/** The shell command that runs one action of patroniOps.py with the script written to a temp file. */
export function opsCommand(action: "ready" | "push" | "restart", urls: string[], extra: string[] = []): string {
  const args = ["--urls", urls.join(","), ...extra].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return [
    "f=$(mktemp) && trap 'rm -f \"$f\"' EXIT",
    "cat > \"$f\" <<'PGHA_OPS'",
    patroniOpsScript().trimEnd(),
    "PGHA_OPS",
    `/usr/bin/python3 "$f" ${action} ${args}`,
  ].join("\n");
}

function connection(c: OpsConnection) {
  // Retry dialing while the VMs boot: cloud-init and sshd come up minutes after creation.
  return {
    host: c.host,
    user: c.user ?? "pgha",
    privateKey: c.privateKey,
    dialErrorLimit: 60,
    perDialTimeout: 10,
    proxy: c.proxy ? { host: c.proxy.host, user: c.proxy.user ?? "pgha", privateKey: c.proxy.privateKey, dialErrorLimit: 60 } : undefined,
  };
}

export interface ReadinessGateArgs {
  cluster: PatroniCluster;
  connection: OpsConnection;
  /** Running replicas to wait for (default: all members but the leader). */
  replicas?: number;
  timeoutSeconds?: number;
}

/**
 * Completes only when the cluster has one running leader and N running replicas (so etcd
 * has quorum too: Patroni holds no leader without its DCS). Depend on it to make `pulumi up`
 * return a healthy cluster.
 */
export function readinessGate(name: string, args: ReadinessGateArgs, opts?: pulumi.CustomResourceOptions): command.remote.Command {
  const create = pulumi
    .all([args.cluster.restUrls, args.cluster.memberIps])
    .apply(([urls, ips]) =>
      opsCommand("ready", urls, ["--replicas", String(args.replicas ?? ips.length - 1), "--timeout", String(args.timeoutSeconds ?? 900)]),
    );
  return new command.remote.Command(
    name,
    { connection: connection(args.connection), create, environment: { PGHA_CA_FILE: "/etc/pgha/tls/ca.crt" } },
    opts,
  );
}

export interface ConfigPushArgs {
  cluster: PatroniCluster;
  connection: OpsConnection;
  /** Patroni REST password (secret): the cluster's `restApiPassword` output. */
  restApiPassword: pulumi.Input<string>;
}

/**
 * On every change of the cluster's dynamic config: PATCH /config (JSON on stdin), then restart
 * members with pending_restart, replicas first, the leader last through a switchover.
 */
export function dynamicConfigPush(name: string, args: ConfigPushArgs, opts?: pulumi.CustomResourceOptions): command.remote.Command {
  const json = args.cluster.dynamicConfig.apply((dcs) => JSON.stringify(dcs));
  const run = args.cluster.restUrls.apply((urls) => opsCommand("push", urls));
  return new command.remote.Command(
    name,
    {
      connection: connection(args.connection),
      create: run,
      update: run,
      stdin: json,
      triggers: [json],
      environment: { PATRONI_REST_PASSWORD: pulumi.secret(args.restApiPassword), PGHA_CA_FILE: "/etc/pgha/tls/ca.crt" },
    },
    opts,
  );
}
