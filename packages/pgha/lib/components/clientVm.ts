import * as pulumi from "@pulumi/pulumi";
import { type ClientInput, ConfigError, DEFAULT_CLOUD_POSTGRES_MAJOR, parseTopology, planAddresses } from "../config";
import { contextOf } from "./context";
import { placeVm, planNode } from "./vm";
import { clusterFirewall } from "./firewalls";
import type { Network } from "./network";
import type { PlanNode } from "./plan";
import { clientUserData, nodeTarget } from "./userData";

/** A client VM as in a stack file's `clients[]` entry (see ClientInput for region and subnet), and its network. */
export interface ClientVmArgs extends ClientInput {
  /** The network the VM is placed in. Required. */
  network: Network;
  /**
   * Position among the network's client VMs: 0 or more, unique per network. Picks the VM's
   * address (host 16 + index of its subnet) and its name in the plan (`<network name>-client-<index>`).
   * Default 0.
   */
  index?: number;
  /** PostgreSQL major of the psql and pgbench installed; use the clusters' (15 or 17). Default 17 (DEFAULT_CLOUD_POSTGRES_MAJOR). */
  postgresMajor?: number;
}

/** A small VM with psql and pgbench, to see from a region where traffic goes. */
export class ClientVm extends pulumi.ComponentResource {
  readonly ip: pulumi.Output<string>;
  readonly nodes: pulumi.Output<PlanNode[]>;

  constructor(name: string, args: ClientVmArgs, opts?: pulumi.ComponentResourceOptions) {
    const net = contextOf(args.network, "network");
    const context = `invalid pgha ClientVm '${name}'`;
    const index = args.index ?? 0;
    if (!net.base.regions.some((r) => r.name === args.region))
      throw new ConfigError([{ path: "region", message: `unknown region '${args.region}'` }], context);
    const clients = Array.from({ length: index + 1 }, () => ({ region: args.region, subnet: args.subnet }));
    const t = parseTopology(
      { ...net.base, clusters: [{ name: "probe", region: args.region, haproxy: { enabled: false } }], clients },
      context,
    );
    const planned = planAddresses({ ...t, clusters: [] }).nodes.filter((n) => n.role === "client")[index];
    if (!planned) throw new ConfigError([{ path: "subnet", message: `no subnet in region '${args.region}' for the client` }], context);
    super("pgha:index:ClientVm", name, {}, opts);

    const postgresMajor = args.postgresMajor ?? DEFAULT_CLOUD_POSTGRES_MAJOR;
    const userData = nodeTarget(net).apply((target) =>
      clientUserData({ hostname: planned.name, target, os: net.base.platform.os, postgresMajor }),
    );
    const firewall = clusterFirewall(net, name, "client", this, { internal: [], clients: [], healthChecked: [], opsSsh: true });
    placeVm(net, planned, userData, { firewalls: [firewall], deletionProtection: false }, this);
    this.ip = pulumi.output(planned.ip);
    this.nodes = userData.apply((ud) => [planNode(planned, ud)]);
    this.registerOutputs({ ip: this.ip, nodes: this.nodes });
  }
}
