/**
 * Runs one program (an example from the repository, copied in by the test) under mocks and prints
 * one line: `RESULT <json>` with its resolved exports, the resource types it registered, and how
 * many modules of each cloud SDK were loaded.
 */
import * as pulumi from "@pulumi/pulumi";
import { registered } from "./mocks";

function resolve(value: unknown): Promise<unknown> {
  const output = pulumi.output(value) as pulumi.Output<unknown>;
  return new Promise((done) => output.apply((v) => done(v)));
}

async function main(): Promise<void> {
  const name = process.argv[2];
  let exports: Record<string, unknown> = {};
  let error: string | undefined;
  try {
    exports = (await import(`./${name}`)) as Record<string, unknown>;
  } catch (e) {
    error = `${(e as Error).name}: ${(e as Error).message}`;
  }
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exports)) if (key !== "default") outputs[key] = await resolve(value);
  // Let resources registered after the last export settle.
  await new Promise((r) => setTimeout(r, 200));
  const loaded = Object.keys(require.cache);
  const count = (re: RegExp) => loaded.filter((k) => re.test(k)).length;
  const types: Record<string, number> = {};
  for (const r of registered) types[r.type] = (types[r.type] ?? 0) + 1;
  const result = {
    error,
    outputs,
    types,
    modules: {
      gcp: count(/[\\/]@pulumi[\\/]gcp[\\/]/),
      kubernetes: count(/[\\/]@pulumi[\\/]kubernetes[\\/]/),
      tsx: count(/[\\/]tsx[\\/]/),
    },
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

void main();
