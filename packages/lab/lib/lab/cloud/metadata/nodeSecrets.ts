// The lab's own view of a node's files after its first-boot fetch: user-data carries reference
// tokens (PGHA_SECRET_<NAME>) in place of secrets, and the node manifest /etc/pgha/secrets.json
// names the store (the lab's, Yandex Lockbox or GCP Secret Manager). The lab's client, object
// storage and drills need the real values (e.g. the application password the writer logs in
// with); they read them from the same secret file the stand-in serves, never from anything a node
// could not get by its own identity.
import type { SynthPlan } from "../../../synth/plan";
import { readSecretFile } from "../../../synth/secretFiles";
import { metadataAccessPlan, secretFileOf } from "./accessPlan";

export const SECRETS_MANIFEST_PATH = "/etc/pgha/secrets.json";
const TOKEN = /PGHA_SECRET_[A-Z0-9_]+/g;

export interface NodeFile {
  path: string;
  content: string;
}

interface Manifest {
  version: number;
  store: { kind: string; secret?: string; secretId?: string };
  files: { path: string }[];
}

export function hasSecretTokens(text: string): boolean {
  return new RegExp(TOKEN.source).test(text);
}

/** The entries of the secret a node's manifest names, from the file synth wrote for it. */
export function nodeSecretEntries(
  planDir: string,
  plan: Pick<SynthPlan, "resources">,
  node: string,
  files: NodeFile[],
): Record<string, string> {
  const manifestFile = files.find((f) => f.path === SECRETS_MANIFEST_PATH);
  if (!manifestFile) throw new Error(`${node}: user-data holds secret tokens but no ${SECRETS_MANIFEST_PATH}`);
  const manifest = JSON.parse(manifestFile.content) as Manifest;
  const access = metadataAccessPlan(plan);
  if (manifest.store.kind !== access.store)
    throw new Error(`${node}: its secrets are in a ${manifest.store.kind} store, but the plan's secrets are in a ${access.store} store`);
  const file = secretFileOf(access, manifest.store);
  if (!file) throw new Error(`${node}: the plan holds no secret ${manifest.store.secretId ?? manifest.store.secret}`);
  return readSecretFile(planDir, file);
}

/** `text` with every token replaced by its entry; a token without one fails, naming it (never a value). */
export function substituteTokens(text: string, entries: Record<string, string>, where: string): string {
  return text.replace(TOKEN, (token) => {
    const value = entries[token];
    if (value === undefined) throw new Error(`${where}: no secret entry for ${token}`);
    return value;
  });
}

/** A node's files as they are after its fetch (files without tokens are returned as they are). */
export function resolveNodeFiles<F extends NodeFile>(planDir: string, plan: Pick<SynthPlan, "resources">, node: string, files: F[]): F[] {
  if (!files.some((f) => hasSecretTokens(f.content))) return files;
  const entries = nodeSecretEntries(planDir, plan, node, files);
  return files.map((f) => (hasSecretTokens(f.content) ? { ...f, content: substituteTokens(f.content, entries, `${node} ${f.path}`) } : f));
}
