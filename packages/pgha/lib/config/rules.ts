import { clusterAccessRules, loadBalancerRules, networkAccessRules } from "./access";
import { clientRules, memberRules } from "./memberRules";
import { postgresObjectRules } from "./roleRules";
import { clusterBlock, keepalivedEnabled, placementsFor, planAddresses, platformSupportsVip, subnetCapacity } from "./addressPlan";
import { cidrContains, cidrsOverlap, parseCidr, parseIpv4 } from "./common";
import type { ConfigIssue } from "./errors";
import { isSynchronous, resolvedTiming } from "./patroni";
import { parameterRules } from "./parameterRules";
import { DCS_ONLY_PARAMETERS, PATRONI_OWNED_PARAMETERS } from "./postgres";
import { sizeRules } from "./sizeRules";
import { hbaTlsIssues, tlsIssues } from "./tls";
import type { ClusterSpec, Topology } from "./topology";

/** Cross-field rules that a field schema alone cannot express. Pure: returns every problem found. */
export function topologyRules(t: Topology): ConfigIssue[] {
  const issues: ConfigIssue[] = networkRules(t);
  const add = (path: string, message: string) => issues.push({ path, message });

  uniqueNames(
    t.clusters.map((c) => c.name),
    "clusters",
    add,
  );
  etcdRules(t, add);
  t.clusters.forEach((c, i) => clusterRules(t, c, `clusters[${i}]`, add));
  t.clients.forEach((c, i) => {
    if (!t.regions.some((r) => r.name === c.region))
      add(`clients[${i}].region`, `unknown region '${c.region}'; declared: ${names(t.regions)}`);
  });
  clientRules(t, add);

  const blocks = new Map<number, string>();
  for (const [i, c] of t.clusters.entries()) {
    const block = clusterBlock(t, c);
    const other = blocks.get(block);
    if (other) add(`clusters[${i}].addressBlock`, `address block ${block} is already used by cluster '${other}'`);
    blocks.set(block, c.name);
  }
  issues.push(...clusterAccessRules(t));
  issues.push(...tlsIssues(t.tls), ...hbaTlsIssues(t));
  if (issues.length === 0) capacityRules(t, add);
  return issues;
}

type Add = (path: string, message: string) => void;

/** Rules on the network part alone (regions and subnets). */
export function networkRules(t: Pick<Topology, "platform" | "regions" | "subnets">): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add: Add = (path, message) => issues.push({ path, message });
  uniqueNames(
    t.regions.map((r) => r.name),
    "regions",
    add,
  );
  uniqueNames(
    t.subnets.map((s) => s.name),
    "subnets",
    add,
  );
  subnetRules(t, add);
  issues.push(...networkAccessRules(t));
  return issues;
}

/** Rules on one cluster within a topology, with paths under `path` (e.g. `clusters[0]`). */
export function clusterIssues(t: Topology, c: ClusterSpec, path: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  clusterRules(t, c, path, (p, message) => issues.push({ path: p, message }));
  return issues;
}

/** Rules on the etcd section within a topology. */
export function etcdIssues(t: Topology): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  etcdRules(t, (p, message) => issues.push({ path: p, message }));
  return issues;
}

function names(list: { name: string }[]): string {
  return list.map((x) => `'${x.name}'`).join(", ") || "none";
}

function uniqueNames(list: string[], path: string, add: Add) {
  list.forEach((n, i) => {
    if (list.indexOf(n) !== i) add(`${path}[${i}].name`, `duplicate name '${n}' (also ${path}[${list.indexOf(n)}])`);
  });
}

function subnetRules(t: Pick<Topology, "platform" | "regions" | "subnets">, add: Add) {
  const parsed = t.subnets.map((s) => parseCidr(s.cidr));
  t.subnets.forEach((s, i) => {
    const region = t.regions.find((r) => r.name === s.region);
    if (!region) {
      add(`subnets[${i}].region`, `unknown region '${s.region}'; declared: ${names(t.regions)}`);
      return;
    }
    if (t.platform.kind === "yandex" && s.zone === undefined)
      add(`subnets[${i}].zone`, "is required on yandex: Yandex VPC subnets are zonal");
    if ((t.platform.kind === "gcp" || t.platform.kind === "gke") && s.zone !== undefined)
      add(`subnets[${i}].zone`, "must be omitted on gcp: GCP subnetworks are regional");
    if (s.zone !== undefined && !region.zones.includes(s.zone))
      add(`subnets[${i}].zone`, `zone '${s.zone}' is not in region '${region.name}' (zones: ${region.zones.join(", ")})`);
    for (let j = 0; j < i; j++) {
      if (cidrsOverlap(parsed[i], parsed[j]))
        add(`subnets[${i}].cidr`, `${s.cidr} overlaps subnets[${j}] '${t.subnets[j].name}' (${t.subnets[j].cidr})`);
    }
  });
}

function etcdRules(t: Topology, add: Add) {
  const e = t.etcd;
  if (t.platform.kind === "gke") return; // Patroni uses the Kubernetes API as DCS there
  // The member count (3, 5 or 7) is the field schema's (etcd.ts), so the JSON Schema carries it too.
  if (e.electionTimeoutMs < 5 * e.heartbeatIntervalMs)
    add(
      "etcd.electionTimeoutMs",
      `electionTimeoutMs (${e.electionTimeoutMs}) must be >= 5 x heartbeatIntervalMs (${5 * e.heartbeatIntervalMs}), as etcd requires`,
    );
  if (e.clientPort === e.peerPort) add("etcd.peerPort", `peerPort (${e.peerPort}) must differ from clientPort`);
  if (e.region && !t.regions.some((r) => r.name === e.region))
    add("etcd.region", `unknown region '${e.region}'; declared: ${names(t.regions)}`);
  (e.subnets ?? []).forEach((s, i) => {
    if (!t.subnets.some((x) => x.name === s)) add(`etcd.subnets[${i}]`, `unknown subnet '${s}'; declared: ${names(t.subnets)}`);
  });
}

function clusterRules(t: Topology, c: ClusterSpec, p: string, add: Add) {
  if (!t.regions.some((r) => r.name === c.region)) {
    add(`${p}.region`, `unknown region '${c.region}'; declared: ${names(t.regions)}`);
    return;
  }
  (c.subnets ?? []).forEach((s, i) => {
    const subnet = t.subnets.find((x) => x.name === s);
    if (!subnet) add(`${p}.subnets[${i}]`, `unknown subnet '${s}'; declared: ${names(t.subnets)}`);
    else if (subnet.region !== c.region)
      add(`${p}.subnets[${i}]`, `subnet '${s}' is in region '${subnet.region}', not the cluster's region '${c.region}'`);
  });
  if (placementsFor(t, c.region, c.subnets).length === 0) add(`${p}.region`, `no subnet in region '${c.region}' for cluster '${c.name}'`);

  const dcs = c.patroni.dcs;
  const { ttl, loop_wait, retry_timeout } = resolvedTiming(dcs);
  // Patroni's own invariant is loop_wait + 2*retry_timeout <= ttl (its default 30/10/10 sits on the bound).
  if (ttl < loop_wait + 2 * retry_timeout)
    add(
      `${p}.patroni.dcs.ttl`,
      `ttl (${ttl}) must be >= loop_wait + 2*retry_timeout (${loop_wait + 2 * retry_timeout}), or a healthy leader loses its lock`,
    );
  // Quorum mode (Patroni >= 4.0) needs no more nodes than `true` does: with 2 it is ANY 1 (the other).
  if (isSynchronous(dcs) && dcs.synchronous_node_count >= c.nodes)
    add(
      `${p}.patroni.dcs.synchronous_node_count`,
      `synchronous_node_count (${dcs.synchronous_node_count}) must be < the number of Patroni nodes (${c.nodes}): ` +
        `Patroni would silently lower it to the standbys there are`,
    );
  if (dcs.synchronous_mode_strict && !isSynchronous(dcs))
    add(`${p}.patroni.dcs.synchronous_mode_strict`, 'synchronous_mode_strict needs synchronous_mode: true or "quorum"');
  if (dcs.synchronous_mode_strict && c.nodes < 2)
    add(
      `${p}.patroni.dcs.synchronous_mode_strict`,
      `strict synchronous mode needs >= 2 nodes (got ${c.nodes}): with one node every commit blocks`,
    );
  if (c.standby && dcs.synchronous_mode_strict)
    add(
      `${p}.patroni.dcs.synchronous_mode_strict`,
      "a standby cluster cannot be synchronous-strict: its leader cannot accept writes to wait for",
    );

  if (c.nodeSettings.length > c.nodes)
    add(`${p}.nodeSettings`, `has ${c.nodeSettings.length} entries but the cluster has ${c.nodes} nodes`);
  c.nodeSettings.forEach((ns, i) => {
    for (const key of Object.keys(ns.parameters ?? {})) {
      if ((DCS_ONLY_PARAMETERS as readonly string[]).includes(key))
        add(
          `${p}.nodeSettings[${i}].parameters.${key}`,
          `${key} is cluster-wide: Patroni keeps it in the DCS and replicas need the primary's value; set it in ${p}.postgres.parameters`,
        );
    }
    const from = ns.tags?.replicatefrom;
    if (from !== undefined && !Array.from({ length: c.nodes }, (_, k) => `${c.name}-pg-${k}`).includes(from))
      add(
        `${p}.nodeSettings[${i}].tags.replicatefrom`,
        `'${from}' is not a member of cluster '${c.name}' (${c.name}-pg-0..${c.nodes - 1})`,
      );
  });
  const allParams: [string, Record<string, unknown>][] = [
    [`${p}.postgres.parameters`, c.postgres.parameters],
    ...c.nodeSettings.map((ns, i): [string, Record<string, unknown>] => [`${p}.nodeSettings[${i}].parameters`, ns.parameters ?? {}]),
  ];
  for (const [path, params] of allParams) {
    for (const key of Object.keys(params)) {
      if ((PATRONI_OWNED_PARAMETERS as readonly string[]).includes(key))
        add(`${path}.${key}`, `${key} is managed by Patroni and pgha (from the cluster layout); remove it`);
    }
  }

  const roleNames = new Set([c.postgres.users.superuser, ...c.postgres.roles.map((r) => r.name)]);
  c.postgres.databases.forEach((d, i) => {
    if (!roleNames.has(d.owner)) add(`${p}.postgres.databases[${i}].owner`, `owner '${d.owner}' is not declared in ${p}.postgres.roles`);
  });

  listenerRules(t, c, p, add);
  parameterRules(t, c, p, add);
  sizeRules(t, c, p, add);
  loadBalancerRules(t, c, p, add);
  backupRules(t, c, p, add);
  standbyRules(t, c, p, add);
  memberRules(t, c, p, add);
  postgresObjectRules(c, p, add);

  const methods = c.patroni.create_replica_methods ?? [];
  methods.forEach((m, i) => {
    if (m !== "basebackup" && c.backups?.tool !== m)
      add(
        `${p}.patroni.create_replica_methods[${i}]`,
        `'${m}' needs backups.tool: ${m} (got ${c.backups ? c.backups.tool : "no backups"})`,
      );
  });

  const keep = c.haproxy.keepalived;
  if (!platformSupportsVip(t.platform.kind) && keep.enabled === true)
    add(
      `${p}.haproxy.keepalived.enabled`,
      `${t.platform.kind} VPCs cannot move a VIP by gratuitous ARP; HAProxy sits behind a cloud TCP load balancer there`,
    );
  if (keepalivedEnabled(t, c) && keep.vip) {
    const sub = placementsFor(t, c.region, c.haproxy.subnet ? [c.haproxy.subnet] : c.subnets)[0]?.subnet;
    const ip = parseIpv4(keep.vip);
    if (sub && ip !== undefined && !cidrContains(parseCidr(sub.cidr), ip))
      add(`${p}.haproxy.keepalived.vip`, `VIP ${keep.vip} is outside the HAProxy subnet '${sub.name}' (${sub.cidr})`);
  }
}

function listenerRules(t: Topology, c: ClusterSpec, p: string, add: Add) {
  const seen = new Map<number, string>();
  const claim = (port: number | undefined, path: string) => {
    if (port === undefined) return;
    const other = seen.get(port);
    if (other) add(path, `port ${port} is already used by ${other}`);
    else seen.set(port, path);
  };
  // Ports on one Patroni node.
  claim(c.postgres.port, `${p}.postgres.port`);
  claim(c.patroni.restApiPort, `${p}.patroni.restApiPort`);
  if (c.pgbouncer.enabled) claim(c.pgbouncer.port, `${p}.pgbouncer.port`);
  if (!c.haproxy.enabled) return;
  // Ports on one HAProxy node.
  seen.clear();
  const l = c.haproxy.listeners;
  for (const key of ["primary", "replicas", "sync", "async", "direct", "stats", "monitor"] as const)
    claim(l[key], `${p}.haproxy.listeners.${key}`);
  if (l.sync !== undefined && !isSynchronous(c.patroni.dcs))
    add(
      `${p}.haproxy.listeners.sync`,
      'needs patroni.dcs.synchronous_mode true or "quorum": ' +
        "in an asynchronous cluster no member is a synchronous standby, so the listener never has a server",
    );
  void t;
}

function backupRules(t: Topology, c: ClusterSpec, p: string, add: Add) {
  const b = c.backups;
  if (!b) return;
  const allowed: Record<string, string[]> = {
    yandex: ["yandex", "s3"],
    gcp: ["gcs", "s3"],
    gke: ["gcs", "s3"],
    local: ["local", "s3"],
  };
  if (!allowed[t.platform.kind].includes(b.storage.kind))
    add(
      `${p}.backups.storage.kind`,
      `'${b.storage.kind}' storage is not available on ${t.platform.kind}; use one of ${allowed[t.platform.kind].join(", ")}`,
    );
  if (b.tool === "pgbackrest" && b.storage.kind === "gcs" && t.platform.kind === "gke")
    add(`${p}.backups.tool`, "on gke pgha uses WAL-G (bundled in Spilo); pgbackrest is not available there");
}

function standbyRules(t: Topology, c: ClusterSpec, p: string, add: Add) {
  const s = c.standby;
  if (!s) return;
  const source = t.clusters.find((x) => x.name === s.source);
  if (!source) add(`${p}.standby.source`, `unknown cluster '${s.source}'; declared: ${names(t.clusters)}`);
  else if (source === c) add(`${p}.standby.source`, "a cluster cannot follow itself");
  else if (source.standby)
    add(`${p}.standby.source`, `'${s.source}' is itself a standby cluster; cascading standby clusters are not supported`);
  else if (s.restoreFromSourceBackups && !source.backups)
    add(
      `${p}.standby.restoreFromSourceBackups`,
      `source cluster '${s.source}' has no backups to restore from; configure its backups or set this to false`,
    );
  else if (s.restoreFromSourceBackups && source.backups?.storage.kind === "local")
    add(
      `${p}.standby.restoreFromSourceBackups`,
      `source cluster '${s.source}' keeps its backups on its own nodes (storage kind local), ` +
        `which a standby cannot read; set this to false, or back the source up to object storage`,
    );
}

function capacityRules(t: Topology, add: Add) {
  const plan = planAddresses(t);
  const used = [
    ...plan.nodes.map((n) => ({ subnet: n.subnet, offset: n.offset, what: n.name })),
    ...plan.vips.map((v) => ({ subnet: v.subnet, offset: v.offset, what: `VIP of ${v.cluster}` })),
    ...plan.loadBalancers.map((v) => ({ subnet: v.subnet, offset: v.offset, what: `load balancer of ${v.cluster}` })),
  ];
  t.subnets.forEach((s, i) => {
    const cap = subnetCapacity(s);
    const over = used.filter((u) => u.subnet === s.name && u.offset >= cap);
    if (over.length > 0) {
      const highest = over.reduce((a, b) => (b.offset > a.offset ? b : a));
      add(
        `subnets[${i}].cidr`,
        `${s.cidr} has no room for the planned static IPs: ` +
          `${highest.what} needs host offset ${highest.offset} but only ${cap} usable addresses exist; use a larger subnet (e.g. /24)`,
      );
    }
  });
}
