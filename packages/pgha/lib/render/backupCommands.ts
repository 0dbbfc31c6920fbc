import { PATHS, pgDataDir, type BackupTarget } from "./model";

/**
 * PostgreSQL/Patroni commands for the backup tool. WAL-G reads a JSON config file
 * (`--config`), so postgres needs no special environment and the secret file stays 0600.
 */
export const WALG_CONFIG = "/etc/wal-g/walg.json";
/** A standby cluster's read-only view of its source's archive. */
export const WALG_SOURCE_CONFIG = "/etc/wal-g/source.json";
export const WALG_BIN = "/usr/local/bin/wal-g";

export function stanzaName(cluster: string): string {
  return cluster;
}

export function archiveCommand(target: BackupTarget, cluster: string): string {
  if (target.spec.tool === "walg") return `${WALG_BIN} --config ${WALG_CONFIG} wal-push %p`;
  return `pgbackrest --config=${PATHS.pgbackrestConfig} --stanza=${stanzaName(cluster)} archive-push %p`;
}

/** restore_command reading this cluster's archive (own target) or, for a standby, the source's. */
export function restoreCommand(target: BackupTarget, cluster: string, fromSource = false): string {
  if (target.spec.tool === "walg") return `${WALG_BIN} --config ${fromSource ? WALG_SOURCE_CONFIG : WALG_CONFIG} wal-fetch %f %p`;
  return (
    `pgbackrest --config=${fromSource ? PGBACKREST_SOURCE_CONFIG : PATHS.pgbackrestConfig} ` +
    `--stanza=${stanzaName(cluster)} archive-get %f "%p"`
  );
}
export const PGBACKREST_SOURCE_CONFIG = "/etc/pgbackrest/source.conf";

/** Patroni create_replica_methods entry that clones a replica from the latest backup. */
export function replicaFromBackupMethod(target: BackupTarget, cluster: string, major: number): Record<string, unknown> {
  if (target.spec.tool === "walg")
    return { command: `${WALG_BIN} --config ${WALG_CONFIG} backup-fetch ${pgDataDir(major)} LATEST`, no_params: true, keep_data: false };
  return {
    command: `pgbackrest --config=${PATHS.pgbackrestConfig} --stanza=${stanzaName(cluster)} --delta --type=standby restore`,
    keep_data: true,
    no_params: true,
  };
}
