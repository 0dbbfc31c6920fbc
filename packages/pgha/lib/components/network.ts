import * as pulumi from "@pulumi/pulumi";
import { ConfigError, type NetworkSpec, networkRules, networkShape, parseSection, type TopologyInput } from "../config";
import { createVmPlatform, type PlatformSettings } from "../platform";
import type { NetworkContext } from "./context";

export interface NetworkArgs {
  /** Stack name used for etcd and client node names (`${name}-etcd-0`). */
  name?: string;
  platform: TopologyInput["platform"];
  regions: TopologyInput["regions"];
  subnets: TopologyInput["subnets"];
  tls?: TopologyInput["tls"];
  lab?: TopologyInput["lab"];
  /** Cloud-specific settings (image ids, project, folder). */
  cloud?: PlatformSettings;
}

/** The VPC and subnets every other pgha component is placed in. */
export class Network extends pulumi.ComponentResource {
  readonly networkId: pulumi.Output<string>;
  readonly subnetIds: pulumi.Output<Record<string, string>>;
  readonly platformKind: pulumi.Output<string>;
  /** @internal What components placed in this network build on: its platform, validated spec and handles. */
  readonly context: NetworkContext;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: a placeholder cluster lets the topology rules run.
    const base = validateNetwork(name, args);
    // Recorded on the component so a plan shows `egress: provided` (the check and the lab read it).
    super("pgha:index:Network", name, { egress: base.platform.egress }, opts);
    const fromTopology = { folderId: base.platform.folderId, project: base.platform.project };
    const platform = createVmPlatform(base.platform.kind, { ...fromTopology, ...(args.cloud ?? {}) });
    const proxyOnlySubnets = base.regions.flatMap((r) => (r.proxyOnlyCidr ? [{ region: r.name, cidr: r.proxyOnlyCidr }] : []));
    const handle = platform.network({ name, subnets: base.subnets, egress: base.platform.egress, proxyOnlySubnets }, this);
    this.context = { platform, base, handle };
    this.networkId = handle.networkId;
    this.subnetIds = pulumi.output(handle.subnetIds);
    this.platformKind = pulumi.output(base.platform.kind);
    this.registerOutputs({ networkId: this.networkId, subnetIds: this.subnetIds, platformKind: this.platformKind });
  }
}

function validateNetwork(name: string, args: NetworkArgs): NetworkSpec {
  const context = `invalid pgha Network '${name}'`;
  const { cloud: _cloud, ...fields } = args;
  const spec = parseSection(networkShape, { ...fields, name: args.name ?? name }, "", context);
  const issues = networkRules(spec);
  if (issues.length > 0) throw new ConfigError(issues, context);
  return spec;
}
