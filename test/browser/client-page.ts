/**
 * The Node side of the client pages (msw-page.ts, server-page.ts): their API called
 * through `page.evaluate`, and the tests every transport must pass on both.
 */

import type { Page } from "playwright-core";
import { it } from "vitest";
import { bundlePage } from "./bundle.js";
import { type BrowserPage, launchChromium } from "./chromium.js";
import type { ClientPageApi, PageOutcome, PageProtocol, PageRun } from "./pages/page-api.js";
import { expectPromiseKept, faultCases, faultGapsOf, outcomeCases } from "./scenarios.js";
import { pageHtml, type StaticFile, serveStatic } from "./static-server.js";

type PageGlobals = { flyteClientPage: ClientPageApi };

/** The transports the pages' clients use: the default, JSON, and gRPC-Web. */
export const pageProtocols: readonly PageProtocol[] = ["connect", "connect-json", "grpc-web"];

/** `globalThis.flyteClientPage` of `page`, called from Node. */
export interface ClientPage {
  start(config: Parameters<ClientPageApi["start"]>[0]): Promise<void>;
  runAll(runs: readonly PageRun[]): Promise<PageOutcome[]>;
  stop(): Promise<void>;
}

/** Waits for the page's script, then hands out its API. */
export async function clientPage(page: Page): Promise<ClientPage> {
  await page.waitForFunction(() => "flyteClientPage" in globalThis);
  return {
    start: (config) =>
      page.evaluate((c) => (globalThis as unknown as PageGlobals).flyteClientPage.start(c), config),
    runAll: (runs) =>
      page.evaluate(
        (list) => (globalThis as unknown as PageGlobals).flyteClientPage.runAll(list),
        runs,
      ),
    stop: () => page.evaluate(() => (globalThis as unknown as PageGlobals).flyteClientPage.stop()),
  };
}

/** A client page open in its own Chromium. */
export interface ClientPageSession {
  /** The page's origin, `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly tab: BrowserPage;
  readonly page: ClientPage;
  /** Stops the page's client, closes the browser and the static server. */
  close(): Promise<void>;
}

/**
 * Bundles `test/browser/pages/<script>`, serves it (with `files`) from 127.0.0.1, and opens
 * it in a fresh Chromium.
 */
export async function openClientPage(
  script: string,
  files: Readonly<Record<string, StaticFile>> = {},
): Promise<ClientPageSession> {
  const site = await serveStatic({
    ...files,
    "/": pageHtml("/page.js"),
    "/page.js": { type: "text/javascript", body: await bundlePage(script) },
  });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await site.close();
    throw error;
  });
  try {
    const tab = await browser.open(`${site.url}/`);
    const page = await clientPage(tab.page);
    return {
      origin: site.url,
      tab,
      page,
      async close() {
        try {
          await page.stop();
        } finally {
          await browser.close();
          await site.close();
        }
      },
    };
  } catch (error) {
    await browser.close();
    await site.close();
    throw error;
  }
}

/**
 * Registers the scenario tests of one transport: every outcome, then every fault before
 * `succeed` and `oom`, each batch waited on at once. Faults the client does not yet
 * survive in a browser are listed as `todo` with the reason. Run names start with `prefix`.
 */
export function scenarioTests(page: () => ClientPage, protocol: PageProtocol, prefix: string) {
  it("every outcome ends as the catalogue promises: class, kind and code", async () => {
    const cases = outcomeCases(prefix);
    const outcomes = await page().runAll(cases.map((c) => c.run));
    for (const [i, c] of cases.entries()) {
      expectPromiseKept(outcomes[i] ?? { resolved: false, phases: [] }, c);
    }
  });

  it("each fault before succeed and oom still ends as promised", async () => {
    const cases = faultCases(prefix, protocol);
    const outcomes = await page().runAll(cases.map((c) => c.run));
    for (const [i, c] of cases.entries()) {
      expectPromiseKept(outcomes[i] ?? { resolved: false, phases: [] }, c);
    }
  });

  for (const gap of faultGapsOf(protocol)) {
    it.todo(`${gap.fault} before succeed and oom: ${gap.reason}`);
  }
}
