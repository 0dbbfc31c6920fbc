/**
 * Shared inputs for the GKE tests: the gke-dr stack file parsed exactly as the example
 * program parses it, and a Pulumi mock monitor that records every registered resource.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { parseTopology, type Topology } from "../packages/pgha/lib/config";
import type { KubernetesPatroniModel } from "../packages/pgha/lib/kubernetes/model";
import { planGke } from "../packages/pgha/lib/platform/gke/plan";
import { type GkeSettings, parseGkeSettings } from "../packages/pgha/lib/platform/gke/settings";

export const GKE_STACK_FILE = join(__dirname, "..", "stacks", "Pulumi.gke-dr.yaml");

export function gkeStackConfig(): Record<string, unknown> {
  return parse(readFileSync(GKE_STACK_FILE, "utf8")).config as Record<string, unknown>;
}

export function gkeStack(): { topology: Topology; gke: GkeSettings } {
  const config = gkeStackConfig();
  const topology = parseTopology(config["pgha:topology"]);
  return { topology, gke: parseGkeSettings(config["pgha:gke"], topology, "pgha:gke") };
}

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** Reference of the provider the resource was registered with (`<urn>::<id>`). */
  provider?: string;
}

/** Fake cloud state: what GKE, GCS and the LB controller would report back. */
function fakeState(type: string, name: string, inputs: Record<string, any>, n: number): Record<string, unknown> {
  switch (type) {
    case "gcp:container/cluster:Cluster":
      return { ...inputs, endpoint: `34.0.0.${n}`, masterAuth: { clusterCaCertificate: Buffer.from(`ca-${name}`).toString("base64") } };
    case "gcp:storage/bucket:Bucket":
      return { ...inputs, name: inputs.name ?? `${name}-7f3a` }; // Pulumi auto-naming adds a random suffix
    case "gcp:serviceaccount/account:Account":
      return {
        ...inputs,
        email: `${inputs.accountId}@pgha-demo.iam.gserviceaccount.com`,
        name: `projects/pgha-demo/serviceAccounts/${inputs.accountId}`,
      };
    case "kubernetes:core/v1:Service": {
      const lb = inputs.spec?.type === "LoadBalancer";
      return {
        ...inputs,
        spec: { ...inputs.spec, clusterIP: `10.68.0.${n}` },
        status: lb ? { loadBalancer: { ingress: [{ ip: `10.160.0.${100 + n}` }] } } : {},
      };
    }
    case "random:index/randomPassword:RandomPassword":
      return { ...inputs, result: `pw-${name}-with/slash` };
    case "random:index/randomId:RandomId":
      return { ...inputs, hex: "ab".repeat(32) };
    default:
      return inputs;
  }
}

export async function installGkeMocks(project: string, stack: string): Promise<RecordedResource[]> {
  const recorded: RecordedResource[] = [];
  let n = 0;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        n += 1;
        const state = fakeState(args.type, args.name, args.inputs, n);
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        return { id: `${args.name}-id`, state };
      },
      call(args) {
        return args.inputs;
      },
    },
    project,
    stack,
    false,
  );
  return recorded;
}

/** Resolve an Output in a test (mocks resolve everything, unknowns included). */
export function resolve<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((res) => o.apply((v) => res(v)));
}

/** Secret inputs arrive in the mock monitor wrapped in Pulumi's secret envelope. */
export const PULUMI_SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const PULUMI_SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretEnvelope(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[PULUMI_SECRET_SIG] === PULUMI_SECRET_VALUE;
}

/** The plain model the deploy layer would build for cluster `name` of the gke-dr stack. */
export function gkeModel(name: string, resolved: { gsa?: string; host?: string } = {}): KubernetesPatroniModel {
  const { topology, gke } = gkeStack();
  const plan = planGke(topology, gke);
  const p = plan.clusters.find((c) => c.spec.name === name);
  if (!p) throw new Error(`no cluster ${name}`);
  const source = p.standby ? plan.clusters.find((c) => c.spec.name === p.standby?.source) : undefined;
  return {
    cluster: p.spec,
    namespace: p.namespace,
    image: p.image,
    storageClass: p.storageClass,
    gcpServiceAccountEmail: resolved.gsa ?? `gkedr-${name}-pg@pgha-demo.iam.gserviceaccount.com`,
    permanentSlots: p.permanentSlots,
    requireTls: topology.tls.postgres,
    archive: p.archivePath
      ? { bucket: `${name}-backups-123`, path: p.archivePath, encrypted: p.spec.backups?.encrypt ?? false }
      : undefined,
    standby:
      p.standby && source
        ? {
            sourceCluster: source.spec,
            host: resolved.host ?? "10.160.0.50",
            port: source.spec.postgres.port,
            primarySlotName: p.standby.slot,
            sourceArchive: source.archivePath
              ? { bucket: `${source.spec.name}-backups-123`, path: source.archivePath, encrypted: true }
              : undefined,
          }
        : undefined,
    loadBalancer: p.loadBalancer,
  };
}
