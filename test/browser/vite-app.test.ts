/**
 * A Vite app that imports flyte-remote, built as a user builds one (`vite build`, for the
 * browser, minified), with no Node shims: a plugin fails the build on any Node built-in the
 * app reaches, where Vite itself would only warn and leave an empty stub. The built app then
 * runs in Debian's Chromium against the test server on another origin, and reports what
 * `wait()` gave it.
 */

import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { build, type Plugin } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../src/testing/index.js";
import { ownEntrySource } from "./bundle.js";
import { type Browser, launchChromium } from "./chromium.js";
import { type StaticFile, type StaticServer, serveStatic } from "./static-server.js";

const APP = `
import { createClient, isFlyteError } from "flyte-remote";

const endpoint = decodeURIComponent(location.hash.slice(1));
const client = createClient({ endpoint, project: "flytesnacks", domain: "development" });
const report = {};
for (const task of ["succeed", "oom"]) {
  try {
    const run = await client.createRun({ task: { name: task } });
    const result = await run.wait();
    report[task] = { resolved: true, phase: result.phaseName };
  } catch (err) {
    report[task] = isFlyteError(err)
      ? { resolved: false, name: err.name, kind: err.kind, code: err.code }
      : { resolved: false, thrown: String(err) };
  }
}
await client.close();
window.__report = report;
`;

/** Fails the build on any Node built-in, `node:` prefixed or not. */
function noNodeBuiltins(): Plugin {
  const builtins = new Set(builtinModules);
  return {
    name: "no-node-builtins",
    enforce: "pre",
    resolveId(id, importer) {
      const bare = id.startsWith("node:") ? id.slice(5) : id;
      if (id.startsWith("node:") || builtins.has(bare)) {
        this.error(`the app reaches the Node built-in '${id}' (from ${importer ?? "?"})`);
      }
      return null;
    },
  };
}

let dir: string;
let site: StaticServer;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "flyte-remote-vite-app-"));
  await writeFile(
    join(dir, "index.html"),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script type="module" src="/main.js"></script></body></html>\n',
  );
  await writeFile(join(dir, "main.js"), APP);
  await build({
    root: dir,
    logLevel: "silent",
    configFile: false,
    plugins: [noNodeBuiltins()],
    // The package as an app that installed it sees it: through its exports map, with the
    // browser's conditions (the sources behind dist/, so no build of the package is needed).
    resolve: { alias: [{ find: /^flyte-remote$/, replacement: ownEntrySource("flyte-remote") }] },
    build: { outDir: join(dir, "dist"), target: "es2022", minify: true, emptyOutDir: true },
  });
  const files: Record<string, StaticFile> = {};
  const dist = join(dir, "dist");
  for (const entry of await readdir(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const type = path.endsWith(".html")
      ? "text/html; charset=utf-8"
      : path.endsWith(".js")
        ? "text/javascript"
        : "application/octet-stream";
    files[`/${relative(dist, path)}`] = { type, body: await readFile(path) };
  }
  files["/"] = files["/index.html"]!;
  site = await serveStatic(files);
  server = await startTestServer({ speed: 1000, cors: { origins: [site.url] } });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("a Vite app that imports flyte-remote", () => {
  it("builds with no Node shims and waits on runs from Chromium, with typed errors", async () => {
    const tab = await browser.open(`${site.url}/#${encodeURIComponent(server.url)}`);
    await tab.page.waitForFunction(() => "__report" in globalThis, undefined, { timeout: 30_000 });
    const report = await tab.page.evaluate(
      () => (globalThis as unknown as { __report: unknown }).__report,
    );
    expect(report).toEqual({
      succeed: { resolved: true, phase: "SUCCEEDED" },
      oom: { resolved: false, name: "OOMError", kind: "user", code: "OOMKilled" },
    });
    expect(tab.pageErrors).toEqual([]);
    expect(tab.consoleErrors).toEqual([]);
  });
});
