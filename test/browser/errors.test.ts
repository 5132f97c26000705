/**
 * flyte-remote/errors in Debian's Chromium: bundled for the browser from the package's
 * own `exports`, it revives every error class from the JSON Node wrote, and its brand
 * makes `instanceof` hold across two separately bundled copies in one page.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASES, fullOptions } from "../errors/support/cases.js";
import { bundlePage } from "./bundle.js";
import { type Browser, type BrowserPage, launchChromium } from "./chromium.js";
import type { ErrorsPageApi } from "./pages/page-api.js";
import { pageHtml, type StaticServer, serveStatic } from "./static-server.js";

let browser: Browser;
let site: StaticServer;
let tab: BrowserPage;

beforeAll(async () => {
  const [page, copy] = await Promise.all([
    bundlePage("errors-page.ts"),
    bundlePage("errors-copy.ts"),
  ]);
  site = await serveStatic({
    // The copy loads first, as a library's bundle next to the app's.
    "/": pageHtml("/copy.js", "/page.js"),
    "/page.js": { type: "text/javascript", body: page },
    "/copy.js": { type: "text/javascript", body: copy },
  });
  browser = await launchChromium();
  tab = await browser.open(`${site.url}/`);
  await tab.page.waitForFunction(
    () => "flyteErrorsPage" in globalThis && "flyteErrorsCopy" in globalThis,
  );
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** The page's API, as the functions `page.evaluate` ships into the page see it. */
type PageGlobals = { flyteErrorsPage: ErrorsPageApi };

describe("flyte-remote/errors in Chromium", () => {
  it.each(CASES)("revives $name from Node's JSON with its class, lineage and fields", async (c) => {
    const original = c.make({ ...fullOptions(), kind: "system", code: "C-1" });
    const wire = JSON.parse(JSON.stringify(original)) as unknown;
    const seen = await tab.page.evaluate(
      ([json, name, base]) =>
        (globalThis as unknown as PageGlobals).flyteErrorsPage.revive(json, name, base),
      [wire, c.name, c.base] as const,
    );
    expect(seen).toMatchObject({
      name: c.name,
      constructorIsOwnClass: true,
      isFlyteError: true,
      instanceOfFlyteError: true,
      instanceOfClass: true,
      instanceOfBase: true,
      instanceOfError: true,
      kind: "system",
      code: "C-1",
      retryable: original.retryable,
      hint: original.hint,
      bytes: [0, 1, 2, 253, 254, 255],
    });
    // Serialised again in the browser, it is the same document Node wrote.
    expect(seen.json).toEqual(wire);
  });

  it.each([
    ["OOMError", "RuntimeUserError"],
    ["TaskTimeoutError", "RuntimeUserError"],
    ["RunAbortedError", "FlyteError"],
    ["UnionRpcError", "FlyteError"],
  ])("%s made by another bundled copy is instanceof this copy's classes", async (name, base) => {
    const seen = await tab.page.evaluate(
      ([n, b]) => (globalThis as unknown as PageGlobals).flyteErrorsPage.fromOtherCopy(n, b),
      [name, base] as const,
    );
    expect(seen).toMatchObject({
      name,
      // Really another copy: its constructor is not ours, and yet every check holds.
      constructorIsOwnClass: false,
      isFlyteError: true,
      instanceOfFlyteError: true,
      instanceOfClass: true,
      instanceOfBase: true,
      kind: "system",
      code: "C-9",
    });
    const revived = await tab.page.evaluate(
      (n) => (globalThis as unknown as PageGlobals).flyteErrorsPage.otherCopyRevives(n),
      name,
    );
    expect(revived).toEqual({ name, kind: "system", code: "C-7", message: "made in the page" });
  });

  it("left no error in the page", () => {
    expect(tab.pageErrors).toEqual([]);
    expect(tab.consoleErrors).toEqual([]);
  });
});
