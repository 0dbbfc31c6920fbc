/**
 * The rendered etcd config file, run by the etcd the nodes run (the tools image's: Debian 13's
 * etcd 3.5, test/support/image.ts) on loopback with mutual TLS.
 *
 * What the test changes in the rendered text, and why (nothing else is touched):
 *  - `/etc/pgha/tls/` -> a temp dir (bound into the image) holding a throwaway CA and certificate made with openssl;
 *  - 3-member case only: members 1 and 2 (127.0.0.2/.3) drop the extra loopback client URL
 *    `https://127.0.0.1:<port>`, because on one machine member 0 (127.0.0.1) already binds it.
 * Addresses, ports and data dirs are model inputs (loopback IPs, free ports, temp dirs).
 *
 * etcd silently ignores unknown keys in a config file, so "it started" proves little: the test
 * also reads the effective settings from etcd's own startup log, checks that TLS and
 * client-certificate auth are in force, that the v2 API is off and that the v3 JSON gateway
 * Patroni talks to is on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etcdEndpoints, renderEtcdConfig } from "../../packages/pgha/lib/render/etcd";
import type { EtcdMemberModel } from "../../packages/pgha/lib/render/model";
import { type Daemon, etcdMemberModel, freePort, labTopology, makeTestPki, type TestPki, waitFor } from "../support/fixtures";
import { type ImageResult, runImage, startImageDaemon } from "../support/image";

const tmp = mkdtempSync(path.join(tmpdir(), "pgha-etcd-"));
const daemons: Daemon[] = [];
let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(path.join(tmp, "tls"), ["127.0.0.1", "127.0.0.2", "127.0.0.3"]);
});

afterAll(async () => {
  for (const d of daemons) await d.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** Members on loopback with the given ports, each with its own data dir. */
async function loopbackModels(count: 1 | 3, label: string): Promise<EtcdMemberModel[]> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  // The schema insists on 3 or 5 members; a single-member cluster is the model cut down.
  const t = labTopology((i) => {
    i.etcd = { members: 3, clientPort, peerPort };
  });
  const members = Array.from({ length: count }, (_, k) => ({ name: `${label}-${k}`, ip: `127.0.0.${k + 1}` }));
  return members.map((node, k) => {
    const m = etcdMemberModel(t, k);
    return { ...m, spec: { ...m.spec, dataDir: path.join(tmp, `${label}-${k}`) }, node, members };
  });
}

function writeConfig(m: EtcdMemberModel, dropLoopbackListener: boolean): string {
  let text = renderEtcdConfig(m).replaceAll("/etc/pgha/tls/", `${pki.dir}/`);
  if (dropLoopbackListener) text = text.replace(`,https://127.0.0.1:${m.spec.clientPort}`, "");
  const file = path.join(tmp, `${m.node.name}.yml`);
  writeFileSync(file, text);
  return file;
}

/** The image's etcd with a rendered config file (and the temp dir bound in). */
function startEtcd(configFile: string): Daemon {
  return startImageDaemon(["etcd", "--config-file", configFile], { binds: [tmp] });
}

/** The image's etcdctl; resolves with its exit code and output. */
function etcdctl(endpoints: string[], args: string[], withClientCert = true): Promise<ImageResult> {
  const tls = [
    `--cacert=${pki.caFile}`,
    ...(withClientCert ? [`--cert=${pki.dir}/etcd-client.crt`, `--key=${pki.dir}/etcd-client.key`] : []),
  ];
  return runImage(["etcdctl", `--endpoints=${endpoints.join(",")}`, "--dial-timeout=2s", "--command-timeout=3s", ...tls, ...args], {
    binds: [tmp],
    env: { ETCDCTL_API: "3" },
  });
}

/** etcdctl that must succeed: its stdout. */
async function etcdctlOk(endpoints: string[], args: string[]): Promise<string> {
  const r = await etcdctl(endpoints, args);
  if (r.code !== 0) throw new Error(`etcdctl ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** The fields etcd logs when it starts: its effective configuration. */
function startupEntry(d: Daemon): Record<string, unknown> {
  const line = d
    .output()
    .split("\n")
    .find((l) => l.includes('"msg":"starting an etcd server"'));
  if (!line) throw new Error(`no startup entry in etcd's log:\n${d.output().slice(-2000)}`);
  return JSON.parse(line);
}

/** An HTTPS request with the etcd client certificate; resolves to the status code. */
function httpsStatus(url: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: body === undefined ? "GET" : "POST",
        ca: readFileSync(pki.caFile),
        cert: readFileSync(`${pki.dir}/etcd-client.crt`),
        key: readFileSync(`${pki.dir}/etcd-client.key`),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("etcd --config-file with the rendered config", () => {
  it("a single TLS member starts, is healthy, and applies the rendered settings", async () => {
    const [m] = await loopbackModels(1, "solo");
    const d = startEtcd(writeConfig(m, false));
    daemons.push(d);
    const endpoints = etcdEndpoints(m.members, m.spec.clientPort, true);
    const health = await waitFor(
      "etcd endpoint health",
      async () => {
        if (d.exited()) throw new Error(`etcd exited:\n${d.output().slice(-3000)}`);
        const r = await etcdctl(endpoints, ["endpoint", "health"]);
        return r.code === 0 ? r.stdout + r.stderr : undefined;
      },
      15_000,
    );
    expect(health).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:${m.spec.clientPort} is healthy`, "m"));

    const s = startupEntry(d);
    expect(s).toMatchObject({
      name: "solo-0",
      "data-dir": m.spec.dataDir,
      "heartbeat-interval": "100ms",
      "election-timeout": "1s",
      "quota-backend-bytes": 2 * 1024 ** 3,
      "auto-compaction-mode": "periodic",
      "auto-compaction-retention": "1h0m0s",
      "initial-cluster": `solo-0=https://127.0.0.1:${m.spec.peerPort}`,
      "initial-cluster-state": "new",
      "initial-cluster-token": m.clusterName,
      "listen-client-urls": [`https://127.0.0.1:${m.spec.clientPort}`],
      "advertise-client-urls": [`https://127.0.0.1:${m.spec.clientPort}`],
    });
    // TLS with client-certificate auth for clients and peers.
    expect(d.output()).toMatch(/"msg":"starting with client TLS".*client-cert-auth = true/);
    expect(d.output()).toMatch(/"msg":"starting with peer TLS".*client-cert-auth = true/);
    const anonymous = await etcdctl(endpoints, ["endpoint", "health"], false);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stdout + anonymous.stderr).toMatch(/is unhealthy/);

    // A write and read through v3; the v2 API is not served.
    await etcdctlOk(endpoints, ["put", "/pgha/test", "ok"]);
    expect((await etcdctlOk(endpoints, ["get", "--print-value-only", "/pgha/test"])).trim()).toBe("ok");
    expect(await httpsStatus(`https://127.0.0.1:${m.spec.clientPort}/v2/keys/`)).toBe(404);
    // Patroni's etcd3 client uses the v3 JSON gateway (a 3.4 config file had to switch it on; the key stays valid in 3.5).
    expect(await httpsStatus(`https://127.0.0.1:${m.spec.clientPort}/v3/cluster/member/list`, "{}")).toBe(200);
    expect(await httpsStatus(`https://127.0.0.1:${m.spec.clientPort}/health`)).toBe(200);
    await d.stop();
  });

  it("three TLS members on 127.0.0.1-3 form one cluster", async () => {
    const models = await loopbackModels(3, "trio");
    const ds = models.map((m, k) => startEtcd(writeConfig(m, k > 0)));
    daemons.push(...ds);
    const endpoints = etcdEndpoints(models[0].members, models[0].spec.clientPort, true);
    await waitFor(
      "all three members healthy",
      async () => {
        const r = await etcdctl(endpoints, ["endpoint", "health"]);
        const out = r.stdout + r.stderr;
        return r.code === 0 && (out.match(/is healthy/g) ?? []).length === 3 ? out : undefined;
      },
      20_000,
    );
    const list = JSON.parse(await etcdctlOk(endpoints, ["member", "list", "-w", "json"])) as {
      members: { name: string; peerURLs: string[]; clientURLs: string[] }[];
    };
    const byName = Object.fromEntries(list.members.map((x) => [x.name, x]));
    expect(Object.keys(byName).sort()).toEqual(["trio-0", "trio-1", "trio-2"]);
    expect(byName["trio-2"].peerURLs).toEqual([`https://127.0.0.3:${models[0].spec.peerPort}`]);
    expect(byName["trio-2"].clientURLs).toEqual([`https://127.0.0.3:${models[0].spec.clientPort}`]);
    for (const d of ds) await d.stop();
  }, 40_000);

  it("the check can fail: a member missing from initial-cluster makes etcd exit with an error", async () => {
    const [m] = await loopbackModels(1, "bad");
    const file = writeConfig(m, false);
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/^initial-cluster: .*$/m, `initial-cluster: other=https://127.0.0.1:${m.spec.peerPort}`),
    );
    const d = startEtcd(file);
    daemons.push(d);
    await waitFor("etcd to exit", () => d.exited() || undefined, 10_000);
    expect(d.child.exitCode).not.toBe(0);
    expect(d.output()).toMatch(/couldn.t find local name \\"bad-0\\" in the initial cluster configuration/);
  });
});
