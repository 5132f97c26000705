/**
 * The architecture of `src/errors/`, checked from its source: it imports nothing else of the
 * package, and no file imports a file that imports it back, type-only imports included.
 */

import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

const DIR = new URL("../../src/errors/", import.meta.url);
/** `import … from "x"`, `export … from "x"` and `import "x"`, over several lines too. */
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^;]*?from\s*"([^"]+)"|(?:^|\n)\s*import\s*"([^"]+)"/g;

async function importGraph(): Promise<Map<string, string[]>> {
  const files = (await readdir(DIR)).filter((f) => f.endsWith(".ts"));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = await readFile(new URL(file, DIR), "utf8");
    const targets = [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? "");
    graph.set(file, targets);
  }
  return graph;
}

/** Every cycle's files, found by depth-first search over the local edges. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      const next = target.replace(/^\.\//, "").replace(/\.js$/, ".ts");
      if (!graph.has(next)) continue;
      if (state.get(next) === "open") found.push([...path.slice(path.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (state.get(file) === undefined) visit(file);
  return found;
}

describe("src/errors imports", () => {
  it("imports nothing outside itself, and no package", async () => {
    const graph = await importGraph();
    expect(graph.size).toBeGreaterThan(15);
    for (const [file, targets] of graph) {
      for (const target of targets) {
        expect(`${file} → ${target}`).toMatch(/ → \.\/[a-z-]+\.js$/);
      }
    }
  });

  it("has no import circle, type-only imports included", async () => {
    const graph = await importGraph();
    expect(cycles(graph)).toEqual([]);
  });

  it("would see a circle if there were one", () => {
    const graph = new Map([
      ["a.ts", ["./b.js"]],
      ["b.ts", ["./c.js"]],
      ["c.ts", ["./a.js"]],
    ]);
    expect(cycles(graph)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });

  it("keeps every file of the folder under about 500 lines", async () => {
    for (const file of (await readdir(DIR)).filter((f) => f.endsWith(".ts"))) {
      const lines = (await readFile(new URL(file, DIR), "utf8")).split("\n").length;
      expect(`${file}: ${lines}`).toSatisfy(() => lines <= 520);
    }
  });
});
