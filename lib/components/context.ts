/**
 * Plain values a component needs from the components it was given (its platform, the
 * validated specs). Kept in WeakMaps, not on the classes, so component classes expose
 * only Outputs (and can later be offered to other Pulumi languages).
 */
import { type BackupSpec, type ClusterSpec, type EtcdSpec, etcdSpec, type HaproxySpec, type NetworkSpec, type Topology } from "../config";
import type { Platform } from "../platform/types";
import type { BucketCredentials, BucketHandle, NetworkHandle, VmHandle } from "../platform/types";
import type * as pulumi from "@pulumi/pulumi";
import type { BackupTarget, ClusterPasswords, Member } from "../render/model";

export interface NetworkContext {
  platform: Platform;
  /** The network part of a topology (platform, regions, subnets, tls, stack name). */
  base: NetworkSpec;
  handle: NetworkHandle;
}

export interface EtcdContext {
  spec: EtcdSpec;
  members: Member[];
  tls: boolean;
  caCert?: pulumi.Output<string>;
  /** Client certificate for Patroni (signed by the etcd CA). */
  clientCert?: { cert: pulumi.Output<string>; key: pulumi.Output<string> };
}

export interface ClusterContext {
  network: NetworkContext;
  spec: ClusterSpec;
  members: Member[];
  passwords: pulumi.Output<ClusterPasswords>;
  backups?: pulumi.Output<BackupTarget>;
  /** The bucket the cluster backs up to (a standby reads its source's with a grant of its own). */
  bucket?: BucketContext;
  /** Permanent physical slots declared for standby clusters that follow this one. */
  standbySlots: string[];
  /** Address and port a standby cluster streams from (HAProxy VIP / LB, direct to PostgreSQL). */
  replicationEndpoint?: { host: pulumi.Input<string>; port: number };
  caCert?: pulumi.Output<string>;
  /** The members' VMs (targets for a TcpLoadBalancer straight in front of them). */
  vms: VmHandle[];
  /** Final cluster-wide PostgreSQL parameters (a standby takes the hot-standby minimums from them). */
  parameters: pulumi.Output<Record<string, string | number>>;
}

export interface PairContext {
  cluster: ClusterContext;
  spec: HaproxySpec;
  vms: VmHandle[];
}

export interface BucketContext {
  spec: BackupSpec;
  /** The bucket pgha created (yandex/gcs/local); undefined for an existing `s3` bucket. */
  handle?: BucketHandle;
  /** Credentials the stack supplied for an existing `s3` bucket; the same for every cluster. */
  suppliedCredentials?: BucketCredentials;
  /** Backup target for one cluster's prefix, used with `credentials` (its own grant). */
  target(cluster: string, credentials: BucketCredentials): pulumi.Output<BackupTarget>;
  encryptionKey: pulumi.Output<string | undefined>;
}

const networks = new WeakMap<object, NetworkContext>();
const etcds = new WeakMap<object, EtcdContext>();
const clusters = new WeakMap<object, ClusterContext>();
const buckets = new WeakMap<object, BucketContext>();
const pairs = new WeakMap<object, PairContext>();

function lookup<T>(map: WeakMap<object, T>, key: object, what: string): T {
  const v = map.get(key);
  if (!v) throw new Error(`${what} was not created by pgha (pass the component object itself)`);
  return v;
}

export const contexts = {
  setNetwork: (k: object, v: NetworkContext) => networks.set(k, v),
  network: (k: object) => lookup(networks, k, "network"),
  setEtcd: (k: object, v: EtcdContext) => etcds.set(k, v),
  etcd: (k: object) => lookup(etcds, k, "etcd"),
  setCluster: (k: object, v: ClusterContext) => clusters.set(k, v),
  cluster: (k: object) => lookup(clusters, k, "cluster"),
  setBucket: (k: object, v: BucketContext) => buckets.set(k, v),
  bucket: (k: object) => lookup(buckets, k, "backup bucket"),
  setPair: (k: object, v: PairContext) => pairs.set(k, v),
  pair: (k: object) => lookup(pairs, k, "HaproxyPair"),
};

/**
 * A topology view with only the given clusters and no clients: what the address planner and
 * the cross-field rules need to look at one component. etcd defaults to the schema's defaults.
 */
export function topologyOf(net: NetworkContext, clusters: ClusterSpec[], etcd: EtcdSpec = etcdSpec.parse({})): Topology {
  return { ...net.base, etcd, clusters, clients: [] };
}
