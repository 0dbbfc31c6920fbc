import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * A generated password, always a Pulumi secret. Alphanumeric only: these end up in
 * YAML, ini files, libpq connection strings and keepalived, none of which need quoting then.
 */
export function generatedPassword(name: string, parent: pulumi.Resource, length = 32): pulumi.Output<string> {
  const pw = new random.RandomPassword(name, { length, special: false, upper: true, lower: true, numeric: true }, { parent });
  return pulumi.secret(pw.result);
}

/** 32 random bytes as 64 hex digits (a WAL-G libsodium key / pgBackRest cipher pass); a secret. */
export function generatedKey32(name: string, parent: pulumi.Resource): pulumi.Output<string> {
  return pulumi.secret(new random.RandomId(name, { byteLength: 32 }, { parent }).hex);
}
