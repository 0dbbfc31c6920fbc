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
  /** SSH for lib/ops from platform.adminCidrs (and IAP on gcp), when the stack configures ops (sshKeys). */
  opsSsh?: boolean;
  /** Ports a public load balancer forwards here, open from exactly its declared sourceRanges. */
  publicListeners?: { ports: number[]; sourceRanges: string[] };
}

/** One firewall (GCP rules by tag / Yandex security group) per role of a component. */
export function clusterFirewall(
  net: NetworkContext,
  name: string,
  tag: string,
  parent: pulumi.Resource,
  policy: PortPolicy,
): FirewallHandle {
  const own = net.base.subnets.map((s) => s.cidr);
  const rules: FirewallRule[] = [];
  const tcp = (name: string, ports: number[], from: FirewallRule["from"], description: string) => {
    if (ports.length > 0) rules.push({ name, protocol: "tcp", ports, from, description: `${tag}: ${description}` });
  };
  tcp("internal", policy.internal, { cidrs: own }, "cluster-internal ports, own subnets only");
  tcp("clients", policy.clients, { cidrs: [...own, ...net.base.platform.clientCidrs] }, "client ports from the client CIDRs");
  tcp("health", policy.healthChecked, { healthCheckers: true }, "load-balancer health checks");
  const pf = net.base.platform;
  // Port 22 opens only here: the ops user's keys are set and the stack names where admins come from.
  if (policy.opsSsh && pf.sshKeys.length > 0 && (pf.adminCidrs.length > 0 || pf.iap))
    rules.push({
      name: "ssh",
      protocol: "tcp",
      ports: [22],
      from: { cidrs: pf.adminCidrs, iap: pf.iap || undefined },
      description: `${tag}: SSH for lib/ops from platform.adminCidrs${pf.iap ? " and IAP" : ""}`,
    });
  if (policy.publicListeners && policy.publicListeners.ports.length > 0)
    rules.push({
      name: "public",
      protocol: "tcp",
      ports: policy.publicListeners.ports,
      from: { cidrs: policy.publicListeners.sourceRanges },
      description: `${tag}: public load-balancer listeners, from loadBalancer.sourceRanges only`,
    });
  if (policy.vrrp)
    rules.push({
      name: "vrrp",
      protocol: "vrrp",
      ports: [],
      from: { cidrs: own },
      description: `${tag}: keepalived VRRP between the pair`,
    });
  return net.platform.firewall({ name, network: net.handle, targetTag: name, ingress: rules }, parent);
}
