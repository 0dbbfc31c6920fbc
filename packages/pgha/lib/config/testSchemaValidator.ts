/**
 * A validator for the JSON Schema subset z.toJSONSchema emits for the stack file, so tests can ask
 * "does an editor accept this value?" without a validator dependency. Any keyword it does not know
 * throws: a new keyword in the generated schema must be taught here, never silently ignored.
 */

type Schema = Record<string, unknown>;

/** Keywords that carry no constraint. */
const ANNOTATIONS = new Set(["$schema", "title", "description", "default", "examples"]);
const KNOWN = new Set([
  ...ANNOTATIONS,
  "type",
  "enum",
  "const",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minItems",
  "maxItems",
  "items",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "anyOf",
  "oneOf",
]);

/** Problems of `value` against `schema`, as `path: message`; empty when valid. */
export function schemaErrors(schema: Schema, value: unknown, path = ""): string[] {
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${path || "(root)"}: ${message}`);
  for (const key of Object.keys(schema))
    if (!KNOWN.has(key)) throw new Error(`schemaValidator: unsupported keyword '${key}' at ${path || "(root)"}`);

  if (schema.type !== undefined && !hasType(value, schema.type as string)) {
    fail(`expected ${JSON.stringify(schema.type)}`);
    return errors;
  }
  if (schema.enum !== undefined && !(schema.enum as unknown[]).some((e) => e === value)) fail(`not one of ${JSON.stringify(schema.enum)}`);
  if ("const" in schema && schema.const !== value) fail(`not ${JSON.stringify(schema.const)}`);
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) fail(`below minimum ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) fail(`above maximum ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) fail(`not above ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) fail(`not below ${schema.exclusiveMaximum}`);
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof schema.minLength === "number" && length < schema.minLength) fail(`shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === "number" && length > schema.maxLength) fail(`longer than ${schema.maxLength}`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) fail(`does not match ${schema.pattern}`);
    if (schema.format !== undefined && !matchesFormat(schema.format as string, value)) fail(`not a ${JSON.stringify(schema.format)}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) fail(`fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) fail(`more than ${schema.maxItems} items`);
    if (schema.items !== undefined) value.forEach((v, i) => errors.push(...schemaErrors(schema.items as Schema, v, `${path}[${i}]`)));
  }
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in value)) fail(`missing required '${key}'`);
    for (const [key, v] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (schema.propertyNames !== undefined) errors.push(...schemaErrors(schema.propertyNames as Schema, key, `${at} (name)`));
      if (key in properties) errors.push(...schemaErrors(properties[key], v, at));
      else if (schema.additionalProperties === false) fail(`unknown property '${key}'`);
      else if (isObject(schema.additionalProperties)) errors.push(...schemaErrors(schema.additionalProperties, v, at));
    }
  }
  if (schema.anyOf !== undefined) {
    const branches = (schema.anyOf as Schema[]).map((s) => schemaErrors(s, value, path));
    if (!branches.some((b) => b.length === 0)) fail(`matches no anyOf branch (${branches.flat().join("; ")})`);
  }
  if (schema.oneOf !== undefined) {
    const branches = (schema.oneOf as Schema[]).map((s) => schemaErrors(s, value, path));
    const matching = branches.filter((b) => b.length === 0).length;
    if (matching !== 1)
      fail(matching === 0 ? `matches no oneOf branch (${branches.flat().join("; ")})` : `matches ${matching} oneOf branches`);
  }
  return errors;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    default:
      throw new Error(`schemaValidator: unsupported type '${type}'`);
  }
}

function matchesFormat(format: string, value: string): boolean {
  if (format !== "uri") throw new Error(`schemaValidator: unsupported format '${format}'`);
  return URL.canParse(value);
}
