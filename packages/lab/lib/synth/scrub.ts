/**
 * What keeps secrets out of plan.json. Three rules, applied to everything the plan records:
 * 1. user-data (a VM's `userData`, or `metadata["user-data"]`) becomes the path of the
 *    user-data file written next to the plan (mode 0600) — it holds passwords and keys;
 * 2. values Pulumi marks secret become "[secret]";
 * 3. every secret the mocks generated (passwords, private keys, access keys) is replaced by
 *    "[secret]" wherever it appears inside any string, marked secret or not.
 */
import { isSecretWrapper, unwrapSecrets } from "./secretValues";

export const SECRET_PLACEHOLDER = "[secret]";

export interface ScrubContext {
  /** user-data content → path of its file relative to the plan. */
  userDataFiles: ReadonlyMap<string, string>;
  /** Secret values to cut out of strings. */
  secrets: Iterable<string>;
}

export class Scrubber {
  private readonly secrets: string[];

  constructor(private readonly ctx: ScrubContext) {
    // Longest first, so a whole PEM goes before the base64 lines also registered for it.
    this.secrets = [...new Set(ctx.secrets)].filter((s) => s.length >= 8).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  }

  /**
   * Deep copy of `value` with the three rules applied. Inside a secret (Pulumi marks a whole
   * map secret when one of its values is) the structure is kept and every leaf hidden, so a
   * VM's `metadata["user-data"]` still points at its file.
   */
  scrub(value: unknown, key?: string, parentKey?: string, inSecret = false): unknown {
    if (isUserDataKey(key, parentKey)) return this.userData(value);
    if (isSecretWrapper(value)) {
      const inner = value.value;
      return typeof inner === "object" && inner !== null ? this.scrub(inner, key, parentKey, true) : SECRET_PLACEHOLDER;
    }
    if (Array.isArray(value)) return value.map((v) => this.scrub(v, undefined, key, inSecret));
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.scrub(v, k, key, inSecret)]));
    }
    if (inSecret && value !== null && value !== undefined) return SECRET_PLACEHOLDER;
    if (typeof value === "string") return this.scrubString(value);
    return value;
  }

  scrubString(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(SECRET_PLACEHOLDER);
    return out;
  }

  /** Secrets still present in `text` (the final check on the written plan). */
  leaks(text: string): number {
    return this.secrets.filter((s) => text.includes(s)).length;
  }

  private userData(value: unknown): unknown {
    const plain = unwrapSecrets(value);
    if (plain === undefined || plain === null) return plain;
    if (typeof plain === "string") return this.ctx.userDataFiles.get(plain) ?? `${SECRET_PLACEHOLDER} (user-data of no planned node)`;
    return SECRET_PLACEHOLDER;
  }
}

function isUserDataKey(key: string | undefined, parentKey: string | undefined): boolean {
  return key === "userData" || (parentKey === "metadata" && key === "user-data");
}
