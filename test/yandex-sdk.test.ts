import { YANDEX_SCHEMA_PATH } from "./support/yandexSchema";
/**
 * The local typed subset of @pulumi/yandex (sdks/yandex) against the bridged provider schema pgha keeps
 * as reference: names, tokens, nested types, required-ness, secrets, the parameterized-package
 * registration, the pinned versions, and the committed compiled output.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as yandex from "../packages/pgha/sdks/yandex/bin/index";
import ts from "typescript";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import * as versions from "../packages/pgha/sdks/yandex/versions";

const ROOT = path.resolve(__dirname, "..");
const SDK = path.join(ROOT, "packages", "pgha", "sdks", "yandex");
const SCHEMA_PATH = YANDEX_SCHEMA_PATH;

// ---------------------------------------------------------------- schema model

interface PropSpec {
  type?: string;
  $ref?: string;
  items?: PropSpec;
  additionalProperties?: PropSpec;
}
interface ObjectSpec {
  properties: Record<string, PropSpec>;
  required?: string[];
  language?: { nodejs?: { requiredOutputs?: string[] } };
}
interface ResourceSpec {
  inputProperties: Record<string, PropSpec>;
  properties: Record<string, PropSpec>;
  required?: string[];
  requiredInputs?: string[];
  stateInputs: { properties: Record<string, PropSpec> };
}
interface ProviderSchema {
  config: { variables: Record<string, PropSpec> };
  resources: Record<string, ResourceSpec>;
  types: Record<string, ObjectSpec>;
}

const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as ProviderSchema;

/** The resources the subset ships: module file name -> class name. */
const SUBSET: Record<string, string> = {
  computeDisk: "ComputeDisk",
  computeInstance: "ComputeInstance",
  computePlacementGroup: "ComputePlacementGroup",
  iamServiceAccount: "IamServiceAccount",
  iamServiceAccountStaticAccessKey: "IamServiceAccountStaticAccessKey",
  lbNetworkLoadBalancer: "LbNetworkLoadBalancer",
  lbTargetGroup: "LbTargetGroup",
  lockboxSecret: "LockboxSecret",
  lockboxSecretIamBinding: "LockboxSecretIamBinding",
  lockboxSecretVersion: "LockboxSecretVersion",
  resourcemanagerFolderIamMember: "ResourcemanagerFolderIamMember",
  storageBucket: "StorageBucket",
  vpcAddress: "VpcAddress",
  vpcGateway: "VpcGateway",
  vpcNetwork: "VpcNetwork",
  vpcRouteTable: "VpcRouteTable",
  vpcSecurityGroup: "VpcSecurityGroup",
  vpcSubnet: "VpcSubnet",
};
const tokenOf = (mod: string) => `yandex:index/${mod}:${SUBSET[mod]}`;
const typeToken = (name: string) => `yandex:index/${name}:${name}`;
const refName = (ref: string) => ref.split(":").pop() as string;

/** Sensitive attributes of the Terraform provider (v0.139.0); the reference schema has no secret flags. */
const SECRET_OUTPUTS: Record<string, string[]> = {
  iamServiceAccountStaticAccessKey: ["secretKey"],
  storageBucket: ["secretKey"],
};
const PROVIDER_SECRETS = ["storageSecretKey", "token", "ymqSecretKey"];

// ---------------------------------------------------------------- source model (TypeScript AST)

interface Member {
  name: string;
  optional: boolean;
  type: string;
}

function parseSource(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
}

function interfaces(sf: ts.SourceFile): Map<string, Member[]> {
  const out = new Map<string, Member[]>();
  sf.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    out.set(
      node.name.text,
      node.members.filter(ts.isPropertySignature).map((m) => ({
        name: (m.name as ts.Identifier).text,
        optional: m.questionToken !== undefined,
        type: m.type?.getText(sf) ?? "",
      })),
    );
  });
  return out;
}

interface ClassInfo {
  token?: string;
  outputs: Member[];
}

function classInfo(sf: ts.SourceFile, name: string): ClassInfo {
  const info: ClassInfo = { outputs: [] };
  sf.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || node.name?.text !== name) return;
    for (const m of node.members) {
      if (!ts.isPropertyDeclaration(m)) continue;
      const prop = (m.name as ts.Identifier).text;
      if (prop === "__pulumiType" && m.initializer && ts.isStringLiteral(m.initializer)) {
        info.token = m.initializer.text;
      } else if (m.modifiers?.some((x) => x.kind === ts.SyntaxKind.DeclareKeyword)) {
        const type = m.type?.getText(sf) ?? "";
        info.outputs.push({ name: prop, optional: /\|\s*undefined>$/.test(type), type });
      }
    }
  });
  return info;
}

/** The TypeScript type text must say what the schema says (reference name, array, map). */
function expectShape(where: string, spec: PropSpec, typeText: string, side: "inputs" | "outputs") {
  if (spec.$ref) expect(typeText, where).toContain(`${side}.${refName(spec.$ref)}`);
  if (spec.type === "array") {
    expect(typeText, where).toContain("[]");
    if (spec.items?.$ref) expect(typeText, where).toContain(`${side}.${refName(spec.items.$ref)}`);
  }
  if (spec.type === "object") expect(typeText, where).toContain("[key: string]");
  const prim: Record<string, string> = { string: "string", integer: "number", number: "number", boolean: "boolean" };
  if (spec.type && prim[spec.type]) expect(typeText, where).toContain(prim[spec.type]);
}

function checkMembers(
  where: string,
  members: Member[],
  specs: Record<string, PropSpec>,
  required: Set<string>,
  side: "inputs" | "outputs",
) {
  for (const m of members) {
    expect(specs, `${where}.${m.name} is not in the reference schema`).toHaveProperty([m.name]);
    expectShape(`${where}.${m.name}`, specs[m.name], m.type, side);
    expect(m.optional, `${where}.${m.name} optional?`).toBe(!required.has(m.name));
  }
  const declared = new Set(members.map((m) => m.name));
  for (const r of required) expect(declared.has(r), `${where} lacks required ${r}`).toBe(true);
}

// ---------------------------------------------------------------- declared names vs schema

describe("sdks/yandex declarations match the reference provider schema", () => {
  const inputTypes = interfaces(parseSource(path.join(SDK, "types", "input.ts")));
  const outputTypes = interfaces(parseSource(path.join(SDK, "types", "output.ts")));

  for (const [mod, cls] of Object.entries(SUBSET)) {
    it(`${cls}: token, Args, State and outputs`, () => {
      const token = tokenOf(mod);
      const spec = schema.resources[token];
      expect(spec, `${token} missing from the schema`).toBeDefined();
      const sf = parseSource(path.join(SDK, `${mod}.ts`));
      const ifs = interfaces(sf);
      const info = classInfo(sf, cls);
      expect(info.token).toBe(token);

      const args = ifs.get(`${cls}Args`);
      const state = ifs.get(`${cls}State`);
      expect(args).toBeDefined();
      expect(state).toBeDefined();
      checkMembers(`${cls}Args`, args ?? [], spec.inputProperties, new Set(spec.requiredInputs ?? []), "inputs");
      checkMembers(`${cls}State`, state ?? [], spec.stateInputs.properties, new Set(), "inputs");
      checkMembers(cls, info.outputs, spec.properties, new Set(spec.required ?? []), "outputs");
      // Every input is also an output property of the class.
      for (const a of args ?? []) expect(info.outputs.map((o) => o.name)).toContain(a.name);
    });
  }

  it("every nested input/output type is a schema type with schema property names", () => {
    expect(inputTypes.size).toBeGreaterThan(0);
    expect([...outputTypes.keys()].sort()).toEqual([...inputTypes.keys()].sort());
    for (const [name, members] of inputTypes) {
      const spec = schema.types[typeToken(name)];
      expect(spec, `${name} is not a schema type`).toBeDefined();
      checkMembers(`inputs.${name}`, members, spec.properties, new Set(spec.required ?? []), "inputs");
    }
    for (const [name, members] of outputTypes) {
      const spec = schema.types[typeToken(name)];
      expect(spec, `${name} is not a schema type`).toBeDefined();
      const required = new Set(
        [...(spec.required ?? []), ...(spec.language?.nodejs?.requiredOutputs ?? [])].filter((p) => p in spec.properties),
      );
      checkMembers(`outputs.${name}`, members, spec.properties, required, "outputs");
    }
  });

  it("every type the subset references is declared", () => {
    const referenced = new Set<string>();
    const visit = (p: PropSpec | undefined) => {
      if (!p) return;
      if (p.$ref) {
        const name = refName(p.$ref);
        if (referenced.has(name)) return;
        referenced.add(name);
        for (const q of Object.values(schema.types[typeToken(name)].properties)) visit(q);
      }
      visit(p.items);
      visit(p.additionalProperties);
    };
    for (const mod of Object.keys(SUBSET)) for (const p of Object.values(schema.resources[tokenOf(mod)].properties)) visit(p);
    expect([...inputTypes.keys()].sort()).toEqual([...referenced].sort());
  });

  it("Provider: token and config properties", () => {
    const sf = parseSource(path.join(SDK, "provider.ts"));
    const info = classInfo(sf, "Provider");
    expect(`pulumi:providers:${info.token}`).toBe("pulumi:providers:yandex");
    const args = interfaces(sf).get("ProviderArgs") ?? [];
    expect(args.length).toBeGreaterThan(0);
    checkMembers("ProviderArgs", args, schema.config.variables, new Set(), "inputs");
    for (const o of info.outputs) expect(schema.config.variables[o.name]?.type).toBe("string");
  });
});

// ---------------------------------------------------------------- runtime behaviour under mocks

/** A value for every property of a schema property, recursively (`path` keeps strings distinct). */
function sample(spec: PropSpec, where: string): unknown {
  if (spec.$ref) {
    const t = schema.types[spec.$ref.slice("#/types/".length)];
    return Object.fromEntries(Object.entries(t.properties).map(([k, v]) => [k, sample(v, `${where}.${k}`)]));
  }
  switch (spec.type) {
    case "string":
      return where;
    case "integer":
      return 7;
    case "number":
      return 1.5;
    case "boolean":
      return true;
    case "array":
      return [sample(spec.items as PropSpec, `${where}[0]`)];
    case "object":
      return { k: sample(spec.additionalProperties as PropSpec, `${where}.k`) };
    default:
      throw new Error(`unexpected schema type at ${where}: ${JSON.stringify(spec)}`);
  }
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** Mocks see secret inputs as {sig, value}; unwrap for comparisons. */
function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG] !== undefined) return unwrapSecrets(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

interface Registered {
  type: string;
  name: string;
  id: string;
  inputs: Record<string, unknown>;
}
interface MonitorRequest {
  getType(): string;
  getName(): string;
  getPackageref(): string;
  getAdditionalsecretoutputsList?(): string[];
}
interface PackageRequest {
  getName(): string;
  getVersion(): string;
  getDownloadUrl(): string;
  getParameterization(): { getName(): string; getVersion(): string; getValue(): Uint8Array };
}

const registered: Registered[] = [];
const resourceRequests: MonitorRequest[] = [];
const packageRequests: PackageRequest[] = [];

function settle<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

describe("sdks/yandex under pulumi.runtime.setMocks", () => {
  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => {
          registered.push({ type: a.type, name: a.name, id: a.id ?? "", inputs: a.inputs });
          return { id: a.id || `${a.name}_id`, state: a.inputs };
        },
        call: (a) => a.inputs,
      },
      "pgha",
      "yandex-sdk",
      false,
    );
    // Observe the requests the SDK sends (the mock monitor answers them as usual).
    const monitor = pulumi.runtime.getMonitor() as unknown as Record<string, (req: never, cb: never) => unknown>;
    for (const [method, sink] of [
      ["registerResource", resourceRequests],
      ["readResource", resourceRequests],
      ["registerPackage", packageRequests],
    ] as const) {
      const original = monitor[method].bind(monitor);
      monitor[method] = (req: never, cb: never) => {
        (sink as unknown[]).push(req);
        return original(req, cb);
      };
    }
    // The package reference is cached per deployment; start from an empty cache so the
    // registration request of this file is observed even if the worker ran other Pulumi tests.
    const state = createRequire(__filename)("@pulumi/pulumi/runtime/state") as { getPackageRefs(): Map<string, unknown> };
    state.getPackageRefs().clear();
  });

  for (const [mod, cls] of Object.entries(SUBSET)) {
    it(`${cls}: registers its token with every schema input, through the package reference`, async () => {
      const token = tokenOf(mod);
      const spec = schema.resources[token];
      const args = Object.fromEntries(Object.entries(spec.inputProperties).map(([k, v]) => [k, sample(v, `${cls}.${k}`)]));
      const Ctor = (
        yandex as unknown as Record<string, new (n: string, a: unknown, o?: pulumi.CustomResourceOptions) => pulumi.CustomResource>
      )[cls];
      const res = new Ctor(`full-${mod}`, args);
      expect((Ctor as unknown as { isInstance(o: unknown): boolean }).isInstance(res)).toBe(true);
      await settle(res.urn);

      const got = registered.find((r) => r.name === `full-${mod}`);
      expect(got?.type).toBe(token);
      expect(Object.keys(got?.inputs ?? {}).sort()).toEqual(Object.keys(spec.inputProperties).sort());
      expect(unwrapSecrets(got?.inputs)).toEqual(args);

      const req = resourceRequests.find((r) => r.getName() === `full-${mod}`);
      expect(req?.getType()).toBe(token);
      expect(req?.getPackageref()).toBe("mock-uuid");
      expect([...(req?.getAdditionalsecretoutputsList?.() ?? [])].sort()).toEqual(SECRET_OUTPUTS[mod] ?? []);

      // Outputs come back under the same property names.
      const first = Object.keys(spec.inputProperties)[0];
      expect(unwrapSecrets(await settle((res as unknown as Record<string, pulumi.Output<unknown>>)[first]))).toEqual(args[first]);
    });
  }

  it("registers the parameterized package once: terraform-provider + yandex-cloud/yandex", () => {
    expect(packageRequests).toHaveLength(1);
    const req = packageRequests[0];
    expect(req.getName()).toBe("terraform-provider");
    expect(req.getVersion()).toBe(versions.baseProviderVersion);
    expect(req.getDownloadUrl()).toBe("");
    const param = req.getParameterization();
    expect(param.getName()).toBe("yandex");
    expect(param.getVersion()).toBe(versions.packageVersion);
    expect(JSON.parse(Buffer.from(param.getValue()).toString("utf8"))).toEqual({
      remote: { url: "registry.opentofu.org/yandex-cloud/yandex", version: versions.packageVersion },
    });
  });

  it("secret inputs are wrapped: StorageBucket.secretKey", async () => {
    const b = new yandex.StorageBucket("secret-bucket", { bucket: "b", accessKey: "ak", secretKey: "sk" });
    expect(await pulumi.isSecret(b.secretKey)).toBe(true);
    expect(await pulumi.isSecret(b.accessKey)).toBe(false);
  });

  it("missing required inputs throw like generated code", () => {
    expect(() => new yandex.ComputeInstance("bad", {} as yandex.ComputeInstanceArgs)).toThrow("Missing required property 'bootDisk'");
    expect(() => new yandex.VpcSubnet("bad", { networkId: "n" } as yandex.VpcSubnetArgs)).toThrow(
      "Missing required property 'v4CidrBlocks'",
    );
  });

  it("get() reads by id with the resource token", async () => {
    const inst = yandex.ComputeInstance.get("existing", "fhm0123456789", { zone: "ru-central1-a" });
    await settle(inst.urn);
    const got = registered.find((r) => r.name === "existing");
    expect(got).toMatchObject({ type: "yandex:index/computeInstance:ComputeInstance", id: "fhm0123456789" });
    expect(resourceRequests.find((r) => r.getName() === "existing")?.getPackageref()).toBe("mock-uuid");
  });

  it("Provider registers as pulumi:providers:yandex with JSON-encoded non-strings and secret credentials", async () => {
    const config = Object.fromEntries(Object.entries(schema.config.variables).map(([k, v]) => [k, sample(v, `provider.${k}`)]));
    const p = new yandex.Provider("explicit", config);
    expect(yandex.Provider.isInstance(p)).toBe(true);
    await settle(p.urn);
    const got = registered.find((r) => r.name === "explicit");
    expect(got?.type).toBe("pulumi:providers:yandex");
    const inputs = unwrapSecrets(got?.inputs) as Record<string, unknown>;
    expect(Object.keys(inputs).sort()).toEqual(Object.keys(schema.config.variables).sort());
    expect(inputs.insecure).toBe("true");
    expect(inputs.maxRetries).toBe("7");
    expect(inputs.zone).toBe("provider.zone");
    for (const s of PROVIDER_SECRETS) expect(got?.inputs[s], `${s} is sent as a secret`).toHaveProperty([SECRET_SIG]);
    const req = resourceRequests.find((r) => r.getName() === "explicit");
    expect(req?.getPackageref()).toBe("mock-uuid");
    expect([...(req?.getAdditionalsecretoutputsList?.() ?? [])].sort()).toEqual(PROVIDER_SECRETS);

    const net = new yandex.VpcNetwork("via-explicit", { name: "n" }, { provider: p });
    await settle(net.urn);
    expect(registered.find((r) => r.name === "via-explicit")?.type).toBe("yandex:index/vpcNetwork:VpcNetwork");
  });
});

// ---------------------------------------------------------------- packaging

describe("sdks/yandex packaging", () => {
  const pkg = JSON.parse(readFileSync(path.join(SDK, "package.json"), "utf8"));

  it("package.json, versions.ts and Pulumi.yaml pin the same versions", () => {
    expect(pkg.name).toBe("@pulumi/yandex");
    expect(pkg.version).toBe(versions.packageVersion);
    expect(pkg.pulumi).toEqual({
      resource: true,
      name: versions.baseProviderName,
      version: versions.baseProviderVersion,
      parameterization: { name: versions.packageName, version: versions.packageVersion, value: versions.base64Parameter },
    });
    expect(Buffer.from(versions.base64Parameter, "base64").toString("utf8")).toBe(
      JSON.stringify({ remote: { url: versions.terraformProviderSource, version: versions.packageVersion } }),
    );
    const project = parseYaml(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    expect(project.packages?.yandex).toEqual({
      source: versions.baseProviderName,
      version: versions.baseProviderVersion,
      parameters: ["yandex-cloud/yandex", versions.packageVersion],
    });
    // pgha ships the subset inside its own package (imported by relative path, not as a dependency).
    const pgha = JSON.parse(readFileSync(path.join(ROOT, "packages", "pgha", "package.json"), "utf8"));
    expect(pgha.files).toEqual(
      expect.arrayContaining(["sdks/yandex/bin/**/*.js", "sdks/yandex/bin/**/*.d.ts", "sdks/yandex/bin/package.json"]),
    );
    expect(pgha.dependencies["@pulumi/yandex"]).toBeUndefined();
  });

  it("exports exactly the subset classes plus Provider and types", () => {
    expect(
      Object.keys(yandex)
        .filter((k) => k !== "default")
        .sort(),
    ).toEqual([...Object.values(SUBSET), "Provider", "types"].sort());
  });

  it("plain node can require it from pgha's package", () => {
    const out = execFileSync(
      process.execPath,
      [
        "-e",
        "const y = require('./packages/pgha/sdks/yandex/bin'); " +
          "console.log(y.VpcSubnet.__pulumiType + ' ' + require('./packages/pgha/sdks/yandex/bin/package.json').version)",
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(out.trim()).toBe(`yandex:index/vpcSubnet:VpcSubnet ${versions.packageVersion}`);
  });

  it("committed bin/ is the compiled output of the sources (run `npm run build` in sdks/yandex)", () => {
    const configPath = path.join(SDK, "tsconfig.json");
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        },
      },
    );
    if (!parsed) throw new Error("cannot parse sdks/yandex/tsconfig.json");
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
    const stale: string[] = [];
    let emitted = 0;
    program.emit(undefined, (fileName, text) => {
      emitted++;
      const committed = existsSync(fileName) ? readFileSync(fileName, "utf8") : undefined;
      if (committed !== text) stale.push(path.relative(SDK, fileName));
    });
    expect(emitted).toBeGreaterThan(0);
    expect(stale).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(SDK, "bin", "package.json"), "utf8"))).toEqual(pkg);
  }, 60_000);
});
