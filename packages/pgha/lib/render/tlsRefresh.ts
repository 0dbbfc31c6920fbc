/**
 * The hourly pickup of renewed certificates on a node: `pulumi up` inside a leaf's renewal window
 * writes new certificate and key files into the node's secret, and this timer runs
 *
 *   pgha-secrets refresh --only /etc/pgha/tls | pgha-reload-tls
 *
 * so the node rewrites the changed TLS files and reloads what reads them, without a restart.
 * Only TLS files: a changed password (patroni.yml, userlist.txt, ...) is reported by pgha-secrets and
 * left alone, since rewriting it would desynchronize the file from the role in PostgreSQL.
 */
import { type NodeFile, PATHS } from "./model";
import { SECRETS_SCRIPT } from "./secretRefs";
import { UNITS, unitFile } from "./systemd";
import { fillTemplate } from "./template";
import { TLS_RELOAD_SCRIPT } from "./tlsReload";

/** Spread of each run inside the hour, so a cluster's members rarely reload together. */
export const TLS_REFRESH_RANDOMIZED_DELAY = "45min";

export function renderTlsRefreshService(): string {
  return fillTemplate("pgha-tls-refresh.service.tmpl", {
    secretsScript: SECRETS_SCRIPT,
    reloadScript: TLS_RELOAD_SCRIPT,
    tlsDir: PATHS.tlsDir,
  });
}

export function renderTlsRefreshTimer(): string {
  return fillTemplate("pgha-tls-refresh.timer.tmpl", { randomizedDelay: TLS_REFRESH_RANDOMIZED_DELAY });
}

/**
 * The units, for a node that has both halves of the pipe: pgha-reload-tls among its files and TLS
 * files among those pgha-secrets writes (`secretFiles`, its manifest's paths). Otherwise nothing:
 * the timer would have nothing to pick up, or fail every hour.
 */
export function tlsRefreshUnits(files: NodeFile[], secretFiles: string[]): { files: NodeFile[]; services: string[] } {
  const hasReload = files.some((f) => f.path === TLS_RELOAD_SCRIPT);
  if (!hasReload || !secretFiles.some((p) => p.startsWith(`${PATHS.tlsDir}/`))) return { files: [], services: [] };
  return {
    files: [unitFile(UNITS.tlsRefreshService, renderTlsRefreshService()), unitFile(UNITS.tlsRefreshTimer, renderTlsRefreshTimer())],
    services: [UNITS.tlsRefreshTimer],
  };
}
