/**
 * The local platform's secrets (`pgha-lab:index:Secret`): their entries are what a node fetches
 * at first boot with its own identity, so the plan must not hold them. `pgha synth` writes each
 * secret's entries to `secrets/<name>.json` beside the plan (mode 0600 in a 0700 directory, as
 * user-data files), records that path in the plan instead, and the lab's metadata stand-in
 * serves the file to the VMs the plan grants it to.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { unwrapSecrets } from "./secretValues";

export const SECRETS_DIR = "secrets";
export const LAB_SECRET_TYPE = "pgha-lab:index:Secret";
export const LAB_SECRET_ACCESS_TYPE = "pgha-lab:index:SecretAccess";
export const LAB_SERVICE_ACCOUNT_TYPE = "pgha-lab:index:ServiceAccount";
/** The cloud stores' versions: the payload a node reads (Yandex Lockbox entries, GCP Secret Manager data). */
export const LOCKBOX_VERSION_TYPE = "yandex:index/lockboxSecretVersion:LockboxSecretVersion";
export const SECRET_MANAGER_VERSION_TYPE = "gcp:secretmanager/secretVersion:SecretVersion";

/** A secret as the program registered it: entries by reference token (`PGHA_SECRET_<NAME>`). */
export interface LabSecret {
  name: string;
  entries: Record<string, string>;
}

export function secretFilePath(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`secret name ${JSON.stringify(name)} is not usable as a file name`);
  return `${SECRETS_DIR}/${name}.json`;
}

/** The lab secrets among recorded resources (inputs still carrying Pulumi's secret wrappers). */
export function labSecretsOf(resources: { type: string; name: string; inputs: Record<string, unknown> }[]): LabSecret[] {
  const out: LabSecret[] = [];
  for (const r of resources) {
    if (r.type !== LAB_SECRET_TYPE) continue;
    const inputs = unwrapSecrets(r.inputs) as { name?: unknown; entries?: unknown };
    const name = typeof inputs.name === "string" ? inputs.name : r.name;
    if (name !== r.name)
      throw new Error(`synth: lab secret resource ${r.name} names itself ${name}; the plan refers to secrets by one name`);
    const entries = inputs.entries;
    if (typeof entries !== "object" || entries === null || Array.isArray(entries))
      throw new Error(`synth: lab secret ${name}: entries must be a map of reference token to value`);
    for (const [token, value] of Object.entries(entries)) {
      if (!/^PGHA_SECRET_[A-Z0-9_]+$/.test(token))
        throw new Error(`synth: lab secret ${name}: entry ${token} is not a PGHA_SECRET_<NAME> token`);
      if (typeof value !== "string") throw new Error(`synth: lab secret ${name}: entry ${token} is not a string`);
    }
    out.push({ name, entries: entries as Record<string, string> });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The cloud secret versions among recorded resources, as the entries their node reads (named by
 * the version's resource name): a Lockbox version's `entries` [{key, textValue}], a Secret Manager
 * version's `secretData` (the JSON object of entries pgha writes). The plan keeps their inputs
 * scrubbed; the lab's stand-ins for those stores serve these files.
 */
export function cloudSecretsOf(resources: { type: string; name: string; inputs: Record<string, unknown> }[]): LabSecret[] {
  const out: LabSecret[] = [];
  for (const r of resources) {
    if (r.type !== LOCKBOX_VERSION_TYPE && r.type !== SECRET_MANAGER_VERSION_TYPE) continue;
    const inputs = unwrapSecrets(r.inputs) as { entries?: unknown; secretData?: unknown };
    const entries: Record<string, unknown> = {};
    if (r.type === LOCKBOX_VERSION_TYPE) {
      if (!Array.isArray(inputs.entries))
        throw new Error(`synth: Lockbox secret version ${r.name}: entries must be a list of {key, textValue}`);
      for (const e of inputs.entries as { key?: unknown; textValue?: unknown }[]) entries[String(e.key)] = e.textValue;
    } else {
      let data: unknown;
      try {
        data = JSON.parse(String(inputs.secretData));
      } catch {
        throw new Error(`synth: Secret Manager version ${r.name}: secretData is not the JSON object of entries pgha writes`);
      }
      if (typeof data !== "object" || data === null || Array.isArray(data))
        throw new Error(`synth: Secret Manager version ${r.name}: secretData is not a JSON object of entries`);
      Object.assign(entries, data);
    }
    for (const [token, value] of Object.entries(entries)) {
      if (!/^PGHA_SECRET_[A-Z0-9_]+$/.test(token))
        throw new Error(`synth: secret version ${r.name}: entry ${token} is not a PGHA_SECRET_<NAME> token`);
      if (typeof value !== "string") throw new Error(`synth: secret version ${r.name}: entry ${token} is not a string`);
    }
    out.push({ name: r.name, entries: entries as Record<string, string> });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The JSON a secret file holds: its entries, keys sorted, so synth output is byte-identical. */
export function secretFileText(s: LabSecret): string {
  const sorted = Object.fromEntries(Object.entries(s.entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/**
 * Write `files` (name -> text) into `dir` as 0600 files in a 0700 directory, and remove the files
 * with `extension` that are not among them, so the directory matches the plan.
 */
export function writePrivateFiles(dir: string, extension: string, files: Map<string, string>): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  for (const [name, text] of files) {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    chmodSync(path, 0o600); // the mode option only applies when the file is created
  }
  for (const f of readdirSync(dir)) if (f.endsWith(extension) && !files.has(f)) rmSync(join(dir, f));
}

/** Write every secret's file (0600, directory 0700) and remove files of secrets no longer planned. */
export function writeSecretFiles(outDir: string, secrets: LabSecret[]): void {
  const dir = join(outDir, SECRETS_DIR);
  if (secrets.length === 0) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  writePrivateFiles(dir, ".json", new Map(secrets.map((s) => [basename(secretFilePath(s.name)), secretFileText(s)])));
}

/** A secret file written by synth, read back (for the lab's metadata stand-in and its own client). */
export function readSecretFile(planDir: string, relativePath: string): Record<string, string> {
  if (!relativePath.startsWith(`${SECRETS_DIR}/`) || relativePath.includes(".."))
    throw new Error(`secret file ${relativePath} is not under ${SECRETS_DIR}/`);
  return JSON.parse(readFileSync(join(planDir, relativePath), "utf8")) as Record<string, string>;
}
