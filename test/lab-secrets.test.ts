// Secrets by identity, for real: boot the default `lab` stack, whose nodes' user-data carries only
// PGHA_SECRET_ tokens, and check that every node fetched its secret from the lab's metadata stand-in
// (169.254.169.254) with its own account: the files holding secrets end with their manifest's mode
// and owner and no token, no user-data file holds a value, a node gets 403 for another role's
// secret and no token without Metadata-Flavor: Google, and the cluster is healthy. Root only.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { resolveStackFile } from "../packages/lab/lib/cli/stackArg";
import { isMemberUp, psql } from "../packages/lab/lib/lab/cli/client";
import { labDown } from "../packages/lab/lib/lab/cli/down";
import { type LabContext, CLIENT_NODE, clientSecrets, labDirFor, nodesOf } from "../packages/lab/lib/lab/cli/labContext";
import { type LabStatus, collectStatus } from "../packages/lab/lib/lab/cli/status";
import { labUp } from "../packages/lab/lib/lab/cli/up";
import { metadataAccessPlan } from "../packages/lab/lib/lab/cloud/metadata/accessPlan";
import { SECRETS_MANIFEST_PATH } from "../packages/lab/lib/lab/cloud/metadata/nodeSecrets";
import { execAllowFailure } from "../packages/lab/lib/lab/host/exec";
import { METADATA_ADDRESS } from "../packages/lab/lib/lab/network/network";
import { nodeNetns } from "../packages/lab/lib/lab/network/names";
import { nodeRootfs } from "../packages/lab/lib/lab/node/nodeView";
import {
  type NodeSupervisorHandle,
  defaultStateDir,
  readNodeSupervisor,
  runInNode,
} from "../packages/lab/lib/lab/systemd/supervisorControl";
import { readSecretFile } from "../packages/lab/lib/synth/secretFiles";
import { type SynthPlanNode, readUserData } from "../packages/lab/lib/synth/plan";

const isRoot = process.getuid?.() === 0;
const log = (l: string) => console.log(l);
const TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
const NODE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

interface Manifest {
  store: { kind: string; secret: string };
  files: { path: string; owner: string; mode: string }[];
}

/**
 * One HTTP exchange from inside a lab namespace (the host's python3, in that network namespace
 * only): the token request, then, with `secret`, the access call with the token. Prints the two
 * status codes; never a token or a value.
 */
const CLIENT = `
import json, sys, urllib.request, urllib.error
base, flavor, secret = sys.argv[1], sys.argv[2] == "1", sys.argv[3]
def get(url, headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""
status, body = get(base + "${TOKEN_PATH}", {"Metadata-Flavor": "Google"} if flavor else {})
out = [status]
if status == 200 and secret:
    token = json.loads(body)["access_token"]
    s, _ = get(base + "/v1/projects/lab/secrets/%s/versions/latest:access" % secret, {"Authorization": "Bearer " + token})
    out.append(s)
print(" ".join(map(str, out)))
`;

async function exchange(netns: string, opts: { flavor: boolean; secret?: string }): Promise<string> {
  const r = await execAllowFailure("ip", [
    "netns",
    "exec",
    netns,
    "python3",
    "-c",
    CLIENT,
    `http://${METADATA_ADDRESS}`,
    opts.flavor ? "1" : "0",
    opts.secret ?? "",
  ]);
  if (r.code !== 0) throw new Error(`python3 in ${netns}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Every value of a secret, and each base64 line of its PEM keys (a key could appear re-wrapped). */
function valuesOf(entries: Record<string, string>): string[] {
  const out = new Set<string>();
  for (const v of Object.values(entries)) {
    if (v.length >= 8) out.add(v);
    for (const line of v.split("\n")) if (line.length >= 32 && !line.startsWith("-----")) out.add(line);
  }
  return [...out];
}

describe.skipIf(!isRoot)("pgha lab: nodes fetch their secrets by identity (default lab stack)", () => {
  let ctx: LabContext;
  let status: LabStatus;
  const manifests = new Map<string, Manifest>();
  const handles = new Map<string, NodeSupervisorHandle>();

  const manifestOf = (n: SynthPlanNode): Manifest => {
    const doc = parseYaml(readUserData(ctx.planDir, n)) as { write_files: { path: string; content: string }[] };
    const f = doc.write_files.find((w) => w.path === SECRETS_MANIFEST_PATH);
    if (!f) throw new Error(`${n.name}: no ${SECRETS_MANIFEST_PATH} in its user-data`);
    return JSON.parse(f.content) as Manifest;
  };
  const secretOf = (node: string): Record<string, string> => {
    const m = manifests.get(node) as Manifest;
    const access = metadataAccessPlan(ctx.plan);
    return readSecretFile(ctx.planDir, access.secrets[m.store.secret]);
  };

  beforeAll(async () => {
    if (existsSync(labDirFor("lab"))) throw new Error(`${labDirFor("lab")} exists: a lab is running here; run 'pgha lab down' first`);
    const t0 = Date.now();
    ctx = await labUp(resolveStackFile("lab"), log);
    console.log(`MEASURED lab up (secrets fetched by identity): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    status = await collectStatus(ctx);
    for (const n of ctx.plan.nodes) {
      manifests.set(n.name, manifestOf(n));
      const h = readNodeSupervisor(defaultStateDir(ctx.labDir, n.name));
      if (!h) throw new Error(`${n.name}: no supervisor running`);
      handles.set(n.name, h);
    }
  }, 480_000);

  afterAll(async () => {
    if (existsSync(labDirFor("lab"))) await labDown(labDirFor("lab"), log);
  }, 120_000);

  it("gives every node a lab store reference and an account, and the plan grants each secret to that account only", () => {
    const access = metadataAccessPlan(ctx.plan);
    expect(ctx.plan.nodes.length).toBeGreaterThanOrEqual(12);
    for (const n of ctx.plan.nodes) {
      const m = manifests.get(n.name) as Manifest;
      expect(m.store.kind, n.name).toBe("lab");
      const vm = access.vms[n.ip];
      expect(vm?.serviceAccount, n.name).toBeDefined();
      expect(access.grants[m.store.secret], n.name).toEqual([vm.serviceAccount]);
    }
  });

  it("wrote every secret-bearing file with its manifest's mode and owner and no token left, on every node", async () => {
    let checked = 0;
    for (const n of ctx.plan.nodes) {
      const h = handles.get(n.name) as NodeSupervisorHandle;
      const m = manifests.get(n.name) as Manifest;
      expect(m.files.length, n.name).toBeGreaterThan(0);
      for (const f of m.files) {
        // Certificates travel with their keys (a renewal must replace both) but are public: 0644. Everything else is private.
        if (f.path.endsWith(".crt")) expect(f.mode, `${n.name} ${f.path}`).toBe("0644");
        else expect(f.mode, `${n.name} ${f.path}`).toMatch(/^06[04]0$/);
        const st = await runInNode(h, ["stat", "-c", "%a %U:%G", f.path], { env: { PATH: NODE_PATH } });
        expect(st.stdout.trim(), `${n.name} ${f.path}`).toBe(`${f.mode.replace(/^0/, "")} ${f.owner}`);
        const grep = await runInNode(h, ["grep", "-c", "PGHA_SECRET_", f.path], { env: { PATH: NODE_PATH }, allowFailure: true });
        expect(grep.stdout.trim(), `${n.name} ${f.path} still holds a token`).toBe("0");
        checked++;
      }
      // A positive control: the node's files hold the values it fetched (here its first entry's value).
      const first = Object.values(secretOf(n.name))[0];
      const holders = await runInNode(h, ["grep", "-lF", "-e", first.split("\n")[1] ?? first, ...m.files.map((f) => f.path)], {
        env: { PATH: NODE_PATH },
        allowFailure: true,
      });
      expect(holders.stdout.trim(), `${n.name}: no file holds its secret's value`).not.toBe("");
    }
    expect(checked).toBeGreaterThanOrEqual(ctx.plan.nodes.length);
  });

  it("fed no secret value in any user-data: neither the plan's files nor the nodes' NoCloud seeds", () => {
    const userData = ctx.plan.nodes.map((n) => ({
      node: n.name,
      texts: [
        readUserData(ctx.planDir, n),
        readFileSync(join(nodeRootfs(ctx.labDir, n.name), "var/lib/cloud/seed/nocloud/user-data"), "utf8"),
      ],
    }));
    let values = 0;
    for (const n of ctx.plan.nodes) {
      for (const v of valuesOf(secretOf(n.name))) {
        values++;
        for (const u of userData)
          for (const t of u.texts) expect(t.includes(v), `a value of ${n.name}'s secret is in ${u.node}'s user-data`).toBe(false);
      }
    }
    expect(values).toBeGreaterThan(ctx.plan.nodes.length);
    for (const u of userData) expect(u.texts[0]).toContain("PGHA_SECRET_");
  });

  it("serves a node its own secret, 403 for another role's, and no token without Metadata-Flavor: Google or to a non-VM", async () => {
    const haproxy = nodesOf(ctx, "haproxy")[0];
    const pg = nodesOf(ctx, "patroni", "main")[0];
    const ownSecret = (manifests.get(haproxy.name) as Manifest).store.secret;
    const pgSecret = (manifests.get(pg.name) as Manifest).store.secret;
    expect(await exchange(nodeNetns(haproxy.name), { flavor: true, secret: ownSecret })).toBe("200 200");
    expect(await exchange(nodeNetns(haproxy.name), { flavor: true, secret: pgSecret })).toBe("200 403");
    expect(await exchange(nodeNetns(pg.name), { flavor: true, secret: pgSecret })).toBe("200 200");
    expect(await exchange(nodeNetns(haproxy.name), { flavor: false })).toBe("403");
    // The lab's client namespace routes to the stand-in too, but is no VM of the plan.
    expect(await exchange(nodeNetns(CLIENT_NODE), { flavor: true })).toBe("403");
    const decisions = readFileSync(join(ctx.labDir, "metadata", "metadata.log"), "utf8");
    expect(decisions).toMatch(new RegExp(`${haproxy.ip.replace(/\./g, "\\.")} \\(VM ${haproxy.name}\\) GET \\S+${pgSecret}\\S+ -> 403`));
    for (const v of valuesOf(secretOf(pg.name))) expect(decisions.includes(v)).toBe(false);
  });

  it("makes pgha-secrets fail loudly, naming the refusal, printing no value, for a secret the node is not granted", async () => {
    const haproxy = nodesOf(ctx, "haproxy")[0];
    const pg = nodesOf(ctx, "patroni", "main")[0];
    const h = handles.get(haproxy.name) as NodeSupervisorHandle;
    const foreign = { version: 1, store: (manifests.get(pg.name) as Manifest).store, files: [] };
    await runInNode(h, ["sh", "-c", "mkdir -p /tmp/pgha-secrets-test && cat > /tmp/pgha-secrets-test/secrets.json"], {
      env: { PATH: NODE_PATH },
      input: JSON.stringify(foreign),
    });
    const r = await runInNode(h, ["/usr/local/sbin/pgha-secrets", "fetch"], {
      env: {
        PATH: NODE_PATH,
        PGHA_SECRETS_MANIFEST: "/tmp/pgha-secrets-test/secrets.json",
        PGHA_SECRETS_STATE_DIR: "/tmp/pgha-secrets-test/state",
        PGHA_SECRETS_RETRY_SECONDS: "3",
      },
      allowFailure: true,
      timeoutMs: 60_000,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/403/);
    for (const v of valuesOf(secretOf(pg.name))) expect(`${r.stdout}${r.stderr}`.includes(v)).toBe(false);
  });

  it("runs a healthy cluster on those secrets: leader + sync standby, healthy etcd, the VIP answering as the app role", async () => {
    const main = status.patroni.main;
    expect(main).toHaveLength(3);
    expect(main.filter((m) => m.role === "leader")).toHaveLength(1);
    expect(main.filter((m) => m.role === "sync_standby")).toHaveLength(1);
    expect(main.every(isMemberUp)).toBe(true);
    for (const health of Object.values(status.etcd)) expect(health.every((e) => e.health)).toBe(true);
    const vip = status.loadBalancers.find((l) => l.kind === "vip");
    expect(vip?.holder).toBeDefined();
    const r = await psql(clientSecrets(ctx), vip?.address as string, 5000, "SELECT pg_is_in_recovery()");
    expect(r.stdout.trim()).toBe("f");
    expect(status.nodes.filter((n) => n.supervisor !== "running").map((n) => n.name)).toEqual([]);
  });
});
