/**
 * synthStack end to end on a small stand-in program (the real composeTopology is exercised by
 * its own tests and by `pgha synth` on stacks/): determinism, secret scrubbing, file modes,
 * what the plan records, and clean failures.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify as toYaml } from "yaml";
import { labTopologyInput } from "../../../../test/support/fixtures";
import { ConfigError, type Topology } from "pgha/config";
import type { PlanNode } from "pgha/components/plan";
import { derive32 } from "./derive";
import { ecdsaP256KeyOutputs } from "./keys";
import { readSynthPlan, type SynthPlan } from "./plan";
import { deriveRandomString, type RandomStringInputs } from "./random";
import { type ComposedOutputs, type ComposeFn, synthStack } from "./synth";

const tmp = mkdtempSync(join(tmpdir(), "pgha-synth-"));
const stackFile = join(tmp, "Pulumi.lab.yaml");
/** The stand-in's certificates: two years (the TLS schema's own lifetime fields are another test's business). */
const STAND_IN_VALIDITY_HOURS = 24 * 730;
const stackText = toYaml({ config: { "pgha:topology": labTopologyInput() } });

class Cluster extends pulumi.ComponentResource {
  constructor(name: string) {
    super("pgha:index:PatroniCluster", name, {}, {});
  }
  done(): void {
    this.registerOutputs({});
  }
}

/** Any custom resource type token (the mocks need no provider). */
class Raw extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}

/**
 * Stand-in for composeTopology: per cluster a component with two passwords, an ECDSA P-256 CA,
 * and per node a key + certificate, a lab VM whose user-data embeds a password and the key,
 * a GCP-style VM with `metadata["user-data"]`, a disk with lifecycle options, and a command
 * whose script embeds a password WITHOUT marking it secret.
 */
const standInCompose: ComposeFn = (t: Topology): ComposedOutputs => {
  const nodes: pulumi.Output<PlanNode>[] = [];
  t.clusters.forEach((c, ci) => {
    const parent = new Cluster(c.name);
    const superuser = new random.RandomPassword(`${c.name}-superuser`, { length: 32, special: false }, { parent });
    const replication = new random.RandomPassword(
      `${c.name}-replication`,
      { length: 24, minSpecial: 3, overrideSpecial: "!#%" },
      { parent },
    );
    const caKey = new tls.PrivateKey(`${c.name}-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
    const ca = new tls.SelfSignedCert(
      `${c.name}-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        validityPeriodHours: STAND_IN_VALIDITY_HOURS,
        subject: { commonName: `${c.name} CA` },
        allowedUses: ["cert_signing", "digital_signature"],
      },
      { parent },
    );
    // The local platform's identity and secret store (lib/platform/local.ts): one account per cluster, one secret per node.
    const account = new Raw("pgha-lab:index:ServiceAccount", `${c.name}-patroni-sa`, { name: `${c.name}-patroni-sa` }, { parent });
    new command.local.Command(
      `${c.name}-bootstrap`,
      { create: pulumi.interpolate`psql -c "ALTER ROLE replicator PASSWORD '${replication.result}'"` },
      { parent },
    );
    for (let i = 0; i < c.nodes; i++) {
      const name = `${c.name}-patroni-${i}`;
      const ip = `10.77.${ci + 1}.${10 + i}`;
      const key = new tls.PrivateKey(`${name}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
      const csr = new tls.CertRequest(
        `${name}-csr`,
        { privateKeyPem: key.privateKeyPem, subject: { commonName: name }, ipAddresses: [ip], dnsNames: [name] },
        { parent },
      );
      const cert = new tls.LocallySignedCert(
        `${name}-cert`,
        {
          certRequestPem: csr.certRequestPem,
          caPrivateKeyPem: caKey.privateKeyPem,
          caCertPem: ca.certPem,
          validityPeriodHours: STAND_IN_VALIDITY_HOURS,
          allowedUses: ["digital_signature", "server_auth", "client_auth"],
        },
        { parent },
      );
      const userData = pulumi.secret(
        // Each `\` at a line end is a line continuation: it adds nothing to the (cooked) strings pulumi.interpolate joins.
        pulumi.interpolate`#cloud-config\nhostname: ${name}\n\
# superuser password: ${superuser.result}\n# replication password: ${replication.result}\n\
write_files:\n  - path: /etc/pgha/tls/node.key\n    content: |\n${key.privateKeyPem.apply(indent)}\
  - path: /etc/pgha/tls/node.crt\n    content: |\n${cert.certPem.apply(indent)}`,
      );
      const entries = {
        PGHA_SECRET_SUPERUSER_PASSWORD: superuser.result,
        PGHA_SECRET_TLS_NODE_KEY: key.privateKeyPem,
        // A value the mocks did not generate (a derived form, e.g. keepalived's 8-character auth_pass).
        PGHA_SECRET_DERIVED: `derived-${name}`,
      };
      new Raw("pgha-lab:index:Secret", name, { name, entries: pulumi.secret(entries) }, { parent });
      new Raw("pgha-lab:index:SecretAccess", `${name}-${c.name}-patroni-sa`, { secret: name, serviceAccount: account.id }, { parent });
      new Raw("pgha-lab:index:Vm", name, { name, ip, userData, serviceAccount: account.id }, { parent, ignoreChanges: ["userData"] });
      new Raw(
        "gcp:compute/instance:Instance",
        `${name}-gce`,
        { metadata: { "user-data": userData, "enable-oslogin": "TRUE" } },
        { parent },
      );
      new Raw("pgha-lab:index:Disk", `${name}-data`, { sizeGb: 10 }, { parent, protect: true, retainOnDelete: true });
      nodes.push(
        userData.apply((ud) => ({
          name,
          role: "patroni" as const,
          component: c.name,
          region: c.region,
          zone: "z",
          subnet: "s",
          ip,
          prefixLength: 24,
          gateway: `10.77.${ci + 1}.1`,
          userData: ud,
        })),
      );
    }
    parent.done();
  });
  return {
    nodes: pulumi.all(nodes),
    loadBalancers: pulumi.output([]),
    standbyLinks: pulumi.output([{ cluster: "dr", source: "main", host: "10.77.1.100", port: 5432, slot: "dr" }]),
  };
};

function indent(text: string): string {
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => `      ${l}\n`)
    .join("");
}

function filesUnder(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[join(entry.parentPath, entry.name).slice(dir.length)] = readFileSync(join(entry.parentPath, entry.name));
  }
  return out;
}

/** The secrets the stand-in put into user-data, read back from the files synth wrote. */
function secretsIn(userData: string): string[] {
  const passwords = [...userData.matchAll(/password: (\S+)/g)].map((m) => m[1]);
  const keyLines = userData
    .split("-----BEGIN EC PRIVATE KEY-----")[1]
    .split("-----END EC PRIVATE KEY-----")[0]
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return [...passwords, ...keyLines];
}

let dirA: string;
let dirB: string;
let plan: SynthPlan;

beforeAll(async () => {
  writeFileSync(stackFile, stackText);
  dirA = join(tmp, "a");
  dirB = join(tmp, "b");
  await synthStack(stackFile, dirA, { compose: standInCompose });
  await synthStack(stackFile, dirB, { compose: standInCompose });
  plan = readSynthPlan(dirA);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("synthStack", () => {
  it("writes byte-identical files for the same stack", () => {
    const a = filesUnder(dirA);
    const b = filesUnder(dirB);
    expect(Object.keys(a).sort()).toEqual([
      "/plan.json",
      "/secrets/dr-patroni-0.json",
      "/secrets/main-patroni-0.json",
      "/secrets/main-patroni-1.json",
      "/secrets/main-patroni-2.json",
      "/user-data/dr-patroni-0.yaml",
      "/user-data/main-patroni-0.yaml",
      "/user-data/main-patroni-1.yaml",
      "/user-data/main-patroni-2.yaml",
    ]);
    for (const f of Object.keys(a)) expect(a[f].equals(b[f]), f).toBe(true);
  });

  it("records the stack, platform, nodes without their user-data, and the links", () => {
    expect(plan.stack).toBe("lab");
    expect(plan.platform).toBe("local");
    expect(plan.nodes.map((n) => n.name)).toEqual(["dr-patroni-0", "main-patroni-0", "main-patroni-1", "main-patroni-2"]);
    const n = plan.nodes[1];
    expect(n).toEqual({
      name: "main-patroni-0",
      role: "patroni",
      component: "main",
      region: "lab-east",
      zone: "z",
      subnet: "s",
      ip: "10.77.1.10",
      prefixLength: 24,
      gateway: "10.77.1.1",
      userDataFile: "user-data/main-patroni-0.yaml",
    });
    expect(plan.standbyLinks).toEqual([{ cluster: "dr", source: "main", host: "10.77.1.100", port: 5432, slot: "dr" }]);
  });

  it("records every resource with its parent, inputs and lifecycle options", () => {
    // A node's secret has the node's name too: look resources up by name among the other types.
    const byName = (name: string) => {
      const r = plan.resources.find((x) => x.name === name && x.type !== "pgha-lab:index:Secret");
      if (!r) throw new Error(`no resource ${name}`);
      return r;
    };
    expect(byName("pgha-lab")).toMatchObject({ type: "pulumi:pulumi:Stack", parent: null, custom: false });
    expect(byName("main")).toMatchObject({ type: "pgha:index:PatroniCluster", parent: "pgha-lab", custom: false });
    expect(byName("main-superuser")).toMatchObject({
      type: "random:index/randomPassword:RandomPassword",
      parent: "main",
      custom: true,
      inputs: { length: 32, special: false },
    });
    expect(byName("main-patroni-1-data").options).toEqual({ protect: true, retainOnDelete: true });
    expect(byName("main-patroni-1").options).toEqual({ ignoreChanges: ["userData"] });
    expect(byName("main-patroni-1-csr").inputs).toMatchObject({ ipAddresses: ["10.77.1.11"], dnsNames: ["main-patroni-1"] });
    // 2 clusters x (component, 2 passwords, CA key, CA, account, command)
    // + 4 nodes x (key, csr, cert, secret, access, vm, gce, disk) + the Stack
    expect(plan.resources).toHaveLength(2 * 7 + 4 * 8 + 1);
    const urns = plan.resources.map((r) => r.urn);
    expect(urns).toEqual([...urns].sort());
  });

  it("replaces user-data in resource inputs by the path of the node's user-data file", () => {
    const vm = plan.resources.find((r) => r.name === "main-patroni-2" && r.type === "pgha-lab:index:Vm");
    const gce = plan.resources.find((r) => r.name === "main-patroni-2-gce");
    expect(vm?.inputs.userData).toBe("user-data/main-patroni-2.yaml");
    // Pulumi marks the whole map secret when one value is: its other values are hidden too.
    expect(gce?.inputs.metadata).toEqual({ "user-data": "user-data/main-patroni-2.yaml", "enable-oslogin": "[secret]" });
  });

  it("writes no generated secret anywhere in plan.json, marked secret or not", () => {
    const planText = readFileSync(join(dirA, "plan.json"), "utf8");
    let checked = 0;
    for (const node of plan.nodes) {
      const ud = readFileSync(join(dirA, node.userDataFile), "utf8");
      const secrets = secretsIn(ud);
      expect(secrets.length).toBeGreaterThanOrEqual(3);
      for (const s of secrets) {
        expect(ud).toContain(s); // the user-data file keeps what the VM needs
        expect(planText.includes(s), `secret from ${node.name} leaked into plan.json`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBe(4 * 5); // 2 passwords + 3 base64 lines of a P-256 SEC1 key per node
    // The command's script embedded the password unmarked: it is cut out, the rest kept.
    const cmd = plan.resources.find((r) => r.name === "main-bootstrap");
    expect(cmd?.inputs.create).toBe(`psql -c "ALTER ROLE replicator PASSWORD '[secret]'"`);
    // Inputs the SDK marks secret (the CA key handed to LocallySignedCert) become "[secret]".
    expect(plan.resources.find((r) => r.name === "main-patroni-0-cert")?.inputs.caPrivateKeyPem).toBe("[secret]");
  });

  it("writes user-data files with mode 0600 in a 0700 directory, holding the generated values", () => {
    expect(statSync(join(dirA, "user-data")).mode & 0o777).toBe(0o700);
    for (const n of plan.nodes) {
      const file = join(dirA, n.userDataFile);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const ud = readFileSync(file, "utf8");
      expect(ud).toMatch(new RegExp(`^#cloud-config\\nhostname: ${n.name}\\n# superuser password: [A-Za-z0-9]{32}\\n`));
      expect(ud).toContain("-----BEGIN CERTIFICATE-----");
    }
  });

  it("writes each lab secret's entries to secrets/<name>.json (0600 in a 0700 directory) and records only that path", () => {
    expect(statSync(join(dirA, "secrets")).mode & 0o777).toBe(0o700);
    const planText = readFileSync(join(dirA, "plan.json"), "utf8");
    for (const n of plan.nodes) {
      const secret = plan.resources.find((r) => r.type === "pgha-lab:index:Secret" && r.name === n.name);
      expect(secret?.inputs).toEqual({ name: n.name, entries: `secrets/${n.name}.json` });
      const file = join(dirA, `secrets/${n.name}.json`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const entries = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
      expect(Object.keys(entries)).toEqual(["PGHA_SECRET_DERIVED", "PGHA_SECRET_SUPERUSER_PASSWORD", "PGHA_SECRET_TLS_NODE_KEY"]);
      expect(entries.PGHA_SECRET_SUPERUSER_PASSWORD).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(entries.PGHA_SECRET_TLS_NODE_KEY).toContain("-----BEGIN EC PRIVATE KEY-----");
      for (const value of Object.values(entries)) expect(planText.includes(value), `${n.name}: a secret value in plan.json`).toBe(false);
    }
    // The grant and the VM's identity stay readable: the metadata stand-in decides access from them.
    expect(plan.resources.find((r) => r.name === "main-patroni-1-main-patroni-sa")?.inputs).toEqual({
      secret: "main-patroni-1",
      serviceAccount: "main-patroni-sa-id",
    });
    const vm = plan.resources.find((r) => r.name === "main-patroni-1" && r.type === "pgha-lab:index:Vm");
    expect(vm?.inputs.serviceAccount).toBe("main-patroni-sa-id");
  });

  it("cuts a secret's non-generated values (derived forms) out of every string in plan.json", async () => {
    // A resource that embeds a secret's derived value unmarked: only the secret's entries say it is one.
    const leaky: ComposeFn = (t, cloud) => {
      const out = standInCompose(t, cloud);
      new Raw("pgha-lab:index:Firewall", "leaky", { note: "auth_pass derived-main-patroni-0 here" }, {});
      return out;
    };
    const dir = join(tmp, "derived");
    await synthStack(stackFile, dir, { compose: leaky });
    const leakyPlan = readSynthPlan(dir);
    expect(leakyPlan.resources.find((r) => r.name === "leaky")?.inputs.note).toBe("auth_pass [secret] here");
    expect(readFileSync(join(dir, "plan.json"), "utf8")).not.toContain("derived-main-patroni-0");
  });

  it("gives different stacks different secrets (the seed includes the stack name)", async () => {
    const other = join(tmp, "Pulumi.other.yaml");
    writeFileSync(other, stackText);
    const dir = join(tmp, "other");
    const r = await synthStack(other, dir, { compose: standInCompose });
    expect(r.stack).toBe("other");
    const a = readFileSync(join(dirA, "user-data/main-patroni-0.yaml"), "utf8");
    const b = readFileSync(join(dir, "user-data/main-patroni-0.yaml"), "utf8");
    expect(secretsIn(a)[0]).not.toBe(secretsIn(b)[0]);
  });

  it("removes user-data files of nodes that are no longer planned", async () => {
    const dir = join(tmp, "stale");
    await synthStack(stackFile, dir, { compose: standInCompose });
    writeFileSync(join(dir, "user-data/old-node-9.yaml"), "#cloud-config\n", { mode: 0o600 });
    const r = await synthStack(stackFile, dir, { compose: standInCompose });
    expect(readdirSync(join(dir, "user-data")).sort()).toEqual([
      "dr-patroni-0.yaml",
      "main-patroni-0.yaml",
      "main-patroni-1.yaml",
      "main-patroni-2.yaml",
    ]);
    expect(r.counts).toEqual({ resources: 47, nodes: 4, loadBalancers: 0, standbyLinks: 1 });
  });

  it("warns when the clock is before the certificates' start; later clocks renew them, so they stay valid", async () => {
    const dir = join(tmp, "late");
    const early = await synthStack(stackFile, dir, { compose: standInCompose, now: new Date("2025-06-01T00:00:00Z") });
    expect(early.warnings.join("\n")).toMatch(
      /^6 certificate\(s\) are not valid now.*main-ca \(valid 2026-01-01T00:00:00.000Z \.\. 2028-01-01T00:00:00.000Z\)/,
    );
    for (const now of ["2026-06-01T00:00:00Z", "2040-01-01T00:00:00Z"]) {
      const ok = await synthStack(stackFile, dir, { compose: standInCompose, now: new Date(now) });
      expect(ok.warnings).toEqual([]);
    }
  });

  it("rejects an invalid stack with a ConfigError naming the field, before writing anything", async () => {
    const broken = join(tmp, "Pulumi.broken.yaml");
    writeFileSync(broken, stackText.replace("members: 3", "members: 4"));
    const dir = join(tmp, "broken-out");
    const err = await synthStack(broken, dir, { compose: standInCompose }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.path)).toContain("etcd.members");
    expect(() => statSync(dir)).toThrow();
  });

  it("fails, listing the resource, when a resource cannot be synthesized", async () => {
    const rsa: ComposeFn = () => {
      new tls.PrivateKey("legacy-key", { algorithm: "RSA", rsaBits: 2048 });
      return { nodes: pulumi.output([]), loadBalancers: pulumi.output([]), standbyLinks: pulumi.output([]) };
    };
    await expect(synthStack(stackFile, join(tmp, "rsa"), { compose: rsa })).rejects.toThrow(
      /tls:index\/privateKey:PrivateKey legacy-key: pgha synth derives only ECDSA P256 keys .*got RSA/,
    );
  });
});

describe("synthStack with the real components (composeTopology)", () => {
  let real: SynthPlan;
  let realA: string;

  beforeAll(async () => {
    realA = join(tmp, "real-a");
    await synthStack(stackFile, realA);
    await synthStack(stackFile, join(tmp, "real-b"));
    real = readSynthPlan(realA);
  });

  it("is byte-identical run to run", () => {
    const a = filesUnder(realA);
    const b = filesUnder(join(tmp, "real-b"));
    expect(Object.keys(b)).toEqual(Object.keys(a));
    // plan.json, one user-data file per node, one secret file per node (the local platform's secret store)
    expect(Object.keys(a).length).toBe(1 + 2 * real.nodes.length);
    expect(Object.keys(a).filter((f) => f.startsWith("/secrets/")).length).toBe(real.nodes.length);
    for (const f of Object.keys(a)) expect(a[f].equals(b[f]), f).toBe(true);
  });

  it("keeps every generated password and private key out of plan.json and user-data: only the secret files hold them", () => {
    const planText = readFileSync(join(realA, "plan.json"), "utf8");
    const userData = real.nodes.map((n) => readFileSync(join(realA, n.userDataFile), "utf8")).join("\n");
    const secretFiles = readdirSync(join(realA, "secrets"))
      .map((f) => readFileSync(join(realA, "secrets", f), "utf8"))
      .join("\n");
    const passwords = real.resources
      .filter((r) => r.type === "random:index/randomPassword:RandomPassword")
      .map((r) => deriveRandomString("pgha/lab", r.name, r.inputs as unknown as RandomStringInputs));
    const keys = real.resources
      .filter((r) => r.type === "tls:index/privateKey:PrivateKey")
      .flatMap((r) => {
        const k = ecdsaP256KeyOutputs(derive32("pgha/lab", "ecdsa-p256", r.name));
        return [k.privateKeyPem, k.privateKeyPemPkcs8].map((pem) => pem.split("\n")[1]);
      });
    expect(passwords.length).toBeGreaterThan(3);
    expect(keys.length).toBeGreaterThan(3);
    for (const secret of [...passwords, ...keys]) {
      expect(planText.includes(secret), "a generated secret leaked into plan.json").toBe(false);
      expect(userData.includes(secret), "a generated secret is in user-data (instance metadata)").toBe(false);
    }
    expect(userData).toContain("PGHA_SECRET_");
    // Positive control: the recomputation matches what the program received, now in the nodes' secrets.
    expect(passwords.some((p) => secretFiles.includes(p))).toBe(true);
    expect(keys.some((k) => secretFiles.includes(k))).toBe(true);
  });
});

describe("synthStack when the program fails", () => {
  it("reports an exception thrown inside an apply instead of crashing", async () => {
    const failing: ComposeFn = () => {
      const pw = new random.RandomPassword("pw", { length: 8 });
      return {
        nodes: pw.result.apply((): PlanNode[] => {
          throw new Error("renderer exploded");
        }),
        loadBalancers: pulumi.output([]),
        standbyLinks: pulumi.output([]),
      };
    };
    await expect(synthStack(stackFile, join(tmp, "failing"), { compose: failing })).rejects.toThrow(
      /^the stack program failed under mocks: renderer exploded/,
    );
  });

  it("passes a ConfigError raised by a component through as a ConfigError", async () => {
    const invalid: ComposeFn = () => {
      throw new ConfigError([{ path: "clusters[0].haproxy", message: "needs two nodes" }], "invalid component arguments");
    };
    const err = await synthStack(stackFile, join(tmp, "invalid"), { compose: invalid }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/clusters\[0\]\.haproxy: needs two nodes/);
  });
});
