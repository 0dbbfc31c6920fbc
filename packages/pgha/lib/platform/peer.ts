/**
 * Cloud SDKs pgha uses only for some platforms (@pulumi/gcp for gcp and gke, @pulumi/kubernetes
 * for gke) are optional peer dependencies: they are loaded when such a platform is created,
 * never at import time, so a Yandex-only program neither installs nor loads them.
 */

/** An optional peer dependency and the platforms that need it. */
export interface OptionalPeer {
  /** npm package name, e.g. `@pulumi/gcp`. */
  name: string;
  /** Version range pgha is built against, e.g. `^9`. */
  range: string;
}

export const GCP_SDK: OptionalPeer = { name: "@pulumi/gcp", range: "^9" };
export const KUBERNETES_SDK: OptionalPeer = { name: "@pulumi/kubernetes", range: "^4" };

/**
 * `require(peer.name)`, turning "this very package is not installed" into an error that says
 * which platform needs it and how to install it. Any other failure (a broken install, a
 * missing dependency of the peer itself) is rethrown unchanged.
 */
export function requirePeer<T>(peer: OptionalPeer, platform: string, load: (id: string) => unknown = require): T {
  try {
    return load(peer.name) as T;
  } catch (err) {
    if (isMissing(err, peer.name)) {
      throw new Error(`platform ${platform} needs the optional peer dependency ${peer.name}: npm install ${peer.name}@${peer.range}`, {
        cause: err,
      });
    }
    throw err;
  }
}

function isMissing(err: unknown, name: string): boolean {
  const e = err as { code?: unknown; message?: unknown };
  // Node names the module it could not resolve first: `Cannot find module '<name>'`.
  return e?.code === "MODULE_NOT_FOUND" && typeof e.message === "string" && e.message.startsWith(`Cannot find module '${name}'`);
}
