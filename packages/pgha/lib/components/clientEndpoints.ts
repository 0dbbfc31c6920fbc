import * as pulumi from "@pulumi/pulumi";
import { type ClusterSpec, planAddresses } from "../config";
import type { ClusterPasswords } from "../render/model";
import type { ReservedAddress } from "../platform/types";
import { type ClusterContext, type NetworkContext, topologyOf } from "./context";

/**
 * Every address of a cluster's block a client may dial and reach a member's PostgreSQL or
 * PgBouncer through: the HAProxy nodes, the keepalived VIP and the internal load balancer's
 * planned address. HAProxy (mode tcp) and the cloud TCP load balancers pass TLS through, so the
 * certificate that answers there is the member's: it must name these too, or `sslmode=verify-full`
 * fails. They are taken whether or not the stack enables HAProxy or the LB: the block reserves
 * them for this cluster alone, and a HaproxyPair or TcpLoadBalancer built later lands on them.
 *
 * A public load balancer's address is not planned but reserved in the cloud: see
 * reservePublicLoadBalancerAddress, whose address the certificates name as well.
 */
export function clusterFrontAddresses(net: NetworkContext, spec: ClusterSpec): string[] {
  const forced: ClusterSpec = {
    ...spec,
    haproxy: { ...spec.haproxy, enabled: true },
    loadBalancer: { ...spec.loadBalancer, enabled: true, exposure: "internal" },
  };
  const plan = planAddresses(topologyOf(net, [forced]));
  const addresses = [
    ...plan.nodes.filter((n) => n.role === "haproxy").map((n) => n.ip),
    ...plan.vips.map((v) => v.ip),
    ...plan.loadBalancers.map((l) => l.ip),
  ];
  return [...new Set(addresses)];
}

/** The internal load balancer address planned for a cluster (offset 13 of its block). */
export function plannedLoadBalancerAddress(net: NetworkContext, spec: ClusterSpec): string | undefined {
  const forced: ClusterSpec = { ...spec, loadBalancer: { ...spec.loadBalancer, enabled: true } };
  return planAddresses(topologyOf(net, [forced])).loadBalancers[0]?.ip;
}

/**
 * The address of the cluster's public load balancer, reserved now: the members' certificates are
 * issued before the TcpLoadBalancer exists and must name it for sslmode=verify-full. The cluster
 * owns it (one per cluster, whichever component builds the LB); TcpLoadBalancer gets it from the
 * cluster's context. Undefined unless `loadBalancer` is enabled with exposure public. It depends
 * only on the exposure, scope and region, so no other change replaces it.
 */
export function reservePublicLoadBalancerAddress(
  net: NetworkContext,
  spec: ClusterSpec,
  zone: string,
  parent: pulumi.Resource,
): ReservedAddress | undefined {
  const lb = spec.loadBalancer;
  if (!lb.enabled || lb.exposure !== "public") return undefined;
  return net.platform.loadBalancerAddress(
    {
      name: spec.name,
      scope: lb.scope,
      region: spec.region,
      zone,
      planned: plannedLoadBalancerAddress(net, spec),
      // GCP's global address was the TcpLoadBalancer's child (named as the cluster, as
      // composeTopology names it): that URN is the alias that keeps the address.
      formerParent: parent.urn.apply((urn) =>
        urn.replace(/pgha:index:(?:Patroni|Standby)Cluster(::[^:]+)$/, "pgha:index:TcpLoadBalancer$1"),
      ),
    },
    parent,
  );
}

/** Where a client keeps the cluster's CA certificate (the `caCert` output), relative to its working directory. */
export function caCertFileName(cluster: string): string {
  return `${cluster}-ca.crt`;
}

/**
 * The application's libpq URL: the first application role, to the first database it owns (else
 * `postgres`), at `hostPorts`, with sslmode=verify-full (the members' certificates name every
 * address pgha hands out) and the cluster CA as `sslrootcert`. A secret. Undefined when the cluster has no
 * application role: pgha never exports the superuser's credentials.
 */
export function applicationConnectionString(
  cluster: Pick<ClusterContext, "spec" | "passwords">,
  hostPorts: pulumi.Input<string>,
  options: { targetSessionAttrs?: "read-write" } = {},
): pulumi.Output<string | undefined> {
  const role = cluster.spec.postgres.roles[0]?.name;
  if (role === undefined) return pulumi.output(undefined);
  const db = cluster.spec.postgres.databases.find((d) => d.owner === role)?.name ?? "postgres";
  const query = [
    ...(options.targetSessionAttrs ? [`target_session_attrs=${options.targetSessionAttrs}`] : []),
    "sslmode=verify-full",
    `sslrootcert=${caCertFileName(cluster.spec.name)}`,
  ].join("&");
  return pulumi.secret(
    pulumi
      .all([cluster.passwords, pulumi.output(hostPorts)])
      .apply(
        ([p, hosts]: [ClusterPasswords, string]) =>
          `postgresql://${role}:${encodeURIComponent(p.roles[role] ?? "")}@${hosts}/${db}?${query}`,
      ),
  );
}
