// The lab's object storage for a plan with buckets (Yandex Object Storage today): Ceph RGW on the
// lab's stand-in internet, holding exactly the plan's buckets, one user per service account with
// its static key from the nodes' user-data, and the plan's grants as bucket policies. Nodes reach
// it as they would reach the cloud's endpoint: by its name (the hosts stand-in), over TLS they
// verify (the lab CA), and only through the egress their plan gives them (it sits on the
// internet namespace, behind the fabric's NAT).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { DetachedProcess } from "../../host/daemon";
import { exec } from "../../host/exec";
import type { LabImages } from "../../node/image/debianImage";
import { type LabContext, userDataFiles } from "../../cli/labContext";
import { internetNetns, readNetworkState } from "../../network/network";
import { nodeRootfs } from "../../node/nodeView";
import { isSameProcess } from "../../host/procs";
import { writeNodeStorageTrust } from "./nodeTrust";
import { type PlannedObjectStorage, bucketPolicy, plannedObjectStorage } from "./planStorage";
import { ensureRgwUser, startRgw, stopRgw } from "./rgw";
import { s3CredentialsIn } from "./s3Credentials";
import { type S3Credentials, type S3Target, s3Request } from "./s3Client";
import { ensureLabTls } from "./tls";

/** TEST-NET-2 (RFC 5737) beside the package mirror (198.51.100.2), on the lab's internet namespace. */
export const OBJECT_STORAGE_ADDRESS = "198.51.100.3";

/** Printed by `lab up` with the other stand-ins. */
export const OBJECT_STORAGE_STAND_INS = [
  "object storage (Yandex Object Storage): Ceph RGW 18.2 (radosgw from Debian 13, " +
    "dbstore backend, no Ceph cluster) on the lab's stand-in internet at " +
    `${OBJECT_STORAGE_ADDRESS}, reached only through the egress the plan gives a node; it holds exactly the plan's buckets, ` +
    `one user per service account with the static key the node's user-data holds (matched to the plan's key resource by ` +
    `the node's cluster), and the buckets' ACL grants as bucket policies (READ: list and read every object; READ+WRITE: ` +
    `also write, overwrite and delete), so a key without a grant gets AccessDenied; the service accounts cannot create buckets. ` +
    `Not emulated: lifecycle expiration, versioning, folder IAM roles, host-style bucket addressing, storage classes and quotas`,
  "object storage DNS: the endpoint's name (storage.yandexcloud.net) resolves to the RGW address through " +
    "a line the lab adds to the node's cloud-init hosts template (the cloud's resolver answers it there)",
  "object storage TLS: RGW serves a certificate for the endpoint's name from a CA made for this lab, " +
    "which the lab adds to the node's CA bundle (a cloud endpoint's certificate chains to a public CA the image trusts)",
];

export const objectStorageDir = (labDir: string) => join(labDir, "object-storage");
const stateFile = (dir: string) => join(dir, "state.json");

export interface ObjectStorageState {
  version: 1;
  rgw: DetachedProcess;
  netns: string;
  address: string;
  port: number;
  hosts: string[];
  buckets: string[];
  accounts: string[];
}

export function readObjectStorageState(dir: string): ObjectStorageState | undefined {
  return existsSync(stateFile(dir)) ? (JSON.parse(readFileSync(stateFile(dir), "utf8")) as ObjectStorageState) : undefined;
}

/** The plan's object storage, with the keys read from each node's user-data. */
export function plannedObjectStorageOfLab(ctx: LabContext): PlannedObjectStorage {
  const nodes = ctx.plan.nodes.map((n) => ({ node: n.name, component: n.component, uses: s3CredentialsIn(userDataFiles(ctx, n)) }));
  return plannedObjectStorage(ctx.plan, nodes);
}

/** The endpoints' host names and their one port (RGW listens once). Pure. */
export function endpointHosts(endpoints: string[]): { hosts: string[]; port: number } {
  if (endpoints.length === 0) throw new Error("no S3 endpoint in any node's user-data");
  const urls = endpoints.map((e) => new URL(e));
  const plain = urls.filter((u) => u.protocol !== "https:");
  if (plain.length > 0) throw new Error(`S3 endpoint ${plain[0].href}: the lab serves object storage over https only`);
  const ports = [...new Set(urls.map((u) => Number(u.port || 443)))];
  if (ports.length !== 1) throw new Error(`S3 endpoints on several ports (${ports.join(", ")}): the lab's RGW listens on one`);
  return { hosts: [...new Set(urls.map((u) => u.hostname))], port: ports[0] };
}

/** The key the lab acts with as the deployer (the bucket owner); made once per lab, 0600. */
function deployerKey(dir: string): S3Credentials {
  const file = join(dir, "deployer.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as S3Credentials;
  const creds = { accessKey: `PGHALAB${randomBytes(8).toString("hex").toUpperCase()}`, secretKey: randomBytes(30).toString("base64url") };
  writeFileSync(file, `${JSON.stringify(creds)}\n`, { mode: 0o600 });
  return creds;
}

export const DEPLOYER_UID = "pgha-lab-deployer";

export interface ProvisionOptions {
  /** Image root with radosgw and curl (the tools image). */
  root: string;
  /** Host directory for RGW's state, the TLS files and the deployer key. */
  dir: string;
  netns: string;
  address: string;
  planned: PlannedObjectStorage;
  log: (line: string) => void;
}

/** Where the lab's own S3 calls (as the deployer) go: the endpoint by name, resolved to RGW, verified with the lab CA. */
export function deployerTarget(o: Pick<ProvisionOptions, "root" | "dir" | "netns" | "address">, hosts: string[], port: number): S3Target {
  return {
    root: o.root,
    netns: o.netns,
    endpoint: `https://${hosts[0]}:${port}`,
    region: "us-east-1",
    resolveTo: o.address,
    caFile: join(o.dir, "tls", "ca.pem"),
  };
}

/**
 * Start RGW (if it is not running) and create the plan's users, buckets and policies in it.
 * Safe to re-run: everything that exists with the same content is kept.
 */
export async function provisionObjectStorage(o: ProvisionOptions): Promise<ObjectStorageState> {
  const { hosts, port } = endpointHosts(o.planned.endpoints);
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const rgwDir = join(o.dir, "rgw");
  const tls = await ensureLabTls(join(rgwDir, "tls"), hosts);
  const previous = readObjectStorageState(o.dir);
  let rgw = previous?.rgw;
  if (!rgw || !isSameProcess(rgw)) {
    const t0 = Date.now();
    rgw = await startRgw(
      {
        root: o.root,
        stateDir: rgwDir,
        netns: o.netns,
        listen: { address: o.address, port, tls: { certFile: `tls/${tls.cert}`, keyFile: `tls/${tls.key}` } },
      },
      join(o.dir, "radosgw.log"),
    );
    o.log(`  object storage: radosgw (pid ${rgw.pid}) listening on ${o.address}:${port} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const state: ObjectStorageState = {
    version: 1,
    rgw,
    netns: o.netns,
    address: o.address,
    port,
    hosts,
    buckets: o.planned.buckets.map((b) => b.name),
    accounts: o.planned.accounts.map((a) => a.account),
  };
  // Recorded before anything else can fail, so `lab down` stops it.
  writeFileSync(stateFile(o.dir), `${JSON.stringify(state, null, 2)}\n`);

  const admin = { root: o.root, stateDir: rgwDir };
  const deployer = deployerKey(o.dir);
  await ensureRgwUser(admin, { uid: DEPLOYER_UID, ...deployer, mayCreateBuckets: true });
  for (const a of o.planned.accounts)
    await ensureRgwUser(admin, { uid: a.account, accessKey: a.accessKey, secretKey: a.secretKey, mayCreateBuckets: false });
  // An account granted access but holding no static key: it exists, with a key nobody has.
  const keyless = [...new Set(o.planned.buckets.flatMap((b) => b.grants.map((g) => g.account)))].filter(
    (id) => !o.planned.accounts.some((a) => a.account === id),
  );
  for (const id of keyless) {
    await ensureRgwUser(admin, {
      uid: id,
      accessKey: `PGHALAB${randomBytes(8).toString("hex").toUpperCase()}`,
      secretKey: randomBytes(30).toString("base64url"),
      mayCreateBuckets: false,
    }).catch((e: Error) => {
      if (!/exists with another key/.test(e.message)) throw e;
    });
  }
  const target = deployerTarget({ ...o, dir: rgwDir }, hosts, port);
  for (const b of o.planned.buckets) {
    const made = await s3Request(target, deployer, "PUT", `/${b.name}`);
    if (made.status !== 200 && made.code !== "BucketAlreadyOwnedByYou")
      throw new Error(`creating bucket ${b.name} in RGW: HTTP ${made.status} ${made.code ?? made.body}`);
    const policy = bucketPolicy(b);
    const r = policy
      ? await s3Request(target, deployer, "PUT", `/${b.name}?policy`, policy)
      : await s3Request(target, deployer, "DELETE", `/${b.name}?policy`);
    if (r.status >= 300) throw new Error(`bucket ${b.name}: setting its policy in RGW: HTTP ${r.status} ${r.code ?? r.body}`);
    o.log(`  object storage: bucket ${b.name}: ${b.grants.map((g) => `${g.account} ${g.access}`).join(", ") || "no grants"}`);
  }
  return state;
}

/**
 * `lab up`'s one call: for a plan with buckets, RGW on the lab's internet namespace with the
 * plan's buckets, keys and grants, and every node's DNS and CA stand-ins. Nothing for a plan without.
 */
export async function setupLabObjectStorage(ctx: LabContext, images: LabImages, log: (line: string) => void): Promise<void> {
  const planned = plannedObjectStorageOfLab(ctx);
  if (planned.buckets.length === 0 && planned.accounts.length === 0) return;
  if (planned.problems.length > 0)
    throw new Error(`the lab cannot stand in for this plan's object storage:\n  - ${planned.problems.join("\n  - ")}`);
  for (const line of OBJECT_STORAGE_STAND_INS) log(`  stand-in: ${line}`);
  const net = readNetworkState(ctx.netStateFile);
  if (!net) throw new Error(`no lab network recorded in ${ctx.netStateFile}: set up the network and the internet first`);
  const netns = internetNetns(net.fabricNetns);
  // A second address on the internet namespace: the fabric routes the whole internet /24 there.
  await exec("ip", ["-n", netns, "addr", "replace", `${OBJECT_STORAGE_ADDRESS}/24`, "dev", "eth0"]);
  const dir = objectStorageDir(ctx.labDir);
  const state = await provisionObjectStorage({ root: images.tools, dir, netns, address: OBJECT_STORAGE_ADDRESS, planned, log });
  for (const n of ctx.plan.nodes) {
    await writeNodeStorageTrust(
      nodeRootfs(ctx.labDir, n.name),
      images.base,
      OBJECT_STORAGE_ADDRESS,
      state.hosts,
      join(dir, "rgw", "tls", "ca.pem"),
    );
  }
  log(
    `  object storage: ${state.hosts.join(", ")} -> ${OBJECT_STORAGE_ADDRESS}:${state.port} (RGW), ` +
      `${planned.accounts.length} static key(s) from the user-data, lab CA trusted by ${ctx.plan.nodes.length} node(s)`,
  );
}

/** `lab down`'s one call: stop RGW (its files go with the lab's directory). */
export async function teardownLabObjectStorage(labDir: string, log: (line: string) => void): Promise<void> {
  const dir = objectStorageDir(labDir);
  const state = readObjectStorageState(dir);
  if (!state) return;
  await stopRgw(state.rgw);
  rmSync(dir, { recursive: true, force: true });
  log(`  object storage: radosgw (pid ${state.rgw.pid}) stopped`);
}

/** `lab status`'s lines. */
export function objectStorageStatus(labDir: string): string[] {
  const state = readObjectStorageState(objectStorageDir(labDir));
  if (!state) return [];
  const up = isSameProcess(state.rgw);
  return [
    `object storage: RGW ${up ? `running (pid ${state.rgw.pid})` : "NOT running"} at ${state.address}:${state.port} for ` +
      `${state.hosts.join(", ")}; buckets ${state.buckets.join(", ") || "none"}; accounts ${state.accounts.join(", ") || "none"}`,
  ];
}
