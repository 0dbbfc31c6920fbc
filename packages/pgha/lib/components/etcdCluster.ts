import * as pulumi from "@pulumi/pulumi";
import { ConfigError, type EtcdInput, etcdIssues, etcdSpec, parseSection, planAddresses } from "../config";
import { certificateAuthority } from "./certificates";
import { contextOf, type EtcdContext, topologyOf } from "./context";
import type { Network } from "./network";
import type { PlanNode } from "./plan";
import { placeVm, planNode } from "./vm";
import type { TlsMaterial } from "../render/model";
import { etcdSecretEntries, etcdUserData, nodeSecret, nodeTarget } from "./userData";
import { clusterFirewall } from "./firewalls";

/** An etcd cluster's settings as in a stack file's `etcd` (see EtcdInput for each field), and its network. */
export interface EtcdClusterArgs extends EtcdInput {
  /** The network the members are placed in. Required. */
  network: Network;
  /** Region of the members (one of the network's regions). Default: the network's first region. */
  region?: string;
}

/** 3 or 5 etcd members spread over zones, TLS for peers and clients, as Patroni's DCS. */
export class EtcdCluster extends pulumi.ComponentResource {
  /** `https://ip:2379` per member (http when TLS is off). */
  readonly clientEndpoints: pulumi.Output<string[]>;
  readonly memberIps: pulumi.Output<string[]>;
  /** PEM of the cluster CA (clients verify members with it). */
  readonly caCert: pulumi.Output<string | undefined>;
  readonly nodes: pulumi.Output<PlanNode[]>;
  /** @internal What a PatroniCluster using this DCS needs: members, TLS material. */
  readonly context: EtcdContext;

  constructor(name: string, args: EtcdClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const net = contextOf(args.network, "network");
    const { network: _network, ...fields } = args;
    const context = `invalid pgha EtcdCluster '${name}'`;
    const spec = parseSection(etcdSpec, { ...fields, region: args.region ?? net.base.regions[0].name }, "etcd", context);
    const topology = { ...topologyOf(net, [], spec), name };
    const issues = etcdIssues(topology);
    const planned = planAddresses(topology).nodes.filter((n) => n.role === "etcd");
    if (planned.length < spec.members)
      issues.push({ path: "etcd.region", message: `no subnet in region '${spec.region}' for etcd members` });
    if (issues.length > 0) throw new ConfigError(issues, context);

    super("pgha:index:EtcdCluster", name, {}, opts);
    const tlsOn = net.base.tls.etcd;
    const members = planned.map((n) => ({ name: n.name, ip: n.ip }));
    const ca = tlsOn ? certificateAuthority(`${name}-etcd`, this, net.base.tls) : undefined;
    const clientCert = ca?.issue(`${name}-etcd-client`, "patroni", []);
    const firewall = clusterFirewall(net, `${name}-etcd`, "etcd", this, {
      internal: [spec.clientPort, spec.peerPort],
      clients: [],
      healthChecked: [],
    });

    // The members' identity: it reads their secrets (TLS keys) and nothing else.
    const account = net.platform.serviceAccount(`${name}-etcd`, this);
    const nodes = planned.map((n) => {
      const cert = ca?.issue(n.name, n.name, [n.ip, "127.0.0.1"]);
      const material: pulumi.Output<TlsMaterial | undefined> =
        ca && cert
          ? pulumi
              .all([ca.caCert, cert.cert, cert.key])
              .apply(([caCert, crt, key]): TlsMaterial | undefined => ({ caCert, cert: crt, key }))
          : pulumi.output(undefined);
      const model = { spec, clusterName: name, node: { name: n.name, ip: n.ip }, members, tls: tlsOn };
      // Without TLS an etcd member holds no secret.
      const secret = tlsOn
        ? nodeSecret(
            net,
            n.name,
            account,
            material.apply((tls) => etcdSecretEntries({ model, tls })),
            this,
          )
        : undefined;
      const userData = pulumi.secret(
        pulumi
          .all([material, nodeTarget(net), secret?.store ?? pulumi.output(undefined)])
          .apply(([tls, target, store]) => etcdUserData({ os: net.base.platform.os, target, model, tls, store })),
      );
      placeVm(
        net,
        n,
        userData,
        {
          dataDisk: { sizeGb: 20, type: "network-ssd" },
          firewalls: [firewall],
          serviceAccount: account.id,
          dependsOn: secret?.resources,
          spreadGroup: `${name}-etcd`,
        },
        this,
      );
      return userData.apply((ud: string) => planNode(n, ud));
    });

    this.context = { spec, members, tls: tlsOn, caCert: ca?.caCert, clientCert };
    const scheme = tlsOn ? "https" : "http";
    this.clientEndpoints = pulumi.output(members.map((m) => `${scheme}://${m.ip}:${spec.clientPort}`));
    this.memberIps = pulumi.output(members.map((m) => m.ip));
    this.caCert = ca ? ca.caCert : pulumi.output(undefined);
    this.nodes = pulumi.all(nodes);
    this.registerOutputs({ clientEndpoints: this.clientEndpoints, memberIps: this.memberIps, caCert: this.caCert, nodes: this.nodes });
  }
}
