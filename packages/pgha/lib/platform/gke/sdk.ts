/** @pulumi/kubernetes, loaded on first use (an optional peer dependency: lib/platform/peer.ts). */
import type * as K8s from "@pulumi/kubernetes";
import { KUBERNETES_SDK, requirePeer } from "../peer";

export function kubernetesSdk(): typeof K8s {
  // Node caches the module after the first require.
  return requirePeer<typeof K8s>(KUBERNETES_SDK, "gke");
}
