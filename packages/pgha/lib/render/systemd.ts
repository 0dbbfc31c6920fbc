/**
 * systemd units for every service pgha runs. The standard names (etcd.service, haproxy.service,
 * ...) are kept on purpose: written to /etc/systemd/system they take precedence over the units
 * the distribution packages ship in /lib/systemd/system, so there is exactly one etcd (or
 * HAProxy, PgBouncer, keepalived) per node and operators find it under the name they expect.
 */
import type { ClusterSpec } from "../config";
import { cronToOnCalendar } from "../config/cron";
import { KEEPALIVED_RUN_DIR, keepalivedArgs } from "./keepalived";
import { type NodeFile, PATHS } from "./model";
import { PGBOUNCER_RUN_DIR, PGBOUNCER_USER } from "./pgbouncer";
import { fillTemplate } from "./template";

export const UNITS = {
  etcd: "etcd.service",
  patroni: "patroni.service",
  haproxy: "haproxy.service",
  keepalived: "keepalived.service",
  pgbouncer: "pgbouncer.service",
  backupService: "pgha-backup.service",
  backupTimer: "pgha-backup.timer",
  tlsRefreshService: "pgha-tls-refresh.service",
  tlsRefreshTimer: "pgha-tls-refresh.timer",
} as const;
export type UnitName = (typeof UNITS)[keyof typeof UNITS];

export function unitPath(name: string): string {
  return `${PATHS.systemdDir}/${name}`;
}

/** A unit as a file cloud-init writes: units hold no secrets, root-owned 0644 like packaged ones. */
export function unitFile(name: string, content: string): NodeFile {
  return { path: unitPath(name), content, owner: "root:root", permissions: "0644" };
}

function absolutePath(p: string, what: string): string {
  if (!/^\/[A-Za-z0-9._/-]*$/.test(p)) throw new Error(`${what} must be an absolute path without spaces (got '${p}')`);
  return p;
}

export function renderEtcdUnit(opts: { dataDir: string; configFile?: string }): string {
  return fillTemplate("etcd.service.tmpl", {
    dataDir: absolutePath(opts.dataDir, "etcd data dir"),
    configFile: absolutePath(opts.configFile ?? PATHS.etcdConfig, "etcd config file"),
  });
}

export interface PatroniUnitOptions {
  cluster: string;
  /** Patroni's watchdog (patroni.watchdog.mode != off): the device must be writable by postgres before Patroni starts. */
  watchdogDevice?: string;
}

export function renderPatroniUnit(opts: PatroniUnitOptions): string {
  let watchdogSetup = "";
  if (opts.watchdogDevice !== undefined) {
    const dev = absolutePath(opts.watchdogDevice, "watchdog device");
    // '+': run as root despite User=. Clouds have no hardware watchdog: load softdog ('-': a
    // kernel without the module may still have a device). Then hand the device to postgres.
    watchdogSetup = [`ExecStartPre=-+/usr/sbin/modprobe softdog`, `ExecStartPre=+/bin/chown postgres ${dev}`, ""].join("\n");
  }
  return fillTemplate("patroni.service.tmpl", {
    cluster: opts.cluster,
    dataMount: PATHS.dataMount,
    envFile: PATHS.patroniEnv,
    configFile: PATHS.patroniConfig,
    watchdogSetup,
  });
}

/** `nofile`: haproxyNofileLimit(m) — HAProxy needs two descriptors per proxied connection. */
export function renderHaproxyUnit(opts: { nofile: number }): string {
  if (!Number.isInteger(opts.nofile) || opts.nofile < 1024)
    throw new Error(`haproxy LimitNOFILE ${opts.nofile} must be an integer >= 1024`);
  return fillTemplate("haproxy.service.tmpl", { configFile: PATHS.haproxyConfig, nofile: opts.nofile });
}

export function renderKeepalivedUnit(): string {
  return fillTemplate("keepalived.service.tmpl", {
    runtimeDirectory: KEEPALIVED_RUN_DIR.replace(/^\/run\//, ""),
    args: keepalivedArgs(PATHS.keepalivedConfig).join(" "),
  });
}

export function renderPgbouncerUnit(): string {
  return fillTemplate("pgbouncer.service.tmpl", {
    user: PGBOUNCER_USER,
    runtimeDirectory: PGBOUNCER_RUN_DIR.replace(/^\/run\//, ""),
    configFile: PATHS.pgbouncerIni,
  });
}

export function renderBackupService(cluster: string, tool: "walg" | "pgbackrest"): string {
  return fillTemplate("pgha-backup.service.tmpl", {
    cluster,
    tool: tool === "walg" ? "WAL-G" : "pgBackRest",
    script: PATHS.backupScript,
  });
}

export function renderBackupTimer(cluster: string, cron: string): string {
  return fillTemplate("pgha-backup.timer.tmpl", { cluster, cron: cron.trim().replace(/\s+/g, " "), onCalendar: cronToOnCalendar(cron) });
}

/** Units a Patroni node needs besides PgBouncer's and the backup ones. */
export function patroniUnitFiles(cluster: ClusterSpec): NodeFile[] {
  const w = cluster.patroni.watchdog;
  const files = [
    unitFile(UNITS.patroni, renderPatroniUnit({ cluster: cluster.name, watchdogDevice: w.mode === "off" ? undefined : w.device })),
  ];
  if (cluster.pgbouncer.enabled) files.push(unitFile(UNITS.pgbouncer, renderPgbouncerUnit()));
  if (cluster.backups) {
    files.push(unitFile(UNITS.backupService, renderBackupService(cluster.name, cluster.backups.tool)));
    files.push(unitFile(UNITS.backupTimer, renderBackupTimer(cluster.name, cluster.backups.schedule)));
  }
  return files;
}

// The cron -> OnCalendar translation lives in config/cron.ts (the schedule's field schema uses it).
export { cronToOnCalendar };
