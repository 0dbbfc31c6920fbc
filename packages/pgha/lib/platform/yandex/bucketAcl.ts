/**
 * The ACL of one Yandex Object Storage bucket, built from pgha's per-cluster grants.
 *
 * A bucket's ACL is one document, and in the pinned provider (terraform-provider-yandex 0.139.0)
 * only the bucket resource itself sets it (`grant` blocks; the separate `yandex_storage_bucket_grant`
 * resource arrived in 0.145, and it too owns the whole ACL). pgha grants access cluster by cluster,
 * after the bucket exists: its own cluster read/write, a standby in another region read-only. So
 * the grants are collected here, and the bucket's `grants` input resolves once the program's
 * synchronous construction is over (the next macrotask). A grant after that is an error, never a
 * grant silently left out.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as yandex from "../../../sdks/yandex/bin/index";
import { ACL_PERMISSIONS, type BucketAccess } from "./aclPermissions";

export interface AclEntry {
  /** Service account id. */
  id: string;
  access: BucketAccess;
}

/** One `CanonicalUser` grant per account, its accesses merged, in id order: the same ACL for the same grants. */
export function aclGrants(entries: AclEntry[]): yandex.types.input.StorageBucketGrant[] {
  const byId = new Map<string, Set<string>>();
  for (const e of entries) {
    const perms = byId.get(e.id) ?? new Set<string>();
    for (const p of ACL_PERMISSIONS[e.access]) perms.add(p);
    byId.set(e.id, perms);
  }
  return [...byId.keys()].sort().map((id) => ({
    type: "CanonicalUser",
    id,
    permissions: ["READ", "WRITE"].filter((p) => byId.get(id)?.has(p)),
  }));
}

export class BucketAcl {
  private readonly entries: { account: pulumi.Output<string>; access: BucketAccess }[] = [];
  private closed = false;
  /** The bucket's `grants` input. */
  readonly grants: pulumi.Output<yandex.types.input.StorageBucketGrant[]>;

  constructor(private readonly bucket: string) {
    const closed = new Promise<boolean>((resolve) =>
      setImmediate(() => {
        this.closed = true;
        resolve(true);
      }),
    );
    this.grants = pulumi
      .output(closed)
      .apply(() => pulumi.all(this.entries.map((e) => e.account.apply((id): AclEntry => ({ id, access: e.access })))))
      .apply(aclGrants);
  }

  /** Add `account` to the ACL; `by` names the grant for the error message. */
  grant(account: pulumi.Output<string>, access: BucketAccess, by: string): void {
    if (this.closed)
      throw new Error(
        `yandex: grant ${by} on bucket ${this.bucket} comes after the bucket's ACL was settled: ` +
          `create every cluster that uses the bucket in the same pass as the bucket (not inside an apply or after an await)`,
      );
    this.entries.push({ account, access });
  }
}
