/**
 * Test page: flyte-remote's client in a browser, calling the test server on another
 * origin (the server runs with CORS on), over connect-web's fetch transports.
 */

import type { FlyteClient } from "flyte-remote";
import type { ClientPageApi } from "./page-api.js";
import { pageClient, runAndWait } from "./page-client.js";

let client: FlyteClient | undefined;

function open(): FlyteClient {
  if (client === undefined) throw new Error("call start() first");
  return client;
}

const api: ClientPageApi = {
  async start({ baseUrl, protocol, token }) {
    await client?.close();
    client = pageClient(baseUrl, protocol, token);
  },
  run: (run) => runAndWait(open(), run),
  runAll: (runs) => Promise.all(runs.map((run) => runAndWait(open(), run))),
  async stop() {
    await client?.close();
    client = undefined;
  },
};

(globalThis as { flyteClientPage?: ClientPageApi }).flyteClientPage = api;
