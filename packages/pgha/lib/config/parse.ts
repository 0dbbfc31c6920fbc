import type { z } from "zod";
import { ConfigError, zodIssues } from "./errors";
import { topologyRules } from "./rules";
import { type Topology, topologyShape } from "./topology";

/**
 * Validate a whole stack: field schemas first, then cross-field rules.
 * Throws ConfigError listing every problem with its field path; never a partial result.
 */
export function parseTopology(input: unknown, context = "invalid pgha stack configuration"): Topology {
  const parsed = topologyShape.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new ConfigError(zodIssues(parsed.error), context);
  const issues = topologyRules(parsed.data);
  if (issues.length > 0) throw new ConfigError(issues, context);
  return parsed.data;
}

/** Validate one section with its schema, prefixing paths with where it sits (component args). */
export function parseSection<S extends z.ZodType>(schema: S, input: unknown, pathPrefix: string, context: string): z.output<S> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new ConfigError(zodIssues(parsed.error, pathPrefix), context);
  return parsed.data;
}
