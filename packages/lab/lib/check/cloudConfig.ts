/**
 * The parts of a node's cloud-config that say what it needs from the network: packages, apt
 * sources, the files it writes (configs, scripts) and the users with SSH keys. Pure.
 * Keys as cloud-init reads them (https://cloudinit.readthedocs.io/en/latest/reference/modules.html).
 */
import { parse as parseYaml } from "yaml";

export interface CloudConfigView {
  packages: string[];
  /** apt source lines (cc_apt_configure `apt.sources.*.source`). */
  aptSources: string[];
  files: Map<string, string>;
  /** Users with SSH authorized keys (cc_users_groups; the default user is not counted). */
  sshUsers: { name: string; keys: number }[];
}

export function readCloudConfig(text: string): CloudConfigView {
  const doc = (parseYaml(text) ?? {}) as Record<string, unknown>;
  const packages = asArray(doc.packages).map((p) => (Array.isArray(p) ? String(p[0]) : String(p)));
  const sources = asRecord(asRecord(doc.apt)?.sources) ?? {};
  const aptSources = Object.values(sources)
    .map((s) => asRecord(s)?.source)
    .filter((s): s is string => typeof s === "string");
  const files = new Map<string, string>();
  for (const f of asArray(doc.write_files)) {
    const r = asRecord(f);
    if (r && typeof r.path === "string") files.set(r.path, typeof r.content === "string" ? r.content : "");
  }
  const sshUsers = asArray(doc.users)
    .map(asRecord)
    .filter((u): u is Record<string, unknown> => !!u && typeof u.name === "string")
    .map((u) => ({ name: String(u.name), keys: asArray(u.ssh_authorized_keys).length }))
    .filter((u) => u.keys > 0);
  const topKeys = asArray(doc.ssh_authorized_keys).length;
  if (topKeys > 0) sshUsers.push({ name: "(default user)", keys: topKeys });
  return { packages, aptSources, files, sshUsers };
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
