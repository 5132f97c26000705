/**
 * The chaos proxy: 1,000 concurrent waits of every terminal outcome run through a TCP proxy
 * that resets every open connection at seeded random intervals of 50 to 500 ms, for 20 s.
 *
 * Every wait must settle with exactly the outcome the catalogue promises: no early return,
 * no phase delivered twice, no unhandled rejection, and the token nowhere in what a user
 * could log. The runs' timelines are staggered over the window so phases change, and runs
 * end, all through the 20 s of resets.
 */

import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../src/testing/index.js";
import { type ChaosProxy, startChaosProxy, startResetSchedule } from "./chaos-proxy.js";
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
import { seededRng, suiteSeed } from "./rng.js";

const WAITS = 1_000;
const CHAOS_MS = 20_000;
/** Runs are created over this window; at speed 1 each then takes 5 to 15 s. */
const STAGGER_MS = 5_000;
const SEED = suiteSeed(0x5eed_c4a0);

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe("chaos proxy", () => {
  it(`1,000 concurrent waits survive connection resets every 50-500 ms for 20 s (seed ${SEED})`, async () => {
    const token = testToken("chaos");
    const rng = seededRng(SEED);
    const server: TestServer = await startTestServer({ speed: 1, token });
    cleanup.push(() => server.close());
    const proxy: ChaosProxy = await startChaosProxy({ port: server.port });
    cleanup.push(() => proxy.close());
    const { client, polled } = faultClient(proxy.url, token, {
      backoff: { baseMs: 50, maxMs: 1_000 },
      // Every open connection is reset every 275 ms on average, and server, proxy and
      // 1,000 waits share one core here, so a re-subscription often loses the race with
      // the next reset. Measured with this schedule: a budget of 10 loses 12-24% of the
      // waits, the client's defaults 7%, each rejecting with UNAVAILABLE, which is the
      // documented behaviour for a network this broken. This suite is about correctness
      // under resets, so the budget outlasts them; BENCHMARKS.md has the figures.
      maxConsecutiveFailures: 20,
      // Likewise the window bound on all failures: its default (30 a minute) is meant to end
      // a wait on a network this broken, which is not what this suite is about.
      failureWindow: { maxFailures: 1_000, windowMs: 60_000 },
      idleTimeoutMs: 5_000,
    });
    cleanup.push(() => client.close());

    const { value: waits, unhandled } = await countUnhandledRejections(async () => {
      const schedule = startResetSchedule(proxy, {
        rng,
        minMs: 50,
        maxMs: 500,
        durationMs: CHAOS_MS,
        mode: "all",
      });
      cleanup.push(async () => schedule.stop());
      const waits: WatchedWait[] = [];
      for (let i = 0; i < WAITS; i++) {
        const outcome = TERMINAL_OUTCOMES[i % TERMINAL_OUTCOMES.length]!;
        const name = `chaos-${i}`;
        server.runs.create({ name, scenario: outcome.name });
        waits.push(watchWait(client, name, outcome, { timeoutMs: 45_000 }));
        if (i % 50 === 49) await new Promise((r) => setTimeout(r, (STAGGER_MS * 50) / WAITS));
      }
      await Promise.all(waits.map((w) => w.done));
      await schedule.done;
      expect(schedule.resets(), "the proxy reset connections").toBeGreaterThan(40);
      return waits;
    });

    const wrong = waits.map(verdict).filter((v): v is string => v !== undefined);
    expect(wrong.slice(0, 10), `${wrong.length} of ${WAITS} waits wrong (seed ${SEED})`).toEqual(
      [],
    );
    expect(unhandled.map(String)).toEqual([]);
    expect(polled.length, "the resets reached the watch loop").toBeGreaterThan(0);
    const everything = [
      ...waits.map((w) => (w.result?.ok ? w.result.value : w.result?.error)),
      ...polled.map((p) => p.error),
      ...polled.map((p) => p.line),
    ];
    expect(secretLeaks(token, everything)).toEqual([]);
  }, 60_000);
});
