/**
 * A resource input as text, for names, messages and comparisons. Inputs are untyped (Pulumi
 * mock inputs, the plan's JSON): a string is itself, a number or boolean its usual text, and
 * anything else (absent, an object, a list) the fallback, or its JSON when there is none, so
 * it never reads "[object Object]".
 */
export function inputText(value: unknown, fallback?: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return fallback ?? JSON.stringify(value) ?? "undefined";
}
