import { readFileSync } from "node:fs";
import * as path from "node:path";
import { packageFile } from "../packageRoot";

/**
 * Line-oriented config files (haproxy.cfg, keepalived.conf, pgbouncer.ini, units) come from
 * `templates/`, shipped in the npm package next to `lib/`. Placeholders are `{{name}}`;
 * there are no loops or conditionals on purpose: repeated or optional blocks are built in
 * TypeScript and substituted as one value, so the logic stays typed and testable.
 */
export const TEMPLATE_DIR = packageFile("templates");

export type TemplateValues = Record<string, string | number>;

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

// A template is a constant of the package; reading it once keeps renderers effectively pure.
const cache = new Map<string, string>();

export function loadTemplate(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`invalid template name '${name}'`);
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(TEMPLATE_DIR, name), "utf8");
    cache.set(name, text);
  }
  return text;
}

/**
 * Substitute every `{{key}}` in `text`. Throws when a placeholder has no value, when a value
 * is not used (a typo on either side), or when the template holds a malformed `{{`.
 * Values are inserted verbatim and never re-scanned, so a value may itself contain `{{`.
 */
export function fillText(text: string, values: TemplateValues, what = "template"): string {
  const stray = text.replace(PLACEHOLDER, "").indexOf("{{");
  if (stray >= 0) throw new Error(`${what}: malformed placeholder near '${text.replace(PLACEHOLDER, "").slice(stray, stray + 20)}'`);
  const used = new Set<string>();
  const out = text.replace(PLACEHOLDER, (_m, key: string) => {
    const v: unknown = Object.hasOwn(values, key) ? values[key] : undefined;
    if (v === undefined || v === null) throw new Error(`${what}: no value for placeholder {{${key}}}`);
    if (typeof v !== "string" && typeof v !== "number")
      throw new Error(`${what}: value for {{${key}}} is a ${typeof v}, not a string or number`);
    if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`${what}: value for {{${key}}} is not a finite number`);
    used.add(key);
    return String(v);
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`${what}: values not used by the template: ${unused.join(", ")}`);
  return out;
}

/** `fillText` on `templates/<name>`. */
export function fillTemplate(name: string, values: TemplateValues): string {
  return fillText(loadTemplate(name), values, `templates/${name}`);
}
