/**
 * Services of one Patroni cluster. Patroni runs in ConfigMaps mode, so the primary Service
 * selects on the role label Patroni maintains on its pods (`spilo-role=primary`), instead of
 * Patroni writing the Endpoints of a selector-less Service (Endpoints mode). Why:
 *   - the Endpoints API is deprecated since Kubernetes 1.33 in favour of EndpointSlices;
 *   - Patroni then needs no write access to endpoints and no `services: create` (rbac.ts);
 *   - Pulumi owns every Service completely, nothing else edits them.
 * The price: a leader change moves traffic when the old leader's label is removed and the
 * new leader's label is set (each is one PATCH by Patroni on its own pod); a leader cut off
 * from the API server keeps its label, but it has also lost its lock and demoted itself to
 * read-only by then (ttl), so writes fail instead of diverging.
 */
import type * as k8s from "@pulumi/kubernetes";
import { clusterLabels, type KubernetesLoadBalancer, kubernetesNames } from "./model";
import { PATRONI_LABELS } from "./spilo";

/** GKE annotations for a LoadBalancer Service. */
export function loadBalancerAnnotations(lb: KubernetesLoadBalancer): Record<string, string> {
  if (lb.kind === "internal") {
    return {
      "networking.gke.io/load-balancer-type": "Internal",
      ...(lb.globalAccess ? { "networking.gke.io/internal-load-balancer-allow-global-access": "true" } : {}),
    };
  }
  // Backend-service-based external passthrough NLB (GKE's recommended external L4 LB).
  if (lb.kind === "external") return { "cloud.google.com/l4-rbs": "enabled" };
  return {};
}

interface ServicePorts {
  postgres: number;
  restApi: number;
}

/** Headless Service the StatefulSet needs for stable pod DNS names; lists members before they are ready. */
export function membersService(cluster: string, namespace: string, ports: ServicePorts): k8s.types.input.core.v1.Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: kubernetesNames(cluster).membersService, namespace, labels: clusterLabels(cluster) },
    spec: {
      clusterIP: "None",
      publishNotReadyAddresses: true,
      selector: clusterLabels(cluster),
      ports: [
        { name: "postgresql", port: ports.postgres, targetPort: ports.postgres, protocol: "TCP" },
        { name: "patroni", port: ports.restApi, targetPort: ports.restApi, protocol: "TCP" },
      ],
    },
  };
}

/** Primary (or standby leader) or replicas, behind a GCP TCP load balancer unless `lb.kind` is none. */
export function roleService(
  cluster: string,
  namespace: string,
  role: "primary" | "replicas",
  postgresPort: number,
  lb: KubernetesLoadBalancer,
): k8s.types.input.core.v1.Service {
  const names = kubernetesNames(cluster);
  const roleValue = role === "primary" ? PATRONI_LABELS.leaderValue : PATRONI_LABELS.followerValue;
  const exposed = lb.kind !== "none";
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: role === "primary" ? names.primaryService : names.replicasService,
      namespace,
      labels: { ...clusterLabels(cluster), "pgha.io/role": role },
      ...(exposed ? { annotations: loadBalancerAnnotations(lb) } : {}),
    },
    spec: {
      type: exposed ? "LoadBalancer" : "ClusterIP",
      selector: { ...clusterLabels(cluster), [PATRONI_LABELS.roleLabel]: roleValue },
      ports: [{ name: "postgresql", port: postgresPort, targetPort: postgresPort, protocol: "TCP" }],
      // Cluster: every node passes the LB health check and kube-proxy forwards to the one
      // labelled pod. After a failover only the label moves; with Local the LB would first
      // have to mark the new primary's node healthy (several health-check intervals).
      ...(exposed ? { externalTrafficPolicy: "Cluster" } : {}),
      ...(exposed && lb.sourceRanges.length > 0 ? { loadBalancerSourceRanges: [...lb.sourceRanges] } : {}),
    },
  };
}
