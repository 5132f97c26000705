/**
 * Issue 12, item 4: createRun is safe to retry once the client names every run itself.
 * Without a name from the caller, the client generates one the backend accepts; then
 * UNAVAILABLE, RESOURCE_EXHAUSTED and refused streams are retried, an ALREADY_EXISTS that
 * answers a retry means the first try went through, and the delay a server asks for (in
 * RetryInfo or Retry-After) is honoured for UNAVAILABLE as it is for RESOURCE_EXHAUSTED.
 */

import { create } from "@bufbuild/protobuf";
import { anyPack, durationFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import type { CreateRunOptions } from "../../src/client/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import type { CreateRunRequest } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { RetryInfoSchema } from "../../src/gen/google/rpc/error_details_pb.js";
import { describe as describeValue } from "../faults/expectations.js";
import { settle } from "../infra/bounded.js";
import type { FakeRunService } from "./fake-run-service.js";
import { withFakeServer } from "./fake-server.js";
import { type Failure, refuse, trailersOnly } from "./raw-grpc-server.js";

/** The backend's limit on run names. */
const MAX_NAME = 30;
/**
 * A name the backend accepts and Kubernetes can carry in pod names: lowercase letters,
 * digits and dashes, starting with a letter, not ending with a dash.
 */
const ACCEPTED_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

/** Makes one createRun against the fake with `intercept`, then reads the run it names. */
function createRunAgainst(
  intercept: FakeRunService["intercept"],
  options: CreateRunOptions = { task: { name: "t" } },
) {
  return withFakeServer(
    {
      prepare: (service) => {
        service.intercept = intercept;
      },
    },
    async ({ service, client }) => {
      const outcome = await settle(client.createRun(options));
      const details = outcome.ok ? await settle(outcome.value.details()) : undefined;
      return { service, outcome, details };
    },
  );
}

/** Fails the first CreateRun of each run with `failure`; later ones get the real answer. */
function failFirst(failure: Failure): FakeRunService["intercept"] {
  return (call) => {
    if (call.method !== "CreateRun" || call.previous > 0) return false;
    trailersOnly(call.stream, failure);
    return true;
  };
}

function requestedName(service: FakeRunService, index = 0): string | undefined {
  const request = service.calls.filter((c) => c.method === "CreateRun")[index]?.request as
    | CreateRunRequest
    | undefined;
  return request?.id.case === "runId" ? request.id.value.name : undefined;
}

function gapsBetweenCreateRuns(service: FakeRunService): number[] {
  const at = service.calls.filter((c) => c.method === "CreateRun").map((c) => c.at);
  return at.slice(1).map((t, i) => t - (at[i] ?? t));
}

describe("createRun without a name", () => {
  it(`sends a client-generated name: at most ${MAX_NAME} characters, one the backend accepts, new each time`, async () => {
    const { service, runs } = await withFakeServer({}, async ({ service, client }) => ({
      service,
      runs: await Promise.all(
        Array.from({ length: 50 }, () => client.createRun({ task: { name: "t" } })),
      ),
    }));
    const sent = Array.from({ length: 50 }, (_, i) => requestedName(service, i));
    for (const name of sent) {
      expect(name, "CreateRun carried a run id with a name").toBeTypeOf("string");
      expect(name?.length).toBeLessThanOrEqual(MAX_NAME);
      expect(name).toMatch(ACCEPTED_NAME);
    }
    expect(new Set(sent).size, "distinct names").toBe(50);
    expect(new Set(runs.map((r) => r.name))).toEqual(new Set(sent));
  });

  it("is retried after an UNAVAILABLE and creates one run", async () => {
    const { service, outcome } = await createRunAgainst(
      failFirst({ code: 14, message: "connection to the database lost" }),
    );
    expect(outcome.ok ? "created" : describeValue(outcome.error)).toBe("created");
    expect(outcome.ok && outcome.value.name).toBe(service.created[0]);
    expect(service.created).toHaveLength(1);
  });

  it("is retried after a RESOURCE_EXHAUSTED with RetryInfo, no sooner than the server asked", async () => {
    const { service, outcome } = await createRunAgainst(
      failFirst({
        code: 8,
        message: "too many runs created; slow down",
        details: [
          anyPack(RetryInfoSchema, create(RetryInfoSchema, { retryDelay: durationFromMs(400) })),
        ],
      }),
    );
    expect(outcome.ok ? "created" : describeValue(outcome.error)).toBe("created");
    expect(outcome.ok && outcome.value.name).toBe(service.created[0]);
    expect(service.created).toHaveLength(1);
    expect(gapsBetweenCreateRuns(service)[0]).toBeGreaterThanOrEqual(390);
  });

  it("is retried after a refused stream and creates one run", async () => {
    const { service, outcome } = await createRunAgainst((call) => {
      if (call.method !== "CreateRun" || call.previous > 0) return false;
      refuse(call.stream);
      return true;
    });
    expect(outcome.ok ? "created" : describeValue(outcome.error)).toBe("created");
    expect(outcome.ok && outcome.value.name).toBe(service.created[0]);
    expect(service.created).toHaveLength(1);
  });

  it("resolves to the run the first try created when the retry meets ALREADY_EXISTS", async () => {
    // The first try goes through, but its answer is lost on the way back.
    const { service, outcome, details } = await createRunAgainst((call, fake) => {
      if (call.method !== "CreateRun" || call.previous > 0) return false;
      const name = call.run ?? "server-picked-1";
      fake.seed(name, ActionPhase.QUEUED);
      fake.created.push(name);
      trailersOnly(call.stream, { code: 14, message: "upstream reset before the reply" });
      return true;
    });
    expect(outcome.ok ? "created" : describeValue(outcome.error)).toBe("created");
    expect(outcome.ok && outcome.value.name).toBe(service.created[0]);
    expect(service.created).toHaveLength(1);
    expect(service.count("CreateRun"), "the retry met ALREADY_EXISTS").toBe(2);
    expect(details?.ok && details.value.status?.phase).toBe(ActionPhase.QUEUED);
  });
});

describe("createRun honours the delay a server asks for with UNAVAILABLE", () => {
  it("waits as long as RetryInfo says before retrying", async () => {
    const { service, outcome } = await createRunAgainst(
      failFirst({
        code: 14,
        message: "draining; come back later",
        details: [
          anyPack(RetryInfoSchema, create(RetryInfoSchema, { retryDelay: durationFromMs(1_200) })),
        ],
      }),
      { task: { name: "t" }, name: "named-retryinfo" },
    );
    expect(outcome.ok ? outcome.value.name : describeValue(outcome.error)).toBe("named-retryinfo");
    expect(gapsBetweenCreateRuns(service)[0]).toBeGreaterThanOrEqual(1_190);
  });

  it("waits as long as Retry-After says before retrying", async () => {
    const { service, outcome } = await createRunAgainst(
      failFirst({ code: 14, message: "maintenance", headers: { "retry-after": "1" } }),
      { task: { name: "t" }, name: "named-retryafter" },
    );
    expect(outcome.ok ? outcome.value.name : describeValue(outcome.error)).toBe("named-retryafter");
    expect(gapsBetweenCreateRuns(service)[0]).toBeGreaterThanOrEqual(990);
  });
});
