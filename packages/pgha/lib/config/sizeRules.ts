import { gcpMachineShape, yandexShapeProblems } from "./machineShapes";
import type { ClusterSpec, Topology } from "./topology";

type Add = (path: string, message: string) => void;

/**
 * Sizes and timings the clouds or the programs refuse, for one cluster at `p` (e.g. `clusters[0]`).
 * The fixed-size service VMs (etcd, HAProxy, clients: 2 vCPUs, 2 GB in components/vm.ts) fit both clouds.
 */
export function sizeRules(t: Topology, c: ClusterSpec, p: string, add: Add): void {
  const { vcpus, ramGb } = c.hardware;
  // gke: hardware is the pod's requests (the node pool's machine type is pgha:gke's); local: the lab.
  const problems =
    t.platform.kind === "yandex"
      ? yandexShapeProblems(vcpus, ramGb)
      : t.platform.kind === "gcp"
        ? (() => {
            const shape = gcpMachineShape(vcpus, ramGb);
            return "problems" in shape ? shape.problems : [];
          })()
        : [];
  for (const problem of problems) add(`${p}.hardware.${problem.field}`, problem.message);

  // HAProxy 3.0, "timeout check": without it a whole check (connect + read) is bounded by `inter`;
  // a longer read timeout lets one hung check outlast several intervals, so a dead member keeps
  // its traffic for fall x checkTimeoutMs instead of fall x intervalMs.
  const checks = c.haproxy.checks;
  if (c.haproxy.enabled && checks.checkTimeoutMs > checks.intervalMs)
    add(
      `${p}.haproxy.checks.checkTimeoutMs`,
      `checkTimeoutMs (${checks.checkTimeoutMs}) must be <= intervalMs (${checks.intervalMs}): ` +
        `a check may then hang ${checks.checkTimeoutMs} ms, and failing ${checks.fall} of them takes ` +
        `${checks.fall * checks.checkTimeoutMs} ms instead of about ${checks.fall * checks.intervalMs} ms`,
    );
}
