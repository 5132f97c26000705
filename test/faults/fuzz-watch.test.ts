/**
 * Fuzz through the watch loop: the test server's `mutateWatchMessage` hook damages a
 * seeded third of the messages of every server stream (bit flips, truncation, splices of
 * real messages, inserted bytes). Whatever arrives, every wait must settle — resolve, or
 * reject with a FlyteError — within its bound: zero escapes of anything else, zero hangs,
 * zero unhandled rejections, and the token in none of it.
 */

import { afterEach, describe, expect, it } from "vitest";
import { isFlyteError } from "../../src/errors/index.js";
import { startTestServer, type TestServer } from "../../src/testing/index.js";
import {
  countUnhandledRejections,
  describe as describeValue,
  faultClient,
  secretLeaks,
  TERMINAL_OUTCOMES,
  testToken,
  type WatchedWait,
  watchWait,
} from "./expectations.js";
import { mutate } from "./mutate.js";
import { seededRng, suiteSeed } from "./rng.js";

const WAITS = 280;
const MUTATE_SHARE = 1 / 3;
const SEED = suiteSeed(0xf022_0002);
/** A wait still open after this long is a hang. */
const BOUND_MS = 20_000;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe.each(["stream", "multiplex"] as const)(
  "mutated frames through the watch loop (%s)",
  (strategy) => {
    it(`every wait settles with a FlyteError or a result, none hangs (seed ${SEED})`, async () => {
      const token = testToken("fuzz");
      const rng = seededRng(SEED);
      const recent: Uint8Array[] = [];
      let mutated = 0;
      const server: TestServer = await startTestServer({
        speed: 2_000,
        token,
        mutateWatchMessage: (encoded) => {
          if (recent.length < 64) recent.push(encoded);
          else recent[rng.int(0, recent.length - 1)] = encoded;
          if (rng.next() >= MUTATE_SHARE) return undefined;
          mutated++;
          return mutate(encoded, recent, rng).bytes;
        },
      });
      cleanup.push(() => server.close());
      const { client, polled } = faultClient(server.url, token, {
        strategy,
        backoff: { baseMs: 10, maxMs: 100 },
        idleTimeoutMs: 2_000,
        pollIntervalMs: 50,
      });
      cleanup.push(() => client.close());

      const { value: waits, unhandled } = await countUnhandledRejections(async () => {
        const waits: WatchedWait[] = [];
        for (let i = 0; i < WAITS; i++) {
          const outcome = TERMINAL_OUTCOMES[i % TERMINAL_OUTCOMES.length]!;
          const name = `fw-${strategy[0]}-${i}`;
          server.runs.create({ name, scenario: outcome.name });
          waits.push(watchWait(client, name, outcome, { timeoutMs: BOUND_MS }));
        }
        await Promise.all(waits.map((w) => w.done));
        return waits;
      });

      // Per-run streams carry hundreds of small messages. The shared WatchRuns stream carries
      // a few large ones (the server batches queued changes), and the first corruption that
      // does not parse ends every wait still on it with an INTERNAL error, so some seeds damage
      // only a handful before everything has settled.
      expect(mutated, "the hook damaged messages").toBeGreaterThan(strategy === "stream" ? 40 : 0);
      const hangs = waits.filter(
        (w) =>
          w.result?.ok === false && (w.result.error as { name?: unknown }).name === "TimeoutError",
      );
      expect(
        hangs.map((w) => w.name),
        "waits that hung until their bound",
      ).toEqual([]);
      const escapes = waits.flatMap((w) =>
        w.result?.ok === false && !isFlyteError(w.result.error)
          ? [`${w.name}: ${describeValue(w.result.error)}`]
          : [],
      );
      expect(escapes, "rejections that are not FlyteErrors").toEqual([]);
      expect(unhandled.map(String)).toEqual([]);
      const everything = [
        ...waits.map((w) => (w.result?.ok ? w.result.value : w.result?.error)),
        ...polled.map((p) => p.error),
        ...polled.map((p) => p.line),
      ];
      expect(secretLeaks(token, everything)).toEqual([]);
    });
  },
);
