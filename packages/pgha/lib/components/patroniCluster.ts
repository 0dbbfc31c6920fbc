import * as pulumi from "@pulumi/pulumi";
import {
  type ClusterInput,
  type ClusterSpec,
  clusterIssues,
  clusterSpec,
  ConfigError,
  parseSection,
  planAddresses,
  type PlannedNode,
} from "../config";
import { patroniConfig } from "../render/patroni";
import { clusterParameters } from "../render/postgresParameters";
import type { ClusterPasswords, Member, PatroniNodeModel, StandbySource, TlsMaterial } from "../render/model";
import { certificateAuthority } from "./certificates";
import { applicationConnectionString, clusterFrontAddresses, reservePublicLoadBalancerAddress } from "./clientEndpoints";
import { type BucketContext, type ClusterContext, contextOf, type EtcdContext, type NetworkContext, topologyOf } from "./context";
import { placeVm, planNode } from "./vm";
import type { EtcdCluster } from "./etcdCluster";
import { clusterFirewall } from "./firewalls";
import type { Network } from "./network";
import type { PlanNode } from "./plan";
import type { BucketCredentials, VmHandle } from "../platform/types";
import { generatedPassword } from "./secrets";
import { nodeSecret, nodeTarget, patroniSecretEntries, patroniUserData } from "./userData";
import type { WalgBucket } from "./walgBucket";

/**
 * A cluster's settings as in a stack file's `clusters[]` entry (see ClusterInput for each field;
 * the cluster's name is the component's name), with the components it is wired to in place of
 * the stack file's names: the network, the DCS and the backup bucket.
 */
export interface PatroniClusterArgs extends Omit<ClusterInput, "name" | "standby" | "backups"> {
  /** The network the members are placed in; `region` and `subnets` name its regions and subnets. Required. */
  network: Network;
  /** The DCS: an EtcdCluster in the same network. Exactly one of `etcd` and `etcdEndpoints`. */
  etcd?: EtcdCluster;
  /**
   * Or an etcd pgha did not build: its client endpoints as `host:port` (plain HTTP: pgha has no
   * CA for it). Exactly one of `etcd` and `etcdEndpoints`.
   */
  etcdEndpoints?: string[];
  /** Where WAL and base backups go; the bucket's spec (tool, schedule, retention) applies. Default: no backups. */
  backups?: WalgBucket;
  /**
   * Permanent physical slots for the standby clusters that follow this one, one per standby:
   * lowercase letters, digits and '_', at most 63 (`standbySlotName(<standby>)` gives the default
   * `standby_<name>`). A StandbyCluster's slot must be listed here. Default none.
   */
  standbySlots?: string[];
  /**
   * Which block of 16 host addresses the members take in each subnet: 0-60, unique among the
   * clusters (and their standbys) in one Network. Default 0: give every further cluster in the
   * same network its own block, and pin it before the stack is deployed.
   */
  addressBlock?: number;
}

/** What a StandbyCluster adds to a cluster's build: its source and where its leader streams from. */
export interface StandbyWiring {
  source: ClusterContext;
  slot: string;
  /** Where the standby leader streams from: one address, or a libpq multi-host list. */
  host: pulumi.Input<string>;
  port: number;
  restoreFromSourceBackups: boolean;
}

/**
 * Outputs shared by PatroniCluster and StandbyCluster. Their constructors validate the
 * arguments (nothing is registered when that fails), then `buildCluster` does the work.
 */
export abstract class PatroniClusterBase extends pulumi.ComponentResource {
  /**
   * Every member's PostgreSQL as a libpq multi-host list, `h1:5432,h2:5432,h3:5432`. Not one
   * primary: connect with `target_session_attrs=read-write` (libpq tries the members until it
   * finds the primary), or use a HaproxyPair / TcpLoadBalancer `primaryEndpoint`.
   */
  readonly membersEndpoint: pulumi.Output<string>;
  /** The same multi-host list, for reads with `target_session_attrs=prefer-standby`. */
  readonly replicasEndpoint: pulumi.Output<string>;
  /** Patroni REST API URL per member. */
  readonly restUrls: pulumi.Output<string[]>;
  /**
   * The first application role's libpq URL over the members (target_session_attrs=read-write,
   * sslmode=verify-full, sslrootcert `<cluster>-ca.crt`: save `caCert` there); a secret.
   * Undefined without an application role: the superuser's credentials are never an output.
   * HaproxyPair and TcpLoadBalancer have their own, through them.
   */
  readonly connectionString: pulumi.Output<string | undefined>;
  /** The cluster CA certificate (PEM, not secret): what clients verify the members' certificates against. */
  readonly caCert: pulumi.Output<string>;
  /** Basic-auth password of the Patroni REST API's unsafe endpoints (user `patroni`); a secret. */
  readonly restApiPassword: pulumi.Output<string>;
  readonly nodes: pulumi.Output<PlanNode[]>;
  readonly memberIps: pulumi.Output<string[]>;
  /** bootstrap.dcs as rendered: what lib/ops PATCHes into the running cluster on day 2 (no secrets). */
  readonly dynamicConfig: pulumi.Output<Record<string, unknown>>;
  /** For a standby cluster: where its leader streams from. */
  readonly standbyOf: pulumi.Output<{ source: string; host: string; port: number; slot: string } | undefined>;
  /** @internal What HaproxyPair, TcpLoadBalancer and StandbyCluster build on: spec, members, VMs, credentials. */
  readonly context: ClusterContext;

  protected constructor(type: string, prepared: PreparedCluster, opts?: pulumi.ComponentResourceOptions) {
    super(type, prepared.name, {}, opts);
    const built = buildCluster(this, prepared);
    this.context = built.context;
    this.membersEndpoint = built.membersEndpoint;
    this.replicasEndpoint = built.replicasEndpoint;
    this.restUrls = built.restUrls;
    this.memberIps = built.memberIps;
    this.caCert = built.caCert;
    this.restApiPassword = built.restApiPassword;
    this.connectionString = built.connectionString;
    this.nodes = built.nodes;
    this.dynamicConfig = built.dynamicConfig;
    this.standbyOf = built.standbyOf;
    this.registerOutputs({
      membersEndpoint: this.membersEndpoint,
      replicasEndpoint: this.replicasEndpoint,
      restUrls: this.restUrls,
      connectionString: this.connectionString,
      caCert: this.caCert,
      nodes: this.nodes,
      memberIps: this.memberIps,
    });
  }
}

/**
 * A Patroni cluster on VMs: members spread over zones, static IPs, a data disk each,
 * TLS, generated passwords (Pulumi secrets), optional WAL-G/pgBackRest backups.
 */
export class PatroniCluster extends PatroniClusterBase {
  constructor(name: string, args: PatroniClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pgha:index:PatroniCluster", prepareCluster(name, args), opts);
  }
}

/** Register a validated cluster's children under `parent` and compute its outputs. */
function buildCluster(parent: pulumi.ComponentResource, prepared: PreparedCluster) {
  const { name, args, spec, net, planned, etcdCtx, backupCtx, standby } = prepared;
  const members: Member[] = planned.map((n) => ({ name: n.name, ip: n.ip }));
  const pw = (role: string) => generatedPassword(`${name}-${role}-password`, parent);
  const roleNames = spec.postgres.roles.map((r) => r.name);
  // A standby cluster's database is a physical copy of its source's, roles and their passwords
  // included: superuser, replication, rewind, PgBouncer's auth user and the application roles
  // are the source's (PgBouncer there could not log in otherwise). Only Patroni's REST API is its own.
  const passwords: pulumi.Output<ClusterPasswords> = pulumi.secret(
    standby
      ? pulumi.all([standby.source.passwords, pw("restapi")]).apply(([src, restApi]) => ({ ...src, restApi }))
      : pulumi
          .all([
            pw("superuser"),
            pw("replication"),
            pw("rewind"),
            pw("restapi"),
            pw("pgbouncer"),
            pulumi.all(roleNames.map((r) => pw(`role-${r}`))),
          ])
          .apply(([superuser, replication, rewind, restApi, pgbouncer, roles]) => ({
            superuser,
            replication,
            rewind,
            restApi,
            pgbouncer,
            roles: Object.fromEntries(roleNames.map((r, i) => [r, roles[i]])),
          })),
  );

  const sourceCtx = standby?.source;
  const sourceBucket = standby?.restoreFromSourceBackups ? sourceCtx?.bucket : undefined;
  // One identity per cluster, with exactly the bucket access it needs (never a folder- or
  // project-wide role): read/write on its own bucket, read-only on a standby's source bucket.
  const access = bucketAccess(net, name, parent, backupCtx, sourceBucket);
  const backups = backupCtx && access.own ? backupCtx.target(name, access.own) : undefined;
  const withKey = backupCtx
    ? pulumi.all([passwords, backupCtx.encryptionKey]).apply(([p, key]) => ({ ...p, backupEncryptionKey: key }))
    : passwords;

  // TLS is always on (config/tls.ts refuses turning it off).
  const ca = certificateAuthority(`${name}-pg`, parent, net.base.tls);
  const sourceBackups = sourceBucket && sourceCtx && access.source ? sourceBucket.target(sourceCtx.spec.name, access.source) : undefined;
  const standbySource: pulumi.Output<StandbySource | undefined> = standby
    ? pulumi.all([pulumi.output(standby.host), sourceBackups ?? pulumi.output(undefined)]).apply(([host, src]) => ({
        host,
        port: standby.port,
        primarySlotName: standby.slot,
        sourceBackups: src,
      }))
    : pulumi.output(undefined);

  const firewall = clusterFirewall(net, `${name}-pg`, "patroni", parent, {
    internal: [spec.postgres.port, spec.patroni.restApiPort],
    clients: [spec.postgres.port, ...(spec.pgbouncer.enabled ? [spec.pgbouncer.port] : [])],
    healthChecked: [spec.patroni.restApiPort],
    // lib/ops pushes day-2 changes to the Patroni members over SSH.
    opsSsh: true,
    publicListeners: publicListenersOf(spec, spec.haproxy.enabled ? [] : [spec.postgres.port]),
  });
  const serviceAccount = access.account.id;
  const cidrs = net.base.subnets.map((s) => s.cidr);
  const slots = Object.fromEntries((args.standbySlots ?? []).map((s) => [s, { type: "physical" as const }]));

  // A standby's leader checks the source's server certificate (sslmode verify-ca) through the
  // source's load balancer, so the standby trusts the source CA next to its own.
  const trustedCas = sourceCtx?.caCert ? pulumi.all([ca.caCert, sourceCtx.caCert]).apply(([own, src]) => `${own}${src}`) : ca.caCert;
  // Clients dial a member directly, or through HAProxy, the VIP or a TCP LB (TLS passthrough):
  // the member's certificate must name every one of those for sslmode=verify-full.
  const frontAddresses = clusterFrontAddresses(net, spec);
  const publicLoadBalancerAddress = reservePublicLoadBalancerAddress(net, spec, planned[0].zone, parent);
  const publicFront = publicLoadBalancerAddress?.address;

  const vms: VmHandle[] = [];
  let dynamicConfig: pulumi.Output<Record<string, unknown>> | undefined;
  const nodes = planned.map((n, i) => {
    const ips = [n.ip, "127.0.0.1", ...frontAddresses];
    const cert = ca.issue(n.name, n.name, publicFront ? publicFront.apply((a) => [...new Set([...ips, a])]) : ips);
    const tls = material(trustedCas, cert);
    const etcdClient = material(etcdCtx?.caCert, etcdCtx?.clientCert);
    const rendered = pulumi
      .all([
        withKey,
        tls,
        etcdClient,
        backups ?? pulumi.output(undefined),
        standbySource,
        sourceCtx ? sourceCtx.parameters : pulumi.output(undefined),
        nodeTarget(net),
      ])
      .apply(([pwds, tlsMaterial, etcdTls, target, source, sourceParameters, node]) => {
        const model: PatroniNodeModel = {
          cluster: spec,
          node: members[i],
          members,
          clusterCidrs: cidrs,
          clientCidrs: [...cidrs, ...net.base.platform.clientCidrs],
          standbyCidrs: cidrs,
          etcd: {
            hosts: etcdCtx ? etcdCtx.members.map((m) => `${m.ip}:${etcdCtx.spec.clientPort}`) : (args.etcdEndpoints ?? []),
            tls: etcdCtx?.tls ?? false,
          },
          tls: net.base.tls,
          passwords: pwds,
          parameters: clusterParameters(spec, {
            tls: net.base.tls.postgres,
            backups: target,
            standbyClusters: Object.keys(slots).length,
            sourceParameters: sourceParameters,
          }),
          backups: target,
          standby: source,
          os: net.base.platform.os,
          permanentSlots: { ...spec.patroni.dcs.slots, ...slots },
        };
        return { model, target: node, tls: tlsMaterial, etcdClientTls: etcdTls };
      });
    dynamicConfig ??= rendered.apply(({ model }) => (patroniConfig(model).bootstrap as { dcs: Record<string, unknown> }).dcs);
    // The values go to the node's secret; user-data carries only references to them.
    const secret = nodeSecret(net, n.name, access.account, rendered.apply(patroniSecretEntries), parent);
    const secretUserData = pulumi.secret(pulumi.all([rendered, secret.store]).apply(([r, store]) => patroniUserData({ ...r, store })));
    vms.push(
      placeVm(
        net,
        n,
        secretUserData,
        {
          cores: spec.hardware.vcpus,
          memoryGb: spec.hardware.ramGb,
          dataDisk: { sizeGb: spec.hardware.diskGb, type: spec.hardware.diskType },
          firewalls: [firewall],
          serviceAccount,
          dependsOn: secret.resources,
          spreadGroup: `${name}-pg`,
        },
        parent,
      ),
    );
    return secretUserData.apply((ud: string) => planNode(n, ud));
  });

  const parameters = pulumi
    .all([backups ?? pulumi.output(undefined)])
    .apply(([target]) =>
      clusterParameters(spec, { tls: net.base.tls.postgres, backups: target, standbyClusters: Object.keys(slots).length }),
    );
  const standbySlots = args.standbySlots ?? [];
  const context: ClusterContext = {
    network: net,
    spec,
    members,
    vms,
    passwords,
    backups,
    bucket: backupCtx,
    standbySlots,
    caCert: ca.caCert,
    parameters,
    publicLoadBalancerAddress,
  };

  const pgPort = spec.postgres.port;
  const restScheme = net.base.tls.restApi ? "https" : "http";
  const hosts = members.map((m) => `${m.ip}:${pgPort}`).join(",");
  return {
    context,
    membersEndpoint: pulumi.output(hosts),
    replicasEndpoint: pulumi.output(hosts),
    restUrls: pulumi.output(members.map((m) => `${restScheme}://${m.ip}:${spec.patroni.restApiPort}`)),
    memberIps: pulumi.output(members.map((m) => m.ip)),
    restApiPassword: pulumi.secret(passwords.apply((p) => p.restApi)),
    connectionString: applicationConnectionString({ spec, passwords }, hosts, { targetSessionAttrs: "read-write" }),
    caCert: ca.caCert,
    nodes: pulumi.all(nodes),
    dynamicConfig: pulumi.unsecret(dynamicConfig as pulumi.Output<Record<string, unknown>>),
    standbyOf: standbySource.apply((s) =>
      s && sourceCtx ? { source: sourceCtx.spec.name, host: s.host, port: s.port, slot: s.primarySlotName } : undefined,
    ),
  };
}

/** The ports a public load balancer of this cluster forwards to these VMs, and who may use them. */
export function publicListenersOf(spec: ClusterSpec, ports: number[]): { ports: number[]; sourceRanges: string[] } | undefined {
  const lb = spec.loadBalancer;
  return lb.enabled && lb.exposure === "public" ? { ports, sourceRanges: lb.sourceRanges } : undefined;
}

/**
 * The service account the cluster's members act as and its grants: the members' secrets (granted
 * per node secret), read/write on its own bucket, read on the source's for a standby. An existing
 * `s3` bucket uses the credentials the stack supplied.
 */
function bucketAccess(net: NetworkContext, name: string, parent: pulumi.Resource, own?: BucketContext, source?: BucketContext) {
  const account = net.platform.serviceAccount(`${name}-patroni`, parent);
  const grant = (b: BucketContext | undefined, access: "read" | "readWrite", what: string): BucketCredentials | undefined => {
    if (!b) return undefined;
    if (!b.handle) return b.suppliedCredentials ?? {};
    return net.platform.grantBucket({ name: `${name}-${what}`, bucket: b.handle, account, access }, parent);
  };
  return { account, own: grant(own, "readWrite", "backups"), source: grant(source, "read", "source-backups") };
}

function material(
  caCert: pulumi.Output<string> | undefined,
  leaf: { cert: pulumi.Output<string>; key: pulumi.Output<string> } | undefined,
): pulumi.Output<TlsMaterial | undefined> {
  if (!caCert || !leaf) return pulumi.output(undefined);
  return pulumi.all([caCert, leaf.cert, leaf.key]).apply(([c, crt, key]): TlsMaterial | undefined => ({ caCert: c, cert: crt, key }));
}

/** A cluster whose arguments passed validation; nothing is registered yet. */
export interface PreparedCluster {
  name: string;
  args: PatroniClusterArgs;
  spec: ClusterSpec;
  net: NetworkContext;
  planned: PlannedNode[];
  etcdCtx?: EtcdContext;
  backupCtx?: BucketContext;
  standby?: StandbyWiring;
}

/** Validate a cluster's arguments (a standby's with its wiring); throws ConfigError naming the field. */
export function prepareCluster(name: string, args: PatroniClusterArgs, standby?: StandbyWiring): PreparedCluster {
  const net = contextOf(args.network, "network");
  const context = `invalid pgha ${standby ? "StandbyCluster" : "PatroniCluster"} '${name}'`;
  if ((args.etcd === undefined) === (args.etcdEndpoints === undefined))
    throw new ConfigError([{ path: "etcd", message: "give exactly one of etcd (an EtcdCluster) and etcdEndpoints" }], context);
  const { network: _n, etcd: _e, etcdEndpoints: _ee, backups: _b, standbySlots: _s, ...fields } = args;
  const backupCtx = args.backups ? contextOf(args.backups, "backups") : undefined;
  const etcdCtx = args.etcd ? contextOf(args.etcd, "etcd") : undefined;
  const sourceSpec = standby?.source.spec;
  const standbySpec =
    sourceSpec && standby
      ? { source: sourceSpec.name, slotName: standby.slot, restoreFromSourceBackups: standby.restoreFromSourceBackups }
      : undefined;
  const spec: ClusterSpec = parseSection(clusterSpec, { ...fields, name, backups: backupCtx?.spec, standby: standbySpec }, "", context);
  const sourceClusters = sourceSpec ? [{ ...sourceSpec, addressBlock: sourceSpec.addressBlock ?? 62 }] : [];
  const topology = topologyOf(net, [spec, ...sourceClusters], etcdCtx?.spec);
  const issues = clusterIssues(topology, spec, "");
  for (const slot of args.standbySlots ?? [])
    if (!/^[a-z0-9_]{1,63}$/.test(slot))
      issues.push({ path: "standbySlots", message: `'${slot}' is not a valid slot name (lowercase letters, digits, '_')` });
  if (issues.length > 0)
    throw new ConfigError(
      issues.map((i) => ({ ...i, path: i.path.replace(/^\./, "") })),
      context,
    );
  const planned = planAddresses({ ...topology, clusters: [{ ...spec, haproxy: { ...spec.haproxy, enabled: false } }] }).nodes.filter(
    (n) => n.role === "patroni",
  );
  return { name, args, spec, net, planned, etcdCtx, backupCtx, standby };
}
