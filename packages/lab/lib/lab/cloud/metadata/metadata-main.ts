// Entry of the lab's metadata + secret stand-in process:
//   metadata-main <plan dir> <address> <http port> [<https port> <tls dir>]
// started by `pgha lab up` inside the lab's fabric namespace (labMetadata.ts). HTTP serves the
// metadata endpoints (and the lab's own store); HTTPS, for a cloud plan, serves its store's API
// with the certificate in <tls dir> (server.pem, server.key). It reads the plan's grants once;
// each secret's file is read per request, so a re-synthesized secret is served as is.
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readSynthPlan } from "../../../synth/plan";
import { readSecretFile } from "../../../synth/secretFiles";
import { metadataAccessPlan } from "./accessPlan";
import { METADATA_READY_LINE, createMetadataHandler } from "./metadataServer";

function listen(server: ReturnType<typeof createServer>, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => resolve());
  });
}

async function main(argv: string[]): Promise<void> {
  const [planDir, address, portText, tlsPortText, tlsDir] = argv;
  if (!planDir || !address || !portText) throw new Error("usage: metadata-main <plan dir> <address> <http port> [<https port> <tls dir>]");
  const plan = metadataAccessPlan(readSynthPlan(planDir));
  const handler = createMetadataHandler({
    plan,
    // Parsed and re-serialised: a file that is not the JSON synth wrote fails here, not in a node.
    readSecret: (file) => JSON.stringify(readSecretFile(planDir, file)),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  const servers = [createServer(handler)];
  await listen(servers[0], Number(portText), address);
  if (tlsPortText && tlsDir) {
    const tls = createTlsServer({ cert: readFileSync(join(tlsDir, "server.pem")), key: readFileSync(join(tlsDir, "server.key")) }, handler);
    servers.push(tls);
    await listen(tls, Number(tlsPortText), address);
  }
  const n = Object.keys(plan.secrets).length;
  const ports = tlsPortText && tlsDir ? `${portText} (http) and ${tlsPortText} (https)` : portText;
  console.log(`${METADATA_READY_LINE} on ${address}:${ports}, ${plan.store} store (${n} secret(s) of ${join(planDir, "plan.json")})`);
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => process.exit(0));
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(`metadata stand-in: ${e.message}`);
  process.exit(1);
});
