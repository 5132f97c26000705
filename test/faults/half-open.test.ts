/**
 * Half-open connections: the proxy black-holes traffic without closing anything, the way a
 * NAT or load balancer that forgot a connection does. No error ever arrives; only the
 * client's own liveness check (HTTP/2 PINGs within idleTimeoutMs) can notice.
 *
 * 1. Every open connection goes silent while every run reaches its terminal phase: each
 *    wait must notice within idleTimeoutMs plus backoff, reconnect on a fresh connection,
 *    and settle with the right outcome.
 * 2. Everything goes silent, new connections included, for longer than idleTimeoutMs; then
 *    traffic flows again: every wait must settle correctly once it does.
 */

import { afterEach, describe, expect, it } from "vitest";
import type { FlyteClient } from "../../src/client/index.js";
import { startTestServer, type TestServer } from "../../src/testing/index.js";
import { type ChaosProxy, startChaosProxy } from "./chaos-proxy.js";
import {
  countUnhandledRejections,
  describe as describeValue,
  faultClient,
  secretLeaks,
  TERMINAL_OUTCOMES,
  testToken,
  verdict,
  type WatchedWait,
  watchWait,
} from "./expectations.js";

const WAITS = 140;
const IDLE_TIMEOUT_MS = 1_000;
const BACKOFF = { baseMs: 50, maxMs: 200 };
/**
 * Scheduling allowance on a loaded 2-core CI machine. It keeps the bound meaningful: a
 * wait that did not detect the dead connection would hang until its 20 s timeout.
 */
const SLACK_MS = 3_000;

interface Rig {
  server: TestServer;
  proxy: ChaosProxy;
  client: FlyteClient;
  token: string;
  polled: { error: unknown; line: string }[];
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

type Strategy = "stream" | "multiplex";

async function rig(label: string, strategy: Strategy): Promise<Rig> {
  const token = testToken(label);
  const server = await startTestServer({ speed: 1_000, token });
  cleanup.push(() => server.close());
  const proxy = await startChaosProxy({ port: server.port });
  cleanup.push(() => proxy.close());
  const { client, polled } = faultClient(proxy.url, token, {
    strategy,
    backoff: BACKOFF,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    maxConsecutiveFailures: 8,
  });
  cleanup.push(() => client.close());
  return { server, proxy, client, token, polled };
}

/** Creates held runs of every outcome and waits on each until it has seen a phase. */
async function heldWaits(r: Rig, prefix: string): Promise<WatchedWait[]> {
  const names: string[] = [];
  for (let i = 0; i < WAITS; i++) {
    const outcome = TERMINAL_OUTCOMES[i % TERMINAL_OUTCOMES.length]!;
    const name = `${prefix}-${i}`;
    names.push(name);
    r.server.runs.create({ name, scenario: outcome.name, hold: true });
  }
  await r.server.runs.whenHeld(names);
  let subscribed = 0;
  let allSubscribed: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    allSubscribed = resolve;
  });
  const waits = names.map((name, i) => {
    let first = true;
    return watchWait(r.client, name, TERMINAL_OUTCOMES[i % TERMINAL_OUTCOMES.length]!, {
      timeoutMs: 20_000,
      onPhase: () => {
        if (!first) return;
        first = false;
        subscribed++;
        if (subscribed === WAITS) allSubscribed();
      },
    });
  });
  await ready;
  return waits;
}

function checkAll(r: Rig, waits: WatchedWait[], unhandled: unknown[]): void {
  const wrong = waits.map(verdict).filter((v): v is string => v !== undefined);
  expect(wrong.slice(0, 10), `${wrong.length} of ${waits.length} waits wrong`).toEqual([]);
  expect(unhandled.map(String)).toEqual([]);
  const everything = [
    ...waits.map((w) => (w.result?.ok ? w.result.value : w.result?.error)),
    ...r.polled.map((p) => p.error),
    ...r.polled.map((p) => p.line),
  ];
  expect(secretLeaks(r.token, everything)).toEqual([]);
}

describe.each(["stream", "multiplex"] as const)("half-open connections (%s)", (strategy) => {
  it("every wait detects a silent connection within idleTimeoutMs plus backoff and settles correctly", async () => {
    const r = await rig("half-open", strategy);
    const { value, unhandled } = await countUnhandledRejections(async () => {
      const waits = await heldWaits(r, `ho-${strategy[0]}`);
      const silencedAt = performance.now();
      const silenced = r.proxy.blackholeAll();
      expect(silenced, "connections black-holed").toBeGreaterThan(0);
      // The terminal states go into connections that will never deliver them.
      r.server.runs.release();
      await Promise.all(waits.map((w) => w.done));
      return { waits, silencedAt };
    });
    checkAll(r, value.waits, unhandled);
    const slowest = Math.max(
      ...value.waits.map((w) => (w.settledAt ?? Infinity) - value.silencedAt),
    );
    expect(
      slowest,
      `slowest wait settled ${Math.round(slowest)} ms after the connections went silent`,
    ).toBeLessThanOrEqual(IDLE_TIMEOUT_MS + BACKOFF.maxMs + SLACK_MS);
    expect(
      r.polled.some((p) => describeValue(p.error).includes("Watch")),
      "the dead connection surfaced as a silenced watch error",
    ).toBe(true);
  });

  it("waits survive a black hole that also swallows new connections, and settle once traffic flows again", async () => {
    const r = await rig("black-hole", strategy);
    const { value, unhandled } = await countUnhandledRejections(async () => {
      const waits = await heldWaits(r, `bh-${strategy[0]}`);
      r.proxy.blackholeAll({ alsoNew: true });
      r.server.runs.release();
      // Longer than the idle timeout: reconnects made now go silent too.
      await new Promise((resolve) => setTimeout(resolve, IDLE_TIMEOUT_MS * 2.5));
      const settledDuringBlackHole = waits.filter((w) => w.result !== undefined).length;
      const restoredAt = performance.now();
      r.proxy.restore();
      await Promise.all(waits.map((w) => w.done));
      return { waits, settledDuringBlackHole, restoredAt };
    });
    expect(value.settledDuringBlackHole, "nothing can settle while every byte is dropped").toBe(0);
    checkAll(r, value.waits, unhandled);
    expect(r.proxy.stats().blackholed, "reconnects were swallowed too").toBeGreaterThan(1);
  });
});
