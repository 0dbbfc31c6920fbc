import { describe, expect, it } from "vitest";
import { type HardwareSpec, hardwareSpec } from "../config";
import { computeTuning, formatSize, KB_PER_GB, maxConnections, parseSize } from "./tuning";

const RAM_GB = [0.5, 1, 1.5, 2, 3, 4, 8, 16, 24, 32, 64, 128, 256, 512, 1024, 4096];
const VCPUS = [1, 2, 3, 4, 16, 64, 128];
const DISK_TYPES = ["ssd", "hdd", "network-ssd", "network-hdd", "nvme"] as const;
const WORKLOADS = ["oltp", "olap", "mixed"] as const;
const DISK_GB = [10, 50, 2000];

function hw(over: Partial<HardwareSpec>): HardwareSpec {
  return hardwareSpec.parse(over);
}

function* grid(): Generator<HardwareSpec> {
  for (const ramGb of RAM_GB)
    for (const vcpus of VCPUS)
      for (const diskType of DISK_TYPES)
        for (const workload of WORKLOADS) for (const diskGb of DISK_GB) yield hw({ ramGb, vcpus, diskType, workload, diskGb });
}

const size = (t: Record<string, string | number>, key: string) => parseSize(String(t[key]));

describe("formatSize / parseSize", () => {
  it("uses the largest exact unit and round-trips", () => {
    expect(formatSize(KB_PER_GB)).toBe("1GB");
    expect(formatSize(1280 * 1024)).toBe("1280MB");
    expect(formatSize(4096)).toBe("4MB");
    expect(formatSize(512)).toBe("512kB");
    for (const kb of [64, 1024, 1536, 3 * KB_PER_GB, 17 * 1024]) expect(parseSize(formatSize(kb))).toBe(kb);
    expect(() => parseSize("64 megs")).toThrow(/not a PostgreSQL size/);
    expect(() => formatSize(1.5)).toThrow();
  });
});

describe("computeTuning: examples", () => {
  it("4 vCPU / 16 GB / ssd / oltp looks like what a DBA would write", () => {
    const t = computeTuning(hw({ vcpus: 4, ramGb: 16, diskType: "ssd", workload: "oltp", diskGb: 200 }), 16);
    expect(t).toMatchObject({
      max_connections: 200,
      shared_buffers: "4GB",
      effective_cache_size: "12GB",
      maintenance_work_mem: "1GB",
      max_wal_size: "8GB",
      min_wal_size: "2GB",
      wal_buffers: "16MB",
      checkpoint_completion_target: 0.9,
      random_page_cost: 1.1,
      effective_io_concurrency: 200,
      maintenance_io_concurrency: 200,
      max_worker_processes: 8,
      max_parallel_workers: 4,
      max_parallel_workers_per_gather: 2,
      max_parallel_maintenance_workers: 2,
    });
    // (16GB - 4GB) / (200 connections * 3 * (1 + 2 workers)) = 6.8MB -> 6MB
    expect(t.work_mem).toBe("6MB");
  });

  it("the lab's 1 GB VM gets small but valid settings", () => {
    const t = computeTuning(hw({ vcpus: 2, ramGb: 1, diskType: "ssd", workload: "oltp", diskGb: 50 }), 15);
    expect(t.shared_buffers).toBe("256MB");
    expect(t.max_connections).toBe(100);
    expect(size(t, "work_mem")).toBeGreaterThanOrEqual(1024);
    expect(t.max_wal_size).toBe("5GB");
  });

  it("disk type drives the planner's I/O costs; network disks sit between local SSD and HDD", () => {
    const cost = (diskType: HardwareSpec["diskType"]) => computeTuning(hw({ diskType }), 16).random_page_cost as number;
    expect(cost("ssd")).toBe(1.1);
    expect(cost("nvme")).toBe(1.1);
    expect(cost("hdd")).toBe(4);
    expect(cost("network-ssd")).toBeGreaterThan(cost("ssd"));
    expect(cost("network-hdd")).toBeGreaterThan(cost("network-ssd"));
    expect(cost("network-hdd")).toBeLessThan(cost("hdd"));
    const io = (diskType: HardwareSpec["diskType"]) => computeTuning(hw({ diskType }), 16).effective_io_concurrency as number;
    expect(io("hdd")).toBeLessThan(io("network-hdd"));
    expect(io("network-hdd")).toBeLessThan(io("ssd"));
  });

  it("workload: OLAP gets fewer connections, more work_mem and wider parallel scans than OLTP", () => {
    const base = { vcpus: 16, ramGb: 64, diskGb: 500 };
    const oltp = computeTuning(hw({ ...base, workload: "oltp" }), 16);
    const olap = computeTuning(hw({ ...base, workload: "olap" }), 16);
    const mixed = computeTuning(hw({ ...base, workload: "mixed" }), 16);
    expect(olap.max_connections).toBeLessThan(mixed.max_connections as number);
    expect(mixed.max_connections).toBeLessThan(oltp.max_connections as number);
    expect(size(olap, "work_mem")).toBeGreaterThan(size(oltp, "work_mem"));
    expect(olap.max_parallel_workers_per_gather as number).toBeGreaterThan(oltp.max_parallel_workers_per_gather as number);
    expect(olap.default_statistics_target).toBeGreaterThan(oltp.default_statistics_target as number);
  });

  it("maintenance_io_concurrency only for PostgreSQL 13+", () => {
    expect(computeTuning(hw({}), 12)).not.toHaveProperty("maintenance_io_concurrency");
    expect(computeTuning(hw({}), 14)).toHaveProperty("maintenance_io_concurrency");
  });
});

describe("computeTuning: properties over a grid of hardware", () => {
  const all = [...grid()];

  it(`bounds hold for all ${all.length} shapes`, () => {
    for (const h of all) {
      const t = computeTuning(h, 16);
      const ram = h.ramGb * KB_PER_GB;
      const disk = h.diskGb * KB_PER_GB;
      const ctx = JSON.stringify(h);
      const sb = size(t, "shared_buffers");
      expect(sb, ctx).toBeLessThanOrEqual(0.4 * ram);
      expect(sb, ctx).toBeGreaterThanOrEqual(32 * 1024);
      expect(size(t, "effective_cache_size"), ctx).toBeGreaterThanOrEqual(sb);
      expect(size(t, "effective_cache_size"), ctx).toBeLessThan(ram);
      // Every connection using its full work_mem at once still fits beside shared_buffers.
      const workMem = size(t, "work_mem");
      expect(workMem, ctx).toBeGreaterThanOrEqual(1024);
      expect(workMem * (t.max_connections as number), ctx).toBeLessThanOrEqual(ram - sb);
      // Autovacuum's workers (3) each with maintenance_work_mem, plus shared_buffers, stay under RAM.
      expect(3 * size(t, "maintenance_work_mem") + sb, ctx).toBeLessThan(ram);
      expect(size(t, "maintenance_work_mem"), ctx).toBeLessThanOrEqual(2 * KB_PER_GB);
      expect(size(t, "wal_buffers"), ctx).toBeLessThanOrEqual(16 * 1024);
      expect(size(t, "min_wal_size"), ctx).toBeLessThan(size(t, "max_wal_size"));
      expect(size(t, "min_wal_size"), ctx).toBeGreaterThanOrEqual(32 * 1024);
      // WAL between checkpoints never takes more than a tenth of a disk of >= 10 GB.
      expect(size(t, "max_wal_size"), ctx).toBeLessThanOrEqual(Math.max(KB_PER_GB, disk / 10));
      const workers = t.max_worker_processes as number;
      expect(t.max_parallel_workers as number, ctx).toBeLessThanOrEqual(workers);
      expect(t.max_parallel_workers_per_gather as number, ctx).toBeLessThanOrEqual(t.max_parallel_workers as number);
      expect(t.max_parallel_maintenance_workers as number, ctx).toBeLessThanOrEqual(t.max_parallel_workers as number);
      expect(t.max_connections as number, ctx).toBeGreaterThanOrEqual(50);
      for (const [k, v] of Object.entries(t)) {
        if (typeof v === "number") expect(Number.isFinite(v), `${k} ${ctx}`).toBe(true);
        else expect(v, `${k} ${ctx}`).toMatch(/^\d+(kB|MB|GB)$|^\d+min$/);
      }
    }
  });

  it("memory settings never shrink when RAM grows (everything else fixed)", () => {
    for (const vcpus of VCPUS)
      for (const workload of WORKLOADS)
        for (const diskType of ["ssd", "hdd"] as const) {
          let prev: Record<string, string | number> | undefined;
          for (const ramGb of RAM_GB) {
            const t = computeTuning(hw({ ramGb, vcpus, workload, diskType, diskGb: 200 }), 16);
            if (prev) {
              const ctx = `${ramGb}GB ${vcpus}vcpu ${workload}`;
              for (const key of ["shared_buffers", "effective_cache_size", "maintenance_work_mem", "wal_buffers"])
                expect(size(t, key), `${key} ${ctx}`).toBeGreaterThanOrEqual(size(prev, key));
              expect(t.max_connections as number, ctx).toBeGreaterThanOrEqual(prev.max_connections as number);
              // The memory all connections may use together grows with RAM.
              expect(size(t, "work_mem") * (t.max_connections as number), ctx).toBeGreaterThanOrEqual(
                size(prev, "work_mem") * (prev.max_connections as number),
              );
            }
            prev = t;
          }
        }
  });

  it("more vCPUs never mean fewer parallel workers", () => {
    for (const workload of WORKLOADS) {
      let prev: Record<string, string | number> | undefined;
      for (const vcpus of VCPUS) {
        const t = computeTuning(hw({ vcpus, workload, ramGb: 64 }), 16);
        if (prev)
          for (const key of [
            "max_worker_processes",
            "max_parallel_workers",
            "max_parallel_workers_per_gather",
            "max_parallel_maintenance_workers",
          ])
            expect(t[key] as number, `${key} ${vcpus} ${workload}`).toBeGreaterThanOrEqual(prev[key] as number);
        prev = t;
      }
    }
  });

  it("is deterministic", () => {
    const h = hw({ vcpus: 8, ramGb: 32, workload: "mixed" });
    expect(computeTuning(h, 16)).toEqual(computeTuning(h, 16));
  });

  it("max_connections follows the workload but at most ~100 per GB", () => {
    expect(maxConnections(hw({ ramGb: 0.5, workload: "oltp" }))).toBe(50);
    expect(maxConnections(hw({ ramGb: 1.5, workload: "oltp" }))).toBe(150);
    expect(maxConnections(hw({ ramGb: 64, workload: "oltp" }))).toBe(200);
    expect(maxConnections(hw({ ramGb: 64, workload: "olap" }))).toBe(50);
  });
});
