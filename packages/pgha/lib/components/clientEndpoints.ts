import * as pulumi from "@pulumi/pulumi";
import { type ClusterSpec, planAddresses } from "../config";
import type { ClusterPasswords } from "../render/model";
import { type ClusterContext, type NetworkContext, topologyOf } from "./context";

/**
 * Every address of a cluster's block a client may dial and reach a member's PostgreSQL or
 * PgBouncer through: the HAProxy nodes, the keepalived VIP and the internal load balancer's
 * planned address. HAProxy (mode tcp) and the cloud TCP load balancers pass TLS through, so the
 * certificate that answers there is the member's: it must name these too, or `sslmode=verify-full`
 * fails. They are taken whether or not the stack enables HAProxy or the LB: the block reserves
 * them for this cluster alone, and a HaproxyPair or TcpLoadBalancer built later lands on them.
 *
 * A public load balancer's address is not among them: the cloud assigns it when the LB is
 * created, after the members' certificates (see connectionString in tcpLoadBalancer.ts).
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

/** Where a client keeps the cluster's CA certificate (the `caCert` output), relative to its working directory. */
export function caCertFileName(cluster: string): string {
  return `${cluster}-ca.crt`;
}

/**
 * The application's libpq URL: the first application role, to the first database it owns (else
 * `postgres`), at `hostPorts`, with `sslmode` (verify-full wherever the members' certificates
 * name the host) and the cluster CA as `sslrootcert`. A secret. Undefined when the cluster has no
 * application role: pgha never exports the superuser's credentials.
 */
export function applicationConnectionString(
  cluster: Pick<ClusterContext, "spec" | "passwords">,
  hostPorts: pulumi.Input<string>,
  options: { sslmode: "verify-full" | "verify-ca"; targetSessionAttrs?: "read-write" },
): pulumi.Output<string | undefined> {
  const role = cluster.spec.postgres.roles[0]?.name;
  if (role === undefined) return pulumi.output(undefined);
  const db = cluster.spec.postgres.databases.find((d) => d.owner === role)?.name ?? "postgres";
  const query = [
    ...(options.targetSessionAttrs ? [`target_session_attrs=${options.targetSessionAttrs}`] : []),
    `sslmode=${options.sslmode}`,
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
