/**
 * A company stack on Yandex Cloud: 3 etcd + 3 Patroni (synchronous) + an HAProxy pair behind
 * a Network Load Balancer, WAL-G backups to Object Storage. `pulumi up` with
 * `yandex:folderId` and `example:imageId` (a Debian 13 image id) set.
 */
import * as pulumi from "@pulumi/pulumi";
import { EtcdCluster, HaproxyPair, Network, PatroniCluster, TcpLoadBalancer, WalgBucket } from "pgha";

const config = new pulumi.Config("example");
const folderId = new pulumi.Config("yandex").get("folderId") ?? "b1g-example-folder";
const region = "ru-central1";
const zones = ["ru-central1-a", "ru-central1-b", "ru-central1-d"];

const network = new Network("shop", {
  platform: { kind: "yandex", folderId, os: "debian-13", clientCidrs: ["10.10.0.0/16"] },
  regions: [{ name: region, zones }],
  subnets: zones.map((zone, i) => ({ name: `shop-${zone.slice(-1)}`, region, zone, cidr: `10.10.${i + 1}.0/24` })),
  cloud: { imageId: config.get("imageId") ?? "fd8-example-image" },
});
const etcd = new EtcdCluster("shop", { network, region });
const backups = new WalgBucket("orders-backups", { network, region, storage: { kind: "yandex" }, retainFull: 7 });
const orders = new PatroniCluster("orders", {
  network,
  etcd,
  backups,
  region,
  nodes: 3,
  postgres: { major: 17, roles: [{ name: "orders" }], databases: [{ name: "orders", owner: "orders" }] },
  patroni: { dcs: { synchronous_mode: true } },
  hardware: { vcpus: 4, ramGb: 16, diskType: "network-ssd", diskGb: 100, workload: "oltp" },
});
const haproxy = new HaproxyPair("orders", { cluster: orders });
const lb = new TcpLoadBalancer("orders", { haproxy });

export const writeEndpoint = lb.primaryEndpoint;
export const readEndpoint = haproxy.replicasEndpoint;
export const restUrls = orders.restUrls;
// The application role through the load balancer, sslmode=verify-full: save caCert as orders-ca.crt.
export const connectionString = lb.connectionString;
export const caCert = orders.caCert;
