import { constants } from "node:http2";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type RunIdentifier,
  RunIdentifierSchema,
} from "../../src/gen/flyteidl2/common/identifier_pb.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import {
  RunService,
  WatchActionDetailsResponseSchema,
} from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { RetryInfoSchema } from "../../src/gen/google/rpc/error_details_pb.js";
import { startTestServer, type TestServer } from "../../src/testing/index.js";
import { nodeTransport } from "../support/transports.js";
import {
  makeClient,
  type ProtocolCase,
  protocolCases,
  rawGrpcWatch,
  rawSession,
  sleep,
  type TestClient,
} from "./helpers.js";

type Outcome = { phases: number[]; error: ConnectError | undefined };

/** Runs one watch to its end, keeping what it delivered and how it ended. */
async function watchOnce(tc: TestClient, run: RunIdentifier): Promise<Outcome> {
  const phases: number[] = [];
  try {
    for await (const m of tc.client.watchActionDetails({ actionId: { run, name: "a0" } })) {
      phases.push(m.details?.status?.phase ?? -1);
    }
    return { phases, error: undefined };
  } catch (e) {
    return { phases, error: ConnectError.from(e) };
  }
}

/** The error a client sees when the server cuts a stream, per HTTP version. */
function cutCode(protocol: ProtocolCase): Code {
  // HTTP/2: RST_STREAM CANCEL is CANCELED in gRPC's mapping. HTTP/1.1: the connection
  // closed mid-body, which the transport reports as UNAVAILABLE.
  return protocol.httpVersion === "2" ? Code.Canceled : Code.Unavailable;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ speed: 1000, idleCutMs: 40 });
});
afterAll(async () => {
  await server.close();
});

describe.each(protocolCases)("faults over $name", (protocol) => {
  let tc: TestClient;
  beforeAll(() => {
    tc = makeClient(protocol, server.url);
  });
  afterAll(() => tc.close());

  test("stream-drop resets the first three watches after one message each", async () => {
    const run = server.runs.create({ scenario: "stream-drop+oom" });
    for (let i = 0; i < 3; i++) {
      const { phases, error } = await watchOnce(tc, run);
      expect(phases).toHaveLength(1);
      expect(error?.code).toBe(cutCode(protocol));
    }
    const fourth = await watchOnce(tc, run);
    expect(fourth.error).toBeUndefined();
    expect(fourth.phases.at(-1)).toBe(ActionPhase.FAILED);
    expect(server.runs.get(run.name)?.status?.attempts).toBe(3);
  });

  test("clean-eos ends the first watch cleanly before the terminal phase", async () => {
    const run = server.runs.create({ scenario: "clean-eos+succeed" });
    const first = await watchOnce(tc, run);
    expect(first.error).toBeUndefined();
    expect(first.phases).toHaveLength(1);
    expect(first.phases[0]).not.toBe(ActionPhase.SUCCEEDED);
    const second = await watchOnce(tc, run);
    expect(second.error).toBeUndefined();
    expect(second.phases.at(-1)).toBe(ActionPhase.SUCCEEDED);
  });

  test("malformed spoils the first message only", async () => {
    const run = server.runs.create({ scenario: "malformed+user-error" });
    const first = await watchOnce(tc, run);
    expect(first.phases).toEqual([]);
    // Binary codecs fail to parse (Internal); connect's JSON codec reports InvalidArgument.
    expect(first.error?.code).toBe(protocol.tag === "cj" ? Code.InvalidArgument : Code.Internal);
    expect(first.error?.rawMessage).toMatch(/premature EOF|decode/);
    const second = await watchOnce(tc, run);
    expect(second.error).toBeUndefined();
    expect(second.phases.at(-1)).toBe(ActionPhase.FAILED);
  });

  test("unavailable fails the first two calls of each method", async () => {
    const name = `${protocol.tag}-unavailable`;
    const runId = create(RunIdentifierSchema, {
      org: "",
      project: "flytesnacks",
      domain: "development",
      name,
    });
    const createRun = () =>
      tc.client.createRun({
        id: { case: "runId", value: runId },
        task: { case: "taskId", value: { name: "unavailable+succeed" } },
      });
    for (let i = 0; i < 2; i++) {
      await expect(createRun()).rejects.toMatchObject({ code: Code.Unavailable });
    }
    await createRun();
    const get = () => tc.client.getRunDetails({ runId });
    await expect(get()).rejects.toMatchObject({ code: Code.Unavailable });
    await expect(get()).rejects.toMatchObject({ code: Code.Unavailable });
    expect((await get()).details?.action?.id?.run?.name).toBe(name);
    for (let i = 0; i < 2; i++) {
      const { phases, error } = await watchOnce(tc, runId);
      expect(phases).toEqual([]);
      expect(error?.code).toBe(Code.Unavailable);
    }
    expect((await watchOnce(tc, runId)).phases.at(-1)).toBe(ActionPhase.SUCCEEDED);
  });

  test("slow-down answers RESOURCE_EXHAUSTED with a 200 ms RetryInfo", async () => {
    const run = server.runs.create({ scenario: "slow-down+succeed" });
    const error = await tc.client.getActionDetails({ actionId: { run, name: "a0" } }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.ResourceExhausted);
    const [retry] = error?.findDetails(RetryInfoSchema) ?? [];
    expect(retry?.retryDelay?.seconds).toBe(0n);
    expect(retry?.retryDelay?.nanos).toBe(200_000_000);
    const again = await tc.client.getActionDetails({ actionId: { run, name: "a0" } });
    expect(again.details?.id?.run?.name).toBe(run.name);
  });

  test("half-open leaves the first watch hanging after one message while the run finishes", async () => {
    // Its own connection: a half-open one is dead for every stream on it.
    const own = makeClient(protocol, server.url);
    try {
      const run = server.runs.create({ scenario: "half-open+succeed" });
      const phases: number[] = [];
      // Watch for a while after the first message, then give up.
      const giveUp = new AbortController();
      const error = await (async () => {
        for await (const m of own.client.watchActionDetails(
          { actionId: { run, name: "a0" } },
          { signal: giveUp.signal },
        )) {
          phases.push(m.details?.status?.phase ?? -1);
          setTimeout(() => giveUp.abort(), 200);
        }
      })().then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      );
      expect(phases).toHaveLength(1);
      expect(error?.code).toBe(Code.Canceled);
      expect(server.runs.get(run.name)?.status?.phase).toBe(ActionPhase.SUCCEEDED);
    } finally {
      own.close();
    }
  });

  test("idle-cut resets a watch that stays silent, like a load balancer", async () => {
    const run = server.runs.create({ scenario: "idle-cut+succeed", hold: true });
    const cut = await watchOnce(tc, run);
    expect(cut.phases.length).toBeGreaterThan(0);
    expect(cut.phases.at(-1)).not.toBe(ActionPhase.SUCCEEDED);
    expect(cut.error?.code).toBe(cutCode(protocol));
    const next = watchOnce(tc, run);
    await sleep(10);
    server.runs.release([run.name]);
    const done = await next;
    expect(done.phases.at(-1)).toBe(ActionPhase.SUCCEEDED);
  });
});

describe("faults at the transport level", () => {
  test("stream-drop is an HTTP/2 RST_STREAM with code CANCEL after one DATA message", async () => {
    const session = await rawSession(server.url);
    try {
      const run = server.runs.create({ scenario: "stream-drop+succeed" });
      const watch = rawGrpcWatch(session, run);
      const code = await watch.closed;
      expect(code).toBe(constants.NGHTTP2_CANCEL);
      expect(watch.headers?.[":status"]).toBe(200);
      expect(watch.bytes).toBeGreaterThan(5);
      expect(session.closed).toBe(false);
    } finally {
      session.destroy();
    }
  });

  test("half-open: after one message, no bytes, no PING ack and no close", async () => {
    const session = await rawSession(server.url);
    const run = server.runs.create({ scenario: "half-open+succeed" });
    const watch = rawGrpcWatch(session, run);
    await watch.firstData;
    await sleep(20);
    const bytesAfterFirst = watch.bytes;
    let pingAcked = false;
    let closed = false;
    session.ping(() => {
      pingAcked = true;
    });
    session.once("close", () => {
      closed = true;
    });
    void watch.closed.then(() => {
      closed = true;
    });
    // The run finishes meanwhile (the fault has fired), yet nothing reaches us.
    await sleep(300);
    expect(server.runs.get(run.name)?.status?.phase).toBe(ActionPhase.SUCCEEDED);
    expect(pingAcked).toBe(false);
    expect(closed).toBe(false);
    expect(watch.bytes).toBe(bytesAfterFirst);
    session.destroy();

    // A client that gives up on the silent connection and dials again sees the end.
    const fresh = nodeTransport(server.url, { protocol: "grpc" });
    const client = createClient(RunService, fresh.transport);
    const phases: number[] = [];
    for await (const m of client.watchActionDetails({ actionId: { run, name: "a0" } })) {
      phases.push(m.details?.status?.phase ?? -1);
    }
    fresh.close();
    expect(phases).toEqual([ActionPhase.SUCCEEDED]);
  });

  test("a run with watch faults waits for its watches before it ends", async () => {
    const run = server.runs.create({ scenario: "stream-drop+succeed" });
    await sleep(100);
    // At speed 1000 the timeline is long over, but no watch has met the fault yet.
    expect(server.runs.get(run.name)?.status?.phase).toBe(ActionPhase.RUNNING);
  });
});

describe("mutateWatchMessage", () => {
  test("sees every streamed message and can replace it", async () => {
    const seen: { method: string; index: number }[] = [];
    const fuzz = await startTestServer({
      speed: 1000,
      mutateWatchMessage(encoded, info) {
        seen.push(info);
        const msg = fromBinary(WatchActionDetailsResponseSchema, encoded);
        if (msg.details?.status === undefined || info.index !== 0) return undefined;
        msg.details.status.phase = 77 as ActionPhase;
        return toBinary(WatchActionDetailsResponseSchema, msg);
      },
    });
    const tc = makeClient(protocolCases[0] as ProtocolCase, fuzz.url);
    try {
      const run = fuzz.runs.create({ scenario: "succeed" });
      const { phases, error } = await watchOnce(tc, run);
      expect(error).toBeUndefined();
      expect(phases[0]).toBe(77);
      expect(phases.at(-1)).toBe(ActionPhase.SUCCEEDED);
      expect(seen.map((s) => s.index)).toEqual(phases.map((_, i) => i));
      expect(new Set(seen.map((s) => s.method))).toEqual(new Set(["WatchActionDetails"]));
      // Only the wire changed: the store still holds what the timeline wrote.
      expect(fuzz.runs.get(run.name)?.status?.phase).toBe(ActionPhase.SUCCEEDED);
    } finally {
      tc.close();
      await fuzz.close();
    }
  });
});
