// The Debian 13 images the lab boots, built from Debian's archive with mmdebstrap:
//
// - tools: base + every package a node may install. Its .deb files become the package mirror;
//   the tool tests, the lab client and the load-balancer stand-ins run its programs.
// - mirror: a plain signed Debian repository of exactly those .deb files (mirror.ts).
// - base: what a stock Debian 13 cloud image holds (minbase, cloud-init, systemd, ...), built
//   from the mirror, with apt pointed at the mirror's lab address and trusting its key. Nodes
//   boot on a copy-on-write root over it, and their own cloud-init installs the rest.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { exec } from "../../host/exec";
import { type Log, cachedBuild, mib, treeBytes } from "./cache";
import { DEBIAN_SUITE, IMAGE_RECIPE, MIRROR_KEYRING, MIRROR_URL, buildMirror, mirrorKeyFile } from "../../cloud/mirror";

/** The OS and the PostgreSQL major the lab boots and proves (Debian 13 ships PostgreSQL 17 only). */
export const LAB_OS = "debian-13";
export const LAB_POSTGRES_MAJOR = 17;
export const DEBIAN_ARCHIVE = process.env.PGHA_DEBIAN_ARCHIVE ?? "http://deb.debian.org/debian";

/** What a stock Debian 13 cloud image ships besides minbase (Debian's genericcloud list, trimmed to what matters here). */
export const BASE_IMAGE_PACKAGES = [
  "cloud-init",
  "systemd",
  "systemd-sysv",
  "ca-certificates",
  "iproute2",
  "procps",
  "sudo",
  "e2fsprogs",
  "util-linux",
  "netbase",
];

/**
 * Every package a pgha user-data may install on debian-13 (lib/render/nodeFiles.ts): the mirror
 * holds these and their dependencies, nothing else. A plan asking for another is refused by preflight.
 */
export const NODE_PACKAGES = [
  "postgresql-17",
  "postgresql-client-17",
  "patroni",
  "python3-etcd",
  "python3-psycopg2",
  "pgbouncer",
  "pgbackrest",
  "etcd-server",
  "etcd-client",
  "haproxy",
  "keepalived",
  "curl",
  "xfsprogs",
];

/**
 * Programs the lab's own stand-ins run from the tools image, never installed on a node: Ceph's
 * RGW (radosgw, dbstore backend) stands in for the cloud's object storage (lib/lab/objectStorage).
 * Their .deb files end up in the mirror too (it is made from the tools root); preflight still
 * refuses a node that asks for them, since they are not NODE_PACKAGES.
 */
export const LAB_SERVICE_PACKAGES = ["radosgw"];

export interface LabImages {
  base: string;
  tools: string;
  mirror: string;
}

const APT_SOURCE_FILE = "/etc/apt/sources.list.d/debian.sources";

/** A root must not carry this host's identity: mmdebstrap copies its resolv.conf and hostname. */
const NO_HOST_IDENTITY = '--customize-hook=rm -f "$1/etc/resolv.conf" && echo localhost > "$1/etc/hostname"';

async function mmdebstrap(dir: string, packages: string[], mirror: string, extra: string[] = []): Promise<void> {
  // In a mount namespace of its own: whatever it mounts in the chroot dies with it, even when it is killed.
  const argv = [
    "--mode=root",
    "--variant=minbase",
    `--include=${packages.join(",")}`,
    NO_HOST_IDENTITY,
    ...extra,
    DEBIAN_SUITE,
    dir,
    mirror,
  ];
  await exec("unshare", ["--mount", "--propagation", "private", "--", "mmdebstrap", ...argv], { timeoutMs: 20 * 60_000 });
}

/** tools root plus the .deb files it was built from (sync-out before mmdebstrap's cleanup). */
async function buildTools(log: Log): Promise<string> {
  const packages = [...BASE_IMAGE_PACKAGES, ...NODE_PACKAGES, ...LAB_SERVICE_PACKAGES];
  return cachedBuild("tools", { recipe: IMAGE_RECIPE, suite: DEBIAN_SUITE, archive: DEBIAN_ARCHIVE, packages }, log, async (dir, step) => {
    step(`mmdebstrap ${DEBIAN_SUITE} from ${DEBIAN_ARCHIVE}: base, node and lab service packages`);
    const debs = join(dir, "debs");
    mkdirSync(debs);
    await mmdebstrap(join(dir, "root"), packages, DEBIAN_ARCHIVE, [
      "--skip=essential/unlink",
      `--customize-hook=sync-out /var/cache/apt/archives ${debs}`,
    ]);
    step(`tools root ${mib(await treeBytes(join(dir, "root")))}, ${mib(await treeBytes(debs))} of .deb files`);
  });
}

async function buildBase(mirrorDir: string, log: Log): Promise<string> {
  return cachedBuild(
    "base",
    { recipe: IMAGE_RECIPE, mirror: mirrorDir, packages: BASE_IMAGE_PACKAGES, url: MIRROR_URL },
    log,
    async (dir, step) => {
      step(`mmdebstrap ${DEBIAN_SUITE} base image from the lab mirror`);
      const root = join(dir, "root");
      const sources = [
        "Types: deb",
        `URIs: ${MIRROR_URL}`,
        `Suites: ${DEBIAN_SUITE}`,
        "Components: main",
        `Signed-By: ${MIRROR_KEYRING}`,
        "",
      ].join("\n");
      const sourcesFile = join(dir, "debian.sources");
      writeFileSync(sourcesFile, sources);
      await mmdebstrap(root, BASE_IMAGE_PACKAGES, `deb [trusted=yes] copy://${join(mirrorDir, "repo")} ${DEBIAN_SUITE} main`, [
        // The image's apt names the lab's mirror (as a cloud's image names its cloud's mirror) and trusts its key.
        `--customize-hook=mkdir -p "$1${dirname(MIRROR_KEYRING)}" && cp ${mirrorKeyFile(mirrorDir)} "$1${MIRROR_KEYRING}"`,
        `--customize-hook=rm -f "$1/etc/apt/sources.list" && cp ${sourcesFile} "$1${APT_SOURCE_FILE}"`,
      ]);
      step(`base image ${mib(await treeBytes(root))}`);
    },
  );
}

/** Build (or find in the cache) the tools root, the mirror and the base image, printing progress. */
export async function ensureLabImages(log: Log): Promise<LabImages> {
  const tools = await buildTools(log);
  const mirror = await buildMirror(join(tools, "debs"), log);
  const base = await buildBase(mirror, log);
  return { base: join(base, "root"), tools: join(tools, "root"), mirror };
}
