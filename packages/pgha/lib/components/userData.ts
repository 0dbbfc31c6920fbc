/**
 * The one place that turns render models into user-data for a platform: a lab node gets the
 * same user-data as a cloud VM, package installs included; only the data disk device differs.
 * No secret value travels in user-data: each node's secrets (passwords, keys, TLS private keys)
 * are swapped for tokens (render/secretRefs.ts), stored in the platform's secret store readable
 * only by the node's role's service account, and fetched by the node at first boot.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformKind } from "../config";
import { dataDiskDevice } from "../platform";
import type { SecretHandle, ServiceAccountHandle } from "../platform/types";
import type { BackupTarget, EtcdMemberModel, HaproxyNodeModel, NodeFile, OsFamily, PatroniNodeModel, TlsMaterial } from "../render/model";
import {
  etcdNodeFiles,
  haproxyNodeFiles,
  patroniNodeFiles,
  type UserDataOptions,
  userDataForClientNode,
  userDataForEtcdNode,
  userDataForHaproxyNode,
  userDataForPatroniNode,
} from "../render/nodeFiles";
import { MIN_SECRET_LENGTH, redactSecrets, type SecretStoreRef } from "../render/secretRefs";
import type { NetworkContext } from "./context";

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

/** What a node's user-data is rendered from; `store` set: secrets are referenced, not included. */
export interface PatroniUserDataArgs {
  model: PatroniNodeModel;
  target: NodeTarget;
  tls?: TlsMaterial;
  etcdClientTls?: TlsMaterial;
  store?: SecretStoreRef;
}

function patroniTls(a: { tls?: TlsMaterial; etcdClientTls?: TlsMaterial }) {
  return a.tls || a.etcdClientTls ? { patroni: a.tls, postgres: a.tls, "etcd-client": a.etcdClientTls } : undefined;
}

function secretsOption(values: Record<string, string>, store: SecretStoreRef | undefined): Pick<UserDataOptions, "secrets"> {
  return store ? { secrets: { values, store } } : {};
}

export function patroniUserData(a: PatroniUserDataArgs): string {
  const values = patroniSecretValues(a.model, a.tls, a.etcdClientTls);
  return userDataForPatroniNode(a.model, { ...options(a.target), tls: patroniTls(a), ...secretsOption(values, a.store) });
}

/** Token -> value of what a Patroni node's secret must hold (the same files user-data renders, redacted). */
export function patroniSecretEntries(a: Omit<PatroniUserDataArgs, "target" | "store">): Record<string, string> {
  return secretEntries(patroniNodeFiles(a.model, patroniTls(a)), patroniSecretValues(a.model, a.tls, a.etcdClientTls));
}

export interface EtcdUserDataArgs {
  model: EtcdMemberModel;
  target: NodeTarget;
  os: OsFamily;
  tls?: TlsMaterial;
  store?: SecretStoreRef;
}

export function etcdUserData(a: EtcdUserDataArgs): string {
  return userDataForEtcdNode(a.model, {
    ...options(a.target),
    os: a.os,
    tls: a.tls,
    ...secretsOption(tlsKeyValues("ETCD", a.tls), a.store),
  });
}

export function etcdSecretEntries(a: { model: EtcdMemberModel; tls?: TlsMaterial }): Record<string, string> {
  return secretEntries(etcdNodeFiles(a.model, a.tls), tlsKeyValues("ETCD", a.tls));
}

export function haproxyUserData(a: { model: HaproxyNodeModel; target: NodeTarget; os: OsFamily; store?: SecretStoreRef }): string {
  return userDataForHaproxyNode(a.model, { ...options(a.target), os: a.os, ...secretsOption(haproxySecretValues(a.model), a.store) });
}

export function haproxySecretEntries(model: HaproxyNodeModel): Record<string, string> {
  return secretEntries(haproxyNodeFiles(model), haproxySecretValues(model));
}

function secretEntries(files: NodeFile[], values: Record<string, string>): Record<string, string> {
  return redactSecrets(files, values).entries;
}

/**
 * Every secret a Patroni node's files may hold, by NAME. Role names become upper-case with '_'
 * (a clash gets the role's index). S3 keys and encryption keys of the own and the source archive.
 */
export function patroniSecretValues(m: PatroniNodeModel, tls?: TlsMaterial, etcdClientTls?: TlsMaterial): Record<string, string> {
  const p = m.passwords;
  const out: Record<string, string> = {
    SUPERUSER_PASSWORD: p.superuser,
    REPLICATION_PASSWORD: p.replication,
    REWIND_PASSWORD: p.rewind,
    RESTAPI_PASSWORD: p.restApi,
    PGBOUNCER_PASSWORD: p.pgbouncer,
  };
  Object.entries(p.roles).forEach(([role, pw], i) => {
    const name = `ROLE_${
      role
        .toUpperCase()
        .replace(/[^A-Z0-9]+/g, "_")
        .replace(/^_+|_+$/g, "") || i
    }_PASSWORD`;
    out[name in out ? `ROLE_${i}_PASSWORD` : name] = pw;
  });
  if (p.backupEncryptionKey) out.BACKUP_ENCRYPTION_KEY = p.backupEncryptionKey;
  Object.assign(out, archiveValues("BACKUP", m.backups), archiveValues("SOURCE_BACKUP", m.standby?.sourceBackups));
  return { ...out, ...tlsKeyValues("TLS_POSTGRES", tls), ...tlsKeyValues("TLS_ETCD_CLIENT", etcdClientTls) };
}

function archiveValues(prefix: string, t: BackupTarget | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  // An access key id names the key (S3 sends it in clear in every request's Authorization header); it
  // travels in the secret only when it is long enough to be found verbatim: a short one (a MinIO user
  // such as "backup") could match other text, so it stays in the file as written.
  if (t?.s3AccessKeyId && t.s3AccessKeyId.length >= MIN_SECRET_LENGTH) out[`${prefix}_S3_ACCESS_KEY_ID`] = t.s3AccessKeyId;
  if (t?.s3SecretAccessKey) out[`${prefix}_S3_SECRET_ACCESS_KEY`] = t.s3SecretAccessKey;
  if (t?.encryptionKey) out[`${prefix}_ENCRYPTION_KEY`] = t.encryptionKey;
  return out;
}

/**
 * A leaf's key and its certificate: the certificate is no secret, but a renewal must deliver both
 * together (a new certificate with the old key fails), and only the store is updated in place
 * (user-data is first-boot only), so `pgha-secrets refresh` rewrites the pair.
 */
function tlsKeyValues(service: string, tls: TlsMaterial | undefined): Record<string, string> {
  return tls ? { [`${service}_KEY`]: tls.key, [`${service}_CERT`]: tls.cert } : {};
}

/** keepalived's auth_pass as rendered (VRRP keeps 8 characters of the generated password). */
function haproxySecretValues(m: HaproxyNodeModel): Record<string, string> {
  return m.vip ? { VRRP_AUTH_PASS: m.vip.authPass } : {};
}

/**
 * A node's secret in the platform's store (`<node>-secrets`), readable only by `reader`, the
 * service account of the node's role. Callers make the VM depend on it, so the value and the grant
 * exist before the VM boots.
 */
export function nodeSecret(
  net: NetworkContext,
  node: string,
  reader: ServiceAccountHandle,
  entries: pulumi.Output<Record<string, string>>,
  parent: pulumi.Resource,
): SecretHandle {
  return net.platform.secret({ name: `${node}-secrets`, entries: pulumi.secret(entries), readers: [reader] }, parent);
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
