/**
 * Who may reach what, as the stack declares it: the nodes' path out (egress), the SSH source
 * for lib/ops, and what a load balancer exposes. The rules here refuse a stack that would open
 * more than it says, before any resource exists.
 */
import { z } from "zod";
import { cidrOfPrefix, cidrsOverlap, parseCidr } from "./common";
import type { ConfigIssue } from "./errors";
import type { ClusterSpec, Topology } from "./topology";

/**
 * A traffic source: any IPv4 CIDR (/0 to /32, no host bits). Wider than `cidr`, which is for
 * subnets pgha plans addresses in: an admin's workstation is a /32.
 */
export const sourceCidr = cidrOfPrefix(0, 32, "must be an IPv4 CIDR like 203.0.113.7/32");

export function cidrPrefix(s: string): number {
  return Number(s.split("/")[1]);
}

/** Admin sources narrower than this are refused: SSH open to a /7 is SSH open to the internet. */
export const ADMIN_CIDR_MIN_PREFIX = 8;

/** GCP needs a proxy-only subnet of /26 or wider. */
export const PROXY_ONLY_MAX_PREFIX = 26;

/**
 * GCP Identity-Aware Proxy's TCP forwarding range: SSH through IAP arrives from here
 * (cloud.google.com/iap/docs/using-tcp-forwarding, "Create a firewall rule").
 */
export const GCP_IAP_RANGE = "35.235.240.0/20";

/** How nodes reach package mirrors and release downloads (described at platform.egress). */
export const egressModes = z.enum(["nat", "provided"]);

export const loadBalancerExposure = z.enum(["internal", "public"]);

export const PUBLIC_MEMBERS_MESSAGE =
  "without HAProxy the load balancer forwards straight to PostgreSQL, " +
  "which is the direct (replication-capable) port: a public one needs publicDirect: true, or enable haproxy";

type Add = (path: string, message: string) => void;

/** Rules on the network part: platform.adminCidrs / iap / sshKeys and the proxy-only subnets. */
export function networkAccessRules(t: Pick<Topology, "platform" | "regions" | "subnets">): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add: Add = (path, message) => issues.push({ path, message });
  const pf = t.platform;
  pf.adminCidrs.forEach((c, i) => {
    if (cidrPrefix(c) < ADMIN_CIDR_MIN_PREFIX)
      add(
        `platform.adminCidrs[${i}]`,
        `${c} opens SSH to ${cidrPrefix(c) === 0 ? "the whole internet" : "a /" + cidrPrefix(c)}; ` +
          `name the admin networks (at most /${ADMIN_CIDR_MIN_PREFIX} wide), or use platform.iap on gcp`,
      );
  });
  if (pf.iap && pf.kind !== "gcp" && pf.kind !== "gke")
    add("platform.iap", `Identity-Aware Proxy is a Google Cloud service; ${pf.kind} has no IAP (use platform.adminCidrs)`);
  const sshSource = pf.adminCidrs.length > 0 || pf.iap;
  if (sshSource && pf.sshKeys.length === 0)
    add(
      pf.adminCidrs.length > 0 ? "platform.adminCidrs" : "platform.iap",
      "opens SSH for lib/ops, which also needs platform.sshKeys (the ops user's public keys); nothing else uses port 22",
    );
  if (pf.sshKeys.length > 0 && !sshSource && (pf.kind === "yandex" || pf.kind === "gcp"))
    add(
      "platform.adminCidrs",
      `platform.sshKeys is set for lib/ops, which reaches the Patroni nodes over SSH, ` +
        `but no firewall opens port 22: name the admin CIDRs${pf.kind === "gcp" ? " or set platform.iap: true" : ""}`,
    );
  t.regions.forEach((r, i) => {
    if (!r.proxyOnlyCidr) return;
    if (cidrPrefix(r.proxyOnlyCidr) > PROXY_ONLY_MAX_PREFIX)
      add(
        `regions[${i}].proxyOnlyCidr`,
        `${r.proxyOnlyCidr} is too small: GCP needs a proxy-only subnet of /${PROXY_ONLY_MAX_PREFIX} or wider`,
      );
    const clash = t.subnets.find((s) => cidrsOverlap(parseCidr(s.cidr), parseCidr(r.proxyOnlyCidr as string)));
    if (clash)
      add(
        `regions[${i}].proxyOnlyCidr`,
        `${r.proxyOnlyCidr} overlaps subnet '${clash.name}' (${clash.cidr}); a proxy-only subnet needs its own range`,
      );
    if (pf.kind !== "gcp") add(`regions[${i}].proxyOnlyCidr`, `proxy-only subnets are a gcp feature; ${pf.kind} does not use them`);
  });
  return issues;
}

/**
 * Rules on one cluster's load balancer exposure, paths under `p` (e.g. `clusters[0]`). Part of
 * the cluster rules, so a PatroniCluster built on its own is checked as a stack file is.
 */
export function loadBalancerRules(t: Pick<Topology, "clusters">, c: ClusterSpec, p: string, add: Add): void {
  const at = `${p}.loadBalancer`;
  const lb = c.loadBalancer;
  if (lb.exposure === "public" && lb.sourceRanges.length === 0)
    add(
      `${at}.sourceRanges`,
      "exposure: public needs sourceRanges: the client networks allowed to connect (a public listener open to everyone is never a default)",
    );
  if (lb.exposure === "internal" && lb.sourceRanges.length > 0)
    add(
      `${at}.sourceRanges`,
      "applies to exposure: public only; an internal load balancer admits the own subnets and platform.clientCidrs",
    );
  if (lb.publicDirect && lb.exposure !== "public")
    add(`${at}.publicDirect`, "needs exposure: public (it publishes the direct, replication-capable port)");
  if (lb.enabled && lb.exposure === "public" && !lb.publicDirect && !c.haproxy.enabled) add(`${at}.publicDirect`, PUBLIC_MEMBERS_MESSAGE);
  const followers = t.clusters.filter((x) => x.standby?.source === c.name);
  if (lb.enabled && lb.exposure === "public" && !lb.publicDirect && followers.length > 0)
    add(
      `${at}.publicDirect`,
      `standby cluster '${followers[0].name}' streams through this load balancer's direct (replication) port, ` +
        `which exposure: public leaves off unless publicDirect: true; keep the load balancer internal (scope: ` +
        `global is cross-region and internal on gcp) or publish the port explicitly`,
    );
}

/** Rules across clusters: proxy-only subnets for a global internal LB, and one bucket per cluster. */
export function clusterAccessRules(t: Topology): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add: Add = (path, message) => issues.push({ path, message });
  const pf = t.platform;
  const globalInternal = t.clusters.some(
    (c) => c.loadBalancer.enabled && c.loadBalancer.scope === "global" && c.loadBalancer.exposure === "internal",
  );
  if (pf.kind === "gcp" && globalInternal)
    t.regions.forEach((r, i) => {
      if (!r.proxyOnlyCidr && t.subnets.some((s) => s.region === r.name))
        add(
          `regions[${i}].proxyOnlyCidr`,
          `a global internal load balancer (GCP's cross-region internal proxy NLB) ` +
            `needs a proxy-only subnet in region '${r.name}': name a free /26 or wider`,
        );
    });

  const owners = new Map<string, string>();
  t.clusters.forEach((c, i) => {
    const s = c.backups?.storage;
    if (!s || s.kind === "local" || s.bucket === undefined) return;
    const key = `${s.kind}:${s.bucket}`;
    const other = owners.get(key);
    if (other)
      add(
        `clusters[${i}].backups.storage.bucket`,
        `bucket '${s.bucket}' is already cluster '${other}''s: each cluster gets its own bucket, ` +
          `so one cluster's credentials can never delete another's backups`,
      );
    else owners.set(key, c.name);
  });
  return issues;
}
