import { z } from "zod";
import { topologyShape } from "./topology";

/**
 * JSON Schema of the `pgha:topology` value in stacks/Pulumi.<env>.yaml, for editor completion.
 * `io: "input"` documents what users write (defaults make fields optional). Field descriptions are
 * the schemas' `.describe()` texts, the same as the JSDoc of the input interfaces (inputsDocs.test.ts).
 */
export function topologyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(topologyShape, { io: "input", unrepresentable: "any" });
}

/** Schema for a whole stack file: `config: { "pgha:topology": <Topology> }`. */
export function stackFileJsonSchema(): Record<string, unknown> {
  const topology = topologyJsonSchema();
  const { $schema, ...body } = topology;
  return {
    $schema,
    title: "pgha stack configuration (stacks/Pulumi.<env>.yaml)",
    type: "object",
    properties: {
      config: {
        type: "object",
        properties: { "pgha:topology": body },
        required: ["pgha:topology"],
      },
      secretsprovider: { type: "string" },
      encryptionsalt: { type: "string" },
    },
  };
}
