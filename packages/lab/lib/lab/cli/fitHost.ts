// `pgha lab up <stack> --fit-host`: a copy of a (cloud) stack file with the
// few changes this host needs, each one listed, so a yandex or gcp topology can
// be booted here as it is otherwise planned. The changes are exactly what the
// preflight would refuse: an OS or PostgreSQL major other than Debian 13's (debian-13, 17), WAL-G
// (no binary here: on Yandex storage pgBackRest's S3 repository stands in, against the lab's RGW;
// other object stores are out of reach), an HAProxy maxconn above
// the host's open-file limit, and no application role for the lab's writer;
// plus a 50 ms inter-region delay when a stack spans regions and names none.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { WORK_ROOT } from "../../paths";
import { haproxySpec, postgresSpec } from "pgha/config";
import { haproxyMaxconnWithin } from "pgha/render/haproxy";
import { LAB_OS, LAB_POSTGRES_MAJOR } from "../node/image/debianImage";
import { openFilesHardLimit } from "./preflight";

export interface HostFacts {
  openFilesLimit: number;
}

export function hostFactsHere(): HostFacts {
  return { openFilesLimit: openFilesHardLimit() };
}

export interface HostFit {
  stack: string;
  /** The rewritten stack file (under out/, gitignored). */
  stackFile: string;
  changes: string[];
}

interface ClusterDoc {
  name: string;
  postgres?: { major?: number; roles?: unknown[]; databases?: unknown[] };
  backups?: { tool?: string; storage?: { kind?: string }; compression?: string };
  haproxy?: { enabled?: boolean; maxconn?: number };
  standby?: { source: string; restoreFromSourceBackups?: boolean };
}

/** pgha's compression names pgBackRest also has (it has no lzma or brotli). */
const PGBACKREST_COMPRESSION = new Set(["lz4", "zstd", "none"]);

/** HAProxy's maxconn when a stack sets none: the config schema's default. */
const DEFAULT_MAXCONN = haproxySpec.parse({}).maxconn;
/** The application role the lab's writer logs in as, when a primary cluster has none. */
const LAB_ROLE = "app";

/** The major a cluster gets when its stack names none: the config schema's default. */
const DEFAULT_MAJOR = postgresSpec.parse({}).major;

interface TopologyDoc {
  platform?: { os?: string };
  regions?: unknown[];
  clusters: ClusterDoc[];
  lab?: { interRegionDelayMs?: number };
}

/** One-way delay between regions when a stack spans several and names none (the lab stack's). */
const DEFAULT_INTER_REGION_DELAY_MS = 50;

/** The changes, applied to a parsed topology (mutated); pure apart from that. */
export function fitTopology(topology: TopologyDoc, host: HostFacts): string[] {
  const changes: string[] = [];
  const regions = topology.regions?.length ?? 1;
  if (regions > 1 && topology.lab?.interRegionDelayMs === undefined) {
    topology.lab = { ...topology.lab, interRegionDelayMs: DEFAULT_INTER_REGION_DELAY_MS };
    changes.push(
      `lab.interRegionDelayMs: ${DEFAULT_INTER_REGION_DELAY_MS}, ` +
        `since the stack spans ${regions} regions (without it they would be 0 ms apart)`,
    );
  }
  const os = topology.platform?.os;
  if (os !== undefined && os !== LAB_OS) {
    topology.platform = { ...topology.platform, os: LAB_OS };
    changes.push(`platform.os: ${os} -> ${LAB_OS}, the OS lab nodes run`);
  }
  const maxconnFits = haproxyMaxconnWithin(host.openFilesLimit);
  const withoutBackups = new Set<string>();
  topology.clusters.forEach((c, i) => {
    const at = `clusters[${i}] (${c.name})`;
    const major = c.postgres?.major ?? DEFAULT_MAJOR;
    if (major !== LAB_POSTGRES_MAJOR) {
      c.postgres = { ...c.postgres, major: LAB_POSTGRES_MAJOR };
      changes.push(`${at}.postgres.major: ${major} -> ${LAB_POSTGRES_MAJOR}, the PostgreSQL Debian 13 ships`);
    }
    const b = c.backups;
    const kind = b?.storage?.kind;
    if (b && kind === "yandex" && (b.tool ?? "walg") === "walg") {
      // Same bucket, endpoint and static key, served by the lab's RGW (lib/lab/objectStorage).
      b.tool = "pgbackrest";
      changes.push(
        `${at}.backups.tool: walg -> pgbackrest: the WAL-G binary cannot be downloaded here; ` +
          `pgBackRest's S3 repository keeps the plan's bucket, endpoint and static key, in the lab's object storage (RGW)`,
      );
      if (b.compression !== undefined && !PGBACKREST_COMPRESSION.has(b.compression)) {
        changes.push(`${at}.backups.compression: ${b.compression} -> lz4, which pgBackRest has`);
        b.compression = "lz4";
      }
    }
    if (b && !(b.tool === "pgbackrest" && (kind === "local" || kind === "yandex"))) {
      delete c.backups;
      withoutBackups.add(c.name);
      const why =
        kind === "gcs"
          ? "GCS has no local server here (for gcp plans the plan check is the proof of bucket access)"
          : (b.tool ?? "walg") === "walg"
            ? "the WAL-G binary cannot be downloaded here"
            : `its ${kind ?? "?"} storage is out of reach (the lab serves only Yandex Object Storage)`;
      changes.push(`${at}.backups removed: ${why}`);
    }
    const maxconn = c.haproxy?.maxconn ?? DEFAULT_MAXCONN;
    if (c.haproxy?.enabled !== false && maxconn > maxconnFits) {
      c.haproxy = { ...c.haproxy, maxconn: maxconnFits };
      changes.push(`${at}.haproxy.maxconn: ${maxconn} -> ${maxconnFits}, what ${host.openFilesLimit} open files (ulimit -Hn) allow`);
    }
    if (!c.standby && (c.postgres?.roles ?? []).length === 0) {
      c.postgres = {
        ...c.postgres,
        roles: [{ name: LAB_ROLE }],
        databases: [...(c.postgres?.databases ?? []), { name: LAB_ROLE, owner: LAB_ROLE }],
      };
      changes.push(`${at}.postgres: role and database '${LAB_ROLE}' added, for the lab's writer`);
    }
  });
  topology.clusters.forEach((c, i) => {
    if (c.standby && withoutBackups.has(c.standby.source) && c.standby.restoreFromSourceBackups !== false) {
      c.standby.restoreFromSourceBackups = false;
      changes.push(`clusters[${i}] (${c.name}).standby.restoreFromSourceBackups: false, its source has no backups now`);
    }
  });
  return changes;
}

/** Write `out/<stack>-fit/Pulumi.<stack>-fit.yaml`; the original stack file is not touched. */
export function fitStackToHost(stackFile: string, stack: string, host: HostFacts): HostFit {
  const doc = parseYaml(readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> };
  const topology = doc.config?.["pgha:topology"] as TopologyDoc | undefined;
  if (!topology?.clusters) throw new Error(`${stackFile}: no pgha:topology with clusters to fit`);
  const changes = fitTopology(topology, host);
  const fitStack = `${stack}-fit`;
  const dir = join(WORK_ROOT, "out", fitStack);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `Pulumi.${fitStack}.yaml`);
  writeFileSync(
    file,
    `# ${stack} fitted to this host by 'pgha lab up --fit-host':\n${changes.map((c) => `#   ${c}\n`).join("")}${stringifyYaml(doc)}`,
  );
  return { stack: fitStack, stackFile: file, changes };
}
