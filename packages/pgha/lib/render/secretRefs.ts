/**
 * Secrets out of user-data. Renderers render with real values (the tool tests check real files);
 * this module then swaps every secret value in a node's files for a reference token
 * `PGHA_SECRET_<NAME>`, and returns the values as the node's secret entries. User-data carries the
 * redacted files, the manifest (/etc/pgha/secrets.json: where the secret is and which files hold
 * tokens) and pgha-secrets, which puts the values back at first boot with the VM's own identity.
 *
 * Tokens use only [A-Z0-9_], so every file stays valid YAML, ini, JSON and conninfo with a token
 * in place of a value. Pure and deterministic.
 */
import type { NodeFile } from "./model";
import { loadTemplate } from "./template";

/** Where the node keeps the manifest (no value inside, 0644) and the script that reads it. */
export const SECRETS_MANIFEST = "/etc/pgha/secrets.json";
export const SECRETS_SCRIPT = "/usr/local/sbin/pgha-secrets";

export const SECRET_TOKEN_PREFIX = "PGHA_SECRET_";
/** A token as pgha-secrets finds it in a file (the same expression is in templates/pgha-secrets.py). */
export const SECRET_TOKEN_PATTERN = /PGHA_SECRET_[A-Z0-9_]+/g;

/**
 * Shortest value swapped for a token: a shorter one could equal innocent text (a port, a word) and
 * turn it into a token. Generated passwords are 16-32 characters; keepalived's auth_pass is 8.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * Where a node's secrets are, as the manifest names them: no value, only a reference the VM's own
 * identity resolves (Secret Manager project + secret id, a Lockbox secret id, the lab plan's secret).
 */
export type SecretStoreRef =
  | { kind: "gcp-secret-manager"; project: string; secret: string }
  | { kind: "yandex-lockbox"; secretId: string }
  | { kind: "lab"; secret: string };

/** A file that holds tokens: pgha-secrets rewrites it with this owner and mode. */
export interface SecretFileEntry {
  path: string;
  owner: string;
  mode: string;
}

export interface SecretsManifest {
  version: 1;
  store: SecretStoreRef;
  files: SecretFileEntry[];
}

export interface RedactedFiles {
  files: NodeFile[];
  /** Token -> value, for the tokens that occur in `files` (what the node's secret must hold). */
  entries: Record<string, string>;
  /** The files that hold at least one token, in file order. */
  secretFiles: SecretFileEntry[];
}

export function secretToken(name: string): string {
  if (!/^[A-Z0-9]+(_[A-Z0-9]+)*$/.test(name)) throw new Error(`secret name '${name}' must be upper-case letters, digits and single '_'`);
  return `${SECRET_TOKEN_PREFIX}${name}`;
}

/**
 * Swap every occurrence of each secret value (by NAME) in `files` for its token. Longer values
 * go first, so a value containing another is replaced whole; names sharing a value (one key for
 * two services) share the first name's token. Throws when a value is too short, when a file
 * already contains token-like text, when a token would run into the text after it (pgha-secrets
 * could not find its end), or when a value is still there in another form (JSON-escaped, base64):
 * user-data would carry it.
 */
export function redactSecrets(files: NodeFile[], secrets: Record<string, string>): RedactedFiles {
  const byValue = new Map<string, string>();
  for (const [name, value] of Object.entries(secrets)) {
    const token = secretToken(name);
    if (value.length < MIN_SECRET_LENGTH)
      throw new Error(`secret ${name} is ${value.length} characters; values shorter than ${MIN_SECRET_LENGTH} cannot be told from text`);
    if (!byValue.has(value)) byValue.set(value, token);
  }
  const ordered = [...byValue.entries()].sort(([a], [b]) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  const entries: Record<string, string> = {};
  const secretFiles: SecretFileEntry[] = [];
  const out = files.map((f) => {
    if (f.content.includes(SECRET_TOKEN_PREFIX)) throw new Error(`${f.path} already contains '${SECRET_TOKEN_PREFIX}' text`);
    let content = f.content;
    for (const [value, token] of ordered) {
      if (!content.includes(value)) continue;
      content = content.split(value).join(token);
      entries[token] = value;
    }
    for (const [value, token] of ordered)
      for (const form of derivedForms(value))
        if (content.includes(form))
          throw new Error(`${f.path}: ${token.slice(SECRET_TOKEN_PREFIX.length)} appears transformed (escaped or base64)`);
    if (content === f.content) return f;
    for (const found of content.match(SECRET_TOKEN_PATTERN) ?? [])
      if (entries[found] === undefined)
        throw new Error(`${f.path}: a secret value runs into the text after it ('${found}' is no token); it cannot be swapped safely`);
    secretFiles.push({ path: f.path, owner: f.owner, mode: f.permissions });
    return { ...f, content };
  });
  return { files: out, entries: sortedEntries(entries), secretFiles };
}

/** What pgha-secrets does on the node: every token back to its value. Throws naming a token without an entry. */
export function substituteSecrets(content: string, entries: Record<string, string>): string {
  return content.replace(SECRET_TOKEN_PATTERN, (token) => {
    const value = entries[token];
    if (value === undefined) throw new Error(`no entry for ${token}`);
    return value;
  });
}

/** Forms a value may take in a file besides itself; only those that differ from it and are long enough to mean something. */
function derivedForms(value: string): string[] {
  const forms = [JSON.stringify(value).slice(1, -1), Buffer.from(value, "utf8").toString("base64").replace(/=+$/, "")];
  return forms.filter((f) => f !== value && f.length >= MIN_SECRET_LENGTH);
}

function sortedEntries(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** /etc/pgha/secrets.json: JSON, stable key order, no value inside. */
export function renderSecretsManifest(store: SecretStoreRef, files: SecretFileEntry[]): string {
  const manifest: SecretsManifest = { version: 1, store, files };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The node script (python3 stdlib only: cloud-init is python, so every image has it). */
export function renderSecretsScript(): string {
  return loadTemplate("pgha-secrets.py");
}

/**
 * The files user-data adds for a node with secrets: the manifest (0644, nothing secret) and the
 * script (0755 root). Empty when no file holds a token.
 */
export function secretsNodeFiles(store: SecretStoreRef, secretFiles: SecretFileEntry[]): NodeFile[] {
  if (secretFiles.length === 0) return [];
  return [
    { path: SECRETS_MANIFEST, content: renderSecretsManifest(store, secretFiles), owner: "root:root", permissions: "0644" },
    { path: SECRETS_SCRIPT, content: renderSecretsScript(), owner: "root:root", permissions: "0755" },
  ];
}
