/**
 * The authenticators that the root entry exports need only `fetch` and Web Crypto: esbuild
 * bundles them for the browser with no Node shim. The Node-only parts (loopback listener,
 * token file, external command, TLS fetch, config file) stay behind `flyte-remote/config`.
 */

import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { expect, test } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

async function bundleForBrowser(entry: string) {
  return build({
    entryPoints: [resolve(root, entry)],
    bundle: true,
    write: false,
    platform: "browser",
    format: "esm",
    logLevel: "silent",
    metafile: true,
  });
}

test("src/auth bundles for the browser, and reaches none of src/auth/node or src/config", async () => {
  const result = await bundleForBrowser("src/auth/index.ts");
  const inputs = Object.keys(result.metafile?.inputs ?? {});
  expect(inputs.some((f) => f.includes("src/auth/pkce.ts"))).toBe(true);
  expect(inputs.filter((f) => f.includes("src/auth/node/") || f.includes("src/config/"))).toEqual(
    [],
  );
  const code = result.outputFiles?.[0]?.text ?? "";
  expect(code).not.toMatch(/from\s*"node:/);
});

test("flyte-remote/config does need Node, so the check above can fail", async () => {
  await expect(bundleForBrowser("src/config/index.ts")).rejects.toThrow(/node:/);
});
