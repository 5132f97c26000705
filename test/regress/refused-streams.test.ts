/**
 * Issue 12, item 3: a server refuses streams beyond its limit with REFUSED_STREAM, and
 * streams sent before its SETTINGS arrive can exceed a limit the client does not know yet.
 * A refused stream was never processed (RFC 9113 §8.7), so it is safe to retry for every
 * method; and a burst should not go out before the peer's SETTINGS.
 */

import { describe, expect, it } from "vitest";
import type { FlyteClient } from "../../src/client/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { describe as describeValue } from "../faults/expectations.js";
import { settle, until, within } from "../infra/bounded.js";
import type { FakeRunService } from "./fake-run-service.js";
import { withFakeServer } from "./fake-server.js";
import { refuse } from "./raw-grpc-server.js";

const BURST = 100;
const LIMIT = 32;

const quickRetries = {
  retry: { baseMs: 10, maxMs: 50 },
  watch: { backoff: { baseMs: 10, maxMs: 50 } },
} as const;

/** Fires the burst at a fresh client and checks that each call created exactly one run. */
async function burst(service: FakeRunService, client: FlyteClient): Promise<void> {
  const outcomes = await within(
    20_000,
    `${BURST} createRun calls`,
    Promise.all(
      Array.from({ length: BURST }, () => settle(client.createRun({ task: { name: "t" } }))),
    ),
  );
  const failures = outcomes.flatMap((o) => (o.ok ? [] : [describeValue(o.error)]));
  expect(failures.slice(0, 3), `${failures.length} of ${BURST} createRun calls failed`).toEqual([]);
  const names = outcomes.flatMap((o) => (o.ok ? [o.value.name] : []));
  expect(new Set(names).size, "distinct runs").toBe(BURST);
  expect(service.created.length, "runs the server created").toBe(BURST);
  expect(new Set(service.created)).toEqual(new Set(names));
}

describe("refused streams", () => {
  it(`${BURST} unnamed createRun calls on a fresh connection to a server allowing ${LIMIT} streams all succeed, one run each`, async () => {
    await withFakeServer(
      {
        server: { settings: { maxConcurrentStreams: LIMIT } },
        client: quickRetries,
        // Answers take a moment, so the burst's streams are all open at once.
        prepare: (service) => {
          service.unaryDelayMs = 30;
        },
      },
      ({ service, client }) => burst(service, client),
    );
  }, 30_000);

  it(`${BURST} unnamed createRun calls succeed, one run each, none of them sent before the server's late SETTINGS arrive`, async () => {
    await withFakeServer(
      {
        server: { settings: { maxConcurrentStreams: LIMIT }, settingsDelayMs: 300 },
        client: quickRetries,
        prepare: (service) => {
          service.unaryDelayMs = 30;
        },
      },
      async ({ service, server, client }) => {
        await burst(service, client);
        expect(server.requestsBeforeSettings(), "requests sent before the SETTINGS").toBe(0);
      },
    );
  }, 30_000);

  it("a refused stream is retried for every method: createRun, getRun, details, abort, listRuns and wait", async () => {
    const prepare = (service: FakeRunService) => {
      service.intercept = (call) => {
        if (call.previous > 0) return false;
        refuse(call.stream);
        return true;
      };
      service.seed("r1", ActionPhase.RUNNING, ["a0", "c1"]);
      service.seed("r2");
    };
    await withFakeServer({ client: quickRetries, prepare }, async ({ service, client }) => {
      const run = client.getRun("r1");
      const wait = settle(client.getRun("r2").wait());
      const results = {
        createRun: await settle(client.createRun({ task: { name: "t" } })),
        runDetails: await settle(run.details()),
        actionDetails: await settle(run.action("c1").details()),
        listRuns: await settle(client.listRuns()),
        abort: await settle(run.abort()),
      };
      await until(5_000, "the wait's stream opened", () => service.openWatches() > 0);
      service.setPhase("r2", ActionPhase.SUCCEEDED);
      const waited = await within(5_000, "the wait", wait);

      const failed = Object.entries(results).flatMap(([call, o]) =>
        o.ok ? [] : [`${call}: ${describeValue(o.error)}`],
      );
      expect(failed).toEqual([]);
      expect(waited.ok ? waited.value.phaseName : describeValue(waited.error)).toBe("SUCCEEDED");
      for (const method of [
        "CreateRun",
        "GetRunDetails",
        "GetActionDetails",
        "ListRuns",
        "AbortRun",
        "WatchActionDetails",
      ]) {
        expect(service.count(method), `${method}: refused once, then processed`).toBe(2);
      }
    });
  }, 30_000);
});
