import type * as pulumi from "@pulumi/pulumi";
import { ConfigError, defaultStandbySlotName } from "../config";
import { contexts } from "./context";
import { PatroniCluster, type PatroniClusterArgs } from "./patroniCluster";

export interface StandbyClusterArgs extends PatroniClusterArgs {
  /** The cluster to follow. */
  source: PatroniCluster;
  /** Address to stream from; default: the source's replication endpoint (HAProxy `direct` listener or TCP LB). */
  sourceHost?: pulumi.Input<string>;
  sourcePort?: number;
  /** Permanent slot on the source; must be listed in the source's `standbySlots`. Default `standby_<name>`. */
  slotName?: string;
  /** Fall back to the source's backup archive (restore_command). Default: when the source has backups. */
  restoreFromSourceBackups?: boolean;
}

/** Default permanent slot name for a standby cluster (`standby_<name>`). */
export const standbySlotName = defaultStandbySlotName;

/**
 * A Patroni cluster in standby mode (usually in another region): its leader streams from the
 * source through the source's load balancer, using a permanent slot on the source, and reads
 * the source's archive when streaming is not possible. Promote: see README "Promoting a standby".
 */
export class StandbyCluster extends PatroniCluster {
  constructor(name: string, args: StandbyClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const { source, sourceHost, sourcePort, slotName, restoreFromSourceBackups, ...rest } = args;
    const src = contexts.cluster(source);
    const context = `invalid pgha StandbyCluster '${name}'`;
    const slot = slotName ?? standbySlotName(name);
    if (!src.standbySlots.includes(slot))
      throw new ConfigError(
        [{ path: "slotName", message: `slot '${slot}' is not declared on source '${src.spec.name}': add it to the source's standbySlots (declared: ${src.standbySlots.join(", ") || "none"})` }],
        context,
      );
    const endpoint = src.replicationEndpoint ?? { host: src.members[0].ip, port: src.spec.postgres.port };
    super(name, rest, opts, {
      source,
      slot,
      host: sourceHost ?? endpoint.host,
      port: sourcePort ?? endpoint.port,
      restoreFromSourceBackups: restoreFromSourceBackups ?? src.backups !== undefined,
    });
  }
}
