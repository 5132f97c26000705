import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, expect, onTestFinished, test } from "vitest";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { RunService } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { flyteHandlers } from "../../src/msw/index.js";
import { createRunStore, startTestServer, type TestServer } from "../../src/testing/index.js";
import { nodeTransport } from "../support/transports.js";
import { runIdOf } from "./helpers.js";

// Several mocks side by side behind one msw server, each on its own host.
const secret = "s3cr3t-token-value";
const authed = flyteHandlers({ baseUrl: "http://auth.flyte.test", token: secret, speed: 1000 });
const sharedStore = createRunStore({ speed: 1000 });
const shared = flyteHandlers({ baseUrl: "http://shared.flyte.test/api/", store: sharedStore });
const closing = flyteHandlers({ baseUrl: "http://closing.flyte.test", speed: 1000 });
const msw = setupServer(...authed, ...shared, ...closing);
let realServer: TestServer;

beforeAll(async () => {
  msw.listen({
    onUnhandledRequest(request, print) {
      if (new URL(request.url).hostname.endsWith("flyte.test")) print.error();
    },
  });
  realServer = await startTestServer({ store: sharedStore });
});
afterAll(async () => {
  msw.close();
  authed.close();
  shared.close();
  closing.close();
  await realServer.close();
  sharedStore.dispose();
});

function code(e: unknown): Code {
  return ConnectError.from(e).code;
}

test("with a token, calls without the bearer fail UNAUTHENTICATED and the token is never echoed", async () => {
  const anonymous = createClient(
    RunService,
    createConnectTransport({ baseUrl: "http://auth.flyte.test", useBinaryFormat: true }),
  );
  const wrong = createClient(
    RunService,
    createConnectTransport({
      baseUrl: "http://auth.flyte.test",
      interceptors: [
        (next) => (req) => {
          req.header.set("authorization", `Bearer ${secret}x`);
          return next(req);
        },
      ],
    }),
  );
  const right = createClient(
    RunService,
    createConnectTransport({
      baseUrl: "http://auth.flyte.test",
      interceptors: [
        (next) => (req) => {
          req.header.set("authorization", `Bearer ${secret}`);
          return next(req);
        },
      ],
    }),
  );
  for (const client of [anonymous, wrong]) {
    const error = await client.listRuns({}).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.Unauthenticated);
    expect(JSON.stringify([error?.message, [...(error?.metadata ?? [])]])).not.toContain(secret);
    // Streams are gated the same way, before the body is read.
    const streamError = await (async () => {
      for await (const _ of client.watchRuns({})) return undefined;
    })().then(
      () => undefined,
      (e: unknown) => code(e),
    );
    expect(streamError).toBe(Code.Unauthenticated);
  }
  expect((await right.listRuns({})).runs).toEqual([]);
});

test("RPCs the service does not implement answer UNIMPLEMENTED", async () => {
  const client = createClient(
    RunService,
    createConnectTransport({ baseUrl: "http://closing.flyte.test", useBinaryFormat: true }),
  );
  const error = await client
    .watchClusterEvents({})
    [Symbol.asyncIterator]()
    .next()
    .then(
      () => undefined,
      (e: unknown) => code(e),
    );
  expect(error).toBe(Code.Unimplemented);
});

test("one store behind the msw mock (with a path prefix) and the node server: the same runs on both", async () => {
  expect(shared.baseUrl).toBe("http://shared.flyte.test/api");
  const viaFetch = createClient(
    RunService,
    createConnectTransport({ baseUrl: shared.baseUrl, useBinaryFormat: true }),
  );
  const http2 = nodeTransport(realServer.url, { protocol: "grpc" });
  onTestFinished(() => http2.close());
  const viaHttp2 = createClient(RunService, http2.transport);
  const runId = runIdOf("both");
  await viaFetch.createRun({
    id: { case: "runId", value: runId },
    task: { case: "taskId", value: { name: "oom" } },
  });
  const overGrpc: number[] = [];
  for await (const m of viaHttp2.watchActionDetails({ actionId: { run: runId, name: "a0" } })) {
    overGrpc.push(m.details?.status?.phase ?? -1);
  }
  expect(overGrpc.at(-1)).toBe(ActionPhase.FAILED);
  const overFetch = await viaFetch.getActionDetails({ actionId: { run: runId, name: "a0" } });
  expect(overFetch.details?.status?.phase).toBe(ActionPhase.FAILED);
  expect(overFetch.details?.status?.attempts).toBe(3);
});

test("close() cuts calls in flight like a dropped connection, and later calls answer UNAVAILABLE", async () => {
  const client = createClient(
    RunService,
    createConnectTransport({ baseUrl: closing.baseUrl, useBinaryFormat: true }),
  );
  closing.runs.create({ name: "waiting", scenario: "paused" });
  const phases: number[] = [];
  let seenFirst: () => void = () => {};
  const first = new Promise<void>((resolve) => {
    seenFirst = resolve;
  });
  const watching = (async () => {
    try {
      for await (const m of client.watchActionDetails({
        actionId: { run: runIdOf("waiting"), name: "a0" },
      })) {
        phases.push(m.details?.status?.phase ?? -1);
        seenFirst();
      }
      return "ended";
    } catch (e) {
      return ConnectError.from(e);
    }
  })();
  await first;
  closing.close();
  const ended = await watching;
  expect(ended).toBeInstanceOf(ConnectError);
  expect((ended as ConnectError).rawMessage).toBe("terminated");
  expect(phases.length).toBeGreaterThan(0);
  expect(await client.listRuns({}).then(() => "ok", code)).toBe(Code.Unavailable);
});
