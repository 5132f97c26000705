import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Every module `file` imports, transitively, split into our files and packages. */
function importGraph(file: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (path: string) => {
    if (files.has(path)) return;
    files.add(path);
    const source = readFileSync(path, "utf8");
    for (const m of source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gms)) {
      const spec = m[1] ?? "";
      if (spec.startsWith(".")) visit(resolve(dirname(path), spec.replace(/\.js$/, ".ts")));
      else packages.add(spec);
    }
  };
  visit(file);
  return { files, packages };
}

test("flyte-remote/msw pulls in no Node module, so it bundles for the browser", () => {
  const { files, packages } = importGraph(resolve(root, "src/msw/index.ts"));
  expect([...packages].filter((p) => p.startsWith("node:") || p.includes("connect-node"))).toEqual(
    [],
  );
  const nodeOnly = ["connection-front", "gated-relay", "node-handler", "test-server"];
  expect([...files].filter((f) => nodeOnly.some((n) => f.endsWith(`/testing/${n}.ts`)))).toEqual(
    [],
  );
  // The walker does see the shared service code, so an empty list above means something.
  expect([...files].some((f) => f.endsWith("/testing/run-service.ts"))).toBe(true);
  expect(packages.has("msw")).toBe(true);
});

test("the node server's entry point does pull in node modules (the check can fail)", () => {
  const { packages } = importGraph(resolve(root, "src/testing/index.ts"));
  expect([...packages].some((p) => p.startsWith("node:"))).toBe(true);
});
