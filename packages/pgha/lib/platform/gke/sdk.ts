/** @pulumi/kubernetes, loaded on first use (an optional peer dependency: lib/platform/peer.ts). */
import type * as K8s from "@pulumi/kubernetes";
import { KUBERNETES_SDK, requirePeer } from "../peer";

let sdk: typeof K8s | undefined;

export function kubernetesSdk(): typeof K8s {
  sdk ??= requirePeer<typeof K8s>(KUBERNETES_SDK, "gke");
  return sdk;
}
