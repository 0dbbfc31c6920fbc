import type * as pulumi from "@pulumi/pulumi";
import { ConfigError, defaultStandbySlotName } from "../config";
import { type ClusterContext, contextOf, type ReplicationEndpoint } from "./context";
import type { HaproxyPair } from "./haproxyPair";
import { type PatroniCluster, PatroniClusterBase, type PatroniClusterArgs, prepareCluster, type StandbyWiring } from "./patroniCluster";
import type { TcpLoadBalancer } from "./tcpLoadBalancer";

/**
 * A standby cluster's settings: those of a PatroniCluster (its own network, DCS, size and
 * addressBlock; it need not be in its source's region), plus where it streams from. The stack
 * file's `standby` block (StandbyInput) becomes `source`, `slotName` and `restoreFromSourceBackups`.
 */
export interface StandbyClusterArgs extends PatroniClusterArgs {
  /** The cluster to follow, itself not a standby (a PatroniCluster). Required. */
  source: PatroniCluster;
  /**
   * The source's HaproxyPair or TcpLoadBalancer to stream through: its `replicationEndpoint`
   * (the `direct` listener, raw PostgreSQL) follows the source's primary. It must front
   * `source` and have a direct listener. Not together with `sourceHost`.
   */
  via?: HaproxyPair | TcpLoadBalancer;
  /**
   * An explicit address to stream from instead of `via` (e.g. a load balancer pgha did not
   * build), with `sourcePort` (default: the source's PostgreSQL port).
   *
   * With neither `via` nor `sourceHost`, the standby leader streams from the source's members
   * as a libpq multi-host list (`host: ip1,ip2,ip3` in Patroni's standby_cluster). Patroni 3.3
   * and later connect to such a list with target_session_attrs=read-write, so the leader follows
   * the source's primary; older Patroni takes the first member that answers, which may be a replica.
   */
  sourceHost?: pulumi.Input<string>;
  /** Port at `sourceHost` (only with it): 1-65535. Default: the source's PostgreSQL port. */
  sourcePort?: number;
  /**
   * Permanent physical slot on the source (lowercase letters, digits and '_', at most 63); must
   * be listed in the source's `standbySlots`. Default `standby_<name>` (standbySlotName).
   */
  slotName?: string;
  /**
   * Fall back to the source's backup archive (restore_command, read-only grant on its bucket)
   * when streaming is not possible. Default: true when the source has backups, else false.
   */
  restoreFromSourceBackups?: boolean;
}

/** Default permanent slot name for a standby cluster (`standby_<name>`). */
export const standbySlotName = defaultStandbySlotName;

/**
 * A Patroni cluster in standby mode (usually in another region): its leader streams from the
 * source through the load balancer given as `via`, using a permanent slot on the source, and
 * reads the source's archive when streaming is not possible. Promote: see README "Promoting a standby".
 */
export class StandbyCluster extends PatroniClusterBase {
  constructor(name: string, args: StandbyClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const {
      source: _source,
      via: _via,
      sourceHost: _host,
      sourcePort: _port,
      slotName: _slot,
      restoreFromSourceBackups: _restore,
      ...rest
    } = args;
    super("pgha:index:StandbyCluster", prepareCluster(name, rest, standbyWiring(name, args)), opts);
  }
}

/** Where the standby streams from and with which slot; throws ConfigError naming the field. */
function standbyWiring(name: string, args: StandbyClusterArgs): StandbyWiring {
  const src = contextOf(args.source, "source");
  const context = `invalid pgha StandbyCluster '${name}'`;
  const fail = (path: string, message: string): never => {
    throw new ConfigError([{ path, message }], context);
  };
  const slot = args.slotName ?? standbySlotName(name);
  if (!src.standbySlots.includes(slot))
    fail(
      "slotName",
      `slot '${slot}' is not declared on source '${src.spec.name}': ` +
        `add it to the source's standbySlots (declared: ${src.standbySlots.join(", ") || "none"})`,
    );
  if (args.via !== undefined && args.sourceHost !== undefined)
    fail("via", "give at most one of via (a load balancer of the source) and sourceHost (an address)");
  if (args.sourcePort !== undefined && args.sourceHost === undefined) fail("sourcePort", "only with sourceHost (via brings its own port)");
  const endpoint = args.via ? viaEndpoint(args.via, src, fail) : undefined;
  const pgPort = src.spec.postgres.port;
  return {
    source: src,
    slot,
    host: endpoint?.host ?? args.sourceHost ?? src.members.map((m) => m.ip).join(","),
    port: endpoint?.port ?? args.sourcePort ?? pgPort,
    restoreFromSourceBackups: args.restoreFromSourceBackups ?? src.backups !== undefined,
  };
}

function viaEndpoint(
  via: HaproxyPair | TcpLoadBalancer,
  src: ClusterContext,
  fail: (path: string, message: string) => never,
): ReplicationEndpoint {
  const ctx = contextOf(via, "via");
  if (ctx.cluster !== src)
    fail("via", `'${ctx.name}' is in front of cluster '${ctx.cluster.spec.name}', not of the source '${src.spec.name}'`);
  const endpoint = via.replicationEndpoint;
  if (!endpoint)
    return fail(
      "via",
      `'${ctx.name}' publishes no direct (replication) listener: ` +
        `set the HaproxyPair's listeners.direct, or loadBalancer.publicDirect for a public load balancer`,
    );
  return endpoint;
}
