/**
 * Test page: flyte-remote/msw's handlers behind msw's service worker (`setupWorker`) in a
 * real browser, and flyte-remote's client on connect-web calling them, as a front-end
 * test would.
 */

import type { FlyteClient } from "flyte-remote";
import { type FlyteHandlers, flyteHandlers } from "flyte-remote/msw";
import { type SetupWorker, setupWorker } from "msw/browser";
import type { ClientPageApi } from "./page-api.js";
import { pageClient, runAndWait } from "./page-client.js";

let client: FlyteClient | undefined;
let flyte: FlyteHandlers | undefined;
let worker: SetupWorker | undefined;

function open(): FlyteClient {
  if (client === undefined) throw new Error("call start() first");
  return client;
}

async function stop(): Promise<void> {
  await client?.close();
  worker?.stop();
  flyte?.close();
  client = undefined;
  worker = undefined;
  flyte = undefined;
}

const api: ClientPageApi = {
  async start({ baseUrl, protocol, token, speed }) {
    await client?.close();
    // One worker for the page's life: a second `worker.start()` makes msw call
    // `registration.update()` without handling its rejection, which Chromium sometimes
    // rejects ("Failed to update a ServiceWorker … Not found").
    if (flyte === undefined || worker === undefined) {
      flyte = flyteHandlers({
        baseUrl,
        ...(speed === undefined ? {} : { speed }),
        idleCutMs: 150,
      });
      worker = setupWorker(...flyte);
      await worker.start({
        serviceWorker: { url: "/mockServiceWorker.js" },
        onUnhandledRequest: "error",
        quiet: true,
      });
    }
    client = pageClient(flyte.baseUrl, protocol, token);
  },
  run: (run) => runAndWait(open(), run),
  runAll: (runs) => Promise.all(runs.map((run) => runAndWait(open(), run))),
  stop,
};

(globalThis as { flyteClientPage?: ClientPageApi }).flyteClientPage = api;
