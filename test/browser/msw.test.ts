/**
 * flyte-remote/msw with msw's `setupWorker` in Debian's Chromium: the handlers run in the
 * page behind msw's real service worker, and flyte-remote's client, bundled from the
 * package's root entry, waits on every outcome and fault scenario over each transport.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mswWorkerScript } from "./bundle.js";
import {
  type ClientPageSession,
  openClientPage,
  pageProtocols,
  scenarioTests,
} from "./client-page.js";

let session: ClientPageSession;

beforeAll(async () => {
  session = await openClientPage("msw-page.ts", {
    "/mockServiceWorker.js": { type: "text/javascript", body: mswWorkerScript() },
  });
}, 60_000);

afterAll(() => session?.close());

describe.each(pageProtocols)("msw's worker, client on %s", (protocol) => {
  beforeAll(() => session.page.start({ baseUrl: "http://flyte.test", protocol, speed: 1000 }));
  scenarioTests(() => session.page, protocol, `m-${protocol}`);
});

it("left no uncaught error in the page", () => {
  expect(session.tab.pageErrors).toEqual([]);
  expect(session.tab.consoleErrors).toEqual([]);
});
