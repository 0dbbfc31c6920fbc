/**
 * Yandex Network Load Balancer: a regional passthrough TCP balancer with a target group and a
 * health check per attached group.
 *
 * Exposure: "internal" is an internal NLB with a private listener address in one subnet;
 * "public" is an external NLB with a public address (terraform-provider-yandex 0.139,
 * docs/resources/lb_network_load_balancer.md: `type` is 'external' or 'internal', default
 * 'external'; a listener takes `external_address_spec` or `internal_address_spec`). The NLB
 * has no source filter of its own: it forwards the client's packets with the sender's address
 * kept and the target answers the client directly (Yandex docs, network-load-balancer/concepts/
 * specifics, "Traffic flows"), so who may connect to a public listener is
 * decided by the targets' security group, which the component opens to `sourceRanges` only.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as yandex from "../../../sdks/yandex/bin/index";
import { cidrContains, parseCidr, parseIpv4 } from "../../config";
import type { HealthCheck, LoadBalancerAddressArgs, LoadBalancerArgs, LoadBalancerHandle, ReservedAddress } from "../types";
import type { YandexSettings } from "./platform";

function healthcheck(name: string, hc: HealthCheck): yandex.types.input.LbNetworkLoadBalancerAttachedTargetGroupHealthcheck {
  const timing = {
    name,
    interval: hc.intervalS,
    timeout: hc.timeoutS,
    healthyThreshold: hc.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold,
  };
  return hc.protocol === "tcp"
    ? { ...timing, tcpOptions: { port: hc.port } }
    : { ...timing, httpOptions: { port: hc.port, path: hc.path ?? "/" } };
}

export function createYandexLoadBalancer(args: LoadBalancerArgs, parent: pulumi.Resource, settings: YandexSettings): LoadBalancerHandle {
  if (args.scope === "global") {
    throw new Error(
      `yandex: load balancer ${args.name}: the Yandex Network Load Balancer is regional; ` +
        `scope "global" is not available (a standby in another region connects to this region's load balancer address)`,
    );
  }
  if (args.healthCheck.protocol === "https") {
    throw new Error(
      `yandex: load balancer ${args.name}: NLB health checks speak HTTP or TCP, ` +
        `not HTTPS; serve the health endpoint over HTTP (e.g. the HAProxy monitor) or use tcp`,
    );
  }
  if (args.targets.length === 0) throw new Error(`yandex: load balancer ${args.name} has no targets`);
  if (args.listeners.length === 0) throw new Error(`yandex: load balancer ${args.name} has no listeners`);
  const internal = args.exposure === "internal";
  if (!internal && args.sourceRanges.length === 0) {
    throw new Error(
      `yandex: load balancer ${args.name}: a public load balancer needs sourceRanges (its targets' security group admits only them)`,
    );
  }
  const { folderId, labels } = settings;

  const subnetIdOf = (subnet: string) => {
    const id = args.network.subnetIds[subnet];
    if (!id) throw new Error(`yandex: load balancer ${args.name}: unknown subnet ${subnet}`);
    return id;
  };
  const targetGroup = new yandex.LbTargetGroup(
    args.name,
    {
      name: args.name,
      folderId,
      regionId: args.region,
      labels,
      targets: args.targets.map((t) => ({ subnetId: subnetIdOf(t.subnet), address: t.ip })),
    },
    { parent },
  );

  // A public listener takes the address reserved before the certificates (they name it); the
  // planned private `address` does not apply to it.
  const addressSpec = internal
    ? { internalAddressSpec: { subnetId: subnetIdOf(internalListenerSubnet(args)), address: args.address, ipVersion: "ipv4" } }
    : { externalAddressSpec: { address: args.publicAddress?.address, ipVersion: "ipv4" } };
  const nlb = new yandex.LbNetworkLoadBalancer(
    args.name,
    {
      name: args.name,
      folderId,
      regionId: args.region,
      type: internal ? "internal" : "external",
      labels,
      listeners: args.listeners.map((l) => ({
        name: l.name,
        port: l.port,
        targetPort: l.targetPort,
        protocol: "tcp",
        ...addressSpec,
      })),
      attachedTargetGroups: [{ targetGroupId: targetGroup.id, healthchecks: [healthcheck(`${args.name}-hc`, args.healthCheck)] }],
    },
    { parent },
  );
  const address = nlb.listeners.apply((ls) => {
    const l = ls?.[0];
    const a = l?.internalAddressSpec?.address ?? l?.externalAddressSpec?.address;
    if (!a) throw new Error(`yandex: load balancer ${args.name} reported no listener address`);
    return a;
  });
  return { address, listeners: args.listeners };
}

/**
 * A static public address for an external NLB listener (terraform-provider-yandex
 * docs/resources/vpc_address.md: `external_ipv4_address { zone_id }`; lb_network_load_balancer.md:
 * `external_address_spec { address }`). A static external address is reserved in a zone; the zone
 * is kept once reserved (ignoreChanges), so moving the cluster's subnets never replaces it.
 */
export function reserveYandexAddress(args: LoadBalancerAddressArgs, parent: pulumi.Resource, settings: YandexSettings): ReservedAddress {
  if (args.scope === "global") {
    throw new Error(
      `yandex: load balancer address ${args.name}: the Yandex Network Load Balancer is regional; scope "global" is not available`,
    );
  }
  const reserved = new yandex.VpcAddress(
    `${args.name}-ip`,
    { name: `${args.name}-ip`, folderId: settings.folderId, labels: settings.labels, externalIpv4Address: { zoneId: args.zone } },
    { parent, ignoreChanges: ["externalIpv4Address.zoneId"] },
  );
  const address = reserved.externalIpv4Address.apply((ext) => {
    if (!ext?.address) throw new Error(`yandex: load balancer address ${args.name}-ip reported no address`);
    return ext.address;
  });
  return { scope: args.scope, region: args.region, address };
}

/** Subnet of an internal listener: the one holding `address`, else the first target's. */
function internalListenerSubnet(args: LoadBalancerArgs): string {
  if (args.address) {
    const ip = parseIpv4(args.address);
    const subnet = args.network.subnets.find((s) => ip !== undefined && cidrContains(parseCidr(s.cidr), ip));
    if (!subnet) throw new Error(`yandex: load balancer ${args.name}: address ${args.address} is in none of the network's subnets`);
    return subnet.name;
  }
  return args.targets[0].subnet;
}
