/**
 * A real nginx cuts idle streams: `grpc_read_timeout` on a gRPC stream it proxies with
 * grpc_pass over h2c, `proxy_read_timeout` on an HTTP/1.1 response it proxies with
 * proxy_pass. A run that sits in one phase for longer than the timeout sees its watch cut
 * again and again. Fifty waits on runs of 20 to 40 seconds, behind a 3 s timeout, must each
 * end with exactly their scenario's outcome, every phase delivered once.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type FlyteClient } from "../../src/index.node.js";
import { createRunStore, type RunStore, startTestServer } from "../../src/testing/index.js";
import { countUnhandledRejections, verdict, type WatchedWait } from "../faults/expectations.js";
import { startHeldWaits } from "./held-waits.js";
import { type Nginx, startNginx } from "./nginx.js";

const WAITS = 50;
/** Runs end between these two times after they are created. */
const SHORTEST_RUN_MS = 20_000;
const LONGEST_RUN_MS = 40_000;
const READ_TIMEOUT = "3s";

let store: RunStore;
let server: Awaited<ReturnType<typeof startTestServer>>;
let nginx: Nginx;

beforeAll(async () => {
  // At half speed a scenario's timeline takes 4 to 24 s, with steps up to 6 s apart: some
  // cuts fall between phases. Every run is held before its last step and released at its
  // own time, so each lasts 20 to 40 s.
  store = createRunStore({ speed: 0.5 });
  server = await startTestServer({ store });
  const upstream = server.port;
  nginx = await startNginx({
    listeners: 2,
    servers: ([grpc, http1]) => `
  server {
    listen 127.0.0.1:${grpc} http2;
    location / {
      grpc_pass grpc://127.0.0.1:${upstream};
      grpc_read_timeout ${READ_TIMEOUT};
    }
  }
  server {
    listen 127.0.0.1:${http1};
    location / {
      proxy_pass http://127.0.0.1:${upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout ${READ_TIMEOUT};
    }
  }`,
  });
});

afterAll(async () => {
  await nginx?.stop();
  await server?.close();
  store?.dispose();
});

/** Waits on fifty runs, each released at its own time, and returns them once all settled. */
async function fiftyWaits(client: FlyteClient, tag: string): Promise<readonly WatchedWait[]> {
  const held = startHeldWaits(store, client, `idle-${tag}`, WAITS, LONGEST_RUN_MS + 20_000);
  // Spread over the window, in an order unrelated to the outcome.
  const step = (LONGEST_RUN_MS - SHORTEST_RUN_MS) / WAITS;
  const timers = held.names.map((name, i) =>
    setTimeout(() => store.release([name]), SHORTEST_RUN_MS + ((i * 19) % WAITS) * step),
  );
  try {
    await held.done;
    return held.waits;
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}

function cutsIn(log: string, what: RegExp): number {
  return log.split("\n").filter((line) => what.test(line)).length;
}

describe("behind nginx with a 3 s read timeout", () => {
  it.concurrent(
    "grpc_read_timeout cuts idle gRPC streams; 50 waits of 20–40 s runs each end with exactly their outcome, no phase twice",
    async () => {
      const client = createClient({
        endpoint: nginx.url(0),
        protocol: "grpc",
        project: "flytesnacks",
        domain: "development",
      });
      try {
        const started = performance.now();
        const { value: waits, unhandled } = await countUnhandledRejections(() =>
          fiftyWaits(client, "g"),
        );
        const wrong = waits.map(verdict).filter((v): v is string => v !== undefined);
        expect(wrong.slice(0, 10), `${wrong.length} of ${WAITS} waits wrong`).toEqual([]);
        expect(unhandled.map(String)).toEqual([]);
        expect(performance.now() - started).toBeGreaterThanOrEqual(SHORTEST_RUN_MS);
        // The cuts really happened: nginx logs each one it made.
        expect(cutsIn(nginx.errorLog(), /upstream timed out.*grpc:\/\//)).toBeGreaterThan(WAITS);
      } finally {
        await client.close();
      }
    },
    LONGEST_RUN_MS + 40_000,
  );

  it.concurrent(
    "proxy_read_timeout cuts idle HTTP/1.1 streams; 50 waits of 20–40 s runs each end with exactly their outcome, no phase twice",
    async () => {
      const client = createClient({
        endpoint: nginx.url(1),
        protocol: "connect",
        httpVersion: "1.1",
        project: "flytesnacks",
        domain: "development",
      });
      try {
        const { value: waits, unhandled } = await countUnhandledRejections(() =>
          fiftyWaits(client, "h"),
        );
        const wrong = waits.map(verdict).filter((v): v is string => v !== undefined);
        expect(wrong.slice(0, 10), `${wrong.length} of ${WAITS} waits wrong`).toEqual([]);
        expect(unhandled.map(String)).toEqual([]);
        expect(cutsIn(nginx.errorLog(), /upstream timed out.*http:\/\//)).toBeGreaterThan(WAITS);
      } finally {
        await client.close();
      }
    },
    LONGEST_RUN_MS + 40_000,
  );
});
