/**
 * Every optional property of the package's types says `| undefined` out loud. With
 * `exactOptionalPropertyTypes`, which strict projects turn on, `{ endpoint: maybe }` where
 * `maybe` is `string | undefined` does not compile against `endpoint?: string`; against
 * `endpoint?: string | undefined` it does. Generated code is protobuf-es's and left out.
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";
import { root } from "./import-graph.js";

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "gen") sources(path, out);
    } else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

it("every optional property of src/ accepts undefined explicitly", () => {
  const missing: string[] = [];
  let optional = 0;
  for (const file of sources(join(root, "src"))) {
    const source = ts.createSourceFile(
      file,
      readFileSync(file, "utf8"),
      ts.ScriptTarget.Latest,
      true,
    );
    const visit = (node: ts.Node): void => {
      if (
        (ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) &&
        node.questionToken !== undefined &&
        node.type !== undefined
      ) {
        optional++;
        const type = node.type;
        const explicit =
          ts.isUnionTypeNode(type) &&
          type.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword);
        if (!explicit) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          missing.push(`${relative(root, file)}:${line + 1} ${node.name.getText(source)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  expect(optional).toBeGreaterThan(400);
  expect(missing).toEqual([]);
});
