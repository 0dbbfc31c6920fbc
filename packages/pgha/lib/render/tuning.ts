import type { HardwareSpec } from "../config";
import { maxConnections } from "../config/tuning";

/**
 * PostgreSQL resource settings from the VM's shape, in the spirit of pgtune/pg_configurator.
 * Pure arithmetic on kB; values come out as PostgreSQL unit strings ("1GB", "64MB").
 * Every choice is bounded so the sum of the big consumers cannot exceed the RAM:
 *   shared_buffers (25 %, capped) + work_mem x max_connections (<= the rest).
 */
export type Tuning = Record<string, string | number>;
type Workload = HardwareSpec["workload"];
type DiskType = HardwareSpec["diskType"];

export const KB_PER_MB = 1024;
export const KB_PER_GB = 1024 * 1024;

/** The largest unit that divides the value exactly: 1048576 -> "1GB", 4096 -> "4MB", 512 -> "512kB". */
export function formatSize(kb: number): string {
  if (!Number.isInteger(kb) || kb < 0) throw new Error(`size must be a whole number of kB, got ${kb}`);
  if (kb > 0 && kb % KB_PER_GB === 0) return `${kb / KB_PER_GB}GB`;
  if (kb > 0 && kb % KB_PER_MB === 0) return `${kb / KB_PER_MB}MB`;
  return `${kb}kB`;
}

const UNIT_KB: Record<string, number> = { kB: 1, MB: KB_PER_MB, GB: KB_PER_GB, TB: 1024 * KB_PER_GB };

/** Inverse of formatSize for PostgreSQL memory units. */
export function parseSize(s: string): number {
  const m = /^(\d+)\s*(kB|MB|GB|TB)$/.exec(s.trim());
  if (!m) throw new Error(`'${s}' is not a PostgreSQL size like 64MB`);
  return Number(m[1]) * UNIT_KB[m[2]];
}

/** Whole megabytes, never below `minMb`. Sizes are rounded down so bounds keep holding. */
function mb(kb: number, minMb = 1): number {
  return Math.max(minMb, Math.floor(kb / KB_PER_MB)) * KB_PER_MB;
}

/** pgha's max_connections for a node shape; in config, whose PgBouncer rule checks it too. */
export { maxConnections };

/** 25 % of RAM: the OS page cache does the rest. Capped where more only lengthens checkpoints. */
const SHARED_BUFFERS_CAP_KB = 64 * KB_PER_GB;
function sharedBuffersKb(ramKb: number): number {
  return Math.min(mb(ramKb / 4, 32), SHARED_BUFFERS_CAP_KB);
}

/** Base WAL sizing per workload; bulk loads (olap) want fewer forced checkpoints. */
const MAX_WAL_GB: Record<Workload, number> = { oltp: 8, mixed: 4, olap: 16 };

/** Cost of a random read relative to a sequential one. Network disks sit between local SSD and HDD. */
export const RANDOM_PAGE_COST: Record<DiskType, number> = {
  nvme: 1.1,
  ssd: 1.1,
  "network-ssd": 1.5,
  "network-hdd": 3,
  hdd: 4,
};

/** Concurrent prefetch requests the storage can serve (bitmap heap scans, and maintenance on 13+). */
export const IO_CONCURRENCY: Record<DiskType, number> = {
  nvme: 300,
  ssd: 200,
  "network-ssd": 200,
  "network-hdd": 4,
  hdd: 2,
};

/** Parallel workers per Gather: OLTP wants short queries on many cores, OLAP wants wide scans. */
function workersPerGather(hw: HardwareSpec): number {
  const half = Math.floor(hw.vcpus / 2);
  if (hw.workload === "oltp") return Math.min(2, half);
  if (hw.workload === "mixed") return Math.min(4, Math.max(1, half));
  return Math.min(16, Math.max(1, half));
}

/** Share of the non-shared memory a single sort/hash may take, per connection and per parallel worker. */
const WORK_MEM_DIVISOR: Record<Workload, number> = { oltp: 3, mixed: 2, olap: 2 };
const WORK_MEM_CAP_KB: Record<Workload, number> = { oltp: 64 * KB_PER_MB, mixed: 256 * KB_PER_MB, olap: KB_PER_GB };

export function computeTuning(hw: HardwareSpec, major: number): Tuning {
  const ramKb = Math.floor(hw.ramGb * KB_PER_GB);
  const diskKb = hw.diskGb * KB_PER_GB;
  const connections = maxConnections(hw);
  const sharedBuffers = sharedBuffersKb(ramKb);
  const perGather = workersPerGather(hw);

  // Each of `connections` backends may run a sort plus hash per query node, and each parallel
  // worker gets its own work_mem: divide what shared_buffers leaves by all of them.
  const available = ramKb - sharedBuffers;
  const workMem = Math.min(mb(available / (connections * WORK_MEM_DIVISOR[hw.workload] * (1 + perGather))), WORK_MEM_CAP_KB[hw.workload]);

  // VACUUM and CREATE INDEX; autovacuum workers (3) each take as much.
  const maintenanceWorkMem = Math.min(mb(ramKb / 16, 16), 2 * KB_PER_GB);

  // Never let WAL between checkpoints take more than 10 % of the data disk.
  const maxWal = Math.max(KB_PER_GB, Math.min(MAX_WAL_GB[hw.workload] * KB_PER_GB, mb(diskKb / 10)));
  const minWal = mb(maxWal / 4);

  // What PostgreSQL's own -1 would pick (1/32 of shared_buffers, at most one 16MB segment), made explicit.
  const walBuffers = Math.min(mb(sharedBuffers / 32), 16 * KB_PER_MB);

  const io = IO_CONCURRENCY[hw.diskType];
  const tuning: Tuning = {
    max_connections: connections,
    shared_buffers: formatSize(sharedBuffers),
    effective_cache_size: formatSize(mb((ramKb * 3) / 4)),
    work_mem: formatSize(workMem),
    maintenance_work_mem: formatSize(maintenanceWorkMem),
    min_wal_size: formatSize(minWal),
    max_wal_size: formatSize(maxWal),
    wal_buffers: formatSize(walBuffers),
    checkpoint_timeout: "15min",
    checkpoint_completion_target: 0.9,
    random_page_cost: RANDOM_PAGE_COST[hw.diskType],
    effective_io_concurrency: io,
    // Parallel workers come out of max_worker_processes; leave room for logical replication workers.
    max_worker_processes: Math.max(8, hw.vcpus + 4),
    max_parallel_workers: hw.vcpus,
    max_parallel_workers_per_gather: perGather,
    max_parallel_maintenance_workers: Math.min(4, Math.max(1, Math.floor(hw.vcpus / 2))),
    default_statistics_target: hw.workload === "olap" ? 500 : 100,
  };
  if (major >= 13) tuning.maintenance_io_concurrency = io;
  return tuning;
}
