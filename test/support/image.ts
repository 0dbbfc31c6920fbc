/**
 * Tool tests run the programs of the lab's Debian 13 "tools" image (lib/lab/image), never the
 * host's: what they check is exactly what a node runs. Each command runs chrooted in a
 * throwaway root over the image (imageCommand), in a private mount namespace with fresh
 * tmpfs /tmp and /run, sharing the host's network namespace (or entering `netns`).
 *
 * - The image is built or found once per run by the globalSetup (test/support/imageSetup.ts),
 *   which hands its paths to every test file (vitest's provide/inject).
 * - Host paths a program needs (the test's temp dirs) are bound in at the same path.
 * - A program gets a clean environment, as a service would (PATH, LANG, HOME, plus what the
 *   test passes), never the host's: nothing of this machine's setup leaks into the check.
 *   Secrets (PGPASSWORD, ...) travel in that environment, never on a command line.
 * - `user` runs the program as an image user via setpriv, which execs; so does every wrapper
 *   (ip netns exec, unshare, chroot, env), so a spawned pid IS the program's: a daemon is
 *   stopped by its own pid.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { inject } from "vitest";
import { imageCommand } from "../../packages/lab/lib/lab/node/image/imageExec";
import type { LabImages } from "../../packages/lab/lib/lab/node/image/debianImage";
import { type Daemon, startDaemon } from "./fixtures";

declare module "vitest" {
  export interface ProvidedContext {
    labImages: LabImages;
    labImagesError: string;
  }
}

/** The PATH a Debian service gets: the image's programs only. */
export const IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The tools image root (base + every node package). */
export function toolsRoot(): string {
  const images = inject("labImages");
  const failed = inject("labImagesError");
  if (failed) throw new Error(`the lab's tools image could not be built: ${failed}`);
  if (!images?.tools || !existsSync(images.tools))
    throw new Error(
      "the lab's tools image is not known: " +
        "run the tool tests through vitest.config.ts (its globalSetup test/support/imageSetup.ts builds or finds the image)",
    );
  return images.tools;
}

interface PasswdEntry {
  uid: number;
  gid: number;
  home: string;
}

function passwdEntry(user: string): PasswdEntry {
  const line = readFileSync(path.join(toolsRoot(), "etc/passwd"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`user ${user} does not exist in the tools image`);
  const [, , uid, gid, , home] = line.split(":");
  return { uid: Number(uid), gid: Number(gid), home };
}

/** uid/gid of a package user INSIDE the image (not the host's): chown test dirs with these. */
export function imageIds(user: string): { uid: number; gid: number } {
  const { uid, gid } = passwdEntry(user);
  return { uid, gid };
}

/** The PostgreSQL major the image ships (Debian 13: one, 17), and its bin dir. */
export function imagePostgresMajor(): number {
  const majors = readdirSync(path.join(toolsRoot(), "usr/lib/postgresql"))
    .map(Number)
    .filter((n) => Number.isInteger(n));
  if (majors.length !== 1)
    throw new Error(`expected exactly one PostgreSQL major in the tools image, found: ${majors.join(", ") || "none"}`);
  return majors[0];
}

export function imagePgBin(): string {
  return `/usr/lib/postgresql/${imagePostgresMajor()}/bin`;
}

/** A file of the image, read from the host (e.g. a schema a package ships). */
export function imageFile(p: string): string {
  return path.join(toolsRoot(), p);
}

export interface InImage {
  /** Host paths bound in: a path (same inside) or [host path, path inside]. */
  binds?: (string | [string, string])[];
  /** Enter this network namespace first (ip netns exec). */
  netns?: string;
  /** Run as this image user (setpriv --reuid/--regid/--init-groups; it execs). */
  user?: string;
  /** Working directory inside the root (env -C; chroot starts in /). */
  cwd?: string;
  /** Environment added to the clean one (PATH, LANG, HOME). */
  env?: Record<string, string>;
}

/** The argv that runs `argv` in the tools image as `o` says. */
export function imageArgv(argv: string[], o: InImage = {}): string[] {
  const asUser = o.user ? ["setpriv", `--reuid=${o.user}`, `--regid=${o.user}`, "--init-groups", "--"] : [];
  const chdir = o.cwd ? ["env", "-C", o.cwd, "--"] : [];
  return imageCommand([...chdir, ...asUser, ...argv], { lower: [toolsRoot()], binds: o.binds, netns: o.netns });
}

/** The program's whole environment: clean, plus the test's additions. */
export function imageEnv(o: InImage = {}): NodeJS.ProcessEnv {
  return { PATH: IMAGE_PATH, LANG: "C.UTF-8", HOME: o.user ? passwdEntry(o.user).home : "/root", ...o.env };
}

export interface ImageResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions extends InImage {
  input?: string;
  timeoutMs?: number;
}

/** Run a program of the image; resolves with its exit code and output (never rejects on a non-zero exit). */
export function runImage(argv: string[], o: RunOptions = {}): Promise<ImageResult> {
  const cmd = imageArgv(argv, o);
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd[0],
      cmd.slice(1),
      { env: imageEnv(o), timeout: o.timeoutMs ?? 60_000, maxBuffer: 64 * 2 ** 20, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (!err) return resolve({ code: 0, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string };
        if (typeof e.code === "number") return resolve({ code: e.code, stdout, stderr });
        if (e.killed || e.signal)
          return resolve({ code: 128 + 9, stdout, stderr: `${stderr}\n${argv[0]} killed (${e.signal ?? "timeout"})` });
        reject(e);
      },
    );
    if (o.input !== undefined) child.stdin?.end(o.input);
  });
}

/** runImage, but a non-zero exit is an error naming the command and its output. */
export async function mustImage(argv: string[], o: RunOptions = {}): Promise<string> {
  const r = await runImage(argv, o);
  if (r.code !== 0) throw new Error(`${argv.join(" ")} (in the tools image) exited ${r.code}:\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Synchronous runImage, for tests written around spawnSync. */
export function runImageSync(argv: string[], o: RunOptions = {}): ImageResult {
  const cmd = imageArgv(argv, o);
  const r = spawnSync(cmd[0], cmd.slice(1), {
    env: imageEnv(o),
    input: o.input,
    timeout: o.timeoutMs ?? 60_000,
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.error && r.status === null && !r.signal) throw r.error;
  return {
    code: r.status ?? 128 + 9,
    stdout: r.stdout ?? "",
    stderr: `${r.stderr ?? ""}${r.signal ? `\n${argv[0]} killed by ${r.signal}` : ""}`,
  };
}

export function mustImageSync(argv: string[], o: RunOptions = {}): string {
  const r = runImageSync(argv, o);
  if (r.code !== 0) throw new Error(`${argv.join(" ")} (in the tools image) exited ${r.code}:\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/** A daemon of the image; its spawned pid is the program's own, so stop() ends exactly it. */
export function startImageDaemon(argv: string[], o: InImage = {}): Daemon {
  const cmd = imageArgv(argv, o);
  return startDaemon(cmd[0], cmd.slice(1), { env: imageEnv(o) });
}

/** openssl's argv for a one-day self-signed ECDSA P-256 certificate and its key (run in the image). */
export function selfSignedCertArgv(commonName: string, keyFile: string, certFile: string): string[] {
  const curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
  return ["openssl", "req", "-x509", ...curve, "-nodes", "-days", "1", "-subj", `/CN=${commonName}`, "-keyout", keyFile, "-out", certFile];
}
