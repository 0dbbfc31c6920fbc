import type { z } from "zod";

export interface ConfigIssue {
  /** Field path as the user writes it, e.g. `clusters[0].patroni.dcs.ttl`. */
  path: string;
  message: string;
}

/**
 * A user error: printed as a list of `path: message` lines, never with a stack trace. It is a
 * Pulumi RunError too: `pulumi.RunError.isInstance` looks for the marker property below (so it
 * works across copies of the SDK), and the Node runtime then prints only the message. This module
 * stays free of @pulumi/pulumi.
 */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  /** The marker `pulumi.RunError.isInstance` checks. */
  readonly __pulumiRunError = true;
  constructor(issues: ConfigIssue[], context = "invalid configuration") {
    super(`${context}:\n${issues.map((i) => `  - ${i.path || "(root)"}: ${i.message}`).join("\n")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export function prefixPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
}

export function zodIssues(error: z.ZodError, prefix = ""): ConfigIssue[] {
  return error.issues.map((issue) => ({
    path: prefixPath(prefix, formatPath(issue.path)),
    message: readableMessage(issue),
  }));
}

/** Fields earlier pgha versions accepted, and what replaced them. */
const RENAMED_FIELDS: Record<string, string> = {
  internal: "; loadBalancer.internal was replaced by exposure: internal (the default) or exposure: public with sourceRanges",
};

function readableMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `is required (${issue.expected})` : `must be ${issue.expected}, got ${describe(issue.input)}`;
    case "unrecognized_keys":
      return `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(", ")}${issue.keys.map((k) => RENAMED_FIELDS[k] ?? "").join("")}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describe(issue.input)}`;
    case "invalid_union":
      return issue.input === undefined ? issue.message : `${issue.message} (got ${describe(issue.input)})`;
    case "too_small":
      return `${issue.message} (got ${describe(issue.input)})`;
    case "too_big":
      return `${issue.message} (got ${describe(issue.input)})`;
    default:
      return issue.message;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v !== null && typeof v === "object") return "an object";
  return typeof v === "bigint" ? v.toString() : (JSON.stringify(v) ?? typeof v);
}
