/**
 * The import graph of `src/`, read with TypeScript's own pre-processor: every static
 * `import`, `export … from` and dynamic `import()` of every file, type-only imports
 * included (a circle through types is still a circle a reader has to untangle).
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const src = join(root, "src");

/** Files of `src/` by path relative to `src/`, each with the files and packages it imports. */
export interface ImportGraph {
  readonly files: ReadonlyMap<string, { readonly local: string[]; readonly packages: string[] }>;
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

export function importGraph(): ImportGraph {
  const files = new Map<string, { local: string[]; packages: string[] }>();
  for (const path of walk(src, [])) {
    const info = ts.preProcessFile(readFileSync(path, "utf8"), true, true);
    const local: string[] = [];
    const packages: string[] = [];
    for (const ref of info.importedFiles) {
      const spec = ref.fileName;
      if (spec.startsWith(".")) {
        local.push(relative(src, resolve(dirname(path), spec.replace(/\.js$/, ".ts"))));
      } else packages.push(spec);
    }
    files.set(relative(src, path), { local, packages });
  }
  return { files };
}

/** Every file reachable from `entry` (relative to `src/`), itself included. */
export function reachable(graph: ImportGraph, entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of graph.files.get(file)?.local ?? []) stack.push(next);
  }
  return seen;
}

/** The import circles: strongly connected components of more than one file (Tarjan). */
export function circles(graph: ImportGraph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.files.get(v)?.local ?? []) {
      if (!graph.files.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.files.keys()) if (!indices.has(v)) visit(v);
  return out;
}
