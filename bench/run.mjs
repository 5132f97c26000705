#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --only decode,latency]`
 *
 * Transpiles the TypeScript the benchmarks need into bench/.tmp with esbuild (type-stripping
 * only: about a second, where a full `tsc` build takes half a minute on a busy 2-core
 * machine; `npm run typecheck` checks these same files), then runs the benchmarks in a fresh
 * Node with `--expose-gc`, so heap figures are taken after a full collection.
 *
 * Exits non-zero only when a benchmark crashes. A figure that misses its target never fails
 * the run: these machines are noisy, and the targets are read from the published results.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "bench", ".tmp", "build");

/** Everything the benchmarks import: the package sources, the benchmarks, the fault proxy. */
const inputs = ["src", "bench", join("test", "faults"), join("test", "support")];

function* tsFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === ".tmp" || entry === "node_modules") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (entry.endsWith(".ts") && !entry.endsWith(".d.ts") && !entry.endsWith(".test.ts"))
      yield path;
  }
}

const started = performance.now();
rmSync(out, { recursive: true, force: true });
const entryPoints = inputs.flatMap((input) => [...tsFiles(join(root, input))]);
// One output file per source file, imports left as written (`./x.js`), so the layout under
// bench/.tmp/build mirrors the repository and relative imports resolve unchanged.
buildSync({
  entryPoints,
  outdir: out,
  outbase: root,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
console.log(
  `bench: transpiled ${entryPoints.length} files into ${relative(root, out)} in ${Math.round(performance.now() - started)} ms`,
);

const result = spawnSync(
  process.execPath,
  ["--expose-gc", join(out, "bench", "main.js"), ...process.argv.slice(2)],
  { stdio: "inherit", cwd: root },
);
if (result.error) throw result.error;
process.exit(result.status ?? 1);
