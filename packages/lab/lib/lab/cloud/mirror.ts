// The lab's package mirror: a plain Debian repository (pool, Packages, Release, InRelease
// signed by a key made for this mirror) of exactly the .deb files the tools image was built
// from. Nodes reach it over HTTP at MIRROR_URL, on the lab's "internet" (network.ts: setupInternet).
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { exec, execAllowFailure } from "../host/exec";
import { type Log, cachedBuild, mib, treeBytes } from "../node/image/cache";

/** TEST-NET-2 (RFC 5737): never routed anywhere, lives only inside the lab's namespaces. */
export const MIRROR_ADDRESS = "198.51.100.2";
export const MIRROR_URL = `http://${MIRROR_ADDRESS}/debian`;

/** Bump when the way the images or the mirror are made changes (it is part of their cache keys). */
export const IMAGE_RECIPE = 2;

/** Debian 13. */
export const DEBIAN_SUITE = "trixie";
const SUITE = DEBIAN_SUITE;
const PACKAGES_DIR = `dists/${SUITE}/main/binary-amd64`;
/** Where the image keeps the mirror's public key (apt's Signed-By). */
export const MIRROR_KEYRING = "/etc/apt/keyrings/pgha-lab-mirror.asc";

export const mirrorKeyFile = (mirrorDir: string) => join(mirrorDir, "mirror-key.asc");
export const mirrorRepo = (mirrorDir: string) => join(mirrorDir, "repo");

/** The directory the mirror's HTTP server serves: debian/ is the repository (MIRROR_URL's path). */
export const mirrorWww = (mirrorDir: string) => join(mirrorDir, "www");

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** Release file of the repository, listing the index files with their sizes and hashes. */
export function renderRelease(indexes: { path: string; content: Buffer }[], date: Date): string {
  return [
    "Origin: pgha-lab",
    "Label: pgha-lab",
    `Suite: ${SUITE}`,
    `Codename: ${SUITE}`,
    `Date: ${date.toUTCString()}`,
    "Architectures: amd64",
    "Components: main",
    "Description: pgha lab mirror of Debian packages",
    "SHA256:",
    ...indexes.map((i) => ` ${sha256(i.content)} ${i.content.length} ${i.path}`),
    "",
  ].join("\n");
}

export async function buildMirror(debsDir: string, log: Log): Promise<string> {
  const debs = readdirSync(debsDir)
    .filter((f) => f.endsWith(".deb"))
    .sort();
  if (debs.length === 0) throw new Error(`no .deb files in ${debsDir}`);
  return cachedBuild("mirror", { recipe: IMAGE_RECIPE, suite: SUITE, debs }, log, async (dir, step) => {
    const repo = mirrorRepo(dir);
    const pool = join(repo, "pool/main");
    mkdirSync(pool, { recursive: true });
    mkdirSync(mirrorWww(dir));
    symlinkSync("../repo", join(mirrorWww(dir), "debian"));
    for (const d of debs) copyFileSync(join(debsDir, d), join(pool, d));
    step(`${debs.length} packages, ${mib(await treeBytes(pool))}: indexing`);
    const packages = Buffer.from(
      (await exec("dpkg-scanpackages", ["--multiversion", "pool/main", "/dev/null"], { cwd: repo, timeoutMs: 300_000 })).stdout,
    );
    mkdirSync(join(repo, PACKAGES_DIR), { recursive: true });
    const indexes = [
      { path: "main/binary-amd64/Packages", content: packages },
      { path: "main/binary-amd64/Packages.gz", content: gzipSync(packages, { level: 9 }) },
    ];
    for (const i of indexes) writeFileSync(join(repo, "dists", SUITE, i.path), i.content);
    const release = join(repo, "dists", SUITE, "Release");
    writeFileSync(release, renderRelease(indexes, new Date()));
    step("signing with a key made for this mirror");
    const gnupg = join(dir, "gnupg");
    mkdirSync(gnupg, { mode: 0o700 });
    const env = { ...process.env, GNUPGHOME: gnupg };
    try {
      await exec(
        "gpg",
        ["--batch", "--quiet", "--passphrase", "", "--quick-gen-key", "pgha lab mirror <mirror@pgha.invalid>", "ed25519", "sign", "never"],
        { env },
      );
      await exec(
        "gpg",
        ["--batch", "--quiet", "--yes", "--digest-algo", "SHA512", "--clearsign", "-o", join(repo, "dists", SUITE, "InRelease"), release],
        { env },
      );
      writeFileSync(mirrorKeyFile(dir), (await exec("gpg", ["--batch", "--armor", "--export"], { env })).stdout);
    } finally {
      // gpg started an agent for this home; nothing signs again, so neither it nor the private key stays.
      await execAllowFailure("gpgconf", ["--kill", "gpg-agent"], { env });
      rmSync(gnupg, { recursive: true, force: true });
    }
    if (statSync(mirrorKeyFile(dir)).size === 0) throw new Error("gpg exported an empty mirror key");
  });
}
