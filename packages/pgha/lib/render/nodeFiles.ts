/**
 * Per-role bundles: every file a node needs (owner and mode included) and its cloud-init
 * user-data. Components, `pgha synth` and the lab all go through here, so a lab node and a
 * cloud node get the very same files.
 */
import type { BackupStorage } from "../config";
import { PGBACKREST_SOURCE_CONFIG, WALG_BIN, WALG_CONFIG, WALG_SOURCE_CONFIG } from "./backupCommands";
import { renderBackupScript, renderPgbackrestConf, renderPgbackrestSourceConf, renderWalgConfig, renderWalgSourceConfig } from "./backups";
import { type DataDisk, needsPgdg, type NodeSecrets, type PinnedBinary, renderUserData, type UserDataSpec } from "./cloudInit";
import { renderEtcdConfig } from "./etcd";
import { haproxyNofileLimit, haproxyNodeFiles as haproxyConfigFiles } from "./haproxy";
import { keepalivedNodeFiles } from "./keepalived";
import {
  type BackupTarget,
  type EtcdMemberModel,
  type HaproxyNodeModel,
  type NodeFile,
  type OsFamily,
  PATHS,
  type PatroniNodeModel,
  type TlsMaterial,
  tlsFiles,
} from "./model";
import { postBootstrapFile, renderPatroniYaml } from "./patroni";
import { pgbouncerNodeFiles } from "./pgbouncer";
import { patroniUnitFiles, renderEtcdUnit, renderHaproxyUnit, renderKeepalivedUnit, UNITS, unitFile } from "./systemd";
import { haproxyTlsReloadRules, serviceTlsReloadRules, type TlsReloadRule, tlsReloadFile } from "./tlsReload";

/**
 * WAL-G is not packaged by Debian, Ubuntu or PGDG: cloud VMs fetch this release binary.
 * v3.0.8, PostgreSQL build for Ubuntu 22.04 (glibc 2.35; runs on 22.04, 24.04, Debian 12 and 13).
 * The sha256 is the one several independent public projects pin for this asset; it could not
 * be re-downloaded from here (no network in tests) — re-check it when bumping the version.
 */
export const WALG_RELEASE: PinnedBinary = {
  url: "https://github.com/wal-g/wal-g/releases/download/v3.0.8/wal-g-pg-22.04-amd64",
  sha256: "f30544c5ce93cf83b87578e3c4a2e9c0e0ffc3d160ef89ecddaf75f397d98deb",
  installPath: WALG_BIN,
};

const POSTGRES_OWNER = "postgres:postgres";

// ---------------------------------------------------------------------------------------------
// TLS

export type TlsService = "patroni" | "postgres" | "etcd-client" | "etcd";

/**
 * PEM material for a node: either one certificate used for every service on the node (its
 * SANs must cover the node's IP, usages server+client auth), or one per service.
 */
export type NodeTls = TlsMaterial | Partial<Record<TlsService, TlsMaterial>>;

function materialFor(tls: NodeTls | undefined, service: TlsService): TlsMaterial | undefined {
  if (!tls) return undefined;
  if ("cert" in tls && typeof tls.cert === "string") return tls;
  return (tls as Partial<Record<TlsService, TlsMaterial>>)[service];
}

/**
 * CA certificates and certificates 0644, keys 0600; all owned by the service user. Services
 * that share a CA file path (tlsFiles) must bring the same CA certificate.
 */
function tlsNodeFiles(tls: NodeTls | undefined, services: TlsService[], owner: string, node: string): NodeFile[] {
  const out: NodeFile[] = [];
  const cas = new Map<string, string>();
  for (const service of services) {
    const material = materialFor(tls, service);
    if (!material) throw new Error(`${node}: TLS is on for ${service} but no certificate was provided`);
    if (!material.key.includes("PRIVATE KEY")) throw new Error(`${node}: the ${service} key is not a PEM private key`);
    const f = tlsFiles(service);
    const ca = cas.get(f.caFile);
    if (ca !== undefined && ca !== material.caCert)
      throw new Error(`${node}: ${service} and another service share ${f.caFile} but bring different CA certificates`);
    if (ca === undefined) {
      cas.set(f.caFile, material.caCert);
      out.push({ path: f.caFile, content: material.caCert, owner, permissions: "0644" });
    }
    out.push({ path: f.certFile, content: material.cert, owner, permissions: "0644" });
    out.push({ path: f.keyFile, content: material.key, owner, permissions: "0600" });
  }
  return out;
}

/** pgha-reload-tls, for nodes that hold TLS files (a renewal reloads what reads them). */
function tlsReloadFiles(rules: TlsReloadRule[]): NodeFile[] {
  return rules.length > 0 ? [tlsReloadFile(rules)] : [];
}

// ---------------------------------------------------------------------------------------------
// Patroni nodes

/** The target with its encryption key: the model keeps the cluster's key in its passwords. */
function ownTarget(m: PatroniNodeModel): BackupTarget | undefined {
  if (!m.backups) return undefined;
  return { ...m.backups, encryptionKey: m.backups.encryptionKey ?? m.passwords.backupEncryptionKey };
}

function backupFiles(m: PatroniNodeModel): NodeFile[] {
  const major = m.cluster.postgres.major;
  const opts = { pgPort: m.cluster.postgres.port };
  const out: NodeFile[] = [];
  const target = ownTarget(m);
  if (target) {
    if (target.spec.tool === "walg")
      out.push({ path: WALG_CONFIG, content: renderWalgConfig(target, major, opts), owner: POSTGRES_OWNER, permissions: "0600" });
    else
      out.push({
        path: PATHS.pgbackrestConfig,
        content: renderPgbackrestConf(target, m.cluster.name, major, opts),
        owner: POSTGRES_OWNER,
        permissions: "0600",
      });
    const script = renderBackupScript(target, m.cluster.name, {
      major,
      restApiHost: m.node.ip,
      restApiPort: m.cluster.patroni.restApiPort,
      restApiTls: m.tls.restApi,
    });
    // root-owned so postgres cannot change what runs on its behalf; group postgres may run it.
    out.push({ path: PATHS.backupScript, content: script, owner: "root:postgres", permissions: "0750" });
  }
  const source = m.standby?.sourceBackups;
  const sourceCluster = m.cluster.standby?.source;
  if (source && sourceCluster) {
    if (source.spec.tool === "walg")
      out.push({ path: WALG_SOURCE_CONFIG, content: renderWalgSourceConfig(source, major), owner: POSTGRES_OWNER, permissions: "0600" });
    else
      out.push({
        path: PGBACKREST_SOURCE_CONFIG,
        content: renderPgbackrestSourceConf(source, sourceCluster, major, opts),
        owner: POSTGRES_OWNER,
        permissions: "0600",
      });
  }
  return out;
}

function patroniTlsServices(m: PatroniNodeModel): TlsService[] {
  const s: TlsService[] = [];
  if (m.tls.restApi) s.push("patroni");
  if (m.tls.postgres) s.push("postgres");
  if (m.etcd.tls) s.push("etcd-client");
  return s;
}

/**
 * Everything on a Patroni node: patroni.yml and the post-bootstrap script (0600, they hold
 * passwords), PgBouncer's files, the backup tool's config (0600) and script, the units, and
 * the TLS files (owner postgres: Patroni, PostgreSQL and PgBouncer all run as postgres).
 */
export function patroniNodeFiles(m: PatroniNodeModel, tls?: NodeTls): NodeFile[] {
  return [
    { path: PATHS.patroniConfig, content: renderPatroniYaml(m), owner: POSTGRES_OWNER, permissions: "0600" },
    postBootstrapFile(m),
    ...(m.cluster.pgbouncer.enabled ? pgbouncerNodeFiles(m) : []),
    ...backupFiles(m),
    ...patroniUnitFiles(m.cluster),
    ...tlsNodeFiles(tls, patroniTlsServices(m), POSTGRES_OWNER, m.node.name),
    ...tlsReloadFiles(serviceTlsReloadRules(patroniTlsServices(m), { pgbouncer: m.cluster.pgbouncer.enabled })),
  ];
}

// ---------------------------------------------------------------------------------------------
// etcd and HAProxy nodes

export function etcdNodeFiles(m: EtcdMemberModel, tls?: NodeTls): NodeFile[] {
  return [
    // No secret inside (TLS paths only); etcd reads it as the etcd user.
    { path: PATHS.etcdConfig, content: renderEtcdConfig(m), owner: "root:root", permissions: "0644" },
    unitFile(UNITS.etcd, renderEtcdUnit({ dataDir: m.spec.dataDir })),
    ...(m.tls
      ? [...tlsNodeFiles(tls, ["etcd"], "etcd:etcd", m.node.name), tlsReloadFile(serviceTlsReloadRules(["etcd"], { pgbouncer: false }))]
      : []),
  ];
}

export function haproxyNodeFiles(m: HaproxyNodeModel): NodeFile[] {
  const files = [
    ...haproxyConfigFiles(m),
    unitFile(UNITS.haproxy, renderHaproxyUnit({ nofile: haproxyNofileLimit(m) })),
    ...(m.vip ? [...keepalivedNodeFiles(m), unitFile(UNITS.keepalived, renderKeepalivedUnit())] : []),
  ];
  return [...files, ...tlsReloadFiles(haproxyTlsReloadRules(files))];
}

// ---------------------------------------------------------------------------------------------
// user-data

export interface UserDataOptions {
  /**
   * @deprecated Every node installs its packages (the lab's too, from its mirror); the only
   * value left is "install". Kept so existing callers compile; omit it.
   */
  packages?: "install";
  /** The node's data disk by a stable device path; omitted where there is none (lab). */
  dataDisk?: { device: string; fsType?: "ext4" | "xfs" };
  opsUser?: { name: string; sshKeys: string[] };
  /** Secret values to keep out of user-data (fetched at first boot by pgha-secrets); see cloudInit's NodeSecrets. */
  secrets?: NodeSecrets;
}

function dataDisk(opts: UserDataOptions, mount: string, owner: string, mode: string): DataDisk | undefined {
  if (!opts.dataDisk) return undefined;
  return { device: opts.dataDisk.device, mount, fsType: opts.dataDisk.fsType ?? "ext4", owner, mode };
}

function fsPackages(d: DataDisk | undefined): string[] {
  return d?.fsType === "xfs" ? ["xfsprogs"] : [];
}

function usesTool(m: PatroniNodeModel, tool: "walg" | "pgbackrest"): boolean {
  return m.backups?.spec.tool === tool || m.standby?.sourceBackups?.spec.tool === tool;
}

/**
 * Packages of a Patroni node. postgresql-<major> carries the contrib modules (PostgreSQL >= 10
 * on Debian/PGDG); python3-etcd is what Patroni's etcd3 DCS imports; curl runs the backup
 * script's leader check and the WAL-G download.
 */
export function patroniPackages(m: PatroniNodeModel, disk?: DataDisk): string[] {
  const p = [`postgresql-${m.cluster.postgres.major}`, "patroni", "python3-etcd", "curl", "ca-certificates"];
  if (m.cluster.pgbouncer.enabled) p.push("pgbouncer");
  if (usesTool(m, "pgbackrest")) p.push("pgbackrest");
  return [...p, ...fsPackages(disk)];
}

/** Local repositories must exist and belong to postgres before the first archive-push. */
function localRepoCommands(m: PatroniNodeModel): string[][] {
  const local = (s: BackupStorage | undefined) => (s?.kind === "local" ? [s.path] : []);
  const dirs = [...new Set([...local(m.backups?.spec.storage), ...local(m.standby?.sourceBackups?.spec.storage)])];
  return dirs.map((d) => ["install", "-d", "-o", "postgres", "-g", "postgres", "-m", "0750", d]);
}

export function userDataForPatroniNode(m: PatroniNodeModel, opts: UserDataOptions & { tls?: NodeTls }): string {
  const major = m.cluster.postgres.major;
  const disk = dataDisk(opts, PATHS.dataMount, "postgres", "0755");
  const services: string[] = [UNITS.patroni];
  if (m.cluster.pgbouncer.enabled) services.push(UNITS.pgbouncer);
  if (m.backups) services.push(UNITS.backupTimer);
  const spec: UserDataSpec = {
    role: "patroni",
    hostname: m.node.name,
    os: m.os,
    files: patroniNodeFiles(m, opts.tls),
    packages: patroniPackages(m, disk),
    pgdg: needsPgdg(m.os, major),
    dataDisk: disk,
    postgresMajor: major,
    disableServices: ["postgresql.service"],
    binaries: usesTool(m, "walg") ? [WALG_RELEASE] : [],
    preCommands: [
      // Patroni's data_dir parent on the (possibly fresh) data disk.
      ["install", "-d", "-o", "postgres", "-g", "postgres", "-m", "0750", `${PATHS.dataMount}/${major}`],
      ...localRepoCommands(m),
    ],
    services,
    opsUser: opts.opsUser,
    secrets: opts.secrets,
  };
  return renderUserData(spec);
}

export function userDataForEtcdNode(m: EtcdMemberModel, opts: UserDataOptions & { os: OsFamily; tls?: NodeTls }): string {
  // etcd wants its data directory private (0700); the data disk is mounted right there.
  const disk = dataDisk(opts, m.spec.dataDir, "etcd", "0700");
  return renderUserData({
    role: "etcd",
    hostname: m.node.name,
    os: opts.os,
    files: etcdNodeFiles(m, opts.tls),
    packages: ["etcd-server", "etcd-client", ...fsPackages(disk)],
    // etcd comes from the distribution (Debian 13: 3.5.16, Debian 12: 3.4.23, Ubuntu 24.04: 3.4.30, Ubuntu 22.04: 3.3.25).
    pgdg: false,
    dataDisk: disk,
    services: [UNITS.etcd],
    opsUser: opts.opsUser,
    secrets: opts.secrets,
  });
}

export function userDataForHaproxyNode(m: HaproxyNodeModel, opts: UserDataOptions & { os: OsFamily }): string {
  const packages = ["haproxy", ...(m.vip ? ["keepalived"] : [])];
  return renderUserData({
    role: "haproxy",
    hostname: m.node.name,
    os: opts.os,
    files: haproxyNodeFiles(m),
    packages,
    pgdg: false,
    services: [UNITS.haproxy, ...(m.vip ? [UNITS.keepalived] : [])],
    opsUser: opts.opsUser,
    secrets: opts.secrets,
  });
}

/**
 * A client VM for psql and pgbench. pgbench ships in postgresql-<major> (not in the client
 * package), so the server package comes along, with no cluster (createcluster.d) and disabled.
 */
export function userDataForClientNode(c: { hostname: string; os: OsFamily; postgresMajor: number }, opts: UserDataOptions): string {
  return renderUserData({
    role: "client",
    hostname: c.hostname,
    os: c.os,
    files: [],
    packages: [`postgresql-client-${c.postgresMajor}`, `postgresql-${c.postgresMajor}`],
    pgdg: needsPgdg(c.os, c.postgresMajor),
    postgresMajor: c.postgresMajor,
    disableServices: ["postgresql.service"],
    services: [],
    opsUser: opts.opsUser,
  });
}
