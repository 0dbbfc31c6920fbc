// What the composed stacks open, and to whom: SSH only for lib/ops from the admin sources,
// public listeners only where the stack says so, and each cluster's own bucket identity.
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { LAB_TYPES } from "../platform";
import type { FirewallRule } from "../platform/types";
import { composeTopology, EtcdCluster, Network, PatroniCluster } from ".";
import { loadStack, resolve } from "./testing";
import { useComponentMocks } from "./testMocks";

const rec = useComponentMocks();

async function compose(env: string, edit?: (raw: any) => void) {
  const { topology, cloud } = loadStack(env, edit);
  const stack = composeTopology(topology, cloud, rec.parent(`${env}-${Math.random()}`));
  const nodes = await resolve(stack.nodes);
  await rec.settled();
  return { stack, nodes };
}

/** Lab firewalls by name, with their rules. */
function labFirewalls(): Record<string, FirewallRule[]> {
  return Object.fromEntries(rec.ofType(LAB_TYPES.firewall).map((r) => [r.name, (r.inputs as { ingress: FirewallRule[] }).ingress]));
}

const OPS_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOps ops@example";

describe("SSH for lib/ops", () => {
  it("is closed everywhere when the stack configures no ops access", async () => {
    await compose("lab");
    for (const [name, rules] of Object.entries(labFirewalls()))
      expect(
        rules.filter((r) => r.ports.includes(22)),
        name,
      ).toEqual([]);
  });

  it("opens 22 on the Patroni nodes from exactly platform.adminCidrs, nowhere else", async () => {
    await compose("lab", (t) => {
      t.platform.sshKeys = [OPS_KEY];
      t.platform.adminCidrs = ["192.0.2.10/32"];
    });
    const withSsh = Object.entries(labFirewalls()).filter(([, rules]) => rules.some((r) => r.ports.includes(22)));
    expect(withSsh.map(([name]) => name).sort()).toEqual(["dr-pg", "main-pg"]);
    for (const [, rules] of withSsh) {
      const ssh = rules.filter((r) => r.ports.includes(22));
      expect(ssh).toEqual([expect.objectContaining({ name: "ssh", protocol: "tcp", ports: [22], from: { cidrs: ["192.0.2.10/32"] } })]);
    }
  });
});

describe("load balancer exposure", () => {
  const publicMain = (t: any) => {
    const main = t.clusters.find((c: any) => c.name === "main");
    main.loadBalancer = { enabled: true, exposure: "public", sourceRanges: ["198.18.0.0/24"], publicDirect: true };
  };

  it("internal by default: no firewall admits anything beyond the own subnets, client CIDRs and health checkers", async () => {
    const { topology } = loadStack("lab");
    const allowed = new Set([...topology.subnets.map((s) => s.cidr), ...topology.platform.clientCidrs]);
    await compose("lab");
    for (const [name, rules] of Object.entries(labFirewalls()))
      for (const r of rules) for (const c of r.from.cidrs ?? []) expect(allowed.has(c), `${name}/${r.name} admits ${c}`).toBe(true);
    for (const lb of rec.ofType(LAB_TYPES.loadBalancer))
      expect((lb.inputs as { exposure?: string }).exposure ?? "internal", lb.name).toBe("internal");
  });

  it("public: the HAProxy firewall admits exactly the declared sourceRanges on the published listener ports", async () => {
    await compose("lab", publicMain);
    const rules = labFirewalls()["main-haproxy"];
    const pub = rules.filter((r) => r.name === "public");
    expect(pub).toEqual([expect.objectContaining({ ports: [5000, 5001, 5005], from: { cidrs: ["198.18.0.0/24"] } })]);
    // No other firewall opens to the public range.
    for (const [name, list] of Object.entries(labFirewalls()))
      if (name !== "main-haproxy") for (const r of list) expect(r.from.cidrs ?? [], `${name}/${r.name}`).not.toContain("198.18.0.0/24");
    const lb = rec.ofType(LAB_TYPES.loadBalancer).find((r) => r.name === "main")?.inputs as { exposure: string; sourceRanges: string[] };
    expect(lb).toMatchObject({ exposure: "public", sourceRanges: ["198.18.0.0/24"] });
  });

  it("public without publicDirect leaves the direct (replication-capable) listener off the load balancer and the firewall", async () => {
    await compose("lab", (t) => {
      const main = t.clusters.find((c: any) => c.name === "main");
      main.loadBalancer = { enabled: true, exposure: "public", sourceRanges: ["198.18.0.0/24"] };
      // The lab's standby streams through main's direct port; without it, it cannot follow.
      t.clusters = t.clusters.filter((c: any) => !c.standby);
    });
    const lb = rec.ofType(LAB_TYPES.loadBalancer).find((r) => r.name === "main")?.inputs as { listeners: { name: string }[] };
    expect(lb.listeners.map((l) => l.name)).toEqual(["primary", "replicas"]);
    expect(labFirewalls()["main-haproxy"].find((r) => r.name === "public")?.ports).toEqual([5000, 5001]);
  });
});

describe("exposure on components built one by one", () => {
  it("a PatroniCluster with a public load balancer and no sourceRanges fails naming the field, before it registers anything", async () => {
    const parent = { parent: rec.parent("public-no-sources") };
    const network = new Network(
      "n",
      { platform: { kind: "local" }, regions: [{ name: "r", zones: ["a"] }], subnets: [{ name: "s", region: "r", cidr: "10.0.0.0/24" }] },
      parent,
    );
    const etcd = new EtcdCluster("e", { network }, parent);
    await rec.settled();
    const before = rec.resources.length;
    expect(() => new PatroniCluster("db", { network, etcd, region: "r", loadBalancer: { exposure: "public" } }, parent)).toThrow(
      /loadBalancer\.sourceRanges: exposure: public needs sourceRanges/,
    );
    await rec.settled();
    expect(rec.resources.length).toBe(before);
  });
});

/** Mocks see secret inputs as `{ <sig>: ..., value }`. */
const unwrap = (v: any): any => (v && typeof v === "object" && "value" in v && Object.keys(v).some((k) => k.length === 32) ? v.value : v);

describe("identities on GCP (gcp-dr)", () => {
  it("gives each role of each cluster its own account; the cluster reads/writes its bucket, the standby reads the source's", async () => {
    const { nodes } = await compose("gcp-dr");
    const accounts = rec.ofType("gcp:serviceaccount/account:Account");
    expect(accounts.map((a) => a.name).sort()).toEqual([
      "dr-haproxy",
      "dr-patroni",
      "gcpdr-etcd",
      "gcpdr-europe-west4-etcd",
      "main-haproxy",
      "main-patroni",
    ]);
    const email = (name: string) =>
      rec.ofType("gcp:serviceaccount/account:Account").find((a) => a.name === name)?.inputs as { accountId: string };
    expect(email("main-patroni").accountId).toBeTruthy();

    const grants = rec
      .ofType("gcp:storage/bucketIAMMember:BucketIAMMember")
      .map((g) => g.inputs as { bucket: string; role: string; member: string });
    expect(grants).toHaveLength(2);
    const [rw, ro] = [grants.find((g) => g.member.includes("main-patroni")), grants.find((g) => g.member.includes("dr-patroni"))];
    expect(rw?.role).toMatch(/^roles\/storage\.object(User|Admin)$/);
    expect(ro?.role).toBe("roles/storage.objectViewer");
    expect(rw?.bucket).toBe(ro?.bucket);
    // Nothing project-wide.
    expect(rec.resources.filter((r) => /projectIamMember|ProjectIAM/i.test(r.type))).toEqual([]);

    // The VMs of each role run as its account (clients, which hold no secret, as none).
    const instances = rec.ofType("gcp:compute/instance:Instance").map((r) => ({ name: r.name, sa: (r.inputs as any).serviceAccount }));
    for (const i of instances) {
      const role = /^(main|dr)-pg-/.test(i.name)
        ? `${i.name.split("-")[0]}-patroni`
        : /-haproxy-/.test(i.name)
          ? i.name.replace(/-\d+$/, "")
          : /-etcd-/.test(i.name)
            ? i.name.replace(/-\d+$/, "")
            : undefined;
      if (role) expect(i.sa?.email, i.name).toBe(`${email(role).accountId}@test.iam.gserviceaccount.com`);
      else expect(i.sa, i.name).toBeUndefined();
    }
    // Each node's secret is readable by its role's account only, with the least role that reads a payload.
    const readers = rec.ofType("gcp:secretmanager/secretIamMember:SecretIamMember").map((r) => r.inputs as Record<string, string>);
    expect(readers.find((r) => r.secretId === "main-pg-0-secrets")).toMatchObject({
      role: "roles/secretmanager.secretAccessor",
      member: `serviceAccount:${email("main-patroni").accountId}@test.iam.gserviceaccount.com`,
    });
    expect(readers.filter((r) => r.secretId === "main-pg-0-secrets")).toHaveLength(1);
    // The standby's restore_command reads the source's archive.
    const dr = nodes.find((n) => n.name === "dr-pg-0");
    expect(dr?.userData).toContain("main-backups");
  });
});

describe("identities on Yandex (yc-homework)", () => {
  it("no folder-wide role; WAL-G uses its own account's static key, fetched from the node's Lockbox secret", async () => {
    const { nodes } = await compose("yc-homework");
    expect(rec.ofType("yandex:index/resourcemanagerFolderIamMember:ResourcemanagerFolderIamMember")).toEqual([]);
    const accounts = rec.ofType("yandex:index/iamServiceAccount:IamServiceAccount").map((a) => a.name);
    expect(accounts.sort()).toEqual(["main-haproxy", "main-patroni", "yc-etcd"]);
    // Mock ids are `<name>-id`: the one key belongs to the cluster's own account.
    const keys = rec.ofType("yandex:index/iamServiceAccountStaticAccessKey:IamServiceAccountStaticAccessKey");
    expect(keys.map((k) => (k.inputs as { serviceAccountId: string }).serviceAccountId)).toEqual(["main-patroni-id"]);
    const ud = nodes.find((n) => n.name === "main-pg-0")?.userData ?? "";
    const walgFile = (parse(ud).write_files as { path: string; content: string }[]).find((f) => f.path === "/etc/wal-g/walg.json");
    const walg = JSON.parse(walgFile?.content ?? "{}");
    expect(walg.AWS_ACCESS_KEY_ID).toBe("PGHA_SECRET_BACKUP_S3_ACCESS_KEY_ID");
    expect(walg.AWS_SECRET_ACCESS_KEY).toBe("PGHA_SECRET_BACKUP_S3_SECRET_ACCESS_KEY");
    const version = rec.get("yandex:index/lockboxSecretVersion:LockboxSecretVersion", "main-pg-0-secrets").inputs as { entries: unknown };
    const entries = (unwrap(version.entries) as { key: string; textValue: string }[]).map((e) => [e.key, unwrap(e.textValue)]);
    expect(Object.fromEntries(entries)).toMatchObject({
      PGHA_SECRET_BACKUP_S3_ACCESS_KEY_ID: "YCAJEtestaccesskey",
      PGHA_SECRET_BACKUP_S3_SECRET_ACCESS_KEY: "YCtest-secret-key-value",
    });
    const binding = rec.get("yandex:index/lockboxSecretIamBinding:LockboxSecretIamBinding", "main-pg-0-secrets-readers").inputs;
    expect(binding).toMatchObject({
      secretId: "main-pg-0-secrets-id",
      role: "lockbox.payloadViewer",
      members: ["serviceAccount:main-patroni-id"],
    });
    const vm = rec.get("yandex:index/computeInstance:ComputeInstance", "main-pg-0").inputs as { serviceAccountId: string };
    expect(vm.serviceAccountId).toBe("main-patroni-id");
    expect(walg.WALG_S3_PREFIX).toMatch(/\/main$/);
  });
});
