/**
 * The server behind nginx restarts. While it is down nginx answers every call itself: with
 * its HTML 502 page by default, or, with the recipe nginx documents for gRPC, with a 204
 * whose headers carry `grpc-status: 14` and a `grpc-message`. Either way a call must fail
 * with a typed, retryable UNAVAILABLE, and waits in flight must ride out a short outage:
 * the server comes back on the same port with the same runs, which then finish, and every
 * wait ends with exactly its scenario's outcome.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/index.node.js";
import {
  createRunStore,
  type RunStore,
  startTestServer,
  type TestServer,
} from "../../src/testing/index.js";
import {
  countUnhandledRejections,
  describe as describeValue,
  verdict,
} from "../faults/expectations.js";
import { rpcErrorOf, settle, within } from "./bounded.js";
import { startHeldWaits } from "./held-waits.js";
import { type Nginx, startNginx } from "./nginx.js";

const WAITS = 24;
/** How long the server stays down: short, as a rolling restart is. */
const DOWN_MS = 1_000;
const GRPC_MESSAGE = "flyte upstream is restarting";

let store: RunStore;
let server: TestServer;
let port: number;
let nginx: Nginx;

beforeAll(async () => {
  store = createRunStore({ speed: 4 });
  server = await startTestServer({ store });
  port = server.port;
  nginx = await startNginx({
    listeners: 2,
    servers: ([plain, recipe]) => `
  server {
    listen 127.0.0.1:${plain} http2;
    location / {
      grpc_pass grpc://127.0.0.1:${port};
    }
  }
  server {
    listen 127.0.0.1:${recipe} http2;
    location / {
      grpc_pass grpc://127.0.0.1:${port};
      error_page 502 = /grpc-unavailable;
    }
    location = /grpc-unavailable {
      internal;
      default_type application/grpc;
      add_header grpc-status 14;
      add_header grpc-message "${GRPC_MESSAGE}";
      return 204;
    }
  }`,
  });
});

afterAll(async () => {
  await nginx?.stop();
  await server?.close();
  store?.dispose();
});

const variants = [
  { name: "nginx's HTML 502 page", listener: 0, tag: "html" },
  {
    name: "the grpc-status 14 recipe (204 with grpc-status in the headers)",
    listener: 1,
    tag: "204",
  },
] as const;

describe("the upstream restarts behind nginx", () => {
  for (const variant of variants) {
    it(`${variant.name}: calls fail with a typed, retryable UNAVAILABLE, and waits survive the outage`, async () => {
      const client = createClient({
        endpoint: nginx.url(variant.listener),
        project: "flytesnacks",
        domain: "development",
        // One quick retry: enough to see that a retry meets the same outage, short enough
        // that the probes fit inside it.
        retry: { maxRetries: 1, baseMs: 20, maxMs: 50 },
      });
      try {
        const { value, unhandled } = await countUnhandledRejections(async () => {
          const held = startHeldWaits(store, client, `outage-${variant.tag}`, WAITS, 30_000);
          await within(10_000, "every wait delivered its first phase", held.allWatching);

          await server.close();
          const down = performance.now();
          const probes = {
            details: await settle(client.getRun(held.names[0]!).details()),
            listRuns: await settle(client.listRuns()),
            createRun: await settle(client.createRun({ task: { name: "succeed" } })),
          };
          const probeMs = performance.now() - down;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, DOWN_MS - probeMs)));
          server = await startTestServer({ store, port });

          store.release(held.names);
          await held.done;
          const after = await settle(client.createRun({ task: { name: "succeed" } }));
          return { waits: held.waits, probes, probeMs, after };
        });

        expect(value.probeMs, "the probes ran while the server was down").toBeLessThan(DOWN_MS);
        for (const [call, probe] of Object.entries(value.probes)) {
          expect(probe.ok, `${call} failed while the server was down`).toBe(false);
          if (probe.ok) continue;
          const rpc = rpcErrorOf(probe.error);
          expect(rpc, `${call}: ${describeValue(probe.error)}`).toBeDefined();
          expect(rpc?.code, `${call}: ${describeValue(probe.error)}`).toBe("UNAVAILABLE");
          expect(rpc?.retryable, `${call}: ${describeValue(probe.error)}`).toBe(true);
          if (variant.tag === "204") {
            // The proxy said why, in grpc-message; the error says it too.
            expect(rpc?.rawMessage, call).toContain(GRPC_MESSAGE);
          }
        }
        const wrong = value.waits.map(verdict).filter((v): v is string => v !== undefined);
        expect(wrong.slice(0, 10), `${wrong.length} of ${WAITS} waits wrong`).toEqual([]);
        expect(value.after.ok, "calls work again once the server is back").toBe(true);
        expect(unhandled.map(String)).toEqual([]);
      } finally {
        await client.close();
      }
    }, 60_000);
  }
});
