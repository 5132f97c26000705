/**
 * Issue 12, item 5: whether a watch error is a stream reset is decided from the transport
 * (HTTP/2 error codes, socket errors, the client library's codes), never from the text a
 * server wrote. And no pattern of faults keeps a wait alive forever: its total failures
 * are bounded too, not only those in a row.
 */

import * as http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { type FailureWindow, silenceGrpcPollingError } from "../../src/client/index.js";
import { decodeRpcError } from "../../src/decode/index.js";
import { isFlyteError } from "../../src/errors/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { describe as describeValue } from "../faults/expectations.js";
import { observe, until, within } from "../infra/bounded.js";
import type { FakeCall, FakeRunService } from "./fake-run-service.js";
import { withFakeServer } from "./fake-server.js";
import { endStream } from "./raw-grpc-server.js";

const SERIALIZATION_FAILURE = "backend transaction aborted: serialization failure";

/** Lets each WatchActionDetails deliver its first message, then ends it as `fail` says. */
function failAfterFirstMessage(fail: (call: FakeCall) => void): (service: FakeRunService) => void {
  return (service) => {
    service.seed("r1");
    service.intercept = (call) => {
      if (call.method !== "WatchActionDetails") return false;
      // The default answer opens the stream and sends the current state; fail it just after.
      setTimeout(() => fail(call), 20);
      return false;
    };
  };
}

const quick = { backoff: { baseMs: 10, maxMs: 20 } };

describe("a server's INTERNAL is not a stream reset", () => {
  it(`a watch ended by INTERNAL "${SERIALIZATION_FAILURE}" rejects the wait instead of re-subscribing`, async () => {
    const prepare = failAfterFirstMessage((call) =>
      endStream(call.stream, { code: 13, message: SERIALIZATION_FAILURE }),
    );
    await withFakeServer({ client: { watch: quick }, prepare }, async ({ service, client }) => {
      const wait = observe(client.getRun("r1").wait());
      const outcome = await within(5_000, "the wait settled", wait.done).catch((e: unknown) => ({
        ok: false as const,
        error: `${String(e)} after ${service.count("WatchActionDetails")} subscriptions`,
      }));
      const error = outcome.ok ? undefined : outcome.error;
      expect(isFlyteError(error) ? error.code : describeValue(error)).toBe("INTERNAL");
      expect(isFlyteError(error) && error.rawMessage).toContain(SERIALIZATION_FAILURE);
      expect(service.count("WatchActionDetails"), "subscriptions").toBeLessThan(5);
    });
  });

  it("the default hook does not call a server's INTERNAL transient for the words in its message", () => {
    for (const message of [
      SERIALIZATION_FAILURE,
      "request aborted by the storage layer",
      "stream reset requested by policy NGHTTP2_",
      "socket hang up while talking to postgres",
    ]) {
      const decoded = decodeRpcError(new ConnectError(message, Code.Internal), {
        method: "WatchActionDetails",
        operation: "watch",
      });
      expect(silenceGrpcPollingError(decoded), message).toBe(false);
    }
  });

  it("a stream the peer resets with RST_STREAM INTERNAL_ERROR, as nginx's timeouts do, is still transient", async () => {
    const prepare = (service: FakeRunService) => {
      failAfterFirstMessage((call) => {
        if (call.previous < 3) call.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      })(service);
    };
    await withFakeServer({ client: { watch: quick }, prepare }, async ({ service, client }) => {
      const wait = observe(client.getRun("r1").wait());
      await until(5_000, "the fourth subscription", () => {
        return service.count("WatchActionDetails") >= 4 || wait.outcome !== undefined;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      service.setPhase("r1", ActionPhase.SUCCEEDED);
      const outcome = await within(5_000, "the wait settled", wait.done);
      expect(outcome.ok ? outcome.value.phaseName : describeValue(outcome.error)).toBe("SUCCEEDED");
    });
  });
});

describe("no pattern of faults keeps a wait alive forever", () => {
  const unavailableAfterOneMessage = failAfterFirstMessage((call) =>
    endStream(call.stream, { code: 14, message: "connection to the database was lost" }),
  );

  const cases: [string, { failureWindow?: FailureWindow }][] = [
    ["a failure window of 6", { failureWindow: { maxFailures: 6, windowMs: 60_000 } }],
    ["the default failure window", {}],
  ];
  for (const [name, window] of cases) {
    it(`each re-subscription delivers one message then fails UNAVAILABLE: the wait rejects within ${name}`, async () => {
      await withFakeServer(
        { client: { watch: { ...quick, ...window } }, prepare: unavailableAfterOneMessage },
        async ({ service, client }) => {
          // The timeout only ends the test; the wait must end well before it.
          const wait = observe(client.getRun("r1").wait({ timeoutMs: 15_000 }));
          const outcome = await wait.done;
          const error = outcome.ok ? undefined : outcome.error;
          expect(isFlyteError(error) ? error.code : describeValue(error)).toBe("UNAVAILABLE");
          if (window.failureWindow !== undefined) {
            const subscriptions = service.count("WatchActionDetails");
            expect(subscriptions).toBeGreaterThanOrEqual(window.failureWindow.maxFailures);
            expect(subscriptions).toBeLessThanOrEqual(window.failureWindow.maxFailures + 1);
          }
        },
      );
    }, 20_000);
  }
});
