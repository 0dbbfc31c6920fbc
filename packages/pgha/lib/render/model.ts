/**
 * Plain values the renderers take. Components (or the lab/synth) build these from a
 * validated Topology, the address plan and resolved secrets; renderers never see Pulumi.
 */
import type { BackupSpec, ClusterSpec, EtcdSpec, HaproxySpec, OsFamily, SynchronousMode, TlsSpec } from "../config";

export type { OsFamily };

/** Where things live on a node. One table, so renderers, cloud-init and the lab agree. */
export const PATHS = {
  patroniConfig: "/etc/patroni/patroni.yml",
  patroniEnv: "/etc/patroni/patroni.env",
  /** Run once by Patroni after initdb (bootstrap.post_bootstrap): roles, databases. Holds passwords: 0600. */
  patroniPostBootstrap: "/etc/patroni/post-bootstrap.sh",
  /** Patroni writes the replication/rewind passwords here for libpq (0600, owner postgres). */
  patroniPgpass: "/var/lib/postgresql/.pgpass.patroni",
  etcdConfig: "/etc/etcd/etcd.conf.yml",
  haproxyConfig: "/etc/haproxy/haproxy.cfg",
  /** The Patroni cluster's CA (not secret): HAProxy's checks verify the members' REST certificates against it. */
  haproxyClusterCa: "/etc/haproxy/pgha-cluster-ca.crt",
  keepalivedConfig: "/etc/keepalived/keepalived.conf",
  keepalivedCheckScript: "/etc/keepalived/check_haproxy.sh",
  pgbouncerIni: "/etc/pgbouncer/pgbouncer.ini",
  pgbouncerUserlist: "/etc/pgbouncer/userlist.txt",
  walgEnv: "/etc/wal-g/walg.env",
  pgbackrestConfig: "/etc/pgbackrest/pgbackrest.conf",
  backupScript: "/usr/local/bin/pgha-backup",
  tlsDir: "/etc/pgha/tls",
  /** Data disk mount point. PGDATA lives below it. */
  dataMount: "/var/lib/postgresql",
  etcdDataMount: "/var/lib/etcd",
  systemdDir: "/etc/systemd/system",
  runPostgres: "/run/postgresql",
} as const;

export function pgDataDir(major: number): string {
  return `${PATHS.dataMount}/${major}/main`;
}

export function pgBinDir(major: number): string {
  // Debian/Ubuntu (PGDG and distro packages) install every major side by side here.
  return `/usr/lib/postgresql/${major}/bin`;
}

/** PEM file paths on a node; contents are delivered by cloud-init write_files (mode 0600 for keys). */
export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export function tlsFiles(service: "etcd" | "etcd-client" | "patroni" | "postgres"): TlsFiles {
  return {
    // etcd has a CA of its own (one per etcd cluster); Patroni and PostgreSQL share the cluster's CA.
    caFile: service.startsWith("etcd") ? `${PATHS.tlsDir}/etcd-ca.crt` : `${PATHS.tlsDir}/ca.crt`,
    certFile: `${PATHS.tlsDir}/${service}.crt`,
    keyFile: `${PATHS.tlsDir}/${service}.key`,
  };
}

export interface Member {
  name: string;
  ip: string;
}

/** Resolved secrets for one Patroni cluster. Plain strings: only ever inside an Output.apply. */
export interface ClusterPasswords {
  superuser: string;
  replication: string;
  rewind: string;
  /** Basic auth for unsafe Patroni REST endpoints (user `patroni`). */
  restApi: string;
  /** PgBouncer's auth_query role. */
  pgbouncer: string;
  /** Application roles by name. */
  roles: Record<string, string>;
  /** Backup encryption key (WAL-G libsodium / pgBackRest cipher pass). */
  backupEncryptionKey?: string;
}

/** Platform facts a backup renderer needs beyond BackupSpec. */
export interface BackupTarget {
  spec: BackupSpec;
  /** Bucket name actually created (or the local path). */
  bucket: string;
  /** Path prefix inside the bucket for this cluster, e.g. `main/`. */
  prefix: string;
  /** S3 credentials (yandex/s3). GCS uses the VM's service account: none. */
  s3AccessKeyId?: string;
  s3SecretAccessKey?: string;
  /**
   * Client-side encryption key of this archive (required when spec.encrypt): WAL-G libsodium
   * key (32 bytes as 64 hex digits or base64) / pgBackRest cipher pass. For a standby's
   * `sourceBackups` it is the source cluster's key.
   */
  encryptionKey?: string;
}

export interface StandbySource {
  /** Address clients of the source cluster use (its TCP load balancer / HAProxy VIP primary port, or a node). */
  host: string;
  port: number;
  primarySlotName: string;
  /** The source cluster's backup target, read-only, for restore_command fallback. */
  sourceBackups?: BackupTarget;
}

/** Everything needed to render files for one Patroni node. */
export interface PatroniNodeModel {
  cluster: ClusterSpec;
  node: Member;
  /** All members of the cluster (for pg_hba replication rules and HAProxy backends). */
  members: Member[];
  /** CIDRs of the cluster's own subnets (internal traffic). */
  clusterCidrs: string[];
  /** CIDRs allowed to connect as clients. */
  clientCidrs: string[];
  /** CIDRs of standby clusters that stream from this cluster (replication rules). */
  standbyCidrs: string[];
  etcd: { hosts: string[]; tls: boolean };
  tls: TlsSpec;
  passwords: ClusterPasswords;
  /** PostgreSQL parameters after tuning + user overrides (cluster-wide). */
  parameters: Record<string, string | number | boolean>;
  backups?: BackupTarget;
  standby?: StandbySource;
  os: OsFamily;
  /** Permanent slots the cluster keeps (user slots plus one per standby cluster). */
  permanentSlots: Record<string, { type: "physical" } | { type: "logical"; database: string; plugin: string }>;
}

export interface EtcdMemberModel {
  spec: EtcdSpec;
  /** Cluster token: the etcd cluster's name. */
  clusterName: string;
  node: Member;
  members: Member[];
  tls: boolean;
}

export interface HaproxyNodeModel {
  cluster: string;
  spec: HaproxySpec;
  node: Member;
  /** Both HAProxy nodes (keepalived unicast peers). */
  peers: Member[];
  /** Patroni members: backends. Traffic goes to PgBouncer when enabled, else PostgreSQL. */
  backends: Member[];
  backendPort: number;
  /** PostgreSQL's own port, for the `direct` listener (replication, bypassing PgBouncer). */
  directPort?: number;
  patroniRestPort: number;
  /** Patroni REST over HTTPS (always: pgha refuses tls.restApi false). */
  restApiTls: boolean;
  /** The cluster CA (PEM) HAProxy's checks verify each member's REST certificate against (check-ssl verify required). */
  restApiCaCert?: string;
  /** The cluster follows another (a standby cluster): its leader is a standby leader until promoted. */
  standbyCluster?: boolean;
  /** The cluster's patroni.dcs.synchronous_mode: the `sync` listener's check follows it (default false). */
  synchronousMode?: SynchronousMode;
  /** keepalived: null when the platform has no VIP. */
  vip: { ip: string; prefixLength: number; priority: number; authPass: string } | null;
}

/** A file cloud-init writes (write_files) and the lab places at the same path. */
export interface NodeFile {
  path: string;
  content: string;
  owner: string;
  /** Octal string as cloud-init wants it, e.g. "0600". Anything holding a secret is 0600. */
  permissions: string;
}

/** PEM material for one service on one node. */
export interface TlsMaterial {
  caCert: string;
  cert: string;
  key: string;
}
