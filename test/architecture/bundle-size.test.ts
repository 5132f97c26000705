/**
 * What a browser app downloads for flyte-remote: the client entry and the error model
 * alone, bundled for the browser by esbuild, minified and gzipped. The budgets are the
 * figures BENCHMARKS.md publishes plus a margin, so the bundles cannot grow unnoticed: a
 * change that crosses one must raise the budget here and say why in BENCHMARKS.md.
 */

import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { root } from "./import-graph.js";

/** Bytes after gzip, per entry; see BENCHMARKS.md, "Browser bundles". */
const BUDGETS = {
  client: 96 * 1024,
  errors: 12 * 1024,
} as const;

async function bundle(source: string): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
    // Resolve the package's own entries as an app that installed it would.
    alias: {
      "flyte-remote/errors": `${root}/src/errors/index.ts`,
      "flyte-remote": `${root}/src/index.ts`,
    },
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

describe("browser bundles, minified and gzipped", () => {
  it("an app that creates a client and waits stays within its budget", async () => {
    const size = await bundle(
      'import { createClient, isFlyteError } from "flyte-remote";\n' +
        "const client = createClient({ endpoint: location.origin });\n" +
        'client.getRun("r").wait().catch((e) => console.log(isFlyteError(e)));\n',
    );
    console.log(`client bundle: ${size.minified} B minified, ${size.gzipped} B gzipped`);
    expect(size.gzipped).toBeLessThanOrEqual(BUDGETS.client);
  });

  it("an app that only catches and revives errors stays within its budget", async () => {
    const size = await bundle(
      'import { FlyteError, isFlyteError } from "flyte-remote/errors";\n' +
        "console.log(isFlyteError(FlyteError.fromJSON(JSON.parse(localStorage.e ?? '{}'))));\n",
    );
    console.log(`errors bundle: ${size.minified} B minified, ${size.gzipped} B gzipped`);
    expect(size.gzipped).toBeLessThanOrEqual(BUDGETS.errors);
  });
});
