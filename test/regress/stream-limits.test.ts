/**
 * Issue 12, item 2: a server says in its SETTINGS how many streams it accepts per connection
 * (nginx 128 or less, grpc-go 100, Go's default 250, and as few as 1). Long watches must
 * never starve unary calls: with more watches than one connection holds, every watch is
 * open for real and createRun, getRun, abort and the multiplexer's detail reads answer.
 */

import { describe, expect, it } from "vitest";
import type { RunResult } from "../../src/client/index.js";
import { isFlyteError } from "../../src/errors/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { describe as describeValue } from "../faults/expectations.js";
import { type Observed, observe, settle, until, within } from "../infra/bounded.js";
import { type FakeSetup, withFakeServer } from "./fake-server.js";

const LIMITS = [1, 10, 32, 250] as const;
/** Watches beyond what one connection holds. */
const EXTRA = 8;
const PROMPT_MS = 5_000;

/** A fake server allowing `limit` streams per connection, and a client with `strategy`. */
function withLimit(
  limit: number,
  strategy: "stream" | "multiplex",
  body: (setup: FakeSetup) => Promise<void>,
): Promise<void> {
  return withFakeServer(
    { server: { settings: { maxConcurrentStreams: limit } }, client: { watch: { strategy } } },
    body,
  );
}

function settledAs(wait: Observed<RunResult>): string {
  const outcome = wait.outcome;
  if (outcome === undefined) return "pending";
  return outcome.ok ? outcome.value.phaseName : describeValue(outcome.error);
}

/**
 * Opens `watches` waits, more than one connection of `limit` streams holds, then checks
 * that unary calls answer promptly and that every wait really has a stream.
 */
async function unaryCallsBesideWatches(
  { service, client }: FakeSetup,
  limit: number,
  watches: number,
): Promise<void> {
  const names = Array.from({ length: watches }, (_, i) => `w${i}`);
  for (const name of names) service.seed(name);
  service.seed("target");
  const waits = names.map((name) => observe(client.getRun(name).wait()));
  await until(10_000, "one connection's worth of watches reached the server", () => {
    return service.openWatches() >= limit;
  });

  const prompt = <T>(what: string, call: Promise<T>) =>
    settle(within(PROMPT_MS, what, call)).then((o) => (o.ok ? "answered" : String(o.error)));
  const calls = await Promise.all([
    prompt("createRun", client.createRun({ task: { name: "t" } })),
    prompt("getRun().details()", client.getRun("target").details()),
    prompt("getRun().abort()", client.getRun("target").abort()),
  ]);
  const allOpen = await settle(
    until(PROMPT_MS, "every wait has a stream", () => service.openWatches() >= watches),
  );
  const open = service.openWatches();

  for (const name of names) service.setPhase(name, ActionPhase.SUCCEEDED);
  const ended = await settle(
    within(10_000, "every wait settled", Promise.all(waits.map((w) => w.done))),
  );

  expect(calls).toEqual(["answered", "answered", "answered"]);
  expect(allOpen.ok ? watches : open, "watch streams open at once").toBe(watches);
  expect(ended.ok ? "settled" : String(ended.error)).toBe("settled");
  const wrong = waits.map(settledAs).filter((s) => s !== "SUCCEEDED");
  expect(wrong.slice(0, 5), `${wrong.length} of ${watches} waits wrong`).toEqual([]);
}

describe("the peer's SETTINGS_MAX_CONCURRENT_STREAMS", () => {
  for (const limit of LIMITS) {
    const watches = limit + EXTRA;

    it(`limit ${limit}: ${watches} waits all open, and createRun, getRun and abort answer within 5 s`, async () => {
      await withLimit(limit, "stream", (setup) => unaryCallsBesideWatches(setup, limit, watches));
    }, 40_000);

    it(`limit ${limit}: a multiplexed wait's detail read answers within 5 s while ${watches} watches run`, async () => {
      await withLimit(limit, "multiplex", async ({ service, client }) => {
        // Child actions always have a stream of their own, whatever the strategy.
        const children = Array.from({ length: watches }, (_, i) => `c${i}`);
        service.seed("parent", ActionPhase.RUNNING, ["a0", ...children]);
        service.seed("doomed");
        const run = client.getRun("parent");
        const waits = children.map((child) => observe(run.action(child).wait()));
        await until(10_000, "one connection's worth of watches reached the server", () => {
          return service.openWatches() >= limit;
        });

        const doomed = observe(client.getRun("doomed").wait());
        const subscribed = await settle(
          until(PROMPT_MS, "the shared WatchRuns stream opened", () => {
            return service.openRunWatches() > 0 || doomed.outcome !== undefined;
          }),
        );
        service.setPhase("doomed", ActionPhase.FAILED, "a0", "ValueError: row 17 has 2 columns");
        const failed = await settle(within(PROMPT_MS, "the failed run's wait", doomed.done));

        for (const child of children) service.setPhase("parent", ActionPhase.SUCCEEDED, child);
        const ended = await settle(
          within(10_000, "every wait settled", Promise.all(waits.map((w) => w.done))),
        );

        expect(subscribed.ok, "the shared stream opened").toBe(true);
        const error = failed.ok && !failed.value.ok ? failed.value.error : undefined;
        expect(
          isFlyteError(error) ? error.name : failed.ok ? settledAs(doomed) : String(failed.error),
        ).toBe("RuntimeUserError");
        expect(service.count("GetActionDetails"), "the details were read").toBeGreaterThan(0);
        expect(ended.ok ? "settled" : String(ended.error)).toBe("settled");
        const wrong = waits.map(settledAs).filter((s) => s !== "SUCCEEDED");
        expect(wrong.slice(0, 5), `${wrong.length} of ${watches} waits wrong`).toEqual([]);
      });
    }, 40_000);
  }

  it("a limit the server lowers on a live connection is followed: 12 waits all open, and unary calls answer", async () => {
    const lowered = 4;
    await withFakeServer(
      {
        prepare: (service) => {
          service.seed("warm-up");
          service.intercept = (call) => {
            // The server sends new SETTINGS on the connection the client already uses.
            if (call.run === "warm-up")
              call.stream.session?.settings({ maxConcurrentStreams: lowered });
            return false;
          };
        },
      },
      async (setup) => {
        await setup.client.getRun("warm-up").details();
        // Let the update and its acknowledgement cross.
        await new Promise((resolve) => setTimeout(resolve, 100));
        await unaryCallsBesideWatches(setup, lowered, lowered + EXTRA);
      },
    );
  }, 40_000);
});
