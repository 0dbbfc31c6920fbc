import type * as pulumi from "@pulumi/pulumi";
import type { FirewallHandle, FirewallRule } from "../platform/types";
import type { NetworkContext } from "./context";

export interface PortPolicy {
  /** Open only from the network's own subnets (cluster-internal traffic). */
  internal: number[];
  /** Open from the platform's client CIDRs (and the own subnets). */
  clients: number[];
  /** Open to the cloud's load-balancer health checkers. */
  healthChecked: number[];
  /** keepalived VRRP between the pair (IP protocol 112) from the own subnets. */
  vrrp?: boolean;
}

/** One firewall (GCP rules by tag / Yandex security group) per role of a component. */
export function clusterFirewall(net: NetworkContext, name: string, tag: string, parent: pulumi.Resource, policy: PortPolicy): FirewallHandle {
  const own = net.base.subnets.map((s) => s.cidr);
  const rules: FirewallRule[] = [];
  if (policy.internal.length > 0)
    rules.push({ name: "internal", protocol: "tcp", ports: policy.internal, from: { cidrs: own }, description: `${tag}: cluster-internal ports, own subnets only` });
  if (policy.clients.length > 0)
    rules.push({
      name: "clients",
      protocol: "tcp",
      ports: policy.clients,
      from: { cidrs: [...own, ...net.base.platform.clientCidrs] },
      description: `${tag}: client ports from the client CIDRs`,
    });
  if (policy.healthChecked.length > 0)
    rules.push({ name: "health", protocol: "tcp", ports: policy.healthChecked, from: { healthCheckers: true }, description: `${tag}: load-balancer health checks` });
  if (policy.vrrp) rules.push({ name: "vrrp", protocol: "vrrp", ports: [], from: { cidrs: own }, description: `${tag}: keepalived VRRP between the pair` });
  return net.platform.firewall({ name, network: net.handle, targetTag: name, ingress: rules }, parent);
}
