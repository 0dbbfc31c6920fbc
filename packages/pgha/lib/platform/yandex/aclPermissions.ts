/**
 * Yandex Object Storage bucket ACL permissions and pgha's access levels, both ways: what the
 * platform grants (bucketAcl.ts), and what the plan check and the lab read back from a plan.
 * Pure, no SDK.
 *
 * Yandex docs (storage/concepts/acl): ACL and IAM are both checked and either one suffices; a
 * service account is named by its id; permissions granted on a bucket apply to all objects in
 * it. READ lists and reads objects; WRITE (S3 bucket-ACL semantics) puts, overwrites and deletes
 * them, which WAL-G/pgBackRest retention needs. A writer gets READ too: it lists and reads back
 * what it archived. The provider accepts READ, WRITE and FULL_CONTROL
 * (terraform-provider-yandex 0.139, docs/resources/storage_bucket.md).
 */
export type BucketAccess = "read" | "readWrite";

export const ACL_PERMISSIONS: Record<BucketAccess, string[]> = { read: ["READ"], readWrite: ["READ", "WRITE"] };

/** The access a grant's permissions give; undefined for none (or WRITE without READ). */
export function aclAccess(permissions: string[]): BucketAccess | undefined {
  const p = new Set(permissions);
  if (p.has("FULL_CONTROL") || (p.has("READ") && p.has("WRITE"))) return "readWrite";
  if (p.has("READ")) return "read";
  return undefined;
}
