/**
 * The stack file's `pgha:cloud` settings (lib/platform's PlatformSettings), checked with the
 * topology, so `pgha validate` refuses what the platform would only refuse at synth or `pulumi
 * up`: today, a Yandex stack without a boot image for its OS. Keys this check does not know are
 * left to the platform (its settings grow; an unknown key is ignored there, not an error).
 */
import { type ConfigIssue, OS_IMAGES, type Topology } from "pgha/config";
// The mappings module, not pgha/platform: validate must not load Pulumi or the cloud SDK wrappers.
import { YANDEX_IMAGE_FAMILIES } from "pgha/platform/yandex/mappings";

export const CLOUD_KEY = "pgha:cloud";

/** A value the program will receive: a plain string, or a `pulumi config set --secret` one. */
function present(v: unknown): boolean {
  return (typeof v === "string" && v.trim() !== "") || (typeof v === "object" && v !== null && "secure" in v);
}

export function cloudSettingsIssues(topology: Topology, cloud: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path: `${CLOUD_KEY}${path}`, message });
  if (cloud !== undefined && (typeof cloud !== "object" || cloud === null || Array.isArray(cloud))) {
    add("", "must be a map of platform settings (e.g. imageIds on yandex)");
    return issues;
  }
  const settings = (cloud ?? {}) as Record<string, unknown>;
  const imageIds = settings.imageIds;
  if (imageIds !== undefined && (typeof imageIds !== "object" || imageIds === null || Array.isArray(imageIds)))
    add(".imageIds", "must be a map from OS (platform.os) to a boot image id");
  const byOs = (typeof imageIds === "object" && imageIds !== null ? imageIds : {}) as Record<string, unknown>;
  for (const [os, id] of Object.entries(byOs)) {
    if (!(OS_IMAGES as readonly string[]).includes(os))
      add(`.imageIds.${os}`, `unknown OS '${os}'; pgha renders nodes for ${OS_IMAGES.join(", ")}`);
    else if (!present(id)) add(`.imageIds.${os}`, "must be a boot image id (a non-empty string)");
  }
  if (settings.imageId !== undefined && !present(settings.imageId)) add(".imageId", "must be a boot image id (a non-empty string)");

  const os = topology.platform.os;
  if (topology.platform.kind === "yandex" && !present(byOs[os]) && !present(settings.imageId)) {
    const family = YANDEX_IMAGE_FAMILIES[os];
    add(
      `.imageIds.${os}`,
      `is required on yandex: the boot image id of every VM (platform.os is ${os}), or ${CLOUD_KEY}.imageId; ` +
        `the current one of family ${family}: yc compute image get-latest-from-family ${family} --folder-id standard-images`,
    );
  }
  if (topology.platform.kind !== "yandex")
    for (const key of ["imageId", "imageIds"])
      if (settings[key] !== undefined)
        add(`.${key}`, `is a yandex setting; ${topology.platform.kind} takes its images from platform.os, so it would be ignored`);
  return issues;
}
