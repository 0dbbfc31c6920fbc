// Before the lab builds anything: can this host run what the plan asks for?
import { readFileSync } from "node:fs";
import { readUserData } from "../../synth/plan";
import { BASE_IMAGE_PACKAGES, LAB_OS, LAB_POSTGRES_MAJOR, NODE_PACKAGES } from "../node/image/debianImage";
import { packageNeedsOf } from "../node/image/packageLayer";
import { haproxyMaxconnWithin, haproxyOpenFilesNeeded } from "pgha/render/haproxy";
import { loopDevicesAvailable } from "../node/dataDisk";
import { type PlannedBinary, plannedBinaries, plannedDataDisks } from "../node/firstBootNeeds";
import { type LabContext, applicationRole, fileOf, nodesOf, standbyClusters } from "./labContext";
import { LAB_BINARY_CACHE, cachedBinaryPath, verifiedCachedBinary } from "../node/pinnedBinaries";

export interface PreflightHost {
  /** Where pinned release binaries are looked for (LAB_BINARY_CACHE). */
  binaryCache: string;
  loopDevices: boolean;
  /** The hard limit on open files every lab process inherits (`ulimit -Hn`). */
  openFilesLimit: number;
}

/** "Max open files" hard limit of this process, from /proc/self/limits. */
export function openFilesHardLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((l) => l.startsWith("Max open files"));
  const hard = line?.trim().split(/\s+/)[4];
  return hard && /^\d+$/.test(hard) ? Number(hard) : Number.POSITIVE_INFINITY;
}

/** Looked at when a preflight runs, not when this module loads. */
function thisHost(): PreflightHost {
  return { binaryCache: LAB_BINARY_CACHE, loopDevices: loopDevicesAvailable(), openFilesLimit: openFilesHardLimit() };
}

/** The node's package name for a PostgreSQL major, e.g. postgresql-15 -> 15. */
const postgresMajorOf = (pkg: string) => /^postgresql-(?:client-)?(\d+)$/.exec(pkg)?.[1];

/**
 * What the lab's Debian 13 image and mirror cannot give the plan's nodes: packages outside the
 * mirror (another PostgreSQL major) and apt sources beyond Debian's archive (PGDG: another OS or major).
 */
export function imageProblems(ctx: LabContext): string[] {
  const available = new Set([...BASE_IMAGE_PACKAGES, ...NODE_PACKAGES]);
  const byProblem = new Map<string, string[]>();
  const add = (problem: string, node: string) => byProblem.set(problem, [...(byProblem.get(problem) ?? []), node]);
  for (const n of ctx.plan.nodes) {
    const needs = packageNeedsOf(readUserData(ctx.planDir, n));
    for (const pkg of needs.packages.filter((p) => !available.has(p))) {
      const major = postgresMajorOf(pkg);
      add(
        major
          ? `PostgreSQL ${major} (${pkg}) is not in Debian 13, which the lab boots (it ships PostgreSQL ${LAB_POSTGRES_MAJOR} only); ` +
              `set clusters[].postgres.major: ${LAB_POSTGRES_MAJOR} (or boot a copy with --fit-host)`
          : `package ${pkg} is not in the lab's Debian 13 mirror (it carries ${NODE_PACKAGES.join(", ")} and their dependencies)`,
        n.name,
      );
    }
    for (const source of needs.extraSources) {
      add(
        `the user-data adds apt source ${source}, beyond Debian's archive, ` +
          `and the lab boots ${LAB_OS} nodes from its Debian 13 mirror only; set platform.os: ` +
          `${LAB_OS} and clusters[].postgres.major: ${LAB_POSTGRES_MAJOR} (or boot a copy with --fit-host)`,
        n.name,
      );
    }
  }
  return [...byProblem].map(([problem, nodes]) => `nodes ${nodes.join(", ")}: ${problem}`);
}

/** Every problem that stops the plan from booting here, as sentences; empty when it can. */
export function labPreflight(ctx: LabContext, host: Partial<PreflightHost> = {}): string[] {
  const { binaryCache, loopDevices, openFilesLimit } = { ...thisHost(), ...host };
  const problems: string[] = [];
  problems.push(...imageProblems(ctx));
  const standby = standbyClusters(ctx.plan);
  for (const cluster of new Set(
    nodesOf(ctx, "patroni")
      .filter((n) => !standby.has(n.component))
      .map((n) => n.component),
  )) {
    try {
      applicationRole(ctx, nodesOf(ctx, "patroni", cluster)[0]);
    } catch {
      problems.push(
        `cluster ${cluster} has no application role, and the lab's writer and drills log in as one; ` +
          `add postgres.roles (e.g. [{ name: app }]) and postgres.databases (e.g. [{ name: app, owner: app }])`,
      );
    }
  }
  const haproxyTooBig = nodesOf(ctx, "haproxy").filter((n) => {
    const maxconn = Number(/^global\n(?:[ \t]+.*\n)*?[ \t]+maxconn (\d+)$/m.exec(fileOf(ctx, n, "/etc/haproxy/haproxy.cfg"))?.[1] ?? 0);
    return haproxyOpenFilesNeeded(maxconn) > openFilesLimit;
  });
  if (haproxyTooBig.length > 0) {
    const maxconn = haproxyMaxconnWithin(openFilesLimit);
    problems.push(
      `HAProxy on ${haproxyTooBig.map((n) => n.name).join(", ")} is planned with a maxconn ` +
        `that needs more open files than this host allows (${openFilesLimit}, ulimit -Hn), ` +
        `and HAProxy refuses to start then; set clusters[].haproxy.maxconn to ${maxconn} or less for the lab`,
    );
  }
  const withDisks = ctx.plan.nodes.filter((n) => plannedDataDisks(ctx, n).length > 0);
  if (withDisks.length > 0 && !loopDevices) {
    problems.push(
      `nodes ${withDisks.map((n) => n.name).join(", ")} have a data disk, ` +
        `which the lab stands in for with a loop device, and this host has none (/dev/loop-control is missing)`,
    );
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
      `nodes ${nodes.join(", ")} download ${b.url} at first boot (to ${b.installPath}), and lab nodes have no route out; ` +
        `put that file at ${cachedBinaryPath(b, binaryCache)} (it must match the pinned sha256 ${b.sha256}), ` +
        `or plan without it${b.installPath.endsWith("/wal-g") ? " (backups.tool: pgbackrest, or no backups)" : ""}`,
    );
  }
  return problems;
}
