/**
 * The one place that turns render models into user-data for a platform: a lab node gets the
 * same user-data as a cloud VM, package installs included; only the data disk device differs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformKind } from "../config";
import { dataDiskDevice } from "../platform";
import type { EtcdMemberModel, HaproxyNodeModel, OsFamily, PatroniNodeModel, TlsMaterial } from "../render/model";
import {
  type UserDataOptions,
  userDataForClientNode,
  userDataForEtcdNode,
  userDataForHaproxyNode,
  userDataForPatroniNode,
} from "../render/nodeFiles";

/** Platform facts that shape user-data. */
export interface NodeTarget {
  platform: PlatformKind;
  /** Keys for the `pgha` ops user (lib/ops connects as it). */
  sshKeys: string[];
}

function options(t: NodeTarget): UserDataOptions {
  const device = dataDiskDevice(t.platform);
  // No package option: every platform installs at first boot, the lab's nodes from its mirror.
  return {
    dataDisk: device ? { device } : undefined,
    opsUser: t.sshKeys.length > 0 ? { name: "pgha", sshKeys: t.sshKeys } : undefined,
  };
}

export function patroniUserData(a: {
  model: PatroniNodeModel;
  target: NodeTarget;
  tls?: TlsMaterial;
  etcdClientTls?: TlsMaterial;
}): string {
  const tls = a.tls || a.etcdClientTls ? { patroni: a.tls, postgres: a.tls, "etcd-client": a.etcdClientTls } : undefined;
  return userDataForPatroniNode(a.model, { ...options(a.target), tls });
}

export function etcdUserData(a: { model: EtcdMemberModel; target: NodeTarget; os: OsFamily; tls?: TlsMaterial }) {
  return userDataForEtcdNode(a.model, { ...options(a.target), os: a.os, tls: a.tls });
}

export function haproxyUserData(a: { model: HaproxyNodeModel; target: NodeTarget; os: OsFamily }): string {
  return userDataForHaproxyNode(a.model, { ...options(a.target), os: a.os });
}

export function clientUserData(a: { hostname: string; target: NodeTarget; os: OsFamily; postgresMajor: number }): string {
  return userDataForClientNode({ hostname: a.hostname, os: a.os, postgresMajor: a.postgresMajor }, options(a.target));
}

/** The network's user-data facts; an Output because the ops user's SSH keys may be Outputs. */
export function nodeTarget(net: {
  base: { platform: { kind: PlatformKind } };
  opsSshKeys: pulumi.Output<string[]>;
}): pulumi.Output<NodeTarget> {
  return net.opsSshKeys.apply((sshKeys) => ({ platform: net.base.platform.kind, sshKeys }));
}
