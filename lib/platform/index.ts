/**
 * Platform selection. Components call `createPlatform` once per stack and never import a
 * cloud SDK themselves.
 */
import type { PlatformKind } from "../config";
import { GCP_DATA_DEVICE_NAME, GcpPlatform, type GcpSettings } from "./gcp/platform";
import { LocalPlatform, type LocalSettings } from "./local";
import type { Platform } from "./types";
import { YANDEX_DATA_DEVICE_NAME, YandexPlatform, type YandexSettings } from "./yandex/platform";

export * from "./options";
export * from "./types";
export { LAB_TYPES, LocalPlatform, type LocalSettings } from "./local";
export { GcpPlatform, type GcpSettings } from "./gcp/platform";
export { gcpMachineType } from "./gcp/sizing";
export { YandexPlatform, type YandexSettings, YANDEX_IMAGE_FAMILIES } from "./yandex/platform";

/** Everything any platform may need; each one reads its own fields and ignores the rest. */
/** Cloud settings from the stack's `pgha:cloud` (GKE's come from `pgha:gke`, validated by lib/platform/gke). */
export type PlatformSettings = GcpSettings & YandexSettings & LocalSettings & { gke?: unknown };

export function createPlatform(kind: PlatformKind, settings: PlatformSettings = {}): Platform {
  switch (kind) {
    case "gcp":
      return new GcpPlatform(settings);
    case "yandex":
      return new YandexPlatform(settings);
    case "local":
      return new LocalPlatform(settings);
    case "gke":
      throw new Error("platform gke: Patroni on GKE is not implemented by lib/platform (there are no VMs to create); use gcp for VMs");
  }
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
