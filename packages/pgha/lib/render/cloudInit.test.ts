import { describe, expect, it } from "vitest";
import YAML from "yaml";
import {
  assertKnownCloudConfigKeys,
  CREATECLUSTER_CONF,
  FIRST_BOOT_SCRIPT,
  needsPgdg,
  OS_CODENAMES,
  PREPARE_DISK_SCRIPT,
  renderCreateclusterConf,
  renderFirstBootScript,
  renderUserData,
  shellQuote,
  unknownCloudConfigKeys,
  type UserDataSpec,
} from "./cloudInit";

function spec(over: Partial<UserDataSpec> = {}): UserDataSpec {
  return {
    role: "patroni",
    hostname: "main-pg-0",
    os: "ubuntu-22.04",
    files: [
      { path: "/etc/patroni/patroni.yml", content: "scope: main\npassword: s3cret\n", owner: "postgres:postgres", permissions: "0600" },
      { path: "/etc/systemd/system/patroni.service", content: "[Unit]\n", owner: "root:root", permissions: "0644" },
    ],
    packages: ["postgresql-15", "patroni"],
    pgdg: true,
    dataDisk: { device: "/dev/disk/by-id/virtio-pgdata", mount: "/var/lib/postgresql", fsType: "ext4", owner: "postgres" },
    postgresMajor: 15,
    disableServices: ["postgresql.service"],
    preCommands: [["install", "-d", "-o", "postgres", "/var/lib/postgresql/15"]],
    services: ["patroni.service", "pgbouncer.service"],
    ...over,
  };
}

type WriteFile = { path: string; content: string; owner: string; permissions: string; defer?: boolean };
const parse = (text: string) => YAML.parse(text) as Record<string, unknown> & { write_files: WriteFile[]; runcmd: string[][] };

describe("renderUserData", () => {
  it("is a #cloud-config document with only keys cloud-init 22.4 knows", () => {
    const text = renderUserData(spec());
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    const doc = parse(text);
    expect(unknownCloudConfigKeys(doc)).toEqual([]);
    expect(doc.hostname).toBe("main-pg-0");
    expect(doc.packages).toEqual(["postgresql-15", "patroni"]);
    expect(doc.package_update).toBe(true);
  });

  it("is deterministic", () => {
    expect(renderUserData(spec())).toBe(renderUserData(spec()));
  });

  it.each(Object.entries(OS_CODENAMES))("adds the PGDG repository for %s (%s-pgdg), signed-by its own key", (os, codename) => {
    const doc = parse(renderUserData(spec({ os: os as UserDataSpec["os"] })));
    const pgdg = (doc.apt as { sources: Record<string, { source: string; key: string }> }).sources.pgdg;
    expect(pgdg.source).toBe(`deb [signed-by=$KEY_FILE] https://apt.postgresql.org/pub/repos/apt ${codename}-pgdg main`);
    expect(pgdg.key).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]+-----END PGP PUBLIC KEY BLOCK-----\n$/);
  });

  it("no apt source, no packages and no policy-rc.d when there is nothing to install", () => {
    const doc = parse(renderUserData(spec({ packages: [], pgdg: false })));
    expect(doc.apt).toBeUndefined();
    expect(doc.packages).toBeUndefined();
    expect(doc.write_files.some((f) => f.path === "/usr/sbin/policy-rc.d")).toBe(false);
  });

  it("writes pgha's files after the packages (defer) with their exact content, owner and mode", () => {
    const s = spec();
    const files = parse(renderUserData(s)).write_files;
    // The only early files: both must be in place before the packages are installed.
    expect(files.filter((f) => !f.defer).map((f) => f.path)).toEqual([CREATECLUSTER_CONF, "/usr/sbin/policy-rc.d"]);
    expect(files[1]).toMatchObject({ path: "/usr/sbin/policy-rc.d", permissions: "0755" });
    for (const f of s.files) expect(files).toContainEqual({ ...f, defer: true });
    expect(files.find((f) => f.path === FIRST_BOOT_SCRIPT)).toMatchObject({ owner: "root:root", permissions: "0700", defer: true });
    expect(files.find((f) => f.path === PREPARE_DISK_SCRIPT)).toMatchObject({ permissions: "0755", defer: true });
  });

  it("keeps postgresql-<major>'s postinst from creating a cluster 'main' (Patroni's data_dir)", () => {
    const files = parse(renderUserData(spec())).write_files;
    expect(files.find((f) => f.path === "/etc/postgresql-common/createcluster.d/00-pgha.conf")).toEqual({
      path: "/etc/postgresql-common/createcluster.d/00-pgha.conf",
      content: renderCreateclusterConf(15),
      owner: "root:root",
      permissions: "0644",
    });
    expect(renderCreateclusterConf(15)).toMatch(/^create_main_cluster = false$/m);
    // etcd or HAProxy nodes install no PostgreSQL: nothing to say to postgresql-common.
    const etcd = parse(renderUserData(spec({ role: "etcd", postgresMajor: undefined }))).write_files;
    expect(etcd.some((f) => f.path === CREATECLUSTER_CONF)).toBe(false);
  });

  it("runcmd runs the fail-fast first-boot script and nothing else", () => {
    expect(parse(renderUserData(spec())).runcmd).toEqual([[FIRST_BOOT_SCRIPT]]);
  });

  it("refuses a private key that is not 0600, duplicate paths and odd modes", () => {
    const key = {
      path: "/etc/pgha/tls/patroni.key",
      content: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n",
      owner: "postgres:postgres",
    };
    expect(() => renderUserData(spec({ files: [{ ...key, permissions: "0644" }] }))).toThrow(/0600/);
    expect(() =>
      renderUserData(
        spec({
          files: [
            { ...key, permissions: "0600" },
            { ...key, permissions: "0600" },
          ],
        }),
      ),
    ).toThrow(/twice/);
    expect(() => renderUserData(spec({ files: [{ ...key, permissions: "600" }] }))).toThrow(/permissions/);
    expect(() => renderUserData(spec({ hostname: "Main_PG" }))).toThrow(/host name/);
  });
});

describe("first-boot script", () => {
  const script = renderFirstBootScript(
    spec({ binaries: [{ url: "https://example.org/wal-g", sha256: "a".repeat(64), installPath: "/usr/local/bin/wal-g" }] }),
  );
  const at = (needle: string) => {
    const i = script.indexOf(needle);
    expect(i, needle).toBeGreaterThan(-1);
    return i;
  };

  it("is fail-fast shell", () => {
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).toContain("\nset -eu\n");
  });

  it("drops a cluster 'main' an image already had before mounting the data disk, and only while it is not mounted", () => {
    const drop = at("pg_dropcluster --stop 15 main");
    expect(script).toContain("if [ -d /etc/postgresql/15/main ] && ! mountpoint -q /var/lib/postgresql; then");
    expect(drop).toBeLessThan(at(`${PREPARE_DISK_SCRIPT} /dev/disk/by-id/virtio-pgdata /var/lib/postgresql ext4 postgres 0755`));
  });

  it("re-enables service starts, stops packaged services, verifies downloads by sha256", () => {
    expect(at("rm -f /usr/sbin/policy-rc.d")).toBeLessThan(at("systemctl disable --now postgresql.service || true"));
    expect(script).toMatch(
      /echo "a{64} {2}\$tmp" \| sha256sum -c --quiet -\n\s+install -m 0755 -o root -g root "\$tmp" \/usr\/local\/bin\/wal-g/,
    );
  });

  it("starts services last, in order, with restart so running defaults are replaced", () => {
    const reload = at("systemctl daemon-reload");
    expect(reload).toBeGreaterThan(at("install -d -o postgres /var/lib/postgresql/15"));
    expect(at("systemctl restart patroni.service")).toBeGreaterThan(reload);
    expect(at("systemctl restart pgbouncer.service")).toBeGreaterThan(at("systemctl restart patroni.service"));
    expect(at("systemctl enable patroni.service")).toBeLessThan(at("systemctl restart patroni.service"));
  });

  it("rejects unit names and digests that are not what they claim", () => {
    expect(() => renderFirstBootScript(spec({ services: ["patroni; rm -rf /"] }))).toThrow(/unit name/);
    expect(() =>
      renderFirstBootScript(spec({ binaries: [{ url: "https://x/y", sha256: "abc", installPath: "/usr/local/bin/y" }] })),
    ).toThrow(/sha256/);
    expect(() =>
      renderFirstBootScript(spec({ binaries: [{ url: "http://x/y", sha256: "a".repeat(64), installPath: "/usr/local/bin/y" }] })),
    ).toThrow(/https/);
  });
});

describe("top-level key allowlist", () => {
  it("catches a misspelled module key", () => {
    expect(unknownCloudConfigKeys({ write_file: [], runcmd: [] })).toEqual(["write_file"]);
    expect(() => assertKnownCloudConfigKeys({ packges: [] })).toThrow(/packges/);
    expect(() => assertKnownCloudConfigKeys({ packages: [], write_files: [] })).not.toThrow();
  });
});

describe("shellQuote", () => {
  it.each([
    ["/usr/local/bin/wal-g", "/usr/local/bin/wal-g"],
    ["a b", "'a b'"],
    ["it's", "'it'\\''s'"],
    ["$HOME", "'$HOME'"],
  ])("%s -> %s", (input, quoted) => {
    expect(shellQuote(input)).toBe(quoted);
  });
});

describe("needsPgdg", () => {
  it("only Debian 13 with its own PostgreSQL 17 goes without apt.postgresql.org", () => {
    expect(needsPgdg("debian-13", 17)).toBe(false);
    expect(needsPgdg("debian-13", 15)).toBe(true);
    expect(needsPgdg("debian-12", 15)).toBe(true);
    expect(needsPgdg("ubuntu-24.04", 15)).toBe(true);
    expect(OS_CODENAMES["debian-13"]).toBe("trixie");
  });
});
