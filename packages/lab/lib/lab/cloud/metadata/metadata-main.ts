// Entry of the lab's metadata + secret stand-in process: `metadata-main <plan dir> <address> <port>`,
// started by `pgha lab up` inside the lab's fabric namespace (labMetadata.ts). It reads the plan's
// grants once; each secret's file is read per request, so a re-synthesized secret is served as is.
import { createServer } from "node:http";
import { join } from "node:path";
import { readSynthPlan } from "../../../synth/plan";
import { readSecretFile } from "../../../synth/secretFiles";
import { metadataAccessPlan } from "./accessPlan";
import { METADATA_READY_LINE, createMetadataHandler } from "./metadataServer";

function main(argv: string[]): void {
  const [planDir, address, portText] = argv;
  if (!planDir || !address || !portText) throw new Error("usage: metadata-main <plan dir> <address> <port>");
  const plan = metadataAccessPlan(readSynthPlan(planDir));
  const handler = createMetadataHandler({
    plan,
    // Parsed and re-serialised: a file that is not the JSON synth wrote fails here, not in a node.
    readSecret: (file) => JSON.stringify(readSecretFile(planDir, file)),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  const server = createServer(handler);
  server.on("error", (e) => {
    console.error(`metadata stand-in: ${e.message}`);
    process.exit(1);
  });
  server.listen(Number(portText), address, () => {
    const n = Object.keys(plan.secrets).length;
    console.log(`${METADATA_READY_LINE} on ${address}:${portText} (${n} secret(s) of ${join(planDir, "plan.json")})`);
  });
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => server.close(() => process.exit(0)));
}

main(process.argv.slice(2));
