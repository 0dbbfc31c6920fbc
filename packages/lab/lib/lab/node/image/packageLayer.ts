// A package layer: what a node's own apt install produces on the base image, kept as an
// overlay layer keyed by the base image, the mirror's content, the exact package list and the
// files user-data writes before installing (e.g. policy-rc.d, createcluster.d), as a baked
// image would be. The first install of a package set really runs (apt from the mirror, in the
// base image); nodes then boot over the layer, and their own cloud-init still runs apt-get
// update and install against the mirror at first boot.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { exec } from "../../host/exec";
import { type Log, cachedBuild } from "./cache";
import type { LabImages } from "./debianImage";
import { imageCommand } from "./imageExec";
import { DEBIAN_SUITE, MIRROR_KEYRING, mirrorRepo } from "../../cloud/mirror";

export interface PreinstallFile {
  path: string;
  content: string;
  permissions?: string;
}

/** What a node's user-data asks apt for, and what it writes before apt runs. */
export interface PackageNeeds {
  packages: string[];
  preinstallFiles: PreinstallFile[];
  /** Extra apt sources (apt: sources:), e.g. PGDG; the lab's mirror carries only Debian 13. */
  extraSources: string[];
}

interface CloudConfig {
  packages?: (string | string[])[];
  write_files?: { path: string; content?: string; permissions?: string; defer?: boolean; encoding?: string }[];
  apt?: { sources?: Record<string, { source?: string }> };
}

export function packageNeedsOf(userData: string): PackageNeeds {
  const doc = (parseYaml(userData) ?? {}) as CloudConfig;
  const packages = (doc.packages ?? []).map((p) => (Array.isArray(p) ? p.join("=") : p)).sort();
  const preinstallFiles = (doc.write_files ?? [])
    .filter((f) => !f.defer && (f.encoding === undefined || f.encoding === "text/plain"))
    .map((f) => ({ path: f.path, content: f.content ?? "", permissions: f.permissions }));
  const extraSources = Object.entries(doc.apt?.sources ?? {}).map(([name, s]) => `${name}: ${s.source ?? "?"}`);
  return { packages, preinstallFiles, extraSources };
}

const POLICY_RC_D = "/usr/sbin/policy-rc.d";
const BAKE_DIR = "/run/pgha-bake";

/** The layer for `needs` over the base image (built on first use). Empty package list: no layer. */
export async function packageLayer(images: LabImages, needs: PackageNeeds, log: Log): Promise<string | undefined> {
  if (needs.packages.length === 0) return undefined;
  // The files' contents enter the key as hashes only: the manifest never holds what they say.
  const preinstall = needs.preinstallFiles.map((f) => ({
    path: f.path,
    permissions: f.permissions,
    sha256: createHash("sha256").update(f.content).digest("hex"),
  }));
  const inputs = { base: images.base, mirror: images.mirror, packages: needs.packages, preinstall };
  const dir = await cachedBuild("layers", inputs, log, async (tmp, step) => {
    const layer = join(tmp, "layer");
    const work = join(tmp, "work");
    const mnt = join(tmp, "mnt");
    const bake = join(tmp, "bake");
    for (const d of [layer, work, mnt, bake]) mkdirSync(d);
    // The files cloud-init writes before packages (write_files without defer), as the node would have them.
    for (const f of needs.preinstallFiles) {
      const to = join(layer, f.path);
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, f.content, { mode: Number.parseInt(f.permissions ?? "0644", 8) });
    }
    // No daemon may start inside the bake (there is no init here to own it).
    const ownPolicy = !needs.preinstallFiles.some((f) => f.path === POLICY_RC_D);
    if (ownPolicy) {
      mkdirSync(join(layer, dirname(POLICY_RC_D)), { recursive: true });
      writeFileSync(join(layer, POLICY_RC_D), "#!/bin/sh\nexit 101\n", { mode: 0o755 });
    }
    writeFileSync(join(bake, "sources.list"), `deb [signed-by=${MIRROR_KEYRING}] file:${BAKE_DIR}/repo ${DEBIAN_SUITE} main\n`);
    const apt = `apt-get -o Dir::Etc::SourceList=${BAKE_DIR}/sources.list -o Dir::Etc::SourceParts=- -o APT::Sandbox::User=root`;
    const script = [
      "set -e",
      `${apt} -q update`,
      // The command cloud-init's package module runs.
      `DEBIAN_FRONTEND=noninteractive ${apt} --option=Dpkg::Options::=--force-confold ` +
        `--option=Dpkg::options::=--force-unsafe-io --assume-yes --quiet install ${needs.packages.join(" ")}`,
      "rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin",
    ].join("\n");
    step(`apt-get install ${needs.packages.join(" ")} from the lab mirror over the base image`);
    const cmd = imageCommand(["/bin/sh", "-c", script], {
      // The mirror is a bound directory: the bake needs no network, and gets none.
      isolatedNetwork: true,
      lower: [images.base],
      upper: { dir: layer, work, mountpoint: mnt },
      binds: [
        [mirrorRepo(images.mirror), `${BAKE_DIR}/repo`],
        [join(bake, "sources.list"), `${BAKE_DIR}/sources.list`],
      ],
    });
    await exec(cmd[0], cmd.slice(1), { timeoutMs: 15 * 60_000 });
    if (ownPolicy) rmSync(join(layer, POLICY_RC_D));
    for (const f of needs.preinstallFiles) rmSync(join(layer, f.path), { force: true });
    rmSync(work, { recursive: true, force: true });
    for (const d of [mnt, bake]) rmSync(d, { recursive: true, force: true });
    if (!existsSync(join(layer, "var/lib/dpkg/status"))) throw new Error("apt installed nothing into the layer");
  });
  return join(dir, "layer");
}
