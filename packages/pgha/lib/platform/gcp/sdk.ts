/** @pulumi/gcp, loaded on first use (an optional peer dependency: lib/platform/peer.ts). */
import type * as Gcp from "@pulumi/gcp";
import { GCP_SDK, requirePeer } from "../peer";

/** The @pulumi/gcp module; `platform` names who needs it in the error when it is not installed. */
export function gcpSdk(platform = "gcp"): typeof Gcp {
  // Node caches the module after the first require.
  return requirePeer<typeof Gcp>(GCP_SDK, platform);
}
