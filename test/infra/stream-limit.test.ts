/**
 * nginx lets a client open `http2_max_concurrent_streams` streams per connection, 32 here,
 * and says so in its SETTINGS. Forty long watches are more than one connection holds; they
 * must all be open for real (a watch queued inside a full connection looks exactly like a
 * dead one), and a createRun made while they run must answer promptly.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/index.node.js";
import {
  createRunStore,
  type RunStore,
  startTestServer,
  type TestServer,
} from "../../src/testing/index.js";
import { countUnhandledRejections, verdict } from "../faults/expectations.js";
import { settle, until, within } from "./bounded.js";
import { startHeldWaits } from "./held-waits.js";
import { type Nginx, startNginx } from "./nginx.js";

const LIMIT = 32;
const WATCHES = 40;

let store: RunStore;
let server: TestServer;
let nginx: Nginx;

beforeAll(async () => {
  store = createRunStore({ speed: 20 });
  server = await startTestServer({ store });
  nginx = await startNginx({
    listeners: 1,
    servers: ([listener]) => `
  server {
    listen 127.0.0.1:${listener} http2;
    http2_max_concurrent_streams ${LIMIT};
    location / {
      grpc_pass grpc://127.0.0.1:${server.port};
    }
  }`,
  });
});

afterAll(async () => {
  await nginx?.stop();
  await server?.close();
  store?.dispose();
});

describe(`nginx with http2_max_concurrent_streams ${LIMIT}`, () => {
  it(`${WATCHES} long watches all open, and createRun answers within 5 s while they run`, async () => {
    const client = createClient({
      endpoint: nginx.url(0),
      project: "flytesnacks",
      domain: "development",
    });
    try {
      const { value, unhandled } = await countUnhandledRejections(async () => {
        const held = startHeldWaits(store, client, "limit", WATCHES, 30_000);
        // The first connection is full once the server holds LIMIT streams.
        await until(10_000, `${LIMIT} watch streams reached the server`, () => {
          return server.stats().activeStreams >= LIMIT;
        });
        const started = performance.now();
        const created = await settle(
          within(5_000, "createRun", client.createRun({ task: { name: "succeed" } })),
        );
        const createMs = performance.now() - started;
        const open = await settle(
          until(10_000, `all ${WATCHES} watches delivered a phase`, () => {
            return held.watching.size === WATCHES;
          }),
        );
        store.release(held.names);
        await held.done;
        return { waits: held.waits, created, createMs, open, watching: held.watching.size };
      });
      expect(value.created.ok ? "answered" : String(value.created.error)).toBe("answered");
      expect(value.createMs).toBeLessThan(5_000);
      expect(value.open.ok ? WATCHES : value.watching, "watches open for real").toBe(WATCHES);
      const wrong = value.waits.map(verdict).filter((v): v is string => v !== undefined);
      expect(wrong.slice(0, 10), `${wrong.length} of ${WATCHES} waits wrong`).toEqual([]);
      expect(unhandled.map(String)).toEqual([]);
    } finally {
      await client.close();
    }
  }, 60_000);
});
