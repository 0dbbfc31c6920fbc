import { gcpMachineShape, yandexShapeProblems } from "./machineShapes";
import { resolvedTiming } from "./patroni";
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

  // A frozen primary keeps its TCP port open, so HAProxy marks it down only when `fall` checks in a
  // row time out: at most fall x (intervalMs + checkTimeoutMs) (HAProxy runs one check at a time per
  // server; fastinter <= inter). After ttl Patroni may promote another member; a primary still routed
  // to then takes writes that are lost when it wakes up and is demoted (the leader-freeze drill).
  const checks = c.haproxy.checks;
  const markedDownMs = checks.fall * (checks.intervalMs + checks.checkTimeoutMs);
  const { ttl } = resolvedTiming(c.patroni.dcs);
  if (c.haproxy.enabled && markedDownMs > ttl * 1000)
    add(
      `${p}.haproxy.checks.checkTimeoutMs`,
      `HAProxy marks a frozen primary down only after up to fall x (intervalMs + checkTimeoutMs) = ` +
        `${checks.fall} x (${checks.intervalMs} + ${checks.checkTimeoutMs}) = ${markedDownMs} ms, longer than Patroni's ttl ` +
        `(${ttl} s = ${ttl * 1000} ms) after which another member may be primary: writes would still reach the old one`,
    );
}
