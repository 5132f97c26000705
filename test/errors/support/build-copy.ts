/**
 * Builds a standalone copy of `src/errors` as plain ESM, as a consumer's `node_modules`
 * would hold it, so brand checks can be tested across copies, realms and threads.
 *
 * It uses the TypeScript compiler's transpiler on the folder alone: the full build would
 * also compile the rest of `src`, which the errors copy does not need.
 */

import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const SOURCE = fileURLToPath(new URL("../../../src/errors/", import.meta.url));

/** Writes `<root>/dist/errors/*.js` and returns the `file:` URL of its index. */
export async function buildErrorsCopy(root: string): Promise<string> {
  const out = join(root, "dist", "errors");
  await mkdir(out, { recursive: true });
  await writeFile(join(root, "package.json"), JSON.stringify({ type: "module" }));
  for (const file of await readdir(SOURCE)) {
    if (!file.endsWith(".ts")) continue;
    const source = await readFile(join(SOURCE, file), "utf8");
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    await writeFile(join(out, file.replace(/\.ts$/, ".js")), outputText);
  }
  return pathToFileURL(join(out, "index.js")).href;
}
