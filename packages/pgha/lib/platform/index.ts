/**
 * Platform selection. Components call `createPlatform` once per stack and never import a
 * cloud SDK themselves. Importing this module loads no cloud SDK either: @pulumi/gcp and
 * @pulumi/kubernetes (optional peer dependencies, lib/platform/peer.ts) are loaded when a gcp or
 * gke platform is created.
 */
import type { PlatformKind } from "../config";
import { GCP_DATA_DEVICE_NAME, GcpPlatform, type GcpSettings } from "./gcp/platform";
import { GkePlatform } from "./gke/platform";
import { LocalPlatform, type LocalSettings } from "./local";
import type { AnyPlatform, KubernetesPlatform, Platform, VmPlatformKind } from "./types";
import { YANDEX_DATA_DEVICE_NAME, YandexPlatform, type YandexSettings } from "./yandex/platform";

export * from "./options";
export * from "./types";
export { LAB_TYPES, LocalPlatform, type LocalSettings } from "./local";
export { GcpPlatform, type GcpSettings } from "./gcp/platform";
export { gcpMachineType } from "./gcp/sizing";
export { GkePlatform, type GkePlatformSettings } from "./gke/platform";
export { YandexPlatform, type YandexSettings, YANDEX_IMAGE_FAMILIES } from "./yandex/platform";
export { GCP_SDK, KUBERNETES_SDK, type OptionalPeer, requirePeer } from "./peer";
// GKE's SDK-free parts: settings, the plan and the client VMs' cloud-init.
export { type ClientService, clientUserData, pgServiceConf, PG_SERVICE_FILE } from "./gke/clientCloudInit";
export { type GkeClientPlan, type GkeClusterPlan, type GkePlan, type GkeRegionPlan, planGke, workloadIdentityMember } from "./gke/plan";
export { defaultStorageClass, gkeRegions, gkeSettings, type GkeSettings, type GkeSettingsInput, parseGkeSettings } from "./gke/settings";

/** Cloud settings from the stack's `pgha:cloud` (GKE's come from `pgha:gke`, validated by lib/platform/gke). */
export type PlatformSettings = GcpSettings & YandexSettings & LocalSettings & { gke?: unknown };

/**
 * The platform of `kind`. gke gives a KubernetesPlatform (Patroni in pods; no VMs), every
 * other kind a Platform that builds VMs; the overloads keep that distinction in the types.
 */
export function createPlatform(kind: "gke", settings?: PlatformSettings): KubernetesPlatform;
export function createPlatform(kind: VmPlatformKind, settings?: PlatformSettings): Platform;
export function createPlatform(kind: PlatformKind, settings?: PlatformSettings): AnyPlatform;
export function createPlatform(kind: PlatformKind, settings: PlatformSettings = {}): AnyPlatform {
  switch (kind) {
    case "gcp":
      return new GcpPlatform(settings);
    case "yandex":
      return new YandexPlatform(settings);
    case "local":
      return new LocalPlatform(settings);
    case "gke":
      return new GkePlatform(settings);
  }
}

/**
 * The VM platform of `kind`, for components that place VMs (Network and everything in it).
 * gke has no VMs: its Patroni clusters are built by GkeFoundation and KubernetesPatroniCluster
 * (composeTopology picks them for a gke topology).
 */
export function createVmPlatform(kind: PlatformKind, settings: PlatformSettings = {}): Platform {
  if (kind === "gke") {
    throw new Error(
      "platform gke runs Patroni in Kubernetes pods and has no VMs: " +
        "use GkeFoundation and KubernetesPatroniCluster (or composeTopology) instead of Network",
    );
  }
  return createPlatform(kind, settings);
}

/**
 * Stable block-device path of a VM's data disk, for the cloud-init renderer (fs_setup/mounts).
 * Both clouds expose the attach-time device name under /dev/disk/by-id, unlike /dev/sdb or
 * /dev/vdb, which depend on attach order. Undefined where there is no separate disk: the lab
 * keeps data on the node's own filesystem and GKE uses volumes.
 */
export function dataDiskDevice(kind: PlatformKind): string | undefined {
  switch (kind) {
    case "gcp":
      return `/dev/disk/by-id/google-${GCP_DATA_DEVICE_NAME}`;
    case "yandex":
      return `/dev/disk/by-id/virtio-${YANDEX_DATA_DEVICE_NAME}`;
    case "local":
    case "gke":
      return undefined;
  }
}
