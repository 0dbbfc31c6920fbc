// Run a program of a lab image: in a private mount namespace, chrooted into a root over the
// image's layers (throwaway: its writes vanish), with chosen host paths bound in at the same
// paths. The tool tests, the lab client and checks of stand-in configs run the image's
// programs this way, so they check what the nodes run, not this host's Debian 12.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ExecOptions, type ExecResult, execAllowFailure } from "../../host/exec";
import { labAsset } from "../../../paths";
import { labCache } from "./cache";
import { type LabImages, ensureLabImages } from "./debianImage";

export const ENTER_ROOT_SCRIPT = labAsset("lab/node/image/enter-root.sh");

export interface ImageRootOptions {
  /** Overlay lower layers, top first (e.g. a package layer, then the base image). */
  lower: string[];
  /** The root's own files (overlay upper + work) for a persistent root; omitted: throwaway. */
  upper?: { dir: string; work: string; mountpoint: string };
  /** Host paths bound into the root: a path (same inside), [host path, path inside], or with "ro" read-only. */
  binds?: (string | [string, string] | [string, string, "ro"])[];
  /** Run inside this network namespace (ip netns exec). */
  netns?: string;
  /** Own UTS namespace with this hostname. */
  hostname?: string;
  /** A network namespace of its own with nothing in it (for work that needs no network). */
  isolatedNetwork?: boolean;
}

/** Mount point for throwaway roots; only ever mounted on inside private mount namespaces. */
function scratchMountpoint(): string {
  const dir = join(labCache(), "mnt");
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The argv that runs `argv` in the root; every wrapper execs, so the spawned pid is the program's. */
export function imageCommand(argv: string[], o: ImageRootOptions): string[] {
  const paths = (o.binds ?? []).map((b) => (typeof b === "string" ? [b, b] : b));
  for (const [src, dst] of paths) if (/[=|]/.test(src + dst)) throw new Error(`bind ${src} -> ${dst}: paths must not contain '=' or '|'`);
  const binds = paths.map(([src, dst, ro]) => `${src}=${dst}${ro ? "=ro" : ""}`);
  const enter = [
    "/bin/sh",
    ENTER_ROOT_SCRIPT,
    o.upper?.mountpoint ?? scratchMountpoint(),
    o.lower.join(":"),
    o.upper?.dir ?? "-",
    o.upper?.work ?? "-",
    binds.length > 0 ? binds.join("|") : "-",
    o.hostname ?? "-",
    "--",
    ...argv,
  ];
  const unshare = [
    "unshare",
    "--mount",
    "--propagation",
    "private",
    ...(o.hostname ? ["--uts", "--ipc"] : []),
    ...(o.isolatedNetwork ? ["--net"] : []),
    "--",
    ...enter,
  ];
  return o.netns ? ["ip", "netns", "exec", o.netns, ...unshare] : unshare;
}

let images: Promise<LabImages> | undefined;

/** The lab images, built on first use in this process (quietly: `pgha lab image` shows progress). */
export function labImages(log: (line: string) => void = () => undefined): Promise<LabImages> {
  images ??= ensureLabImages(log);
  return images;
}

/** Run a program of the tools image (base + every node package), throwaway root. */
export async function runInToolsImage(
  argv: string[],
  o: Omit<ImageRootOptions, "lower" | "upper"> & ExecOptions = {},
): Promise<ExecResult> {
  const { tools } = await labImages();
  const cmd = imageCommand(argv, { ...o, lower: [tools] });
  return execAllowFailure(cmd[0], cmd.slice(1), o);
}

/** uid/gid of a user in an image root (package users differ from the host's). */
export function imageUser(root: string, name: string): { uid: number; gid: number } {
  const line = readFileSync(join(root, "etc/passwd"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`user ${name} does not exist in ${root}`);
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}
