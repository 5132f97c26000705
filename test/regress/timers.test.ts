/**
 * Issue 12, item 9: the timers behind `wait()`. Node's setTimeout holds at most 2^31 - 1 ms;
 * a longer timeout fires after 1 ms with a TimeoutOverflowWarning, so `wait({ timeoutMs })`
 * of 2^31 ms or more gave up at once. And an AbortSignal shared by more than 10 waits must
 * not print MaxListenersExceededWarning: sharing one signal among many waits is the normal
 * way to cancel them together.
 */

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, type FlyteClient } from "../../src/index.node.js";
import {
  createRunStore,
  type RunStore,
  startTestServer,
  type TestServer,
} from "../../src/testing/index.js";
import { describe as describeValue } from "../faults/expectations.js";
import { observe, until, within } from "../infra/bounded.js";

let store: RunStore;
let server: TestServer;
let client: FlyteClient;
let warnings: Error[] = [];
const onWarning = (warning: Error) => void warnings.push(warning);

beforeAll(async () => {
  store = createRunStore({ speed: 10 });
  server = await startTestServer({ store });
  client = createClient({ endpoint: server.url, project: "flytesnacks", domain: "development" });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  store?.dispose();
});

beforeEach(() => {
  warnings = [];
  process.on("warning", onWarning);
});

afterEach(() => {
  process.off("warning", onWarning);
});

/** Warnings are emitted on the next tick; let them arrive. */
async function warningNames(): Promise<string[]> {
  await new Promise((resolve) => setImmediate(resolve));
  return warnings.map((w) => w.name);
}

describe("wait() timers", () => {
  for (const [label, timeoutMs] of [
    ["2^31 ms", 2 ** 31],
    ["720 hours", 720 * 3_600_000],
  ] as const) {
    it(`wait({ timeoutMs: ${label} }) does not fire at once, and prints no TimeoutOverflowWarning`, async () => {
      const name = `long-timeout-${timeoutMs}`;
      store.create({ name, scenario: "succeed", hold: true });
      const controller = new AbortController();
      let phases = 0;
      const wait = observe(
        client
          .getRun(name)
          .wait({ timeoutMs, signal: controller.signal, onPhase: () => void phases++ }),
      );
      await until(
        5_000,
        "the wait delivered a phase",
        () => phases > 0 || wait.outcome !== undefined,
      );
      await store.whenHeld([name]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const early = wait.outcome;
      const reason = new Error("the test is over");
      controller.abort(reason);
      const outcome = await within(5_000, "the aborted wait", wait.done);
      store.release([name]);

      expect(
        early === undefined ? "pending" : early.ok ? "resolved" : describeValue(early.error),
      ).toBe("pending");
      expect(outcome.ok ? "resolved" : outcome.error).toBe(reason);
      expect(await warningNames()).not.toContain("TimeoutOverflowWarning");
    });
  }

  it("12 waits sharing one AbortSignal print no MaxListenersExceededWarning, and all end with its reason", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `shared-signal-${i}`);
    for (const name of names) store.create({ name, scenario: "succeed", hold: true });
    const controller = new AbortController();
    const watching = new Set<string>();
    const waits = names.map((name) =>
      observe(
        client
          .getRun(name)
          .wait({ signal: controller.signal, onPhase: () => void watching.add(name) }),
      ),
    );
    await until(5_000, "every wait delivered a phase", () => watching.size === names.length);
    const reason = new Error("cancel them all");
    controller.abort(reason);
    const outcomes = await within(
      5_000,
      "the aborted waits",
      Promise.all(waits.map((w) => w.done)),
    );
    store.release(names);

    expect(outcomes.map((o) => (o.ok ? "resolved" : o.error === reason))).toEqual(
      names.map(() => true),
    );
    expect(await warningNames()).not.toContain("MaxListenersExceededWarning");
  });
});
