/**
 * A throwaway PostgreSQL (the tools image's: Debian 13's PostgreSQL 17) serving TLS on
 * 127.0.0.1, for tool tests that check certificates against the real server. It runs as the
 * image's `postgres` user (the server refuses root); its Unix socket is in `root`, its data
 * directory is `<root>/data`; `root` is bound into the image at the same path.
 */
import { chmodSync, chownSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { type Daemon, freePort, waitFor } from "./fixtures";
import { imageIds, imagePgBin, mustImageSync, runImage, startImageDaemon } from "./image";

/** The image's PostgreSQL bin dir (/usr/lib/postgresql/<major>/bin). */
export function pgBin(): string {
  return imagePgBin();
}

/** uid/gid of `postgres` in the image (the host's, if any, differs). */
export function postgresIds(): { uid: number; gid: number } {
  return imageIds("postgres");
}

/**
 * initdb as postgres into `<root>/data`; `root` is created 0700 and owned by postgres (its
 * parent must let postgres through). Returns the data directory.
 */
export function initPostgresData(root: string, initdbFlags: string[]): string {
  const { uid, gid } = postgresIds();
  const data = path.join(root, "data");
  mkdirSync(root, { mode: 0o700 });
  chownSync(root, uid, gid);
  mustImageSync([`${pgBin()}/initdb`, "-D", data, "-U", "postgres", ...initdbFlags, "-E", "UTF8"], { user: "postgres", binds: [root] });
  return data;
}

/**
 * Puts a file (written from `content`, or already there) into the data directory: owned by
 * postgres, 0600, what the server insists on for keys.
 */
export function installForPostgres(data: string, name: string, content?: string | Buffer): void {
  const target = path.join(data, name);
  if (content !== undefined) writeFileSync(target, content, { mode: 0o600 });
  const { uid, gid } = postgresIds();
  chownSync(target, uid, gid);
  chmodSync(target, 0o600);
}

export interface TlsPostgres {
  daemon: Daemon;
  port: number;
}

/**
 * Starts the server of `<root>/data` with ssl=on (server.crt/server.key in the data directory),
 * listening on 127.0.0.1 at a free port, plus `settings` ("name=value"), and waits until it
 * accepts connections. If it never does, it is stopped and the error names its output.
 */
export async function startTlsPostgres(root: string, settings: string[] = []): Promise<TlsPostgres> {
  const port = await freePort();
  const conf = [`port=${port}`, "listen_addresses=127.0.0.1", `unix_socket_directories=${root}`, "ssl=on", ...settings];
  const daemon = startImageDaemon([`${pgBin()}/postgres`, "-D", path.join(root, "data"), ...conf.flatMap((c) => ["-c", c])], {
    user: "postgres",
    binds: [root],
  });
  try {
    await waitFor("postgres accepting connections", async () => {
      if (daemon.exited()) throw new Error(`postgres exited:\n${daemon.output().slice(-3000)}`);
      return (await runImage([`${pgBin()}/pg_isready`, "-h", root, "-p", String(port)], { binds: [root] })).code === 0 || undefined;
    });
  } catch (err) {
    await daemon.stop();
    throw err;
  }
  return { daemon, port };
}
