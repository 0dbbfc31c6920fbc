import { describe, expect, it } from "vitest";
import YAML from "yaml";
import {
  etcdMemberModel,
  labTopology,
  labTopologyWithSourceArchive,
  patroniNodeModel,
  testPasswords,
} from "../../../../test/support/fixtures";
import { planAddresses } from "../config";
import { PGBACKREST_SOURCE_CONFIG, WALG_CONFIG, WALG_SOURCE_CONFIG } from "./backupCommands";
import { CREATECLUSTER_CONF, FIRST_BOOT_SCRIPT } from "./cloudInit";
import { type ClusterPasswords, type HaproxyNodeModel, type NodeFile, type PatroniNodeModel, type TlsMaterial, tlsFiles } from "./model";
import {
  etcdNodeFiles,
  haproxyNodeFiles,
  patroniNodeFiles,
  userDataForClientNode,
  userDataForEtcdNode,
  userDataForHaproxyNode,
  userDataForPatroniNode,
  WALG_RELEASE,
} from "./nodeFiles";

const PEM: TlsMaterial = {
  caCert: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
  cert: "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n",
  key: "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n",
};
const HEX_KEY = "0f".repeat(32);

/** Every secret string in a ClusterPasswords. */
function passwordValues(p: ClusterPasswords): string[] {
  const { roles, ...rest } = p;
  return [...Object.values(rest).filter((v): v is string => typeof v === "string"), ...Object.values(roles)];
}

type WriteFile = NodeFile & { defer?: boolean };
const writeFiles = (userData: string) => (YAML.parse(userData) as { write_files: WriteFile[] }).write_files;
const byPath = (files: NodeFile[]) => Object.fromEntries(files.map((f) => [f.path, { owner: f.owner, permissions: f.permissions }]));

/** `main` with WAL-G to S3 instead of the lab's local pgBackRest repository. */
function walgModel(): PatroniNodeModel {
  const t = labTopology((i) => {
    i.clusters[0].backups = {
      tool: "walg",
      storage: { kind: "s3", bucket: "pgha-lab", endpoint: "https://minio.lab:9000" },
      retainFull: 3,
    };
  });
  const m = patroniNodeModel(t, "main", 1);
  return {
    ...m,
    backups: { ...m.backups!, s3AccessKeyId: "AKID", s3SecretAccessKey: "s3-secret-value" },
    passwords: { ...m.passwords, backupEncryptionKey: HEX_KEY },
  };
}

function haproxyModel(): HaproxyNodeModel {
  const t = labTopology();
  const plan = planAddresses(t);
  const c = t.clusters[0];
  const member = (n: { name: string; ip: string }) => ({ name: n.name, ip: n.ip });
  const nodes = plan.nodes.filter((n) => n.role === "haproxy" && n.component === "main").map(member);
  return {
    cluster: "main",
    spec: c.haproxy,
    node: nodes[0],
    peers: nodes,
    backends: plan.nodes.filter((n) => n.role === "patroni" && n.component === "main").map(member),
    backendPort: c.pgbouncer.port,
    patroniRestPort: c.patroni.restApiPort,
    restApiTls: true,
    restApiCaCert: PEM.caCert,
    vip: { ip: plan.vips[0].ip, prefixLength: 24, priority: 150, authPass: "vrrp-pass" },
  };
}

describe("patroniNodeFiles", () => {
  it("lab main node: configs, scripts, units and TLS with the owners and modes they need", () => {
    const files = byPath(patroniNodeFiles(patroniNodeModel(labTopology(), "main", 0), PEM));
    expect(files).toEqual({
      "/etc/patroni/patroni.yml": { owner: "postgres:postgres", permissions: "0600" },
      "/etc/patroni/post-bootstrap.sh": { owner: "postgres:postgres", permissions: "0600" },
      "/etc/pgbouncer/pgbouncer.ini": { owner: "postgres:postgres", permissions: "0640" },
      "/etc/pgbouncer/userlist.txt": { owner: "postgres:postgres", permissions: "0600" },
      "/etc/pgbackrest/pgbackrest.conf": { owner: "postgres:postgres", permissions: "0600" },
      "/usr/local/bin/pgha-backup": { owner: "root:postgres", permissions: "0750" },
      "/etc/systemd/system/patroni.service": { owner: "root:root", permissions: "0644" },
      "/etc/systemd/system/pgbouncer.service": { owner: "root:root", permissions: "0644" },
      "/etc/systemd/system/pgha-backup.service": { owner: "root:root", permissions: "0644" },
      "/etc/systemd/system/pgha-backup.timer": { owner: "root:root", permissions: "0644" },
      [tlsFiles("patroni").caFile]: { owner: "postgres:postgres", permissions: "0644" },
      [tlsFiles("etcd-client").caFile]: { owner: "postgres:postgres", permissions: "0644" },
      "/etc/pgha/tls/patroni.crt": { owner: "postgres:postgres", permissions: "0644" },
      "/etc/pgha/tls/patroni.key": { owner: "postgres:postgres", permissions: "0600" },
      "/etc/pgha/tls/postgres.crt": { owner: "postgres:postgres", permissions: "0644" },
      "/etc/pgha/tls/postgres.key": { owner: "postgres:postgres", permissions: "0600" },
      "/etc/pgha/tls/etcd-ca.crt": { owner: "postgres:postgres", permissions: "0644" },
      "/etc/pgha/tls/etcd-client.crt": { owner: "postgres:postgres", permissions: "0644" },
      "/etc/pgha/tls/etcd-client.key": { owner: "postgres:postgres", permissions: "0600" },
      "/usr/local/sbin/pgha-reload-tls": { owner: "root:root", permissions: "0755" },
    });
  });

  it("the backup script asks this node's own Patroni REST address", () => {
    const m = patroniNodeModel(labTopology(), "main", 2);
    const script = patroniNodeFiles(m, PEM).find((f) => f.path === "/usr/local/bin/pgha-backup");
    expect(script?.content).toContain(`https://${m.node.ip}:8008/primary`);
  });

  it("WAL-G: walg.json 0600 with the S3 keys and the cluster's libsodium key", () => {
    const f = patroniNodeFiles(walgModel(), PEM).find((x) => x.path === WALG_CONFIG);
    expect(f).toMatchObject({ owner: "postgres:postgres", permissions: "0600" });
    expect(JSON.parse(f!.content)).toMatchObject({
      AWS_SECRET_ACCESS_KEY: "s3-secret-value",
      WALG_LIBSODIUM_KEY: HEX_KEY,
      WALG_S3_PREFIX: "s3://pgha-lab/main",
    });
  });

  it("the standby cluster gets the source's archive config and no backup units of its own", () => {
    // The source backs up to object storage, which the standby can read (a local repository it cannot).
    const base = patroniNodeModel(labTopologyWithSourceArchive(), "dr", 0);
    // The source archive is encrypted with the SOURCE cluster's key, which the model must carry.
    expect(() => patroniNodeFiles(base, PEM)).toThrow(/encryption key/);
    const m = {
      ...base,
      standby: { ...base.standby!, sourceBackups: { ...base.standby!.sourceBackups!, encryptionKey: "main-cipher-pass" } },
    };
    const files = patroniNodeFiles(m, PEM);
    const paths = files.map((f) => f.path);
    expect(files.find((f) => f.path === PGBACKREST_SOURCE_CONFIG)).toMatchObject({ owner: "postgres:postgres", permissions: "0600" });
    expect(paths).toContain(PGBACKREST_SOURCE_CONFIG);
    expect(paths).not.toContain("/etc/pgbackrest/pgbackrest.conf");
    expect(paths).not.toContain("/etc/systemd/system/pgha-backup.timer");
    expect(paths).not.toContain(WALG_SOURCE_CONFIG);
  });

  it("refuses to leave TLS half-configured", () => {
    expect(() => patroniNodeFiles(patroniNodeModel(labTopology(), "main", 0))).toThrow(/no certificate/);
    // pgha does not render a node without TLS at all (config refuses tls.* false).
    const m = patroniNodeModel(labTopology(), "main", 0);
    expect(() => patroniNodeFiles({ ...m, tls: { ...m.tls, postgres: false } }, PEM)).toThrow(/requires PostgreSQL TLS/);
  });

  it("services sharing a CA file must bring the same CA certificate", () => {
    const other = { ...PEM, caCert: "-----BEGIN CERTIFICATE-----\nOTHER\n-----END CERTIFICATE-----\n" };
    expect(() =>
      patroniNodeFiles(patroniNodeModel(labTopology(), "main", 0), { patroni: PEM, postgres: other, "etcd-client": PEM }),
    ).toThrow(/different CA/);
  });
});

describe("etcd and HAProxy bundles", () => {
  it("etcd: config, unit, TLS owned by etcd", () => {
    expect(byPath(etcdNodeFiles(etcdMemberModel(labTopology(), 0), PEM))).toEqual({
      "/etc/etcd/etcd.conf.yml": { owner: "root:root", permissions: "0644" },
      "/etc/systemd/system/etcd.service": { owner: "root:root", permissions: "0644" },
      "/etc/pgha/tls/etcd-ca.crt": { owner: "etcd:etcd", permissions: "0644" },
      "/etc/pgha/tls/etcd.crt": { owner: "etcd:etcd", permissions: "0644" },
      "/etc/pgha/tls/etcd.key": { owner: "etcd:etcd", permissions: "0600" },
      "/usr/local/sbin/pgha-reload-tls": { owner: "root:root", permissions: "0755" },
    });
  });

  it("HAProxy with a VIP: haproxy + keepalived configs and units; without a VIP no keepalived", () => {
    const m = haproxyModel();
    expect(Object.keys(byPath(haproxyNodeFiles(m))).sort()).toEqual(
      [
        "/etc/haproxy/haproxy.cfg",
        "/etc/haproxy/pgha-cluster-ca.crt",
        "/etc/keepalived/check_haproxy.sh",
        "/etc/keepalived/keepalived.conf",
        "/etc/systemd/system/haproxy.service",
        "/etc/systemd/system/keepalived.service",
      ].sort(),
    );
    expect(haproxyNodeFiles({ ...m, vip: null }).some((f) => f.path.includes("keepalived"))).toBe(false);
  });
});

describe("user-data", () => {
  it("embeds exactly the rendered files, all written after the packages", () => {
    const m = patroniNodeModel(labTopology(), "main", 0);
    const written = writeFiles(userDataForPatroniNode(m, { tls: PEM }));
    for (const f of patroniNodeFiles(m, PEM)) expect(written).toContainEqual({ ...f, defer: true });
  });

  it("every file holding a password, key or secret is 0600", () => {
    const m = walgModel();
    const secrets = [...passwordValues(testPasswords(m.cluster)), "s3-secret-value", HEX_KEY, "PRIVATE KEY"];
    const texts = [
      userDataForPatroniNode(m, { tls: PEM, dataDisk: { device: "/dev/vdb" } }),
      userDataForPatroniNode(patroniNodeModel(labTopology(), "main", 0), { tls: PEM }),
      userDataForEtcdNode(etcdMemberModel(labTopology(), 0), { os: "debian-12", tls: PEM }),
      userDataForHaproxyNode(haproxyModel(), { os: "debian-12" }),
    ];
    let checked = 0;
    for (const text of texts) {
      for (const f of writeFiles(text)) {
        if (secrets.some((s) => f.content.includes(s))) {
          checked++;
          expect(f.permissions, f.path).toBe("0600");
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it("debian-13 with PostgreSQL 17: the packages from Debian's own archive, no PGDG source; WAL-G by pinned digest", () => {
    const doc = YAML.parse(userDataForPatroniNode(walgModel(), { tls: PEM }));
    expect(doc.packages).toEqual(["postgresql-17", "patroni", "python3-etcd", "curl", "ca-certificates", "pgbouncer"]);
    expect(doc.apt).toBeUndefined();
    const firstBoot = (doc.write_files as WriteFile[]).find((f) => f.path === FIRST_BOOT_SCRIPT)!.content;
    expect(firstBoot).toContain(WALG_RELEASE.url);
    expect(firstBoot).toContain(WALG_RELEASE.sha256);
  });

  it.each([
    ["debian-13", 15, "trixie-pgdg"],
    ["debian-12", 17, "bookworm-pgdg"],
    ["debian-12", 15, "bookworm-pgdg"],
    ["ubuntu-24.04", 15, "noble-pgdg"],
  ] as const)("%s with PostgreSQL %i: PGDG (%s)", (os, major, suite) => {
    const t = labTopology((i) => {
      i.platform = { ...i.platform, os };
      // Every cluster: the standby cluster 'dr' must run its source's major.
      for (const c of i.clusters) c.postgres = { ...c.postgres, major };
    });
    const doc = YAML.parse(userDataForPatroniNode(patroniNodeModel(t, "main", 0), { tls: PEM }));
    expect(doc.packages[0]).toBe(`postgresql-${major}`);
    expect(doc.apt.sources.pgdg.source).toContain(` ${suite} main`);
  });

  it("fetches WAL-G only where WAL-G is used (pgBackRest comes as a package)", () => {
    const doc = YAML.parse(userDataForPatroniNode(patroniNodeModel(labTopology(), "main", 0), { tls: PEM }));
    expect(doc.packages).toContain("pgbackrest");
    expect(JSON.stringify(doc)).not.toContain(WALG_RELEASE.url);
  });

  it("per-role packages and services", () => {
    const etcd = YAML.parse(
      userDataForEtcdNode(etcdMemberModel(labTopology(), 1), {
        os: "ubuntu-24.04",
        tls: PEM,
        dataDisk: { device: "/dev/vdb", fsType: "xfs" },
      }),
    );
    expect(etcd.packages).toEqual(["etcd-server", "etcd-client", "xfsprogs"]);
    expect(etcd.apt).toBeUndefined();
    const etcdBoot = (etcd.write_files as WriteFile[]).find((f) => f.path === FIRST_BOOT_SCRIPT)!.content;
    expect(etcdBoot).toContain("/usr/local/sbin/pgha-prepare-disk /dev/vdb /var/lib/etcd xfs etcd 0700");
    expect(etcdBoot).toContain("systemctl restart etcd.service");

    const ha = YAML.parse(userDataForHaproxyNode(haproxyModel(), { os: "ubuntu-22.04" }));
    expect(ha.packages).toEqual(["haproxy", "keepalived"]);
    const haBoot = (ha.write_files as WriteFile[]).find((f) => f.path === FIRST_BOOT_SCRIPT)!.content;
    expect(haBoot.indexOf("systemctl restart haproxy.service")).toBeLessThan(haBoot.indexOf("systemctl restart keepalived.service"));

    const client = YAML.parse(userDataForClientNode({ hostname: "lab-client-0", os: "ubuntu-22.04", postgresMajor: 15 }, {}));
    expect(client.packages).toEqual(["postgresql-client-15", "postgresql-15"]);
    expect(client.apt.sources.pgdg.source).toContain("jammy-pgdg");
    const clientBoot = (client.write_files as WriteFile[]).find((f) => f.path === FIRST_BOOT_SCRIPT)!.content;
    expect(clientBoot).toContain("pg_dropcluster --stop 15 main");
  });

  it("nodes installing postgresql-<major> tell postgresql-common not to create a cluster 'main', before the install", () => {
    const early = (text: string) =>
      writeFiles(text)
        .filter((f) => !f.defer)
        .map((f) => f.path);
    const pg = userDataForPatroniNode(patroniNodeModel(labTopology(), "main", 0), { tls: PEM });
    const client = userDataForClientNode({ hostname: "lab-client-0", os: "debian-13", postgresMajor: 17 }, {});
    for (const text of [pg, client]) expect(early(text)).toEqual([CREATECLUSTER_CONF, "/usr/sbin/policy-rc.d"]);
    expect(early(userDataForEtcdNode(etcdMemberModel(labTopology(), 0), { os: "debian-13", tls: PEM }))).toEqual(["/usr/sbin/policy-rc.d"]);
    expect(early(userDataForHaproxyNode(haproxyModel(), { os: "debian-13" }))).toEqual(["/usr/sbin/policy-rc.d"]);
  });
});
