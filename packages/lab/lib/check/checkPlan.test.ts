// The plan check's rules, each on a small hand-built plan with one thing broken (testPlans.ts).
import { describe, expect, it } from "vitest";
import { checkPlan } from "./checkPlan";
import { type Finding, isFailing } from "./findings";
import { type Fixture, gcpFixture, NODES, resource, SA_EMAIL, SUBNET, topology, yandexFixture } from "./testPlans";

const run = (f: Fixture) => checkPlan(f.plan, (n) => f.userData.get(n.name) ?? "", f.options);
const failing = (f: Fixture) => run(f).findings.filter(isFailing);
const pick = (list: Finding[]) =>
  list.map((x) => ({ severity: x.severity, node: x.node, resource: x.resource, need: x.need, field: x.field }));

const YSG = "yandex:index/vpcSecurityGroup:VpcSecurityGroup";
const GFW = "gcp:compute/firewall:Firewall";

describe("passing plans", () => {
  it.each([
    ["yandex", yandexFixture],
    ["gcp", gcpFixture],
  ])("%s: every need met, nothing exposed, and the needs were counted", (_, make) => {
    const r = run(make());
    expect(r.findings).toEqual([]);
    expect(r.nodes).toBe(4);
    // 4 nodes' internet needs, etcd/Patroni/HAProxy/LB connections, 2 bucket uses, 2 SSH users, 1 frontend.
    expect(r.needsChecked).toBeGreaterThan(20);
  });
});

describe("load balancer health checkers", () => {
  it("gcp: an external passthrough NLB's own probe ranges (209.85.x) are health checkers, not exposure", () => {
    const f = gcpFixture();
    resource(f, GFW, "main-haproxy-health").inputs.sourceRanges = ["35.191.0.0/16", "209.85.152.0/22", "209.85.204.0/22"];
    expect(run(f).findings).toEqual([]);
  });

  it("gcp: a health-check rule that also admits another public range is exposed", () => {
    const f = gcpFixture();
    resource(f, GFW, "main-haproxy-health").inputs.sourceRanges = [
      "35.191.0.0/16",
      "209.85.152.0/22",
      "209.85.204.0/22",
      "198.51.100.0/24",
    ];
    expect(pick(failing(f)).map((x) => [x.severity, x.resource])).toEqual([["exposed", "main-haproxy-health"]]);
  });
});

describe("egress", () => {
  it("yandex: a subnet without its route table leaves every node without packages", () => {
    const f = yandexFixture();
    delete resource(f, "yandex:index/vpcSubnet:VpcSubnet", "net-a").inputs.routeTableId;
    const found = failing(f);
    expect(found.map((x) => x.node).sort()).toEqual(
      Object.values(NODES)
        .map((n) => n.name)
        .sort(),
    );
    expect(found.every((x) => x.severity === "unmet" && x.field === "platform.egress")).toBe(true);
    expect(found.find((x) => x.node === "main-pg-0")?.need).toMatch(
      /^package mirror \(2 packages\), download https:\/\/github\.com\/wal-g\//,
    );
    expect(found[0].message).toContain("subnet net-a");
  });

  it("gcp: no Cloud NAT in the plan", () => {
    const f = gcpFixture();
    f.plan.resources = f.plan.resources.filter((r) => r.type !== "gcp:compute/routerNat:RouterNat");
    const found = failing(f);
    expect(found).toHaveLength(4);
    expect(pick(found)[0]).toMatchObject({ severity: "unmet", field: "platform.egress" });
  });

  it("yandex: security groups that let nothing out to the internet", () => {
    const f = yandexFixture();
    resource(f, YSG, "net-etcd").inputs.egresses = [{ protocol: "ANY", v4CidrBlocks: ["10.0.0.0/8"] }];
    expect(pick(failing(f))).toEqual([
      { severity: "unmet", node: "net-etcd-0", resource: undefined, need: "package mirror (1 packages)", field: "platform.egress" },
    ]);
  });

  it("egress: provided in the stack is an assumption, printed but passing", () => {
    const f = yandexFixture();
    delete resource(f, "yandex:index/vpcSubnet:VpcSubnet", "net-a").inputs.routeTableId;
    f.options.topology = topology({ egress: "provided" });
    const r = run(f);
    expect(r.findings.filter(isFailing)).toEqual([]);
    expect(pick(r.findings.filter((x) => x.severity === "assumption"))[0]).toEqual({
      severity: "assumption",
      node: "net-etcd-0",
      resource: undefined,
      need: "package mirror (1 packages)",
      field: "platform.egress",
    });
    expect(r.findings.map((x) => x.node).sort()).toEqual(
      Object.values(NODES)
        .map((n) => n.name)
        .sort(),
    );
    expect(r.findings[0].message).toMatch(
      /^assumed, not checked: platform\.egress: provided \(the plan shows none: no path to the internet: subnet net-a /,
    );
  });

  it("egress: provided recorded in the plan is an assumption too", () => {
    const f = yandexFixture();
    delete resource(f, "yandex:index/vpcSubnet:VpcSubnet", "net-a").inputs.routeTableId;
    f.plan.resources.push({
      ...resource(f, "pgha:index:TcpLoadBalancer", "main"),
      type: "pgha:index:Network",
      name: "net",
      inputs: { egress: "provided" },
    });
    const r = run(f);
    expect(r.findings.filter(isFailing)).toEqual([]);
    expect(r.findings.filter((x) => x.severity === "assumption").map((x) => x.field)).toEqual(Array(4).fill("platform.egress"));
  });
});

describe("ports", () => {
  it("yandex: etcd's security group without the client port", () => {
    const f = yandexFixture();
    resource(f, YSG, "net-etcd").inputs.ingresses = [{ protocol: "TCP", port: 2380, v4CidrBlocks: ["10.0.1.0/24"] }];
    const found = pick(failing(f));
    expect(found).toEqual([
      { severity: "unmet", node: "net-etcd-0", resource: undefined, need: "port 2379/tcp (etcd client (Patroni's DCS))", field: "etcd" },
    ]);
    expect(failing(f)[0].message).toContain("main-pg-0, main-pg-1");
  });

  it("yandex: HAProxy's monitor port closed to the NLB's health checkers", () => {
    const f = yandexFixture();
    const sg = resource(f, YSG, "main-haproxy");
    sg.inputs.ingresses = (sg.inputs.ingresses as Record<string, unknown>[]).filter((i) => i.port !== 7001);
    expect(pick(failing(f))).toEqual([
      {
        severity: "unmet",
        node: "main-haproxy-0",
        resource: undefined,
        need: "port 7001/tcp (health check of load balancer main)",
        field: "clusters[0].loadBalancer",
      },
    ]);
  });

  it("gcp: Patroni's firewall without PgBouncer, which HAProxy's backends use", () => {
    const f = gcpFixture();
    resource(f, GFW, "main-pg-internal").inputs.allows = [{ protocol: "tcp", ports: ["5432", "8008"] }];
    const found = pick(failing(f));
    expect(found.map((x) => x.node).sort()).toEqual(["main-pg-0", "main-pg-1"]);
    expect(found[0]).toMatchObject({ severity: "unmet", need: "port 6432/tcp (HAProxy backend)", field: "clusters[0]" });
  });

  it("yandex: the stack's client networks cannot reach the load balancer's targets", () => {
    const f = yandexFixture();
    f.options.topology = topology({ clientCidrs: ["10.0.0.0/16"] });
    const found = failing(f);
    expect(pick(found)).toEqual(
      ["port 5000/tcp (load balancer main listener primary)", "port 5005/tcp (load balancer main listener direct)"].map((need) => ({
        severity: "unmet",
        node: "main-haproxy-0",
        resource: undefined,
        need,
        field: "clusters[0].loadBalancer",
      })),
    );
    expect(found[0].message).toContain("from platform.clientCidrs 10.0.0.0/16");
  });

  it("gcp: a public load balancer whose sourceRanges the firewall does not admit", () => {
    const f = gcpFixture();
    f.options.topology = topology({}, { exposure: "public", sourceRanges: ["198.51.100.0/24"], publicDirect: true });
    for (const t of ["gcp:compute/forwardingRule:ForwardingRule", "gcp:compute/regionBackendService:RegionBackendService"])
      resource(f, t, "main").inputs.loadBalancingScheme = "EXTERNAL";
    expect(pick(failing(f)).map((x) => [x.node, x.need, x.field])).toEqual([
      ["main-haproxy-0", "port 5000/tcp (load balancer main listener primary)", "clusters[0].loadBalancer"],
      ["main-haproxy-0", "port 5005/tcp (load balancer main listener direct)", "clusters[0].loadBalancer"],
    ]);
  });

  it("PgBouncer closed to the own subnet's clients", () => {
    const f = yandexFixture();
    const pg0 = f.userData.get("main-pg-0") as string;
    f.userData.set(
      "main-pg-0",
      pg0.replace(
        "write_files:\n",
        'write_files:\n  - path: /etc/pgbouncer/pgbouncer.ini\n    content: "[pgbouncer]\\nlisten_port = 6433\\n"\n',
      ),
    );
    expect(pick(failing(f))).toEqual([
      { severity: "unmet", node: "main-pg-0", resource: undefined, need: "port 6433/tcp (PgBouncer clients)", field: "clusters[0]" },
    ]);
  });

  it("yandex: a source security group that does not let the connection out", () => {
    const f = yandexFixture();
    resource(f, YSG, "main-haproxy").inputs.egresses = [
      { protocol: "TCP", port: 5432, v4CidrBlocks: ["10.0.1.0/24"] },
      { protocol: "ANY", v4CidrBlocks: ["0.0.0.0/0"], port: 443 },
    ];
    const found = pick(failing(f));
    expect(found.map((x) => x.need).sort()).toEqual([
      "port 6432/tcp (HAProxy backend)",
      "port 8008/tcp (HAProxy health check of the backend)",
    ]);
    expect(found.every((x) => x.node === "main-haproxy-0" && x.field === "clusters[0]")).toBe(true);
    expect(failing(f)[0].message).toBe("the security groups of main-haproxy-0 do not let it out to main-pg-0, main-pg-1");
    // An egress rule to the Patroni nodes' security group lets it out.
    (resource(f, YSG, "main-haproxy").inputs.egresses as Record<string, unknown>[]).push({
      protocol: "TCP",
      securityGroupId: "main-pg-id",
    });
    expect(failing(f)).toEqual([]);
  });
});

describe("buckets", () => {
  it("yandex: no grant on the bucket for the key's account", () => {
    const f = yandexFixture();
    resource(f, "yandex:index/storageBucket:StorageBucket", "main-backups").inputs.grants = [];
    const found = pick(failing(f));
    expect(found).toEqual(
      ["main-pg-0", "main-pg-1"].map((node) => ({
        severity: "unmet",
        node,
        resource: undefined,
        need: "bucket write main-backups",
        field: "clusters[0].backups",
      })),
    );
  });

  it("yandex: an access key that belongs to no key of the plan", () => {
    const f = yandexFixture();
    f.options.staticKeyOwner = () => undefined;
    expect(failing(f).map((x) => x.message)).toEqual([
      ...Array(2).fill("the access key in /etc/wal-g/walg.json belongs to no static access key of this plan"),
      // ...and the account's grant is then used by no node.
      "ACL READ+WRITE lets main-backup-id use bucket main-backups, which none of its nodes uses",
    ]);
  });

  it("yandex: a folder-wide storage.editor is exposed, even where it gives the access", () => {
    const f = yandexFixture();
    resource(f, "yandex:index/storageBucket:StorageBucket", "main-backups").inputs.grants = [];
    f.plan.resources.push({
      ...resource(f, "yandex:index/iamServiceAccount:IamServiceAccount", "main-backup"),
      type: "yandex:index/resourcemanagerFolderIamMember:ResourcemanagerFolderIamMember",
      name: "editor",
      inputs: { folderId: "f", role: "storage.editor", member: "serviceAccount:main-backup-id" },
    });
    expect(pick(failing(f))).toEqual([
      { severity: "exposed", node: undefined, resource: "editor", need: "bucket access", field: "clusters[0].backups" },
    ]);
  });

  it('yandex: a bucket policy instead of ACL grants gives the access; Principal "*" is exposed', () => {
    const f = yandexFixture();
    const bucket = resource(f, "yandex:index/storageBucket:StorageBucket", "main-backups");
    delete bucket.inputs.grants;
    const statement = (principal: unknown, action: string[]) => ({
      Effect: "Allow",
      Principal: principal,
      Action: action,
      Resource: ["arn:aws:s3:::main-backups/*"],
    });
    bucket.inputs.policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [statement({ CanonicalUser: "main-backup-id" }, ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject"])],
    });
    expect(failing(f)).toEqual([]);
    bucket.inputs.policy = JSON.stringify({ Statement: [statement({ CanonicalUser: "main-backup-id" }, ["s3:GetObject"])] });
    expect(pick(failing(f)).map((x) => [x.node, x.need])).toEqual([
      ["main-pg-0", "bucket write main-backups"],
      ["main-pg-1", "bucket write main-backups"],
    ]);
    bucket.inputs.policy = JSON.stringify({ Statement: [statement("*", ["s3:*"])] });
    expect(pick(failing(f))).toEqual([
      { severity: "exposed", node: undefined, resource: "main-backups", need: "bucket main-backups", field: "clusters[].backups" },
    ]);
  });

  it("yandex: a write grant where the nodes only read is exposed", () => {
    const f = yandexFixture();
    f.userData = new Map([...f.userData].map(([n, text]) => [n, text.replace(/wal-push/g, "wal-fetch")]));
    expect(pick(failing(f))).toEqual([
      { severity: "exposed", node: undefined, resource: "main-backups", need: "bucket read main-backups", field: "clusters[0].backups" },
    ]);
  });

  it("gcp: VMs without a service account", () => {
    const f = gcpFixture();
    delete resource(f, "gcp:compute/instance:Instance", "main-pg-1").inputs.serviceAccount;
    expect(pick(failing(f))).toEqual([
      { severity: "unmet", node: "main-pg-1", resource: undefined, need: "bucket write main-backups", field: "clusters[0].backups" },
    ]);
  });

  it("gcp: a read-only access scope caps a writer", () => {
    const f = gcpFixture();
    resource(f, "gcp:compute/instance:Instance", "main-pg-0").inputs.serviceAccount = {
      email: SA_EMAIL,
      scopes: ["https://www.googleapis.com/auth/devstorage.read_only"],
    };
    const found = failing(f);
    expect(pick(found)).toEqual([
      { severity: "unmet", node: "main-pg-0", resource: undefined, need: "bucket write main-backups", field: "clusters[0].backups" },
    ]);
    expect(found[0].message).toContain("access scopes");
  });

  it("gcp: objectViewer is not enough to archive WAL", () => {
    const f = gcpFixture();
    resource(f, "gcp:storage/bucketIAMMember:BucketIAMMember", "main-backups-main-backup").inputs.role = "roles/storage.objectViewer";
    expect(pick(failing(f)).map((x) => [x.node, x.need, x.field])).toEqual([
      ["main-pg-0", "bucket write main-backups", "clusters[0].backups"],
      ["main-pg-1", "bucket write main-backups", "clusters[0].backups"],
    ]);
  });

  it("gcp: a standby reading its source's bucket needs only objectViewer, and more is exposed", () => {
    const f = gcpFixture();
    f.userData = new Map([...f.userData].map(([n, text]) => [n, text.replace(/wal-push/g, "wal-fetch")]));
    expect(pick(failing(f))).toEqual([
      {
        severity: "exposed",
        node: undefined,
        resource: "main-backups-main-backup",
        need: "bucket read main-backups",
        field: "clusters[0].backups",
      },
    ]);
    resource(f, "gcp:storage/bucketIAMMember:BucketIAMMember", "main-backups-main-backup").inputs.role = "roles/storage.objectViewer";
    expect(failing(f)).toEqual([]);
  });

  it("gcp: a project-wide storage role is exposed", () => {
    const f = gcpFixture();
    f.plan.resources.push({
      ...resource(f, "gcp:serviceaccount/account:Account", "main-backup"),
      type: "gcp:projects/iAMMember:IAMMember",
      name: "project-storage",
      inputs: { project: "p", role: "roles/storage.admin", member: `serviceAccount:${SA_EMAIL}` },
    });
    expect(pick(failing(f))).toEqual([
      { severity: "exposed", node: undefined, resource: "project-storage", need: "bucket access", field: "clusters[0].backups" },
    ]);
  });
});

describe("ssh", () => {
  it("keys for the ops user but no admin source in the stack", () => {
    const f = yandexFixture();
    f.options.topology = topology({ adminCidrs: [] });
    const found = pick(failing(f));
    expect(found.filter((x) => x.severity === "unmet")).toEqual(
      ["main-pg-0", "main-pg-1"].map((node) => ({
        severity: "unmet",
        node,
        resource: undefined,
        need: "ssh for pgha",
        field: "platform.adminCidrs",
      })),
    );
    // The plan's rule for 192.0.2.0/24 is now undeclared: exposed.
    expect(found.filter((x) => x.severity === "exposed")).toEqual([
      { severity: "exposed", node: undefined, resource: "main-pg", need: "ssh", field: "platform.adminCidrs" },
    ]);
  });

  it("an admin source the security groups do not admit", () => {
    const f = gcpFixture();
    f.options.topology = topology({ adminCidrs: ["192.0.2.0/24", "198.51.100.7/32"] });
    const found = failing(f);
    expect(pick(found)).toEqual(
      ["main-pg-0", "main-pg-1"].map((node) => ({
        severity: "unmet",
        node,
        resource: undefined,
        need: "ssh for pgha",
        field: "platform.adminCidrs",
      })),
    );
    expect(found[0].message).toContain("198.51.100.7/32");
  });

  it("IAP's range counts when the stack asks for IAP", () => {
    const f = gcpFixture();
    f.options.topology = topology({ adminCidrs: [], iap: true });
    resource(f, GFW, "main-pg-ssh").inputs.sourceRanges = ["35.235.240.0/20"];
    expect(failing(f)).toEqual([]);
  });

  it("port 22 open to the internet is exposed", () => {
    const f = gcpFixture();
    resource(f, GFW, "main-haproxy-clients").inputs.allows = [{ protocol: "tcp", ports: ["5000", "5005", "22"] }];
    resource(f, GFW, "main-haproxy-clients").inputs.sourceRanges = ["10.0.1.0/24", "0.0.0.0/0"];
    const found = pick(failing(f));
    expect(found).toContainEqual({
      severity: "exposed",
      node: undefined,
      resource: "main-haproxy-clients",
      need: "ssh",
      field: "platform.adminCidrs",
    });
  });
});

describe("exposure", () => {
  // The finding for cluster main's load balancer when it is public but the stack did not say so.
  const UNDECLARED_PUBLIC_LB = {
    severity: "exposed",
    node: undefined,
    resource: "main",
    need: "internal load balancer",
    field: "clusters[0].loadBalancer.exposure",
  };

  it("yandex: an external NLB the stack did not declare public", () => {
    const f = yandexFixture();
    delete resource(f, "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer", "main").inputs.type;
    expect(pick(failing(f))).toEqual([UNDECLARED_PUBLIC_LB]);
  });

  it("gcp: an external forwarding rule; declared public, the direct port still needs publicDirect", () => {
    const f = gcpFixture();
    resource(f, "gcp:compute/forwardingRule:ForwardingRule", "main").inputs.loadBalancingScheme = "EXTERNAL";
    resource(f, "gcp:compute/regionBackendService:RegionBackendService", "main").inputs.loadBalancingScheme = "EXTERNAL";
    expect(pick(failing(f))).toEqual([UNDECLARED_PUBLIC_LB]);
    // Declared public: its clients (sourceRanges) must reach the targets through the passthrough NLB.
    f.options.topology = topology({}, { exposure: "public", sourceRanges: ["198.51.100.0/24"] });
    resource(f, GFW, "main-haproxy-clients").inputs.sourceRanges = [SUBNET, "198.51.100.0/24"];
    expect(pick(failing(f))).toEqual([
      {
        severity: "exposed",
        node: undefined,
        resource: "main",
        need: "no public direct port",
        field: "clusters[0].loadBalancer.publicDirect",
      },
    ]);
    f.options.topology = topology({}, { exposure: "public", sourceRanges: ["198.51.100.0/24"], publicDirect: true });
    expect(failing(f)).toEqual([]);
  });

  it("gcp: EXTERNAL_MANAGED (a public proxy) is public too", () => {
    const f = gcpFixture();
    resource(f, "gcp:compute/forwardingRule:ForwardingRule", "main").inputs.loadBalancingScheme = "EXTERNAL_MANAGED";
    expect(pick(failing(f))).toEqual([UNDECLARED_PUBLIC_LB]);
  });

  it("a VM with a public address", () => {
    const f = yandexFixture();
    const vm = resource(f, "yandex:index/computeInstance:ComputeInstance", "main-haproxy-0");
    (vm.inputs.networkInterfaces as Record<string, unknown>[])[0].nat = true;
    expect(pick(failing(f))).toEqual([
      { severity: "exposed", node: "main-haproxy-0", resource: "main-haproxy-0", need: "private address only", field: "platform.egress" },
    ]);
  });

  it("0.0.0.0/0 on PostgreSQL; a declared public sourceRange is not", () => {
    const f = yandexFixture();
    const sg = resource(f, YSG, "main-haproxy");
    (sg.inputs.ingresses as Record<string, unknown>[]).push({ protocol: "TCP", port: 5005, v4CidrBlocks: ["0.0.0.0/0"] });
    expect(pick(failing(f))).toEqual([
      {
        severity: "exposed",
        node: undefined,
        resource: "main-haproxy",
        need: "declared sources only",
        field: "clusters[0].loadBalancer.sourceRanges",
      },
    ]);
    (sg.inputs.ingresses as Record<string, unknown>[]).splice(-1, 1, {
      protocol: "TCP",
      fromPort: 5000,
      toPort: 5005,
      v4CidrBlocks: ["198.51.100.0/24"],
    });
    f.options.topology = topology({}, { exposure: "public", sourceRanges: ["198.51.100.0/24"] });
    resource(f, "yandex:index/lbNetworkLoadBalancer:LbNetworkLoadBalancer", "main").inputs.type = "external";
    expect(failing(f)).toEqual([]);
  });
});
