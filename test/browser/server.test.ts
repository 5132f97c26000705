/**
 * flyte-remote's client in Debian's Chromium against the test server on another origin,
 * with CORS on: a page bundled from the package's root entry creates runs, waits on every
 * outcome and fault scenario over each of connect-web's transports, and checks the typed
 * error: class, kind and code. Every call carries a bearer token, so the preflight must
 * allow `authorization`, and a refused token must come back as AuthenticationError with
 * the error readable across origins. A server without CORS stays unreachable.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../src/testing/index.js";
import {
  type ClientPage,
  type ClientPageSession,
  openClientPage,
  pageProtocols,
  scenarioTests,
} from "./client-page.js";

const token = "tok-7d3e91c4-browser-never-print";

let session: ClientPageSession;
let server: TestServer;
let page: ClientPage;

beforeAll(async () => {
  session = await openClientPage("server-page.ts");
  page = session.page;
  server = await startTestServer({
    speed: 1000,
    token,
    idleCutMs: 150,
    cors: { origins: [session.origin] },
  });
}, 60_000);

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe.each(pageProtocols)("cross-origin to the test server, client on %s", (protocol) => {
  beforeAll(() => page.start({ baseUrl: server.url, protocol, token }));
  scenarioTests(() => page, protocol, `s-${protocol}`);

  it("a wrong token is an AuthenticationError, read through CORS", async () => {
    const name = `s-${protocol}-badtoken`;
    await page.start({ baseUrl: server.url, protocol, token: "tok-wrong-0000" });
    try {
      const [outcome] = await page.runAll([{ task: "succeed", name }]);
      expect(outcome?.error).toMatchObject({
        name: "AuthenticationError",
        isFlyteError: true,
        instanceOfClass: true,
        kind: "user",
        code: "UNAUTHENTICATED",
      });
      expect(server.runs.get(name)).toBeUndefined();
    } finally {
      await page.start({ baseUrl: server.url, protocol, token });
    }
  });
});

describe("a test server without CORS", () => {
  let closed: TestServer;
  beforeAll(async () => {
    closed = await startTestServer({ speed: 1000 });
  });
  afterAll(() => closed?.close());

  it.each(pageProtocols)(
    "is refused by the browser on %s: a typed error, and no run",
    async (protocol) => {
      const name = `s-${protocol}-nocors`;
      await page.start({ baseUrl: closed.url, protocol });
      const [outcome] = await page.runAll([{ task: "succeed", name }]);
      expect(outcome?.resolved).toBe(false);
      expect(outcome?.error?.isFlyteError, JSON.stringify(outcome)).toBe(true);
      // The preflight failed, so the CreateRun never reached the server.
      expect(closed.runs.get(name)).toBeUndefined();
    },
  );
});

it("left no uncaught error in the page, and the token in no console line", () => {
  const { pageErrors, consoleErrors } = session.tab;
  expect(pageErrors).toEqual([]);
  expect(consoleErrors.filter((line) => !line.includes("CORS policy"))).toEqual([]);
  expect(consoleErrors.join("\n")).not.toContain(token);
});
