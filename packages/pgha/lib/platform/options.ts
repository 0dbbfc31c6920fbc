/**
 * Resource-option policies every platform applies the same way, so a cloud stack, the
 * synth plan and the lab all exercise identical options.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * Disks and buckets that hold data: `pulumi destroy` and accidental replacement must never
 * delete them. `protect` makes Pulumi refuse; `retainOnDelete` keeps the cloud object if
 * someone unprotects and deletes the resource on purpose (it is then only forgotten).
 */
export const dataResourceOptions: pulumi.CustomResourceOptions = Object.freeze({
  protect: true,
  retainOnDelete: true,
});

/** Pulumi property path of cloud-init user-data inside a VM's `metadata` map (GCP and Yandex). */
export const METADATA_USER_DATA_PATH = 'metadata["user-data"]';

/**
 * VM options. cloud-init runs once, at first boot: a changed user-data would only replace the
 * VM (and, on GCP, `metadata` changes are in-place but pointless), so changes to it are ignored
 * and day-2 changes go through lib/ops. `deleteBeforeReplace` because the VM keeps a fixed
 * private IP and a data disk that a replacement can only take over once the old VM is gone.
 */
export function vmResourceOptions(ignoreUserDataPath: string): pulumi.CustomResourceOptions {
  return { ignoreChanges: [ignoreUserDataPath], deleteBeforeReplace: true };
}

/** `opts` with `parent` (and anything else in `extra`) added; never mutates the shared policies. */
export function withParent(parent: pulumi.Resource, ...extra: pulumi.CustomResourceOptions[]): pulumi.CustomResourceOptions {
  return Object.assign({}, ...extra, { parent });
}

/**
 * An ingress rule must say where traffic comes from: GCP treats a rule without sources as
 * 0.0.0.0/0 and an empty Yandex rule is meaningless, so an empty source is a bug upstream.
 */
export function assertIngressHasSource(
  group: string,
  rule: { name: string; from: { cidrs?: string[]; healthCheckers?: boolean; self?: boolean; iap?: boolean } },
): void {
  const { cidrs = [], healthCheckers = false, self = false, iap = false } = rule.from;
  if (cidrs.length === 0 && !healthCheckers && !self && !iap) {
    throw new Error(
      `firewall ${group}: rule ${rule.name} has no source (cidrs, healthCheckers, self or iap); refusing to open it to everyone`,
    );
  }
}

/** Cloud labels as a user may give them: a map known at plan time, or one read from another stack. */
export type Labels = pulumi.Input<Record<string, pulumi.Input<string>>>;

/**
 * `base` with `extra` added (extra wins). A plain map stays a plain map, so stacks that give
 * plain labels register exactly the inputs they did before; an Output or Promise map is merged
 * once it resolves.
 */
export function withLabels(base: Labels | undefined, extra: Record<string, string>): Labels {
  if (base === undefined || (!pulumi.Output.isInstance(base) && !(base instanceof Promise))) return { ...base, ...extra };
  return pulumi.output(base).apply((b) => ({ ...b, ...extra }));
}
