/**
 * A server restart mid-watch: the server closes every stream and socket, stays down for a
 * moment (connections are refused), and comes back on the same port serving the same runs
 * (`store`), which moved on meanwhile. Every wait must reconnect and settle with the right
 * outcome, whichever phases it missed while the server was down.
 */

import { afterEach, describe, expect, it } from "vitest";
import { createRunStore, startTestServer, type TestServer } from "../../src/testing/index.js";
import {
  countUnhandledRejections,
  faultClient,
  secretLeaks,
  TERMINAL_OUTCOMES,
  testToken,
  verdict,
  type WatchedWait,
  watchWait,
} from "./expectations.js";

const WAITS = 280;
const DOWN_MS = 400;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe("server restart", () => {
  for (const strategy of ["stream", "multiplex"] as const) {
    it(`every wait settles correctly across a restart on the same port (${strategy})`, async () => {
      const token = testToken("restart");
      // Slow enough that every run is mid-timeline when the server goes down.
      const store = createRunStore({ speed: 5 });
      cleanup.push(async () => store.dispose());
      let server: TestServer = await startTestServer({ store, token });
      const port = server.port;
      cleanup.push(() => server.close());
      const { client, polled } = faultClient(server.url, token, {
        strategy,
        backoff: { baseMs: 50, maxMs: 400 },
        maxConsecutiveFailures: 8,
        idleTimeoutMs: 2_000,
      });
      cleanup.push(() => client.close());

      const { value: result, unhandled } = await countUnhandledRejections(async () => {
        let watching = 0;
        let allWatching: () => void = () => {};
        const ready = new Promise<void>((resolve) => {
          allWatching = resolve;
        });
        const waits: WatchedWait[] = [];
        for (let i = 0; i < WAITS; i++) {
          const outcome = TERMINAL_OUTCOMES[i % TERMINAL_OUTCOMES.length]!;
          const name = `restart-${strategy[0]}-${i}`;
          store.create({ name, scenario: outcome.name });
          let first = true;
          waits.push(
            watchWait(client, name, outcome, {
              timeoutMs: 30_000,
              onPhase: () => {
                if (!first) return;
                first = false;
                if (++watching === WAITS) allWatching();
              },
            }),
          );
        }
        await ready;
        const settledBeforeRestart = waits.filter((w) => w.result !== undefined).length;
        await server.close();
        await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
        server = await startTestServer({ store, token, port });
        await Promise.all(waits.map((w) => w.done));
        return { waits, settledBeforeRestart };
      });

      expect(result.settledBeforeRestart, "the restart happened mid-watch").toBeLessThan(WAITS / 2);
      const wrong = result.waits.map(verdict).filter((v): v is string => v !== undefined);
      expect(wrong.slice(0, 10), `${wrong.length} of ${WAITS} waits wrong`).toEqual([]);
      expect(unhandled.map(String)).toEqual([]);
      expect(polled.length, "the restart reached the watch loop").toBeGreaterThan(0);
      const everything = [
        ...result.waits.map((w) => (w.result?.ok ? w.result.value : w.result?.error)),
        ...polled.map((p) => p.error),
        ...polled.map((p) => p.line),
      ];
      expect(secretLeaks(token, everything)).toEqual([]);
    });
  }
});
