// Before the lab builds anything: can this host run what the plan asks for?
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { haproxyMaxconnWithin, haproxyOpenFilesNeeded } from "../render/haproxy";
import { loopDevicesAvailable } from "./dataDisk";
import { type PlannedBinary, plannedBinaries, plannedDataDisks } from "./firstBootNeeds";
import { type LabContext, applicationRole, fileOf, nodesOf, standbyClusters } from "./labContext";
import { LAB_BINARY_CACHE, cachedBinaryPath, verifiedCachedBinary } from "./pinnedBinaries";

/** PostgreSQL majors installed on the host (Debian layout). */
export function installedPostgresMajors(root = "/usr/lib/postgresql"): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => existsSync(`${root}/${d}/bin/postgres`))
    .sort();
}

export interface PreflightHost {
  exists: (path: string) => boolean;
  /** Where pinned release binaries are looked for (LAB_BINARY_CACHE). */
  binaryCache: string;
  loopDevices: boolean;
  /** The hard limit on open files every lab process inherits (`ulimit -Hn`). */
  openFilesLimit: number;
}

/** "Max open files" hard limit of this process, from /proc/self/limits. */
export function openFilesHardLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  const hard = line?.trim().split(/\s+/)[4];
  return hard && /^\d+$/.test(hard) ? Number(hard) : Number.POSITIVE_INFINITY;
}

/** Looked at when a preflight runs, not when this module loads. */
function thisHost(): PreflightHost {
  return { exists: existsSync, binaryCache: LAB_BINARY_CACHE, loopDevices: loopDevicesAvailable(), openFilesLimit: openFilesHardLimit() };
}

/** Every problem that stops the plan from booting here, as sentences; empty when it can. */
export function labPreflight(ctx: LabContext, host: Partial<PreflightHost> = {}): string[] {
  const { exists, binaryCache, loopDevices, openFilesLimit } = { ...thisHost(), ...host };
  const problems: string[] = [];
  const missing = new Map<string, string[]>();
  for (const node of nodesOf(ctx, "patroni")) {
    const doc = parseYaml(fileOf(ctx, node, "/etc/patroni/patroni.yml")) as { postgresql?: { bin_dir?: string } };
    const binDir = doc.postgresql?.bin_dir;
    if (binDir && !exists(`${binDir}/postgres`)) missing.set(binDir, [...(missing.get(binDir) ?? []), node.name]);
  }
  for (const [binDir, nodes] of missing) {
    const major = /postgresql\/(\d+)\//.exec(binDir)?.[1] ?? "?";
    const have = installedPostgresMajors();
    problems.push(
      `the plan asks for PostgreSQL ${major} (${binDir}, nodes ${nodes.join(", ")}), which is not installed on this host (installed: ${have.join(", ") || "none"}); install postgresql-${major} or set postgres.major to an installed version`,
    );
  }
  const standby = standbyClusters(ctx.plan);
  for (const cluster of new Set(nodesOf(ctx, "patroni").filter((n) => !standby.has(n.component)).map((n) => n.component))) {
    try {
      applicationRole(ctx, nodesOf(ctx, "patroni", cluster)[0]);
    } catch {
      problems.push(`cluster ${cluster} has no application role, and the lab's writer and drills log in as one; add postgres.roles (e.g. [{ name: app }]) and postgres.databases (e.g. [{ name: app, owner: app }])`);
    }
  }
  const haproxyTooBig = nodesOf(ctx, "haproxy").filter((n) => {
    const maxconn = Number(/^global\n(?:[ \t]+.*\n)*?[ \t]+maxconn (\d+)$/m.exec(fileOf(ctx, n, "/etc/haproxy/haproxy.cfg"))?.[1] ?? 0);
    return haproxyOpenFilesNeeded(maxconn) > openFilesLimit;
  });
  if (haproxyTooBig.length > 0) {
    const maxconn = haproxyMaxconnWithin(openFilesLimit);
    problems.push(
      `HAProxy on ${haproxyTooBig.map((n) => n.name).join(", ")} is planned with a maxconn that needs more open files than this host allows (${openFilesLimit}, ulimit -Hn), and HAProxy refuses to start then; set clusters[].haproxy.maxconn to ${maxconn} or less for the lab`,
    );
  }
  const withDisks = ctx.plan.nodes.filter((n) => plannedDataDisks(ctx, n).length > 0);
  if (withDisks.length > 0 && !loopDevices) {
    problems.push(`nodes ${withDisks.map((n) => n.name).join(", ")} have a data disk, which the lab stands in for with a loop device, and this host has none (/dev/loop-control is missing)`);
  }
  const binaries = new Map<string, { b: PlannedBinary; nodes: string[] }>();
  for (const n of ctx.plan.nodes) {
    for (const b of plannedBinaries(ctx, n)) {
      if (verifiedCachedBinary(b, binaryCache)) continue;
      binaries.set(b.url, { b, nodes: [...(binaries.get(b.url)?.nodes ?? []), n.name] });
    }
  }
  for (const { b, nodes } of binaries.values()) {
    problems.push(
      `nodes ${nodes.join(", ")} download ${b.url} at first boot (to ${b.installPath}), and lab nodes have no route out; put that file at ${cachedBinaryPath(b, binaryCache)} (it must match the pinned sha256 ${b.sha256}), or plan without it${b.installPath.endsWith("/wal-g") ? " (backups.tool: pgbackrest, or no backups)" : ""}`,
    );
  }
  return problems;
}
