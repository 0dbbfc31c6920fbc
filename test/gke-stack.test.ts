/**
 * Component test: the GKE example program (examples/gke-patroni-standby) run against
 * stacks/Pulumi.gke-dr.yaml with Pulumi's mocks (no CLI, no cloud). Asserts the resource
 * graph, the inputs that matter, secrets, and the cross-region standby wiring.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { deployPatroniOnKubernetes } from "../packages/pgha/lib/platform/gke/patroni";
import { PATRONI_RBAC_RULES } from "../packages/pgha/lib/kubernetes/rbac";
import { spiloReadsEnv } from "../packages/pgha/lib/kubernetes/spiloEnvironment";
import { gkeStack, gkeStackConfig, installGkeMocks, isSecretEnvelope, type RecordedResource, resolve } from "./gke-fixtures";
import { validateManifest } from "./gke-kubernetesModels";

type Program = typeof import("../examples/gke-patroni-standby/index");
let recorded: RecordedResource[] = [];
let program: Program;
let urns: string[] = [];
const options = new Map<string, pulumi.ResourceOptions>();

beforeAll(async () => {
  const cfg = gkeStackConfig();
  pulumi.runtime.setAllConfig({
    "pgha:topology": JSON.stringify(cfg["pgha:topology"]),
    "pgha:gke": JSON.stringify(cfg["pgha:gke"]),
    "gcp:project": String(cfg["gcp:project"]),
  });
  recorded = await installGkeMocks("pgha-gke-dr", "gke-dr");
  // Mocks never see resource options; a stack transformation (run in-process by the SDK) does.
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((a) => {
      options.set(`${a.type}::${a.name}`, a.opts);
      return undefined;
    });
    program = await import("../examples/gke-patroni-standby/index");
    return {};
  });
  await resolve(program.primaryAddresses as pulumi.Output<unknown>);
  await pulumi.runtime.disconnect();
  urns = [...(pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> }).resources.keys()];
});

const ofType = (type: string) => recorded.filter((r) => r.type === type);
const one = (type: string, name: string) => {
  const found = recorded.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return found[0] as RecordedResource & { inputs: Record<string, any> };
};
const urnOf = (type: string, name: string) => urns.find((u) => u.endsWith(`${type}::${name}`)) ?? "";
const env = (sts: { inputs: Record<string, any> }) =>
  new Map<string, any>(sts.inputs.spec.template.spec.containers[0].env.map((e: { name: string }) => [e.name, e]));

describe("GKE stack resource graph", () => {
  test("resource types and counts", () => {
    const counts = Object.fromEntries([...new Set(recorded.map((r) => r.type))].map((t) => [t, ofType(t).length]));
    expect(counts).toEqual({
      "pulumi:pulumi:Stack": 1,
      "pgha:index:GkeFoundation": 1,
      "pgha:index:KubernetesPatroniCluster": 1,
      "pgha:index:KubernetesStandbyCluster": 1,
      "gcp:compute/network:Network": 1,
      "gcp:compute/subnetwork:Subnetwork": 2,
      "gcp:compute/router:Router": 2,
      "gcp:compute/routerNat:RouterNat": 2,
      "gcp:compute/firewall:Firewall": 1,
      "gcp:container/cluster:Cluster": 2,
      "gcp:container/nodePool:NodePool": 2,
      "pulumi:providers:kubernetes": 2,
      "kubernetes:core/v1:Namespace": 2,
      "random:index/randomPassword:RandomPassword": 2,
      "random:index/randomId:RandomId": 2,
      "gcp:storage/bucket:Bucket": 2,
      "gcp:serviceaccount/account:Account": 2,
      "gcp:serviceaccount/iAMMember:IAMMember": 2,
      "gcp:storage/bucketIAMMember:BucketIAMMember": 3,
      "kubernetes:core/v1:Secret": 2,
      "kubernetes:core/v1:ServiceAccount": 2,
      "kubernetes:rbac.authorization.k8s.io/v1:Role": 2,
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": 2,
      "kubernetes:core/v1:Service": 6,
      "kubernetes:policy/v1:PodDisruptionBudget": 2,
      "kubernetes:apps/v1:StatefulSet": 2,
      "gcp:compute/instance:Instance": 2,
    });
  });

  test("children are parented to their components", () => {
    expect(urnOf("gcp:container/cluster:Cluster", "gkedr-europe-west1")).toContain(
      "pgha:index:GkeFoundation$gcp:container/cluster:Cluster",
    );
    expect(urnOf("kubernetes:apps/v1:StatefulSet", "main-postgres")).toContain(
      "pgha:index:KubernetesPatroniCluster$kubernetes:apps/v1:StatefulSet",
    );
    expect(urnOf("kubernetes:apps/v1:StatefulSet", "dr-postgres")).toContain(
      "pgha:index:KubernetesStandbyCluster$kubernetes:apps/v1:StatefulSet",
    );
    expect(urnOf("gcp:storage/bucket:Bucket", "main-backups")).toContain("pgha:index:KubernetesPatroniCluster$");
  });

  test("regional GKE clusters with Workload Identity and a separately managed node pool", () => {
    for (const region of ["europe-west1", "europe-west4"]) {
      const c = one("gcp:container/cluster:Cluster", `gkedr-${region}`);
      expect(c.inputs).toMatchObject({
        location: region,
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        networkingMode: "VPC_NATIVE",
        workloadIdentityConfig: { workloadPool: "pgha-demo.svc.id.goog" },
        releaseChannel: { channel: "REGULAR" },
        deletionProtection: true,
        ipAllocationPolicy: {
          clusterSecondaryRangeName: `ew${region.slice(-1)}-pods`,
          servicesSecondaryRangeName: `ew${region.slice(-1)}-services`,
        },
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false },
      });
      const pool = one("gcp:container/nodePool:NodePool", `gkedr-${region}-postgres`);
      expect(pool.inputs).toMatchObject({
        location: region,
        autoscaling: { minNodeCount: 1, maxNodeCount: 2 },
        nodeConfig: { machineType: "e2-standard-4", spot: false, workloadMetadataConfig: { mode: "GKE_METADATA" } },
      });
    }
  });

  test("the Kubernetes providers use a gke-gcloud-auth-plugin kubeconfig for their own cluster", () => {
    const p = one("pulumi:providers:kubernetes", "gkedr-europe-west4-k8s");
    const kubeconfig = parse(p.inputs.kubeconfig);
    expect(kubeconfig.users[0].user.exec).toMatchObject({ command: "gke-gcloud-auth-plugin", provideClusterInfo: true });
    expect(kubeconfig.clusters[0].cluster.server).toMatch(/^https:\/\/34\.0\.0\.\d+$/);
    expect(kubeconfig["current-context"]).toBe("gke_pgha-demo_europe-west4_gkedr-europe-west4");
  });

  test("each cluster's objects go to the GKE cluster of its region", () => {
    const providerOf = (type: string, name: string) => {
      const r = recorded.find((x) => x.type === type && x.name === name) as RecordedResource & { provider?: string };
      return r.provider ?? "";
    };
    expect(providerOf("kubernetes:apps/v1:StatefulSet", "main-postgres")).toContain("gkedr-europe-west1-k8s");
    expect(providerOf("kubernetes:apps/v1:StatefulSet", "dr-postgres")).toContain("gkedr-europe-west4-k8s");
    expect(providerOf("kubernetes:core/v1:Secret", "dr-credentials")).toContain("gkedr-europe-west4-k8s");
  });

  test("every Kubernetes object is valid against the Kubernetes API schemas", () => {
    const objects = recorded.filter((r) => r.type.startsWith("kubernetes:"));
    expect(objects).toHaveLength(20);
    for (const r of objects) {
      const inputs = structuredClone(r.inputs) as Record<string, any>;
      if (isSecretEnvelope(inputs.stringData)) inputs.stringData = inputs.stringData.value;
      validateManifest(inputs);
    }
  });

  test("RBAC is the minimal Role, bound to the pods' service account", () => {
    for (const name of ["main", "dr"]) {
      const role = one("kubernetes:rbac.authorization.k8s.io/v1:Role", `${name}-patroni`);
      expect(role.inputs.rules).toEqual(PATRONI_RBAC_RULES);
      expect(ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")).toHaveLength(0);
    }
  });

  test("every Spilo env var is one the image reads", () => {
    for (const name of ["main", "dr"])
      for (const n of env(one("kubernetes:apps/v1:StatefulSet", `${name}-postgres`)).keys()) expect(spiloReadsEnv(n), n).toBe(true);
  });
});

describe("backups without key files", () => {
  test("a bucket per cluster, written by its own GCP service account, bound to one Kubernetes service account", () => {
    const sorted = <T>(rows: T[][]) => rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(
      sorted(
        ofType("gcp:storage/bucket:Bucket").map((b) => [
          b.name,
          b.inputs.location,
          b.inputs.uniformBucketLevelAccess,
          b.inputs.forceDestroy,
        ]),
      ),
    ).toEqual([
      ["dr-backups", "EU", true, false],
      ["main-backups", "EU", true, false],
    ]);
    const wi = sorted(
      ofType("gcp:serviceaccount/iAMMember:IAMMember").map((m) => [m.inputs.member, m.inputs.role, m.inputs.serviceAccountId]),
    );
    expect(wi).toEqual([
      [
        "serviceAccount:pgha-demo.svc.id.goog[pgha/dr-postgres]",
        "roles/iam.workloadIdentityUser",
        "projects/pgha-demo/serviceAccounts/gkedr-dr-pg",
      ],
      [
        "serviceAccount:pgha-demo.svc.id.goog[pgha/main-postgres]",
        "roles/iam.workloadIdentityUser",
        "projects/pgha-demo/serviceAccounts/gkedr-main-pg",
      ],
    ]);
    const grants = sorted(
      ofType("gcp:storage/bucketIAMMember:BucketIAMMember").map((m) => [m.name, m.inputs.role, m.inputs.bucket, m.inputs.member]),
    );
    expect(grants).toEqual([
      // The standby reads (only reads) its source's archive.
      [
        "gkedr-dr-pg-archive-reader-0",
        "roles/storage.objectViewer",
        "main-backups-7f3a",
        "serviceAccount:gkedr-dr-pg@pgha-demo.iam.gserviceaccount.com",
      ],
      [
        "gkedr-dr-pg-archive-writer",
        "roles/storage.objectAdmin",
        "dr-backups-7f3a",
        "serviceAccount:gkedr-dr-pg@pgha-demo.iam.gserviceaccount.com",
      ],
      [
        "gkedr-main-pg-archive-writer",
        "roles/storage.objectAdmin",
        "main-backups-7f3a",
        "serviceAccount:gkedr-main-pg@pgha-demo.iam.gserviceaccount.com",
      ],
    ]);
    const sa = one("kubernetes:core/v1:ServiceAccount", "main-sa");
    expect(sa.inputs.metadata.annotations).toEqual({ "iam.gke.io/gcp-service-account": "gkedr-main-pg@pgha-demo.iam.gserviceaccount.com" });
    const mainEnv = env(one("kubernetes:apps/v1:StatefulSet", "main-postgres"));
    expect(mainEnv.get("WALE_GS_PREFIX").value).toBe("gs://main-backups-7f3a/pgha/main/17");
    expect(mainEnv.has("GOOGLE_APPLICATION_CREDENTIALS")).toBe(false);
  });
});

describe("secrets", () => {
  test("passwords and keys reach Kubernetes only inside the Secret, as Pulumi secrets", () => {
    for (const name of ["main", "dr"]) {
      const s = one("kubernetes:core/v1:Secret", `${name}-credentials`);
      expect(isSecretEnvelope(s.inputs.stringData)).toBe(true);
    }
    const drSecret = one("kubernetes:core/v1:Secret", "dr-credentials").inputs.stringData.value;
    // The standby is a physical copy: it uses its source's passwords and reads the source's archive with its key.
    expect(Object.keys(drSecret).sort()).toEqual([
      "replication-password",
      "source-walg-libsodium-key",
      "superuser-password",
      "walg-libsodium-key",
    ]);
    expect(drSecret["superuser-password"]).toBe("pw-main-superuser-password-with/slash");
    expect(drSecret["replication-password"]).toBe("pw-main-replication-password-with/slash");
    const leaks = recorded
      .filter((r) => !r.type.startsWith("random:") && r.type !== "kubernetes:core/v1:Secret")
      .filter((r) => JSON.stringify(r.inputs).includes("pw-main-"));
    expect(leaks.map((r) => r.name)).toEqual([]);
  });

  test("no superuser connection string is a stack output (GKE has no application role to export yet)", () => {
    expect(Object.keys(program)).not.toContain("connectionStrings");
  });
});

describe("cross-region standby", () => {
  test("the standby streams from the source's load balancer address through the source's slot", async () => {
    const primaries = await resolve<Record<string, string>>(program.primaryAddresses);
    const drEnv = env(one("kubernetes:apps/v1:StatefulSet", "dr-postgres"));
    expect(drEnv.get("STANDBY_HOST").value).toBe(primaries.main);
    expect(drEnv.get("STANDBY_PORT").value).toBe("5432");
    const mainEnv = env(one("kubernetes:apps/v1:StatefulSet", "main-postgres"));
    const slots = parse(mainEnv.get("SPILO_CONFIGURATION").value).bootstrap.dcs.slots;
    expect(slots[drEnv.get("STANDBY_PRIMARY_SLOT_NAME").value]).toEqual({ type: "physical" });
    expect(drEnv.get("STANDBY_WALE_GS_PREFIX").value).toBe(mainEnv.get("WALE_GS_PREFIX").value);
  });

  test("the source's primary LB is internal, reachable from the standby's region", () => {
    const svc = one("kubernetes:core/v1:Service", "main-primary");
    expect(svc.inputs.spec.type).toBe("LoadBalancer");
    expect(svc.inputs.metadata.annotations["networking.gke.io/internal-load-balancer-allow-global-access"]).toBe("true");
    expect(svc.inputs.spec.loadBalancerSourceRanges).toEqual(expect.arrayContaining(["10.161.0.0/24", "10.72.0.0/14"]));
  });

  test("a client VM per region, each knowing both clusters' load balancers", async () => {
    const primaries = await resolve<Record<string, string>>(program.primaryAddresses);
    const vms = ofType("gcp:compute/instance:Instance");
    expect(vms.map((v) => [v.name, v.inputs.zone])).toEqual([
      ["gkedr-client-0", "europe-west1-b"],
      ["gkedr-client-1", "europe-west4-a"],
    ]);
    for (const vm of vms) {
      const userData = parse((vm.inputs as Record<string, any>).metadata["user-data"]);
      // Debian 13's psql is 17, as the clusters' PostgreSQL.
      expect((vm.inputs as Record<string, any>).bootDisk.initializeParams.image).toBe("debian-cloud/debian-13");
      expect(userData.packages).toEqual(["postgresql-client"]);
      const conf = userData.write_files[0].content as string;
      expect(conf).toContain(`[main]\nhost=${primaries.main}\nport=5432`);
      expect(conf).toContain(`[dr]\nhost=${primaries.dr}\n`);
      expect(conf).toContain("[dr-replicas]");
    }
  });
});

describe("deployPatroniOnKubernetes refuses incomplete wiring before creating anything", () => {
  const { topology } = gkeStack();
  const [main, dr] = topology.clusters;
  const parent = () => new pulumi.ComponentResource("pgha:test:Parent", `p${Math.random().toString(36).slice(2)}`);
  const provider = {} as pulumi.ProviderResource;
  const passwords = { superuser: "a", replication: "b" };

  test("an encrypted archive needs its key", () => {
    expect(() =>
      deployPatroniOnKubernetes(parent(), { cluster: main, provider, namespace: "pgha", passwords, backups: { bucket: "b", path: "p" } }),
    ).toThrow(/backups.encrypt is on: pass backups.encryptionKey/);
  });

  test("backups in the spec need a bucket", () => {
    expect(() => deployPatroniOnKubernetes(parent(), { cluster: main, provider, namespace: "pgha", passwords })).toThrow(/no archive/);
  });

  test("a standby spec needs its source wiring", () => {
    expect(() =>
      deployPatroniOnKubernetes(parent(), {
        cluster: dr,
        provider,
        namespace: "pgha",
        passwords,
        backups: { bucket: "b", path: "p", encryptionKey: "k" },
      }),
    ).toThrow(/is a standby cluster/);
  });
});

describe("resource options", () => {
  const opt = (type: string, name: string) => {
    const o = options.get(`${type}::${name}`);
    expect(o, `${type} ${name}`).toBeDefined();
    return o as pulumi.CustomResourceOptions;
  };
  const urnsOf = (deps: unknown) =>
    Promise.all(([] as pulumi.Resource[]).concat((deps as pulumi.Resource[]) ?? []).map((d) => resolve(d.urn)));

  test("backup buckets survive `pulumi destroy`", () => {
    for (const name of ["main-backups", "dr-backups"])
      expect(opt("gcp:storage/bucket:Bucket", name)).toMatchObject({ protect: true, retainOnDelete: true });
  });

  test("the StatefulSet waits for readiness, keeps its volume templates and starts after RBAC, Secret and Workload Identity", async () => {
    const o = opt("kubernetes:apps/v1:StatefulSet", "dr-postgres");
    expect(o.ignoreChanges).toEqual(["spec.volumeClaimTemplates"]);
    expect(o.customTimeouts).toEqual({ create: "30m", update: "30m" });
    const deps = await urnsOf(o.dependsOn);
    for (const t of [
      "kubernetes:core/v1:Namespace",
      "gcp:serviceaccount/iAMMember:IAMMember::gkedr-dr-pg-workload-identity",
      "gcp:storage/bucketIAMMember:BucketIAMMember::gkedr-dr-pg-archive-reader-0",
      "kubernetes:core/v1:Secret::dr-credentials",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::dr-patroni",
    ])
      expect(
        deps.some((u) => u.includes(t)),
        t,
      ).toBe(true);
  });

  test("bootstrap passwords in the Secret are never rewritten (a promoted standby keeps its source's)", () => {
    expect(opt("kubernetes:core/v1:Secret", "dr-credentials").ignoreChanges).toEqual([
      'stringData["superuser-password"]',
      'stringData["replication-password"]',
    ]);
  });

  test("client VMs ignore later user-data; node pools leave the node count to the autoscaler", () => {
    expect(opt("gcp:compute/instance:Instance", "gkedr-client-0").ignoreChanges).toEqual(['metadata["user-data"]']);
    expect(opt("gcp:container/nodePool:NodePool", "gkedr-europe-west1-postgres").ignoreChanges).toEqual(["initialNodeCount"]);
  });

  test("workloads wait for their node pool through the provider", async () => {
    const deps = await urnsOf(opt("pulumi:providers:kubernetes", "gkedr-europe-west1-k8s").dependsOn);
    expect(deps).toEqual([expect.stringContaining("gcp:container/nodePool:NodePool::gkedr-europe-west1-postgres")]);
  });
});
