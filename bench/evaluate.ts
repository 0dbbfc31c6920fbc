/**
 * Benchmark (not a test): time to evaluate a 3-region GCP topology under Pulumi mocks, and the
 * same with 10x the nodes. Prints one line per case, side by side in one run.
 *   npx tsx bench/evaluate.ts [--runs 3]
 */
import { installComponentMocks, resolve } from "../packages/pgha/lib/components/testing";
import { composeTopology } from "../packages/pgha/lib/components";
import { parseTopology, type TopologyInput } from "../packages/pgha/lib/config";

const regions = ["europe-west1", "europe-west4", "us-central1"];

function topology(clustersPerRegion: number, nodesPerCluster: number): TopologyInput {
  return {
    name: "bench",
    platform: { kind: "gcp", project: "bench" },
    regions: regions.map((name) => ({ name, zones: ["b", "c", "d"].map((z) => `${name}-${z}`) })),
    subnets: regions.map((region, i) => ({ name: `s${i}`, region, cidr: `10.${50 + i}.0.0/20` })),
    clusters: regions.flatMap((region, r) =>
      Array.from({ length: clustersPerRegion }, (_, k) => ({
        name: `c${r}-${k}`,
        region,
        nodes: nodesPerCluster,
        addressBlock: r * clustersPerRegion + k,
        loadBalancer: { enabled: true },
      })),
    ),
  };
}

async function evaluate(input: TopologyInput): Promise<{ ms: number; nodes: number; resources: number }> {
  const rec = installComponentMocks();
  const start = process.hrtime.bigint();
  const stack = composeTopology(parseTopology(input), { project: "bench" }, rec.parent(`bench-${Date.now()}`));
  const nodes = await resolve(stack.nodes);
  await rec.settled(120_000);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, nodes: nodes.length, resources: rec.resources.length };
}

async function main() {
  const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 3;
  const cases: [string, TopologyInput][] = [
    ["3 regions x 1 cluster x 3 nodes", topology(1, 3)],
    ["10x nodes (3 regions x 7 clusters x 9 nodes)", topology(7, 9)],
  ];
  console.log(`case\tnodes\tresources\tmedian ms (of ${runs})`);
  for (const [name, input] of cases) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await evaluate(input));
    const ms = results.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(runs / 2)];
    console.log(`${name}\t${results[0].nodes}\t${results[0].resources}\t${ms.toFixed(0)}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
