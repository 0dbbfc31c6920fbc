import * as pulumi from "@pulumi/pulumi";
import { type BackupSpec, backupSpec, type BackupsInput, ConfigError, parseSection } from "../config";
import type { BucketCredentials } from "../platform/types";
import type { BackupTarget } from "../render/model";
import { renderWalgConfig } from "../render/backups";
import { type BucketContext, contextOf } from "./context";
import type { Network } from "./network";
import type { PatroniCluster } from "./patroniCluster";
import type { StandbyCluster } from "./standbyCluster";
import { generatedKey32 } from "./secrets";

/**
 * A backup bucket's settings as in a stack file's `clusters[].backups` (see BackupsInput for each
 * field); every cluster given this bucket as `backups` uses them, under a prefix of its own.
 */
export interface WalgBucketArgs extends BackupsInput {
  /** The network whose platform creates the bucket. Required. */
  network: Network;
  /** Region (one of the network's regions) the bucket is created in. Required. */
  region: string;
  /**
   * Access key id for `storage.kind: s3` (an existing bucket elsewhere): required with it, unused
   * otherwise (pgha grants each cluster its own access to a bucket it creates). Made a secret.
   */
  s3AccessKeyId?: pulumi.Input<string>;
  /** Secret access key for `storage.kind: s3`; required with it. Made a secret. */
  s3SecretAccessKey?: pulumi.Input<string>;
}

/**
 * Object storage for WAL and base backups (WAL-G by default, or pgBackRest): a bucket with
 * lifecycle, credentials as secrets, and the encryption key; clusters get their own prefix.
 */
export class WalgBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly tool: pulumi.Output<string>;
  /** The access key id supplied for an existing `s3` bucket; undefined otherwise (each cluster gets its own grant). */
  readonly accessKeyId: pulumi.Output<string | undefined>;
  readonly secretAccessKey: pulumi.Output<string | undefined>;
  readonly encryptionKey: pulumi.Output<string | undefined>;
  /** @internal What a cluster backing up here needs: the spec, the bucket to grant on, its target per prefix. */
  readonly context: BucketContext;

  constructor(name: string, args: WalgBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    const net = contextOf(args.network, "network");
    const context = `invalid pgha WalgBucket '${name}'`;
    const { network: _n, region, s3AccessKeyId, s3SecretAccessKey, ...fields } = args;
    const spec: BackupSpec = parseSection(backupSpec, fields, "backups", context);
    if (!net.base.regions.some((r) => r.name === region))
      throw new ConfigError([{ path: "region", message: `unknown region '${region}'` }], context);
    if (spec.storage.kind === "s3" && (s3AccessKeyId === undefined || s3SecretAccessKey === undefined))
      throw new ConfigError(
        [{ path: "s3AccessKeyId", message: "storage.kind s3 needs s3AccessKeyId and s3SecretAccessKey (Pulumi secrets)" }],
        context,
      );
    super("pgha:index:WalgBucket", name, {}, opts);

    // The bucket alone grants nobody anything: each cluster gets its own grant (PatroniCluster).
    const created =
      spec.storage.kind === "yandex" || spec.storage.kind === "gcs" || spec.storage.kind === "local"
        ? net.platform.bucket(
            {
              name,
              bucketName: spec.storage.kind === "local" ? spec.storage.path : spec.storage.bucket,
              region,
              expireDays: spec.bucketExpireDays,
            },
            this,
          )
        : undefined;
    const storage = spec.storage;
    const bucket = created ? created.bucket : pulumi.output(storage.kind === "s3" ? storage.bucket : "");
    const supplied =
      s3AccessKeyId !== undefined && s3SecretAccessKey !== undefined
        ? { accessKeyId: pulumi.secret(pulumi.output(s3AccessKeyId)), secretAccessKey: pulumi.secret(pulumi.output(s3SecretAccessKey)) }
        : undefined;
    const encryptionKey = spec.encrypt ? generatedKey32(`${name}-encryption-key`, this) : pulumi.output(undefined);
    const basePrefix = "prefix" in storage ? storage.prefix : "";

    const target = (cluster: string, credentials: BucketCredentials): pulumi.Output<BackupTarget> =>
      pulumi.secret(
        pulumi
          .all([
            bucket,
            credentials.accessKeyId ?? pulumi.output(undefined),
            credentials.secretAccessKey ?? pulumi.output(undefined),
            encryptionKey,
          ])
          .apply(([b, id, key, encKey]) => ({
            spec,
            bucket: b,
            prefix: `${basePrefix ? `${basePrefix.replace(/\/$/, "")}/` : ""}${cluster}`,
            s3AccessKeyId: id,
            s3SecretAccessKey: key,
            encryptionKey: encKey,
          })),
      );
    this.context = { spec, handle: created, suppliedCredentials: supplied, target, encryptionKey };

    this.bucketName = bucket;
    this.tool = pulumi.output(spec.tool);
    this.accessKeyId = supplied?.accessKeyId ?? pulumi.output(undefined);
    this.secretAccessKey = supplied?.secretAccessKey ?? pulumi.output(undefined);
    this.encryptionKey = encryptionKey;
    this.registerOutputs({
      bucketName: this.bucketName,
      tool: this.tool,
      accessKeyId: this.accessKeyId,
      secretAccessKey: this.secretAccessKey,
    });
  }
}

/** The WAL-G config (JSON) the members of `cluster` use, with the cluster's own bucket grant; a secret. */
export function walgConfigFor(cluster: PatroniCluster | StandbyCluster): pulumi.Output<string> {
  const ctx = contextOf(cluster, "cluster");
  if (!ctx.backups)
    throw new ConfigError(
      [{ path: "cluster", message: `'${ctx.spec.name}' has no backups (give it a WalgBucket as backups)` }],
      "invalid walgConfigFor argument",
    );
  return pulumi.secret(ctx.backups.apply((t) => renderWalgConfig(t, ctx.spec.postgres.major)));
}
