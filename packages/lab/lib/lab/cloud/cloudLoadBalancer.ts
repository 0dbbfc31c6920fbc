// A cloud TCP load balancer of a yandex or gcp plan (Yandex NLB, GCP internal
// passthrough LB or global TCP proxy), realised in the lab as an HAProxy in its
// own namespace. It is built only from what the plan says: the frontend
// address, the listeners, the targets and the health check. The cloud does
// nothing more for pgha than that: forward TCP to the targets its health check
// calls healthy.
import type { PlanLoadBalancer } from "pgha/components/plan";
import type { SynthPlan } from "../../synth/plan";
import { cidrContains, formatIpv4, maskOf, parseCidr, parseIpv4 } from "../network/ipv4";
import type { LabSubnet } from "../network/networkPlan";

/** The unit and config the lab writes into the load balancer's node (not part of any user-data). */
export const LAB_LB_UNIT = "pgha-lab-lb.service";
export const LAB_LB_CONFIG = "/etc/haproxy/pgha-lab-lb.cfg";
export const LAB_LB_STATS_PORT = 7000;

export interface LabLoadBalancerNode {
  /** Lab node name, `lb-<lb>`: namespace `pgha-lb-<lb>`. */
  name: string;
  lb: PlanLoadBalancer;
  address: string;
  subnet: LabSubnet;
}

export function labLoadBalancerNodeName(lb: string): string {
  return `lb-${lb}`;
}

/** The plan's cloud load balancers (VIPs are realised by the plan's own keepalived nodes). */
export function cloudLoadBalancersOf(plan: SynthPlan): PlanLoadBalancer[] {
  return plan.loadBalancers.filter((lb) => lb.kind === "cloud");
}

/**
 * Where each cloud LB lives in the lab. An internal LB's address lies in one
 * of the plan's subnets and joins that bridge. An external one (a public or
 * placeholder address) gets a /24 subnet of its own in the LB's region, so
 * clients in other regions reach it across the delayed inter-region link.
 */
export function labLoadBalancerNodes(plan: SynthPlan, subnets: LabSubnet[]): LabLoadBalancerNode[] {
  return cloudLoadBalancersOf(plan).map((lb) => {
    const name = labLoadBalancerNodeName(lb.name);
    if (!lb.address) throw new Error(`load balancer ${lb.name}: the plan gives it no frontend address, so the lab cannot realise it`);
    const addr = parseIpv4(lb.address);
    const inside = subnets.find((s) => cidrContains(parseCidr(s.cidr), addr));
    const network = (addr & maskOf(24)) >>> 0;
    // The fabric's gateway takes the first host address, unless that is the LB's own.
    const gateway = formatIpv4(addr === network + 1 ? network + 254 : network + 1);
    const subnet = inside ?? { name, cidr: `${formatIpv4(network)}/24`, region: lb.region, gateway };
    return { name, lb, address: lb.address, subnet };
  });
}

function healthCheckLines(lb: PlanLoadBalancer): string[] {
  const hc = lb.healthCheck;
  const lines = [
    `    default-server inter ${hc.intervalS}s fastinter ${hc.intervalS}s downinter ${hc.intervalS}s ` +
      `rise ${hc.healthyThreshold} fall ${hc.unhealthyThreshold} on-marked-down shutdown-sessions`,
  ];
  if (hc.protocol === "tcp") return lines;
  return ["    option httpchk", `    http-check send meth GET uri ${hc.path ?? "/"}`, "    http-check expect status 200", ...lines];
}

/** HAProxy config of the lab's stand-in for one cloud load balancer. Pure. */
export function renderLabLoadBalancerConfig(lb: PlanLoadBalancer, address: string): string {
  const hc = lb.healthCheck;
  // As the clouds' HTTPS health checks: no CA or name to verify against (pgha's HAProxy checks verify).
  const sslCheck = hc.protocol === "https" ? " check-ssl verify none" : "";
  const out = [
    `# pgha lab: stand-in for the ${lb.scope} cloud TCP load balancer '${lb.name}' (${lb.region}).`,
    "# Built from the plan's listeners, targets and health check only; written by the lab, not by any user-data.",
    "global",
    "    maxconn 4000",
    "    log stdout format raw local0",
    "    user haproxy",
    "    group haproxy",
    "",
    "defaults",
    "    mode tcp",
    "    log global",
    "    option dontlognull",
    "    option dontlog-normal",
    "    timeout connect 4s",
    "    timeout client 30m",
    "    timeout server 30m",
    `    timeout check ${hc.timeoutS}s`,
    "",
    // Target health for `pgha lab status`, on the namespace's loopback only: the cloud LB exposes no such port.
    "listen lab-stats",
    "    mode http",
    `    bind 127.0.0.1:${LAB_LB_STATS_PORT}`,
    "    stats enable",
    "    stats uri /",
  ];
  for (const l of lb.listeners) {
    out.push(
      "",
      `listen ${l.name}`,
      `    bind ${address}:${l.port}`,
      // Cloud L4 balancers hash flows; every target routes to the same Patroni member, so any spread will do.
      "    balance roundrobin",
      ...healthCheckLines(lb),
      ...lb.targets.map((t) => `    server ${t.name} ${t.ip}:${l.targetPort} check port ${hc.port}${sslCheck}`),
    );
  }
  return `${out.join("\n")}\n`;
}

/** The systemd unit the lab's supervisor runs for it (Type=notify with -Ws, as Debian's haproxy.service). */
export function labLoadBalancerUnit(lb: string): string {
  return [
    "[Unit]",
    `Description=pgha lab stand-in for cloud load balancer ${lb}`,
    "",
    "[Service]",
    "Type=notify",
    `ExecStartPre=/usr/sbin/haproxy -c -q -f ${LAB_LB_CONFIG}`,
    `ExecStart=/usr/sbin/haproxy -Ws -f ${LAB_LB_CONFIG}`,
    "Restart=always",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
