/** What a user writes for etcd, HAProxy/keepalived, PgBouncer, backups, TLS and node hardware. */

export interface EtcdInput {
  /** Members: 3, 5 or 7 (a quorum survives 1, 2 or 3 member losses); default 3. */
  members?: number;
  /** Heartbeat interval in milliseconds: 10-5000; default 100. */
  heartbeatIntervalMs?: number;
  /** Election timeout in milliseconds: 50-50000 and >= 5 x heartbeatIntervalMs; default 1000. */
  electionTimeoutMs?: number;
  /** Backend quota in bytes: 64 MiB to 8 GiB; etcd raises a NOSPACE alarm beyond it. Default 2 GiB. */
  quotaBackendBytes?: number;
  /** Absolute path of the data directory; default /var/lib/etcd. */
  dataDir?: string;
  /** Client port: 1024-65535; default 2379. */
  clientPort?: number;
  /** Peer port: 1024-65535, not the clientPort; default 2380. */
  peerPort?: number;
  /** Subnet names to place members in; default: the region's subnets, round-robin by zone. */
  subnets?: string[];
  /** Region of the members; default: the first cluster's that is not a standby. */
  region?: string;
}

export interface HaproxyInput {
  /** Run an HAProxy pair in front of the cluster; default true. */
  enabled?: boolean;
  /** HAProxy nodes: always 2. */
  nodes?: 2;
  /** Ports HAProxy listens on; each 1024-65535 and unique on the node. */
  listeners?: HaproxyListenersInput;
  /** How HAProxy checks members through Patroni's REST API, and its timeouts. */
  checks?: HealthChecksInput;
  /** The floating VIP in front of the pair (local and yandex). */
  keepalived?: KeepalivedInput;
  /** Connection limit per HAProxy node: 100-523776 (two open files each, within the kernel's nr_open); default 10000. */
  maxconn?: number;
  /** Subnet for the HAProxy nodes; default: the cluster's subnets. */
  subnet?: string;
}

export interface HaproxyListenersInput {
  /** The primary, through PgBouncer when it is enabled; default 5000. */
  primary?: number;
  /** Running replicas without noloadbalance; default 5001. */
  replicas?: number;
  /** Synchronous standbys only (`/sync`); needs patroni.dcs.synchronous_mode. Default none. */
  sync?: number;
  /** Asynchronous replicas whose lag is under asyncMaxLagBytes (`/async?lag=`). Default none. */
  async?: number;
  /** Lag limit of the async listener in bytes; >= 0; default 16777216 (16 MiB). */
  asyncMaxLagBytes?: number;
  /**
   * The primary straight to PostgreSQL, bypassing PgBouncer: replication (standby clusters stream
   * through it) and sessions that need session state. Default 5005.
   */
  direct?: number;
  /** HAProxy's stats page; default 7000. */
  stats?: number;
  /** Answers 200 only while the primary backend has a server up, for cloud LB health checks; default 7001. */
  monitor?: number;
}

export interface HealthChecksInput {
  /** Milliseconds between checks: 100-60000; default 3000. */
  intervalMs?: number;
  /** Failed checks before a server is marked down: 1-10; default 3. */
  fall?: number;
  /** Passed checks before a server is marked up: 1-10; default 2. */
  rise?: number;
  /** Check timeout in milliseconds: 100-60000, and fall x (intervalMs + checkTimeoutMs) within Patroni's ttl; default 2000. */
  checkTimeoutMs?: number;
  /** Connect timeout in milliseconds: 100-60000; default 4000. */
  connectTimeoutMs?: number;
  /** Idle client timeout in milliseconds: >= 1000; default 1800000 (30 min). */
  clientTimeoutMs?: number;
  /** Idle server timeout in milliseconds: >= 1000; default 1800000 (30 min). */
  serverTimeoutMs?: number;
}

export interface KeepalivedInput {
  /** Default: on where the platform can float a VIP (local, yandex); gcp cannot, so true is rejected there. */
  enabled?: boolean;
  /** The floating IPv4 address; must lie in the HAProxy nodes' subnet. Planned when omitted. */
  vip?: string;
  /** VRRP virtual router id: 1-255; default 51. */
  virtualRouterId?: number;
  /** VRRP priority of the first node: 11-254 (the second gets priority - 10); default 150. */
  priority?: number;
  /** VRRP advertisement interval in seconds: 1-255; default 1. */
  advertIntervalS?: number;
  /** Network interface the VIP is added to: 1-15 lowercase letters or digits; default eth0. */
  interface?: string;
}

export interface PgbouncerInput {
  /** Run PgBouncer on every Patroni node; default true. */
  enabled?: boolean;
  /** PgBouncer port: 1024-65535; default 6432. */
  port?: number;
  /** session, transaction or statement; default transaction. */
  poolMode?: "session" | "transaction" | "statement";
  /** Server connections per database and user: 1-10000; default 20. */
  defaultPoolSize?: number;
  /** Server connections kept open per pool: >= 0; default 0. */
  minPoolSize?: number;
  /** Extra server connections a pool may use under load: >= 0; default 5. */
  reservePoolSize?: number;
  /** Client connections per PgBouncer: 10-64512 (one open file each); default 1000. */
  maxClientConn?: number;
  /** Server connections per database: >= 0, 0 = unlimited; default 0. */
  maxDbConnections?: number;
  /** Role for auth_query, so application passwords live only in PostgreSQL; default pgbouncer. */
  authUser?: string;
}

export interface BackupsInput {
  /** walg or pgbackrest; default walg. */
  tool?: "walg" | "pgbackrest";
  /** Where base backups and WAL go. */
  storage: BackupStorageInput;
  /** Five-field cron expression (minute hour day-of-month month day-of-week) of full backups; default `0 3 * * *`. */
  schedule?: string;
  /** Full backups kept: >= 1; older ones and their WAL are deleted. Default 7. */
  retainFull?: number;
  /** lz4, zstd, lzma, brotli or none; default lz4. */
  compression?: "lz4" | "zstd" | "lzma" | "brotli" | "none";
  /** Client-side encryption; the key is a generated Pulumi secret (or config secret `pgha:backupEncryptionKey`). Default true. */
  encrypt?: boolean;
  /** Days after which the bucket lifecycle deletes objects regardless: >= 0, 0 = never; default 0. */
  bucketExpireDays?: number;
}

/** One of the storage kinds, chosen by `kind`; which kinds a platform offers is checked against platform.kind. */
export type BackupStorageInput = YandexStorageInput | GcsStorageInput | S3StorageInput | LocalStorageInput;

export interface YandexStorageInput {
  /** Yandex Object Storage (yandex only). */
  kind: "yandex";
  /** Bucket name: 3-63 lowercase letters, digits, '.' or '-'; default: generated. One bucket per cluster. */
  bucket?: string;
  /** Key prefix inside the bucket: letters, digits and . _ / -; default none. */
  prefix?: string;
  /** Storage endpoint URL; default https://storage.yandexcloud.net. */
  endpoint?: string;
  /** Storage region; default ru-central1. */
  region?: string;
}

export interface GcsStorageInput {
  /** Google Cloud Storage (gcp, gke). */
  kind: "gcs";
  /** Bucket name: 3-63 lowercase letters, digits, '.' or '-'; default: generated. One bucket per cluster. */
  bucket?: string;
  /** Key prefix inside the bucket: letters, digits and . _ / -; default none. */
  prefix?: string;
  /** Bucket location; default EU. */
  location?: string;
}

export interface S3StorageInput {
  /** An existing S3-compatible bucket (any platform); its keys are component arguments. */
  kind: "s3";
  /** Bucket name: 3-63 lowercase letters, digits, '.' or '-'. */
  bucket: string;
  /** Key prefix inside the bucket: letters, digits and . _ / -; default none. */
  prefix?: string;
  /** Endpoint URL of the S3 API. */
  endpoint: string;
  /** Signing region; default us-east-1. */
  region?: string;
  /** Path-style bucket addressing (endpoint/bucket); default true. */
  forcePathStyle?: boolean;
}

export interface LocalStorageInput {
  /** A directory on each node (local lab only; a standby cluster cannot restore from it). */
  kind: "local";
  /** Absolute path of the directory. */
  path: string;
}

export interface TlsInput {
  /** TLS between etcd peers and clients; always true (false is refused). */
  etcd?: boolean;
  /** TLS on Patroni's REST API; always true (false is refused). */
  restApi?: boolean;
  /** TLS for PostgreSQL and PgBouncer connections; always true (false is refused). */
  postgres?: boolean;
  /** Lifetime of generated leaf (server and client) certificates in days: 2-3650; default 365. */
  certificateValidityDays?: number;
  /**
   * A `pulumi up` this many days or fewer before a leaf certificate expires replaces it with a new one:
   * >= 1, below certificateValidityDays; default 30.
   */
  renewBeforeDays?: number;
  /**
   * Lifetime of each cluster's CA certificate in days: 365-36500, above certificateValidityDays; default 3650.
   * Leaf renewals keep the CA.
   */
  caValidityDays?: number;
}

export interface HardwareInput {
  /**
   * vCPUs per node: 1-512, and on yandex and gcp a count the cloud offers (yandex: 2-16 even, 20-96 in steps of 4; gcp: 2-32 even,
   * 36-128 in steps of 4); default 2.
   */
  vcpus?: number;
  /**
   * Memory per node in GB: 0.5-4096; yandex: a whole multiple of vcpus, 1-16 GB per vCPU (less above 20 vCPUs); gcp: a multiple of
   * 0.25, 0.5-8 GB per vCPU (N2 extended memory up to 624 GB); default 4.
   */
  ramGb?: number;
  /** ssd, hdd, network-ssd, network-hdd or nvme; default network-ssd. */
  diskType?: "ssd" | "hdd" | "network-ssd" | "network-hdd" | "nvme";
  /** Data disk per node in GB: 10-65536; default 50. */
  diskGb?: number;
  /** What PostgreSQL's memory and planner settings are tuned for: oltp, olap or mixed; default oltp. */
  workload?: "oltp" | "olap" | "mixed";
}
