import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The Yandex provider's resource schema (a copy of shared/reference/yandex-provider-schema.json,
 * committed so CI does not depend on the workplace layout). PGHA_YANDEX_SCHEMA overrides it.
 */
export const YANDEX_SCHEMA_PATH = process.env.PGHA_YANDEX_SCHEMA ?? path.join(__dirname, "../fixtures/yandex-provider-schema.json");

export interface PropSpec {
  type?: string;
  $ref?: string;
  items?: PropSpec;
  additionalProperties?: PropSpec;
}

export const yandexSchema = JSON.parse(readFileSync(YANDEX_SCHEMA_PATH, "utf8")) as {
  resources: Record<string, { inputProperties: Record<string, PropSpec> }>;
  types: Record<string, { properties: Record<string, PropSpec> }>;
};

/** Paths of input keys that the schema does not declare, following $ref, arrays and maps. */
export function undeclaredKeys(value: unknown, props: Record<string, PropSpec>, at: string): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [`${at} is not an object`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const spec = props[k];
    if (!spec) out.push(`${at}.${k}`);
    else out.push(...undeclaredIn(v, spec, `${at}.${k}`));
  }
  return out;
}

function undeclaredIn(value: unknown, spec: PropSpec, at: string): string[] {
  if (spec.$ref) {
    const token = spec.$ref.replace("#/types/", "");
    const type = yandexSchema.types[token];
    if (!type) return [`${at}: schema type ${token} missing`];
    return undeclaredKeys(value, type.properties, at);
  }
  if (spec.type === "array" && spec.items && Array.isArray(value)) {
    const items = spec.items;
    return value.flatMap((v, i) => undeclaredIn(v, items, `${at}[${i}]`));
  }
  if (spec.type === "object" && spec.additionalProperties && value && typeof value === "object") {
    const inner = spec.additionalProperties;
    return Object.entries(value).flatMap(([k, v]) => undeclaredIn(v, inner, `${at}["${k}"]`));
  }
  return [];
}

/** Undeclared input keys of one recorded Yandex resource (an unknown token is reported too). */
export function undeclaredYandexInputs(type: string, name: string, inputs: unknown): string[] {
  const spec = yandexSchema.resources[type];
  if (!spec) return [`${type}: not in the provider schema`];
  return undeclaredKeys(inputs, spec.inputProperties, `${type}(${name})`);
}
