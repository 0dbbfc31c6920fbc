/**
 * Mocks for component tests: the platform recorder plus stand-ins for random/tls outputs
 * (fixed, obviously fake PEM and passwords, so tests can find them in rendered files).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parseTopology, type Topology } from "../config";
import { type ComputedState, defaultComputedState, installMocks, type MockRecorder } from "../platform/testing";

export const FAKE_PASSWORD_PREFIX = "pw";

export const componentComputedState: ComputedState = (args) => {
  const out = defaultComputedState(args);
  const { type, name } = args;
  if (type === "random:index/randomPassword:RandomPassword") out.result = `${FAKE_PASSWORD_PREFIX}${name.replace(/[^A-Za-z0-9]/g, "")}`;
  if (type === "random:index/randomId:RandomId") out.hex = createHash("sha256").update(name).digest("hex");
  if (type === "tls:index/privateKey:PrivateKey")
    out.privateKeyPem = `-----BEGIN PRIVATE KEY-----\nKEY-${name}\n-----END PRIVATE KEY-----\n`;
  if (type === "tls:index/selfSignedCert:SelfSignedCert" || type === "tls:index/locallySignedCert:LocallySignedCert")
    out.certPem = `-----BEGIN CERTIFICATE-----\nCERT-${name}\n-----END CERTIFICATE-----\n`;
  if (type === "tls:index/certRequest:CertRequest") out.certRequestPem = `CSR-${name}`;
  return out;
};

export function installComponentMocks(): MockRecorder {
  return installMocks(componentComputedState);
}

/**
 * The validated topology of stacks/Pulumi.<env>.yaml plus its `pgha:cloud` settings;
 * `edit` changes the raw stack file's topology first, as a user editing it would.
 */
export function loadStack(env: string, edit?: (raw: any) => void): { topology: Topology; cloud: Record<string, unknown> } {
  const file = path.join(__dirname, "../../../../stacks", `Pulumi.${env}.yaml`);
  const doc = parse(fs.readFileSync(file, "utf8"));
  edit?.(doc.config["pgha:topology"]);
  return { topology: parseTopology(doc.config["pgha:topology"]), cloud: doc.config["pgha:cloud"] ?? {} };
}

/** Resolve an output under mocks, secret or not. */
export { valueOf as resolve } from "../platform/testing";
