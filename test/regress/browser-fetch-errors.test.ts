/**
 * Issue 12, item 8: in a browser a dropped connection surfaces as a `TypeError` from fetch,
 * worded by each engine: Chromium "Failed to fetch" (and "network error" when a response
 * body breaks mid-stream), Firefox "NetworkError when attempting to fetch resource.",
 * Safari "Load failed". connect-web hands them on with code UNKNOWN. They are transient:
 * for the `silenceGrpcPollingError` hook, and for a wait, which reconnects as it does in
 * Node. Here connect-web's transport runs in Node against the test server, with a `fetch`
 * that fails as a browser's does.
 */

import { createClient as createRpcClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeRpcError } from "../../src/decode/index.js";
import { RunService } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { createClient, silenceGrpcPollingError } from "../../src/index.js";
import {
  createRunStore,
  outcomeInfo,
  type RunStore,
  startTestServer,
  type TestServer,
} from "../../src/testing/index.js";
import { describe as describeValue, verdict, watchWait } from "../faults/expectations.js";
import { settle, until, within } from "../infra/bounded.js";

const BROWSER_FETCH_FAILURES = [
  ["Chromium", "Failed to fetch"],
  ["Firefox", "NetworkError when attempting to fetch resource."],
  ["Safari", "Load failed"],
] as const;
/** What Chromium's body reader throws when a streamed response breaks. */
const BODY_BROKEN = "network error";

let store: RunStore;
let server: TestServer;

beforeAll(async () => {
  store = createRunStore({ speed: 10 });
  server = await startTestServer({ store });
});

afterAll(async () => {
  await server?.close();
  store?.dispose();
});

/** A watch stream: WatchActionDetails of one run, or WatchRuns of a multiplexing client. */
function isWatch(input: Parameters<typeof fetch>[0]): boolean {
  const url = input instanceof Request ? input.url : String(input);
  return /\/Watch\w+$/.test(url);
}

/** A fetch whose first `count` watch requests fail the way `fail` says. */
function flakyFetch(
  count: number,
  fail: (response: Response) => Promise<Response>,
): {
  fetch: typeof fetch;
  failed(): number;
} {
  let failed = 0;
  return {
    failed: () => failed,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!isWatch(input) || failed >= count) return response;
      failed++;
      return fail(response);
    },
  };
}

/** fetch() itself rejects, as when the connection cannot be made or is lost before the reply. */
function rejectWith(message: string) {
  return async (response: Response): Promise<Response> => {
    await response.body?.cancel();
    throw new TypeError(message);
  };
}

/** The reply starts, then its body breaks after the first chunk, as Chromium reports it. */
async function breakBodyAfterFirstChunk(response: Response): Promise<Response> {
  const reader = response.body!.getReader();
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent) {
        await reader.cancel();
        controller.error(new TypeError(BODY_BROKEN));
        return;
      }
      const chunk = await reader.read();
      if (chunk.done) controller.close();
      else controller.enqueue(chunk.value);
      sent = true;
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

const cases = [
  ...BROWSER_FETCH_FAILURES.map(([engine, message]) => ({
    engine,
    message,
    fail: rejectWith(message),
  })),
  { engine: "Chromium, mid-stream", message: BODY_BROKEN, fail: breakBodyAfterFirstChunk },
];

describe("browser fetch failures are transient", () => {
  for (const [index, { engine, message, fail }] of cases.entries()) {
    it(`${engine}: silenceGrpcPollingError calls TypeError "${message}" from connect-web transient`, async () => {
      const name = `hook-${index}`;
      store.create({ name, scenario: "succeed", hold: true });
      const flaky = flakyFetch(1, fail);
      const rpc = createRpcClient(
        RunService,
        createConnectTransport({ baseUrl: server.url, fetch: flaky.fetch }),
      );
      const outcome = await settle(
        (async () => {
          const stream = rpc.watchActionDetails({
            actionId: { run: { project: "flytesnacks", domain: "development", name }, name: "a0" },
          });
          for await (const _ of stream) {
            // Read until the failure.
          }
        })(),
      );
      store.release([name]);
      expect(flaky.failed()).toBe(1);
      const error = outcome.ok ? undefined : outcome.error;
      expect(String(error)).toContain(message);
      const decoded = decodeRpcError(error, { method: "WatchActionDetails", operation: "watch" });
      expect(silenceGrpcPollingError(decoded), describeValue(decoded)).toBe(true);
    });

    for (const strategy of ["stream", "multiplex"] as const) {
      it(`${engine}: a wait through connect-web rides out TypeError "${message}" and settles on the run's outcome (${strategy})`, async () => {
        const name = `wait-${index}-${strategy}`;
        const outcome = outcomeInfo("oom")!;
        store.create({ name, scenario: outcome.name, hold: true });
        const flaky = flakyFetch(2, fail);
        const client = createClient({
          transport: createConnectTransport({ baseUrl: server.url, fetch: flaky.fetch }),
          project: "flytesnacks",
          domain: "development",
          watch: {
            backoff: { baseMs: 10, maxMs: 20 },
            strategy,
          },
        });
        try {
          const wait = watchWait(client, name, outcome, { timeoutMs: 15_000 });
          await until(5_000, "both failures met the wait", () => {
            return flaky.failed() >= 2 || wait.result !== undefined;
          });
          store.release([name]);
          await within(10_000, "the wait settled", wait.done);
          expect(verdict(wait)).toBeUndefined();
        } finally {
          await client.close();
        }
      });
    }
  }
});
