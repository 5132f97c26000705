/**
 * Bundles a test page for the browser with esbuild, as a user's bundler would bundle an
 * app that imports flyte-remote. `flyte-remote` and `flyte-remote/<entry>` resolve through
 * the package's own `exports` map, with the conditions a browser bundler uses, and each
 * `./dist/….js` target is read from its `src/….ts` source so no build step is needed.
 * `platform: "browser"` means a `node:` import reachable from an entry fails the bundle.
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const root = fileURLToPath(new URL("../../", import.meta.url));
const packageName = "flyte-remote";

/** The conditions esbuild applies for `platform: "browser"` and ESM output. */
const browserConditions = new Set(["browser", "module", "import", "default"]);

/** The target an `exports` entry picks under `conditions`, as Node's resolver does. */
function pickTarget(entry: unknown, conditions: ReadonlySet<string>): string | undefined {
  if (typeof entry === "string") return entry;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const target = pickTarget(item, conditions);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (entry !== null && typeof entry === "object") {
    for (const [key, value] of Object.entries(entry)) {
      if (!conditions.has(key)) continue;
      const target = pickTarget(value, conditions);
      if (target !== undefined) return target;
    }
  }
  return undefined;
}

/**
 * The source file behind `specifier` (`flyte-remote` or `flyte-remote/errors`) for a
 * browser bundle, found through package.json's `exports`.
 */
export function ownEntrySource(specifier: string): string {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    exports?: Record<string, unknown>;
  };
  const subpath = `.${specifier.slice(packageName.length)}`;
  const entry = manifest.exports?.[subpath];
  const target = entry === undefined ? undefined : pickTarget(entry, browserConditions);
  if (target === undefined) {
    throw new Error(`package.json exports no browser entry for '${specifier}' (${subpath})`);
  }
  const built = /^\.\/dist\/(.+)\.js$/.exec(target);
  const file = built === null ? join(root, target) : join(root, "src", `${built[1]}.ts`);
  if (!existsSync(file)) {
    throw new Error(`'${specifier}' resolves to ${target}, and ${file} does not exist`);
  }
  return file;
}

const ownEntries: Plugin = {
  name: "flyte-remote-own-entries",
  setup(build) {
    build.onResolve({ filter: /^flyte-remote(\/.*)?$/ }, (args) => ({
      path: ownEntrySource(args.path),
    }));
  },
};

/** Bundles `test/browser/pages/<page>` into one ES module for a `<script type="module">`. */
export async function bundlePage(page: string): Promise<string> {
  const result = await build({
    entryPoints: [join(root, "test/browser/pages", page)],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    sourcemap: "inline",
    logLevel: "silent",
    plugins: [ownEntries],
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild produced nothing for ${page}`);
  return output.text;
}

/** msw's service worker script, served at the page origin's root (its default scope). */
export function mswWorkerScript(): string {
  return readFileSync(join(root, "node_modules/msw/lib/mockServiceWorker.js"), "utf8");
}
