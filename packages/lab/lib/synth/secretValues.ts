/**
 * Secrets as they reach the mocks: Pulumi serialises a secret input as
 * `{ [specialSigKey]: specialSecretSig, value }`. The mocks need the plain value to compute
 * outputs; the plan must show neither.
 */
import * as pulumi from "@pulumi/pulumi";

export function isSecretWrapper(v: unknown): v is { value: unknown } {
  return (
    typeof v === "object" && v !== null && (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

/** Deep copy with every secret wrapper replaced by its value. */
export function unwrapSecrets(v: unknown): unknown {
  if (isSecretWrapper(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}
