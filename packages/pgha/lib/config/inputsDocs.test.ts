/**
 * One text per field: the JSDoc of the input interfaces (what an IDE shows a Pulumi user) must
 * equal the field's description in the JSON Schema (what an editor shows in the stack file), which
 * comes from the zod schema's `.describe()`. Walks every field of TopologyInput with the
 * TypeScript checker alongside the generated schema.
 */
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { topologyJsonSchema } from "./jsonSchema";

type Schema = Record<string, any>;

const normalize = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ").trim();

function interfaceType(file: string, name: string): { checker: ts.TypeChecker; type: ts.Type } {
  const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`cannot read ${file}`);
  const symbol = checker.getExportsOfModule(checker.getSymbolAtLocation(source) as ts.Symbol).find((s) => s.name === name);
  if (!symbol) throw new Error(`${file} exports no ${name}`);
  return { checker, type: checker.getDeclaredTypeOfSymbol(symbol) };
}

/** Every mismatch between the interfaces' JSDoc and the schema's descriptions, as `path: problem`. */
function docProblems(checker: ts.TypeChecker, type: ts.Type, schema: Schema, at: string, out: string[]): number {
  let fields = 0;
  const t = checker.getNonNullableType(type);
  if (checker.isArrayType(t))
    return docProblems(checker, checker.getTypeArguments(t as ts.TypeReference)[0], schema.items ?? {}, `${at}[]`, out);
  const branches: Schema[] | undefined = schema.oneOf ?? schema.anyOf;
  if (t.isUnion() && branches && t.types.every((m) => m.flags & ts.TypeFlags.Object)) {
    // Tagged unions (storage kinds, slot types): pair members by their discriminant's literal.
    for (const member of t.types) {
      const branch = branches.find((b) =>
        Object.entries(b.properties ?? {}).some(([key, p]: [string, any]) => {
          const prop = member.getProperty(key);
          const literal = prop && checker.getTypeOfSymbol(prop);
          return "const" in p && literal?.isStringLiteral() && literal.value === p.const;
        }),
      );
      if (!branch) out.push(`${at}: no schema branch for ${checker.typeToString(member)}`);
      else fields += docProblems(checker, member, branch, at, out);
    }
    return fields;
  }
  if (!(t.flags & ts.TypeFlags.Object)) return 0;
  const record = checker.getIndexInfoOfType(t, ts.IndexKind.String);
  if (record) return schema.additionalProperties ? docProblems(checker, record.type, schema.additionalProperties, `${at}.*`, out) : 0;

  const props = checker.getPropertiesOfType(t);
  const schemaProps: Record<string, Schema> = schema.properties ?? {};
  const missing = Object.keys(schemaProps).filter((k) => !props.some((p) => p.name === k));
  if (missing.length > 0) out.push(`${at}: schema fields without an interface field: ${missing.join(", ")}`);
  for (const prop of props) {
    const where = at ? `${at}.${prop.name}` : prop.name;
    const node = schemaProps[prop.name];
    if (!node) {
      out.push(`${where}: not in the JSON Schema`);
      continue;
    }
    fields++;
    const doc = normalize(ts.displayPartsToString(prop.getDocumentationComment(checker)));
    const description = normalize(node.description);
    if (!doc) out.push(`${where}: the interface field has no JSDoc`);
    if (!description) out.push(`${where}: the schema has no description`);
    if (doc && description && doc !== description) out.push(`${where}:\n    JSDoc:  ${doc}\n    schema: ${description}`);
    fields += docProblems(checker, checker.getTypeOfSymbol(prop), node, where, out);
  }
  return fields;
}

describe("input interface JSDoc and JSON Schema descriptions", () => {
  const { checker, type } = interfaceType(path.join(__dirname, "inputs/index.ts"), "TopologyInput");

  it("are the same text for every field", () => {
    const problems: string[] = [];
    const fields = docProblems(checker, type, topologyJsonSchema(), "", problems);
    expect(problems.join("\n")).toBe("");
    // The walk reached the nested sections (storage branches, slots, tags), not just the top level.
    expect(fields).toBeGreaterThan(150);
  });

  it("would notice a changed description", () => {
    const schema = topologyJsonSchema() as Schema;
    schema.properties.etcd.properties.members.description = "Members.";
    const problems: string[] = [];
    docProblems(checker, type, schema, "", problems);
    expect(problems).toEqual([expect.stringMatching(/^etcd\.members:\n {4}JSDoc: {2}Members: 3, 5 or 7/)]);
  });
});
