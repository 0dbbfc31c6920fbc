import { describe, expect, it } from "vitest";
import type { SynthPlan, SynthPlanResource } from "../../../synth/plan";
import { BUCKET_GRANT_TYPE, BUCKET_TYPE, STATIC_KEY_TYPE, bucketPolicy, plannedObjectStorage } from "./planStorage";
import { s3CredentialsIn } from "./s3Credentials";

const resource = (type: string, name: string, parent: string, inputs: Record<string, unknown>): SynthPlanResource => ({
  type,
  name,
  parent,
  urn: `urn:${name}`,
  custom: true,
  inputs,
});

const planOf = (resources: SynthPlanResource[]): SynthPlan => ({
  stack: "t",
  platform: "yandex",
  resources,
  nodes: [],
  loadBalancers: [],
  standbyLinks: [],
});

const walg = (bucket: string, id: string, secret: string) =>
  JSON.stringify(
    {
      WALG_S3_PREFIX: `s3://${bucket}/main`,
      AWS_ENDPOINT: "https://storage.yandexcloud.net",
      AWS_REGION: "ru-central1",
      AWS_ACCESS_KEY_ID: id,
      AWS_SECRET_ACCESS_KEY: secret,
    },
    null,
    2,
  );

/** A node of `component` whose user-data holds a walg.json for `bucket` with this key. */
const walgNode = (node: string, component: string, bucket: string, id: string, secret: string) => ({
  node,
  component,
  uses: s3CredentialsIn([{ path: "/etc/wal-g/walg.json", content: walg(bucket, id, secret) }]),
});

const twoClusters = planOf([
  resource(BUCKET_TYPE, "main-backups", "main-backups", {
    bucket: "yc-main-backups",
    grants: [
      { type: "CanonicalUser", id: "main-backup-id", permissions: ["READ", "WRITE"] },
      { type: "CanonicalUser", id: "dr-backup-id", permissions: ["READ"] },
    ],
  }),
  resource(BUCKET_TYPE, "dr-backups", "dr-backups", {
    bucket: "yc-dr-backups",
    grants: [{ type: "CanonicalUser", id: "dr-backup-id", permissions: ["READ", "WRITE"] }],
  }),
  resource(STATIC_KEY_TYPE, "main-backup-key", "main", { serviceAccountId: "main-backup-id" }),
  resource(STATIC_KEY_TYPE, "dr-backup-key", "dr", { serviceAccountId: "dr-backup-id" }),
]);

describe("s3CredentialsIn", () => {
  it("reads WAL-G's JSON config and pgbackrest.conf, and nothing else", () => {
    const conf = [
      "[global]",
      "repo1-type=s3",
      "repo1-path=/main",
      "repo1-s3-endpoint=storage.yandexcloud.net",
      "repo1-s3-bucket=yc-main-backups",
      "repo1-s3-region=ru-central1",
      "repo1-s3-key=KID",
      "repo1-s3-key-secret=SECRET",
    ].join("\n");
    const uses = s3CredentialsIn([
      { path: "/etc/wal-g/walg.json", content: walg("yc-main-backups", "AK", "SK") },
      { path: "/etc/pgbackrest/pgbackrest.conf", content: conf },
      { path: "/etc/patroni/patroni.yml", content: "scope: main\n" },
      { path: "/etc/wal-g/local.json", content: JSON.stringify({ WALG_FILE_PREFIX: "/backups" }) },
    ]);
    expect(uses).toEqual([
      {
        file: "/etc/wal-g/walg.json",
        endpoint: "https://storage.yandexcloud.net",
        bucket: "yc-main-backups",
        region: "ru-central1",
        accessKey: "AK",
        secretKey: "SK",
      },
      {
        file: "/etc/pgbackrest/pgbackrest.conf",
        endpoint: "https://storage.yandexcloud.net",
        bucket: "yc-main-backups",
        region: "ru-central1",
        accessKey: "KID",
        secretKey: "SECRET",
      },
    ]);
  });
});

describe("plannedObjectStorage", () => {
  it("takes buckets and grants from the plan and each key from the user-data of its cluster's nodes", () => {
    const s = plannedObjectStorage(twoClusters, [
      walgNode("main-pg-0", "main", "yc-main-backups", "AK1", "SK1"),
      walgNode("main-pg-1", "main", "yc-main-backups", "AK1", "SK1"),
      {
        node: "dr-pg-0",
        component: "dr",
        uses: s3CredentialsIn([
          { path: "/etc/wal-g/walg.json", content: walg("yc-dr-backups", "AK2", "SK2") },
          { path: "/etc/wal-g/source.json", content: walg("yc-main-backups", "AK2", "SK2") },
        ]),
      },
      { node: "yc-etcd-0", component: "yc", uses: [] },
    ]);
    expect(s.problems).toEqual([]);
    expect(s.endpoints).toEqual(["https://storage.yandexcloud.net"]);
    expect(s.buckets).toEqual([
      {
        resource: "main-backups",
        name: "yc-main-backups",
        grants: [
          { account: "dr-backup-id", access: "read" },
          { account: "main-backup-id", access: "readWrite" },
        ],
      },
      { resource: "dr-backups", name: "yc-dr-backups", grants: [{ account: "dr-backup-id", access: "readWrite" }] },
    ]);
    expect(s.accounts).toEqual([
      { account: "dr-backup-id", keyResource: "dr-backup-key", accessKey: "AK2", secretKey: "SK2", nodes: ["dr-pg-0"] },
      { account: "main-backup-id", keyResource: "main-backup-key", accessKey: "AK1", secretKey: "SK1", nodes: ["main-pg-0", "main-pg-1"] },
    ]);
  });

  it("names what it cannot stand in for", () => {
    const plan = planOf([
      resource(BUCKET_TYPE, "prefixed", "p", { bucketPrefix: "x-" }),
      resource(BUCKET_TYPE, "public", "p", {
        bucket: "pub",
        grants: [
          { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers", permissions: ["READ"] },
          { type: "CanonicalUser", id: "w-only", permissions: ["WRITE"] },
        ],
      }),
      resource(STATIC_KEY_TYPE, "a-key", "main", { serviceAccountId: "a" }),
      resource(STATIC_KEY_TYPE, "b-key", "main", { serviceAccountId: "b" }),
    ]);
    const s = plannedObjectStorage(plan, [
      walgNode("main-pg-0", "main", "pub", "AK", "SK"),
      walgNode("lone-pg-0", "lone", "pub", "AK", "SK"),
    ]);
    expect(s.problems).toEqual([
      "bucket prefixed: no fixed bucket name in the plan (bucketPrefix: the cloud picks one), so the lab cannot create it",
      "bucket public: grant to http://acs.amazonaws.com/groups/global/AllUsers (READ): " +
        "the lab stands in only for grants to a service account (CanonicalUser)",
      "bucket public: grant WRITE to w-only: Object Storage refuses WRITE without READ",
      "main-pg-0: /etc/wal-g/walg.json holds a static key, " +
        "and the plan has 2 static key resources under component main; the lab matches a node's key to exactly one",
      "lone-pg-0: /etc/wal-g/walg.json holds a static key, " +
        "and the plan has 0 static key resources under component lone; the lab matches a node's key to exactly one",
    ]);
  });

  it("adds a separate bucket grant resource's grants to its bucket, the broader access winning", () => {
    const plan = planOf([
      ...twoClusters.resources,
      resource(BUCKET_GRANT_TYPE, "main-backups-grant", "main", {
        bucket: "yc-main-backups",
        grants: [
          { type: "CanonicalUser", id: "dr-backup-id", permissions: ["READ", "WRITE"] },
          { type: "CanonicalUser", id: "audit-id", permissions: ["READ"] },
        ],
      }),
      resource(BUCKET_GRANT_TYPE, "stray-grant", "main", { bucket: "nobody-made-this", grants: [] }),
    ]);
    const s = plannedObjectStorage(plan, []);
    expect(s.buckets[0].grants).toEqual([
      { account: "audit-id", access: "read" },
      { account: "dr-backup-id", access: "readWrite" },
      { account: "main-backup-id", access: "readWrite" },
    ]);
    expect(s.problems).toEqual(["stray-grant: grants on bucket nobody-made-this, which the plan does not create"]);
  });

  it("refuses two different keys for one account", () => {
    const s = plannedObjectStorage(twoClusters, [
      walgNode("main-pg-0", "main", "yc-main-backups", "AK1", "SK1"),
      walgNode("main-pg-1", "main", "yc-main-backups", "AK9", "SK9"),
    ]);
    expect(s.problems).toEqual([
      "main-pg-1: /etc/wal-g/walg.json holds another key than main-pg-0 for the same account main-backup-id (one static key per account)",
    ]);
  });
});

describe("bucketPolicy", () => {
  it("gives read the list/get actions and readWrite also put/delete, on the bucket and its objects", () => {
    const policy = JSON.parse(
      bucketPolicy({
        resource: "b",
        name: "yc-main-backups",
        grants: [
          { account: "dr-backup-id", access: "read" },
          { account: "main-backup-id", access: "readWrite" },
        ],
      }) as string,
    ) as { Statement: { Principal: { AWS: string[] }; Action: string[]; Resource: string[] }[] };
    expect(policy.Statement.map((s) => s.Principal.AWS)).toEqual([
      ["arn:aws:iam:::user/dr-backup-id"],
      ["arn:aws:iam:::user/main-backup-id"],
    ]);
    expect(policy.Statement[0].Action).not.toContain("s3:PutObject");
    expect(policy.Statement[0].Action).toContain("s3:GetObject");
    expect(policy.Statement[1].Action).toEqual(
      expect.arrayContaining(["s3:PutObject", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket"]),
    );
    expect(policy.Statement[1].Resource).toEqual(["arn:aws:s3:::yc-main-backups", "arn:aws:s3:::yc-main-backups/*"]);
  });

  it("no grants, no policy: only the owner has access", () => {
    expect(bucketPolicy({ resource: "b", name: "x", grants: [] })).toBeUndefined();
  });
});
