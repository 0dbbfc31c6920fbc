/**
 * A company stack on GCP: the primary cluster in europe-west1 behind GCP's cross-region internal
 * proxy load balancer (private, reachable from both regions), a standby cluster in europe-west4
 * streaming from it (falling back to the primary's GCS archive), and a client VM per region.
 * Promote: see the pgha README.
 */
import {
  ClientVm,
  EtcdCluster,
  HaproxyPair,
  Network,
  PatroniCluster,
  StandbyCluster,
  TcpLoadBalancer,
  WalgBucket,
  standbySlotName,
} from "pgha";

const primaryRegion = "europe-west1";
const drRegion = "europe-west4";

const network = new Network("shop", {
  platform: { kind: "gcp", project: "shop-prod", os: "debian-13", clientCidrs: ["10.20.0.0/16", "10.21.0.0/16"] },
  regions: [
    // The cross-region internal proxy load balancer's proxies live in a proxy-only subnet per region.
    { name: primaryRegion, zones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"], proxyOnlyCidr: "10.22.0.0/23" },
    { name: drRegion, zones: ["europe-west4-a", "europe-west4-b", "europe-west4-c"], proxyOnlyCidr: "10.23.0.0/23" },
  ],
  subnets: [
    { name: "ew1", region: primaryRegion, cidr: "10.20.0.0/24" },
    { name: "ew4", region: drRegion, cidr: "10.21.0.0/24" },
  ],
});

// Each region keeps its own DCS: losing europe-west1 must not take the standby's etcd with it.
const etcdPrimary = new EtcdCluster("shop", { network, region: primaryRegion });
const etcdDr = new EtcdCluster("shop-dr", { network, region: drRegion });
const backups = new WalgBucket("main-backups", { network, region: primaryRegion, storage: { kind: "gcs" } });

const main = new PatroniCluster("main", {
  network,
  etcd: etcdPrimary,
  backups,
  region: primaryRegion,
  patroni: { dcs: { synchronous_mode: true } },
  standbySlots: [standbySlotName("dr")],
  addressBlock: 0,
});
const mainHaproxy = new HaproxyPair("main", { cluster: main });
const mainLb = new TcpLoadBalancer("main", { haproxy: mainHaproxy, scope: "global" });

// The standby streams through the primary's load balancer (its `direct` listener), which follows failovers.
const dr = new StandbyCluster("dr", { network, etcd: etcdDr, region: drRegion, nodes: 2, source: main, via: mainLb, addressBlock: 1 });
const drHaproxy = new HaproxyPair("dr", { cluster: dr });
new TcpLoadBalancer("dr", { haproxy: drHaproxy });

new ClientVm("client-ew1", { network, region: primaryRegion, index: 0 });
new ClientVm("client-ew4", { network, region: drRegion, index: 1 });

export const primaryEndpoint = mainLb.primaryEndpoint;
export const standbyFollows = dr.standbyOf;
