import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { type BackupSpec, backupSpec, ConfigError, parseSection } from "../config";
import type { BackupTarget } from "../render/model";
import { renderWalgConfig } from "../render/backups";
import { contexts } from "./context";
import type { Network } from "./network";
import { generatedKey32 } from "./secrets";

export interface WalgBucketArgs extends z.input<typeof backupSpec> {
  network: Network;
  region: string;
  /** Credentials for `storage.kind: s3` (an existing bucket elsewhere). Secrets. */
  s3AccessKeyId?: pulumi.Input<string>;
  s3SecretAccessKey?: pulumi.Input<string>;
}

/**
 * Object storage for WAL and base backups (WAL-G by default, or pgBackRest): a bucket with
 * lifecycle, credentials as secrets, and the encryption key; clusters get their own prefix.
 */
export class WalgBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly tool: pulumi.Output<string>;
  /** S3 access key id (Yandex/S3); empty on GCS, where VMs use their service account. */
  readonly accessKeyId: pulumi.Output<string | undefined>;
  readonly secretAccessKey: pulumi.Output<string | undefined>;
  readonly encryptionKey: pulumi.Output<string | undefined>;

  constructor(name: string, args: WalgBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    const net = contexts.network(args.network);
    const context = `invalid pgha WalgBucket '${name}'`;
    const { network: _n, region, s3AccessKeyId, s3SecretAccessKey, ...fields } = args;
    const spec: BackupSpec = parseSection(backupSpec, fields, "backups", context);
    if (!net.base.regions.some((r) => r.name === region))
      throw new ConfigError([{ path: "region", message: `unknown region '${region}'` }], context);
    if (spec.storage.kind === "s3" && (s3AccessKeyId === undefined || s3SecretAccessKey === undefined))
      throw new ConfigError([{ path: "s3AccessKeyId", message: "storage.kind s3 needs s3AccessKeyId and s3SecretAccessKey (Pulumi secrets)" }], context);
    super("pgha:index:WalgBucket", name, {}, opts);

    const created =
      spec.storage.kind === "yandex" || spec.storage.kind === "gcs" || spec.storage.kind === "local"
        ? net.platform.bucket(
            {
              name,
              bucketName: spec.storage.kind === "local" ? spec.storage.path : spec.storage.bucket,
              region,
              expireDays: spec.bucketExpireDays,
              writers: [],
            },
            this,
          )
        : undefined;
    const storage = spec.storage;
    const bucket = created ? created.bucket : pulumi.output(storage.kind === "s3" ? storage.bucket : "");
    const keyId = created?.accessKeyId ?? (s3AccessKeyId !== undefined ? pulumi.secret(pulumi.output(s3AccessKeyId)) : undefined);
    const secretKey = created?.secretAccessKey ?? (s3SecretAccessKey !== undefined ? pulumi.secret(pulumi.output(s3SecretAccessKey)) : undefined);
    const encryptionKey = spec.encrypt ? generatedKey32(`${name}-encryption-key`, this) : pulumi.output(undefined);
    const basePrefix = "prefix" in storage ? storage.prefix : "";

    const target = (cluster: string): pulumi.Output<BackupTarget> =>
      pulumi.secret(
        pulumi.all([bucket, keyId ?? pulumi.output(undefined), secretKey ?? pulumi.output(undefined), encryptionKey]).apply(([b, id, key, encKey]) => ({
          spec,
          bucket: b,
          prefix: `${basePrefix ? `${basePrefix.replace(/\/$/, "")}/` : ""}${cluster}`,
          s3AccessKeyId: id,
          s3SecretAccessKey: key,
          encryptionKey: encKey,
        })),
      );
    contexts.setBucket(this, { spec, target, encryptionKey, vmServiceAccount: created?.vmServiceAccount });

    this.bucketName = bucket;
    this.tool = pulumi.output(spec.tool);
    this.accessKeyId = keyId ? pulumi.secret(keyId) : pulumi.output(undefined);
    this.secretAccessKey = secretKey ? pulumi.secret(secretKey) : pulumi.output(undefined);
    this.encryptionKey = encryptionKey;
    this.registerOutputs({ bucketName: this.bucketName, tool: this.tool, accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey });
  }

}

/** The WAL-G config (JSON) the members of `cluster` use with this bucket; a secret. */
export function walgConfigFor(bucket: WalgBucket, cluster: string, major: number): pulumi.Output<string> {
  return pulumi.secret(contexts.bucket(bucket).target(cluster).apply((t) => renderWalgConfig(t, major)));
}
