/**
 * Plain values a component needs from the components it was given (its platform, the
 * validated specs). Each component carries its own as a readonly `context` property, set
 * once in its constructor and never written by another component.
 */
import { type BackupSpec, type ClusterSpec, type EtcdSpec, etcdSpec, type HaproxySpec, type NetworkSpec, type Topology } from "../config";
import type { Platform } from "../platform/types";
import type { BucketCredentials, BucketHandle, NetworkHandle, ReservedAddress, VmHandle } from "../platform/types";
import type * as pulumi from "@pulumi/pulumi";
import type { BackupTarget, ClusterPasswords, Member } from "../render/model";

export interface NetworkContext {
  readonly platform: Platform;
  /**
   * The network part of a topology (platform, regions, subnets, tls, stack name). Its
   * `platform.sshKeys` are for validation and counting only: a key given as an Output stands
   * there as a placeholder; user-data takes `opsSshKeys`.
   */
  readonly base: NetworkSpec;
  /** The ops user's public keys as given (plain or Outputs), each checked as the stack file's are. */
  readonly opsSshKeys: pulumi.Output<string[]>;
  readonly handle: NetworkHandle;
}

export interface EtcdContext {
  readonly spec: EtcdSpec;
  readonly members: readonly Member[];
  readonly tls: boolean;
  readonly caCert?: pulumi.Output<string>;
  /** Client certificate for Patroni (signed by the etcd CA). */
  readonly clientCert?: { cert: pulumi.Output<string>; key: pulumi.Output<string> };
}

export interface ClusterContext {
  readonly network: NetworkContext;
  readonly spec: ClusterSpec;
  readonly members: readonly Member[];
  readonly passwords: pulumi.Output<ClusterPasswords>;
  readonly backups?: pulumi.Output<BackupTarget>;
  /** The bucket the cluster backs up to (a standby reads its source's with a grant of its own). */
  readonly bucket?: BucketContext;
  /** Permanent physical slots declared for standby clusters that follow this one. */
  readonly standbySlots: readonly string[];
  readonly caCert?: pulumi.Output<string>;
  /** The public load balancer's address, reserved before the certificates (which name it); undefined unless loadBalancer is public. */
  readonly publicLoadBalancerAddress?: ReservedAddress;
  /** The members' VMs (targets for a TcpLoadBalancer straight in front of them). */
  readonly vms: readonly VmHandle[];
  /** Final cluster-wide PostgreSQL parameters (a standby takes the hot-standby minimums from them). */
  readonly parameters: pulumi.Output<Record<string, string | number>>;
}

export interface PairContext {
  /** The component's name, for error messages. */
  readonly name: string;
  readonly cluster: ClusterContext;
  readonly spec: HaproxySpec;
  readonly vms: readonly VmHandle[];
}

export interface LoadBalancerContext {
  /** The component's name, for error messages. */
  readonly name: string;
  /** The cluster whose primary it follows (through an HAProxy pair or directly). */
  readonly cluster: ClusterContext;
}

export interface BucketContext {
  readonly spec: BackupSpec;
  /** The bucket pgha created (yandex/gcs/local); undefined for an existing `s3` bucket. */
  readonly handle?: BucketHandle;
  /** Credentials the stack supplied for an existing `s3` bucket; the same for every cluster. */
  readonly suppliedCredentials?: BucketCredentials;
  /** Backup target for one cluster's prefix, used with `credentials` (its own grant). */
  target(cluster: string, credentials: BucketCredentials): pulumi.Output<BackupTarget>;
  readonly encryptionKey: pulumi.Output<string | undefined>;
}

/** Where a standby cluster streams from: a load balancer's or HAProxy's `direct` listener. */
export interface ReplicationEndpoint {
  readonly host: pulumi.Output<string>;
  readonly port: number;
}

/**
 * The context of a component given as an argument. Fails clearly for anything pgha did not
 * construct in this program (a plain object, or a resource reference read back by `get`).
 */
export function contextOf<T>(component: { readonly context?: T } | undefined, what: string): T {
  const ctx = component?.context;
  if (ctx === undefined) throw new Error(`${what} was not created by pgha in this program (pass the component object itself)`);
  return ctx;
}

/**
 * A topology view with only the given clusters and no clients: what the address planner and
 * the cross-field rules need to look at one component. etcd defaults to the schema's defaults.
 */
export function topologyOf(net: NetworkContext, clusters: ClusterSpec[], etcd: EtcdSpec = etcdSpec.parse({})): Topology {
  return { ...net.base, etcd, clusters, clients: [] };
}
