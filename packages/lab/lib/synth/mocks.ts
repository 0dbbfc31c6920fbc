/**
 * Pulumi mocks for `pgha synth`: run the real program in-process, without the Pulumi CLI or
 * any cloud, and get back outputs good enough for the lab to boot — deterministic passwords,
 * real ECDSA P-256 keys and real X.509 certificates — plus a record of every registered resource.
 *
 * Everything invented is derived from `seed` (default `<project>/<stack>`) and the resource
 * name, so the same stack synthesizes byte-identical output.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  type CertificateClock,
  type CertRequestInput,
  certRequest,
  type LocallySignedCertInput,
  locallySignedCert,
  type SelfSignedCertInput,
  selfSignedCert,
} from "./certificates";
import { cloudState } from "./cloudOutputs";
import { derive32 } from "./derive";
import { ecdsaP256KeyOutputs } from "./keys";
import { deriveInteger, deriveRandomId, deriveRandomString, deriveUuid, type RandomStringInputs } from "./random";
import { unwrapSecrets } from "./secretValues";
import { inputText } from "./inputText";

/** Certificates start here, not "now", so they are reproducible (see report: bump when it nears expiry). */
export const DEFAULT_NOT_BEFORE = new Date("2026-01-01T00:00:00Z");

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** URN of the parent (the root Stack for top-level resources); undefined for the Stack itself. */
  parentUrn?: string;
  /** Inputs as the provider receives them; secrets still wrapped (see secretValues.ts). */
  inputs: Record<string, unknown>;
  /** Resource options that change lifecycle, recorded only when set. */
  options: { protect?: true; retainOnDelete?: true; ignoreChanges?: string[] };
}

export interface SynthMocksOptions {
  seed: string;
  notBefore?: Date;
  /** The synthesized `pulumi up`'s clock: certificates due for renewal by then are renewed (default: notBefore, none are). */
  now?: Date;
}

type ResourceHandler = (name: string, inputs: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;

export class SynthMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  /** Every secret value the mocks generated; the plan writer scrubs each of them. */
  readonly generatedSecrets = new Set<string>();
  /** Provider functions the program called that the mocks do not model (answered with their inputs). */
  readonly unmodelledCalls = new Set<string>();
  /** Registration failures (e.g. a key algorithm the mocks cannot derive). */
  readonly errors: string[] = [];
  private readonly seed: string;
  private readonly clock: CertificateClock;
  private readonly handlers: Record<string, ResourceHandler>;

  constructor(options: SynthMocksOptions) {
    this.seed = options.seed;
    const notBefore = options.notBefore ?? DEFAULT_NOT_BEFORE;
    this.clock = { notBefore, now: options.now ?? notBefore };
    const password: ResourceHandler = (name, inputs) => {
      const result = deriveRandomString(this.seed, name, inputs as unknown as RandomStringInputs);
      this.generatedSecrets.add(result);
      return { ...inputs, result };
    };
    this.handlers = {
      "random:index/randomPassword:RandomPassword": password,
      "random:index/randomString:RandomString": (name, inputs) => ({
        ...inputs,
        result: deriveRandomString(this.seed, name, inputs as unknown as RandomStringInputs),
      }),
      "random:index/randomId:RandomId": (name, inputs) => ({
        ...inputs,
        ...deriveRandomId(this.seed, name, Number(inputs.byteLength), (inputs.prefix as string) ?? ""),
      }),
      "random:index/randomUuid:RandomUuid": (name, inputs) => ({ ...inputs, result: deriveUuid(this.seed, name) }),
      "random:index/randomInteger:RandomInteger": (name, inputs) => ({
        ...inputs,
        result: deriveInteger(this.seed, name, Number(inputs.min), Number(inputs.max)),
      }),
      "tls:index/privateKey:PrivateKey": (name, inputs) => {
        // The provider's default curve is P224: an ECDSA key without ecdsaCurve is not P-256.
        if (inputs.algorithm !== "ECDSA" || inputs.ecdsaCurve !== "P256") {
          const got =
            inputs.algorithm === "ECDSA"
              ? `ECDSA ${inputText(inputs.ecdsaCurve, "with the provider's default curve P224")}`
              : String(inputs.algorithm);
          throw new Error(`pgha synth derives only ECDSA P256 keys (algorithm "ECDSA", ecdsaCurve "P256"), got ${got}`);
        }
        const keys = ecdsaP256KeyOutputs(derive32(this.seed, "ecdsa-p256", name));
        for (const secret of [keys.privateKeyPem, keys.privateKeyPemPkcs8, keys.privateKeyOpenssh]) this.addSecretText(secret);
        return { ...inputs, ...keys };
      },
      "tls:index/selfSignedCert:SelfSignedCert": async (name, inputs) => ({
        ...inputs,
        keyAlgorithm: "ECDSA",
        ...(await selfSignedCert(this.seed, name, withPem(inputs, "privateKeyPem") as unknown as SelfSignedCertInput, this.clock)),
      }),
      "tls:index/certRequest:CertRequest": async (_name, inputs) => ({
        ...inputs,
        ...(await certRequest(withPem(inputs, "privateKeyPem") as unknown as CertRequestInput)),
      }),
      "tls:index/locallySignedCert:LocallySignedCert": async (name, inputs) => ({
        ...inputs,
        ...(await locallySignedCert(this.seed, name, withPem(inputs, "caPrivateKeyPem") as unknown as LocallySignedCertInput, this.clock)),
      }),
    };
  }

  async newResource(args: pulumi.runtime.MockResourceArgs): Promise<pulumi.runtime.MockResourceResult> {
    // Components reach the mocks too; they have no provider, so no id and no state.
    if (!args.custom) return { id: undefined, state: {} };
    const inputs = unwrapSecrets(args.inputs ?? {}) as Record<string, unknown>;
    const id = `${args.name}-id`;
    if (args.type === "pulumi:pulumi:StackReference") {
      return { id: inputText(inputs.name, args.name), state: { name: inputs.name, outputs: {}, secretOutputNames: [] } };
    }
    const handler = this.handlers[args.type];
    if (handler) {
      try {
        return { id, state: await handler(args.name, inputs) };
      } catch (err) {
        // Record and carry on with the inputs as state: throwing here would surface as one
        // unhandled rejection per output property; synth reports `errors` after the run.
        this.errors.push(`${args.type} ${args.name}: ${err instanceof Error ? err.message : String(err)}`);
        return { id, state: inputs };
      }
    }
    if (args.type.startsWith("command:")) return { id, state: { ...inputs, stdout: "", stderr: "" } };
    const { state, secrets } = cloudState(this.seed, args.type, args.name, inputs);
    for (const s of secrets) this.generatedSecrets.add(s);
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const inputs = (unwrapSecrets(args.inputs ?? {}) ?? {}) as Record<string, unknown>;
    switch (args.token) {
      case "pulumi:pulumi:getStack":
        return { stack: pulumi.getStack(), project: pulumi.getProject() };
      case "yandex:index/getComputeImage:getComputeImage":
        return {
          ...inputs,
          id: `image-${inputText(inputs.family ?? inputs.name, "unknown")}`,
          imageId: `image-${inputText(inputs.family ?? inputs.name, "unknown")}`,
        };
      case "gcp:compute/getImage:getImage": {
        const image = inputText(inputs.family ?? inputs.name, "unknown");
        return {
          ...inputs,
          name: image,
          selfLink: `https://www.googleapis.com/compute/v1/projects/${inputText(inputs.project, "pgha-synth")}/global/images/${image}`,
        };
      }
      default:
        // Answer with the inputs rather than failing: synth should still produce a plan, and
        // the summary lists these calls so nobody mistakes the echo for real data.
        this.unmodelledCalls.add(args.token);
        return { ...inputs };
    }
  }

  /** A private key in PEM: the whole text and each base64 line (in case it is re-wrapped or indented). */
  private addSecretText(pemText: string): void {
    this.generatedSecrets.add(pemText);
    for (const line of pemText.split("\n")) if (line.length >= 32 && !line.startsWith("-----")) this.generatedSecrets.add(line);
  }
}

/** Newer tls versions accept write-only `*Wo` key inputs; treat them like the plain ones. */
function withPem(inputs: Record<string, unknown>, key: string): Record<string, unknown> {
  return inputs[key] === undefined && inputs[`${key}Wo`] !== undefined ? { ...inputs, [key]: inputs[`${key}Wo`] } : inputs;
}

/** The slice of the mock monitor's gRPC request we read (protobuf getters). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): unknown;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getIgnorechangesList(): string[];
}
type Callback = (err: unknown, response: { getUrn(): string } | undefined) => void;
interface MonitorWithRegister {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
}

/**
 * Install the mocks and record every registration. `Mocks.newResource` is not told a
 * resource's parent or options, so we wrap the mock monitor's `registerResource`, which sees
 * the whole request, and record once the URN is known.
 */
export async function installSynthMocks(mocks: SynthMocks, project: string, stack: string): Promise<void> {
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorWithRegister | undefined;
  if (!monitor || typeof monitor.registerResource !== "function") {
    throw new Error("@pulumi/pulumi's mock monitor has no registerResource(); pgha synth needs updating for this SDK version");
  }
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (err || !response) {
        mocks.errors.push(`${req.getType()} ${req.getName()}: ${err instanceof Error ? err.message : String(err)}`);
      } else {
        const ignoreChanges = req.getIgnorechangesList();
        mocks.resources.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parentUrn: req.getParent() || undefined,
          inputs: pulumi.runtime.deserializeProperties(req.getObject() as Parameters<typeof pulumi.runtime.deserializeProperties>[0]),
          options: {
            ...(req.getProtect() ? { protect: true as const } : {}),
            ...(req.getRetainondelete() ? { retainOnDelete: true as const } : {}),
            ...(ignoreChanges.length ? { ignoreChanges: [...ignoreChanges] } : {}),
          },
        });
      }
      callback(err, response);
    });
}
