import * as pulumi from "@pulumi/pulumi";
import {
  ConfigError,
  type ConfigIssue,
  type NetworkInput,
  type NetworkSpec,
  networkRules,
  tlsIssues,
  networkShape,
  parseSection,
  type PlatformInput,
  platformSpec,
} from "../config";
import { createVmPlatform, type ExistingNetwork, type Platform, type PlatformSettings } from "../platform";
import type { NetworkContext } from "./context";

export type { ExistingNetwork } from "../platform";

/** A stack file's `platform` (see PlatformInput for each field), with SSH keys that may be Outputs. */
export interface NetworkPlatformArgs extends Omit<PlatformInput, "sshKeys"> {
  /**
   * OpenSSH public key lines of the `pgha` ops user (lib/ops needs one to push day-2 changes);
   * default none. Each may be an Output (a key read from another stack or a secret store): it
   * only reaches the nodes' user-data, and is checked for the OpenSSH format when it resolves.
   */
  sshKeys?: pulumi.Input<string>[];
}

/**
 * The network part of a stack (platform, regions, subnets, TLS, lab settings; see NetworkInput
 * for each field), plus what only a program can give: cloud settings and an existing network.
 */
export interface NetworkArgs extends Omit<NetworkInput, "platform"> {
  /** Where the stack runs and who may reach it (NetworkInput's `platform`). Required. */
  platform: NetworkPlatformArgs;
  /**
   * Stack name, prefix of the shared nodes' names (`<name>-etcd-0`, `<name>-client-0`): DNS-safe,
   * 1-40 characters. Default: the Network component's own name.
   */
  name?: string;
  /**
   * Cloud-specific settings: Yandex folder, boot image ids and platform id, GCP project, labels.
   * The `pgha:cloud` object of a stack file. Default none (the provider's folder or project).
   */
  cloud?: PlatformSettings;
  /**
   * Place everything in this VPC network and these subnets instead of creating them (yandex
   * and gcp; the lab and gke refuse it). `subnets` must still list each one with its real
   * `cidr` (and on yandex its `zone`): the address plan uses them, and pgha cannot check them
   * at plan time. Egress: yandex needs `platform.egress: provided` (pgha cannot attach its NAT
   * route table to subnets it does not own); on gcp `nat` adds a Cloud Router and NAT of
   * pgha's own to the network for these subnets, `provided` adds nothing. Default: pgha
   * creates the network and subnets.
   */
  existing?: ExistingNetwork;
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
    const context = `invalid pgha Network '${name}'`;
    const base = validateNetwork(name, args, context);
    const fromTopology = { folderId: base.platform.folderId, project: base.platform.project };
    const platform = createVmPlatform(base.platform.kind, { ...fromTopology, ...(args.cloud ?? {}) });
    const existingIssues = args.existing ? existingNetworkIssues(base, platform, args.existing) : [];
    if (existingIssues.length > 0) throw new ConfigError(existingIssues, context);
    // Recorded on the component so a plan shows `egress: provided` (the check and the lab read it).
    super("pgha:index:Network", name, { egress: base.platform.egress }, opts);
    const proxyOnlySubnets = base.regions.flatMap((r) => (r.proxyOnlyCidr ? [{ region: r.name, cidr: r.proxyOnlyCidr }] : []));
    const handle = platform.network(
      { name, subnets: base.subnets, egress: base.platform.egress, proxyOnlySubnets, existing: args.existing },
      this,
    );
    this.context = { platform, base, handle, opsSshKeys: opsSshKeys(args.platform, context) };
    this.networkId = handle.networkId;
    this.subnetIds = pulumi.output(handle.subnetIds);
    this.platformKind = pulumi.output(base.platform.kind);
    this.registerOutputs({ networkId: this.networkId, subnetIds: this.subnetIds, platformKind: this.platformKind });
  }
}

/**
 * What is wrong with using `existing` on this platform: a platform that cannot, subnet ids that
 * do not match `subnets` one to one, or `egress: nat` where pgha cannot build NAT for subnets it
 * does not own.
 */
function existingNetworkIssues(base: NetworkSpec, platform: Platform, existing: ExistingNetwork): ConfigIssue[] {
  const caps = platform.capabilities;
  if (!caps.existingNetwork)
    return [
      {
        path: "existing",
        message: `platform ${platform.kind} builds its own network; an existing network and subnets can be used on yandex and gcp`,
      },
    ];
  const names = base.subnets.map((s) => s.name);
  const issues: ConfigIssue[] = [];
  for (const n of names)
    if (existing.subnetIds[n] === undefined)
      issues.push({ path: `existing.subnetIds.${n}`, message: `no id for subnet '${n}': give the existing subnet's id` });
  for (const n of Object.keys(existing.subnetIds))
    if (!names.includes(n))
      issues.push({
        path: `existing.subnetIds.${n}`,
        message: `'${n}' is not one of subnets (${names.join(", ")}); each existing subnet needs an entry there with its cidr`,
      });
  if (base.platform.egress === "nat" && !caps.natForExistingSubnets)
    issues.push({
      path: "platform.egress",
      message:
        `egress nat on ${platform.kind} attaches a route table to each subnet, ` +
        `which pgha cannot do to existing subnets: route them out yourself and set platform.egress: provided`,
    });
  return issues;
}

/**
 * Stands in for a key that is an Output while the network is validated: the rules only count
 * keys (SSH for lib/ops needs one). It never reaches user-data (see opsSshKeys).
 */
const DEFERRED_SSH_KEY = "ssh-ed25519 deferred-output-key";

/** The ops user's keys once known, each checked as the stack file's `platform.sshKeys` are. */
function opsSshKeys(platform: NetworkPlatformArgs, context: string): pulumi.Output<string[]> {
  const keys = platform.sshKeys ?? [];
  // Plain keys were checked with the rest of the network; only Outputs are checked on resolving.
  if (keys.every((k) => typeof k === "string")) return pulumi.output(keys);
  return pulumi.all(keys).apply((resolved) => checkedSshKeys(platform.kind, resolved, context));
}

/** @internal Resolved keys, checked as the stack file's are; throws ConfigError (failing the update) otherwise. */
export function checkedSshKeys(kind: PlatformInput["kind"], keys: string[], context: string): string[] {
  return parseSection(platformSpec, { kind, sshKeys: keys }, "platform", context).sshKeys;
}

function validateNetwork(name: string, args: NetworkArgs, context: string): NetworkSpec {
  const { cloud: _cloud, existing: _existing, ...fields } = args;
  const sshKeys = args.platform.sshKeys?.map((k) => (typeof k === "string" ? k : DEFERRED_SSH_KEY));
  const platform = { ...args.platform, ...(sshKeys ? { sshKeys } : {}) };
  const spec = parseSection(networkShape, { ...fields, platform, name: args.name ?? name }, "", context);
  const issues = [...networkRules(spec), ...tlsIssues(spec.tls)];
  if (issues.length > 0) throw new ConfigError(issues, context);
  return spec;
}
