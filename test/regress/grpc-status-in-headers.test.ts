/**
 * Issue 12, item 1: a reply whose HTTP status is not 200 but whose headers carry
 * `grpc-status` (nginx's documented gRPC error page answers 204 so; Envoy sends
 * trailers-only replies) is classified by its `grpc-status`, `grpc-message` and
 * `grpc-status-details-bin`. The HTTP status counts only when there is no `grpc-status`.
 */

import { create } from "@bufbuild/protobuf";
import { anyPack, durationFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { isFlyteError, SlowDownError } from "../../src/errors/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { ErrorInfoSchema, RetryInfoSchema } from "../../src/gen/google/rpc/error_details_pb.js";
import { describe as describeValue } from "../faults/expectations.js";
import { observe, rpcErrorOf, settle, until, within } from "../infra/bounded.js";
import type { FakeRunService } from "./fake-run-service.js";
import { withFakeServer } from "./fake-server.js";
import { type Failure, trailersOnly } from "./raw-grpc-server.js";

const NGINX_PAGE: Failure = {
  httpStatus: 204,
  code: 14,
  message: "upstream connect error: connection refused",
  details: [
    anyPack(
      ErrorInfoSchema,
      create(ErrorInfoSchema, { reason: "UPSTREAM_DOWN", domain: "proxy.example.com" }),
    ),
  ],
};

/** Answers every call with nginx's gRPC error page. */
function nginxPage(service: FakeRunService): void {
  service.intercept = (call) => {
    trailersOnly(call.stream, NGINX_PAGE);
    return true;
  };
}

describe("grpc-status in the headers of a non-200 reply", () => {
  it("a 204 with grpc-status 14 is a retryable UNAVAILABLE with the proxy's grpc-message and details", async () => {
    const outcome = await withFakeServer(
      { client: { retry: false }, prepare: nginxPage },
      ({ client }) => settle(client.getRun("r1").details()),
    );
    expect(outcome.ok).toBe(false);
    const error = outcome.ok ? undefined : outcome.error;
    const rpc = rpcErrorOf(error);
    expect(rpc?.code, describeValue(error)).toBe("UNAVAILABLE");
    expect(rpc?.retryable).toBe(true);
    expect(rpc?.rawMessage).toContain("upstream connect error: connection refused");
    expect(JSON.stringify(rpc?.details)).toContain("UPSTREAM_DOWN");
  });

  it("createRun answered by a 204 with grpc-status 14 fails retryable, its cause UNAVAILABLE", async () => {
    const outcome = await withFakeServer(
      { client: { retry: false }, prepare: nginxPage },
      ({ client }) => settle(client.createRun({ task: { name: "t" }, name: "named-1" })),
    );
    const error = outcome.ok ? undefined : outcome.error;
    expect(isFlyteError(error) && error.retryable, describeValue(error)).toBe(true);
    expect(rpcErrorOf(error)?.code, describeValue(error)).toBe("UNAVAILABLE");
  });

  it("grpc-status wins over the HTTP status: a 503 saying RESOURCE_EXHAUSTED with RetryInfo is a SlowDownError", async () => {
    const outcome = await withFakeServer(
      {
        client: { retry: false },
        prepare: (service) => {
          service.intercept = (call) => {
            trailersOnly(call.stream, {
              httpStatus: 503,
              code: 8,
              message: "quota exceeded for project flytesnacks",
              details: [
                anyPack(
                  RetryInfoSchema,
                  create(RetryInfoSchema, { retryDelay: durationFromMs(1_500) }),
                ),
              ],
            });
            return true;
          };
        },
      },
      ({ client }) => settle(client.getRun("r1").details()),
    );
    const error = outcome.ok ? undefined : outcome.error;
    expect(error, describeValue(error)).toBeInstanceOf(SlowDownError);
    expect((error as SlowDownError).retryAfterMs).toBe(1_500);
  });

  it("a wait rides out replies of 204 with grpc-status 14 as transient, and settles on the run's outcome", async () => {
    await withFakeServer(
      {
        client: { watch: { backoff: { baseMs: 20, maxMs: 50 } } },
        prepare: (service) => {
          service.seed("r1");
          service.intercept = (call) => {
            if (call.method !== "WatchActionDetails" || call.previous >= 3) return false;
            trailersOnly(call.stream, NGINX_PAGE);
            return true;
          };
        },
      },
      async ({ service, client }) => {
        const wait = observe(client.getRun("r1").wait());
        await until(5_000, "the wait subscribed after the blips", () => {
          return service.openWatches() > 0 || wait.outcome !== undefined;
        });
        service.setPhase("r1", ActionPhase.SUCCEEDED);
        const outcome = await within(5_000, "the wait settled", wait.done);
        expect(outcome.ok ? outcome.value.phaseName : describeValue(outcome.error)).toBe(
          "SUCCEEDED",
        );
        expect(service.count("WatchActionDetails")).toBe(4);
      },
    );
  });
});
