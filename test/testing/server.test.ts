import { constants } from "node:http2";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RunIdentifierSchema } from "../../src/gen/flyteidl2/common/identifier_pb.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { RunService } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import {
  createRunStore,
  OUTCOMES,
  startTestServer,
  type TestServer,
} from "../../src/testing/index.js";
import { nodeTransport } from "../support/transports.js";
import {
  codeOf,
  eventually,
  makeClient,
  type ProtocolCase,
  protocolCases,
  rawGrpcWatch,
  rawSession,
  sleep,
  type TestClient,
} from "./helpers.js";

const connectH2 = protocolCases[0] as ProtocolCase;

function runId(name: string) {
  return create(RunIdentifierSchema, {
    org: "",
    project: "flytesnacks",
    domain: "development",
    name,
  });
}

describe("RunService semantics", () => {
  let server: TestServer;
  let tc: TestClient;
  beforeAll(async () => {
    server = await startTestServer({ speed: 1000 });
    tc = makeClient(connectH2, server.url);
  });
  afterAll(async () => {
    tc.close();
    await server.close();
  });

  const createRun = (name: string | undefined, task: string | undefined) =>
    tc.client.createRun({
      id:
        name === undefined
          ? {
              case: "projectId",
              value: { organization: "", name: "flytesnacks", domain: "development" },
            }
          : { case: "runId", value: runId(name) },
      task: task === undefined ? { case: undefined } : { case: "taskId", value: { name: task } },
    });

  test("CreateRun refuses a name in use with ALREADY_EXISTS", async () => {
    await createRun("dup-1", "succeed");
    expect(await codeOf(createRun("dup-1", "oom"))).toBe(Code.AlreadyExists);
  });

  test("CreateRun refuses a missing task, an empty task name or an unknown scenario with INVALID_ARGUMENT", async () => {
    expect(await codeOf(createRun("nt-1", undefined))).toBe(Code.InvalidArgument);
    expect(await codeOf(createRun("nt-2", ""))).toBe(Code.InvalidArgument);
    const unknown = await createRun("nt-3", "explode").catch((e: unknown) => ConnectError.from(e));
    expect(unknown).toBeInstanceOf(ConnectError);
    expect((unknown as ConnectError).code).toBe(Code.InvalidArgument);
    expect((unknown as ConnectError).rawMessage).toContain("succeed, recovered");
    expect(await codeOf(createRun("nt-4", "flaky+succeed"))).toBe(Code.InvalidArgument);
    expect(await codeOf(createRun("x".repeat(31), "succeed"))).toBe(Code.InvalidArgument);
    expect(
      await codeOf(tc.client.createRun({ task: { case: "taskId", value: { name: "succeed" } } })),
    ).toBe(Code.InvalidArgument);
  });

  test("CreateRun with only a project lets the server pick a name of at most 30 characters", async () => {
    const res = await createRun(undefined, "succeed");
    const id = res.run?.action?.id?.run;
    expect(id?.name).toMatch(/^r[a-z0-9]{19}$/);
    expect(id?.project).toBe("flytesnacks");
    expect(id?.domain).toBe("development");
    expect(res.run?.action?.metadata?.spec.case).toBe("task");
  });

  test("unknown runs and actions answer NOT_FOUND", async () => {
    const missing = runId("no-such-run");
    expect(await codeOf(tc.client.getRunDetails({ runId: missing }))).toBe(Code.NotFound);
    expect(await codeOf(tc.client.abortRun({ runId: missing }))).toBe(Code.NotFound);
    expect(await codeOf(tc.client.listActions({ runId: missing }))).toBe(Code.NotFound);
    const watch = (async () => {
      for await (const _ of tc.client.watchActionDetails({
        actionId: { run: missing, name: "a0" },
      })) {
        // nothing arrives
      }
    })();
    expect(await codeOf(watch)).toBe(Code.NotFound);
    await createRun("nf-1", "succeed");
    expect(
      await codeOf(tc.client.getActionDetails({ actionId: { run: runId("nf-1"), name: "a1" } })),
    ).toBe(Code.NotFound);
    const otherProject = { ...runId("nf-1"), project: "other" };
    expect(await codeOf(tc.client.getRunDetails({ runId: otherProject }))).toBe(Code.NotFound);
  });

  test("AbortRun moves a live run to ABORTED with the reason and the caller", async () => {
    await createRun("ab-1", "paused");
    await tc.client.abortRun({ runId: runId("ab-1"), reason: "wrong inputs" });
    const details = (
      await tc.client.getActionDetails({ actionId: { run: runId("ab-1"), name: "a0" } })
    ).details;
    expect(details?.status?.phase).toBe(ActionPhase.ABORTED);
    expect(details?.status?.endTime).toBeDefined();
    expect(details?.result.case).toBe("abortInfo");
    if (details?.result.case === "abortInfo") {
      expect(details.result.value.reason).toBe("wrong inputs");
      expect(details.result.value.abortedBy?.principal.value?.id?.subject).toBe("local-user");
    }
  });

  test("AbortAction aborts the root action; a reason-less abort gets the default reason", async () => {
    await createRun("ab-2", "paused");
    await tc.client.abortAction({ actionId: { run: runId("ab-2"), name: "a0" } });
    const details = server.runs.get("ab-2");
    expect(details?.status?.phase).toBe(ActionPhase.ABORTED);
    expect(details?.result.case === "abortInfo" && details.result.value.reason).toBe(
      "User requested abort",
    );
  });

  test("AbortRun on a finished run is an idempotent no-op", async () => {
    await createRun("ab-3", "succeed");
    await eventually(
      () => server.runs.get("ab-3")?.status?.phase === ActionPhase.SUCCEEDED,
      "ab-3 succeeds",
    );
    await tc.client.abortRun({ runId: runId("ab-3"), reason: "too late" });
    const details = server.runs.get("ab-3");
    expect(details?.status?.phase).toBe(ActionPhase.SUCCEEDED);
    expect(details?.result.case).toBeUndefined();
  });

  test("RPCs outside the implemented set answer UNIMPLEMENTED", async () => {
    await createRun("un-1", "succeed");
    const actionId = { run: runId("un-1"), name: "a0" };
    const events = (async () => {
      for await (const _ of tc.client.watchClusterEvents({ id: actionId })) {
        // nothing arrives
      }
    })();
    expect(await codeOf(events)).toBe(Code.Unimplemented);
  });

  test("ListRuns pages newest first; ListActions lists the root action", async () => {
    const store = server.runs;
    for (const n of ["ls-1", "ls-2", "ls-3"])
      store.create({ name: n, scenario: "paused", project: "listing" });
    const projectId = { organization: "", name: "listing", domain: "development" };
    const page1 = await tc.client.listRuns({
      request: { limit: 2 },
      scopeBy: { case: "projectId", value: projectId },
    });
    expect(page1.runs.map((r) => r.action?.id?.run?.name)).toEqual(["ls-3", "ls-2"]);
    expect(page1.token).not.toBe("");
    const page2 = await tc.client.listRuns({
      request: { limit: 2, token: page1.token },
      scopeBy: { case: "projectId", value: projectId },
    });
    expect(page2.runs.map((r) => r.action?.id?.run?.name)).toEqual(["ls-1"]);
    expect(page2.token).toBe("");
    const actions = await tc.client.listActions({
      runId: { ...runId("ls-1"), project: "listing" },
    });
    expect(actions.actions.map((a) => a.id?.name)).toEqual(["a0"]);
    for (const n of ["ls-1", "ls-2", "ls-3"]) store.abort(n);
  });

  test("WatchRunDetails and WatchActions stream until the terminal state and keep the run spec", async () => {
    await tc.client.createRun({
      id: { case: "runId", value: runId("wr-1") },
      task: { case: "taskId", value: { name: "timeout" } },
      runSpec: { cluster: "gpu-pool", overwriteCache: true },
    });
    const phases: number[] = [];
    for await (const m of tc.client.watchRunDetails({ runId: runId("wr-1") })) {
      expect(m.details?.runSpec?.cluster).toBe("gpu-pool");
      phases.push(m.details?.action?.status?.phase ?? -1);
    }
    expect(phases.at(-1)).toBe(ActionPhase.TIMED_OUT);
    const fetched = await tc.client.getRunDetails({ runId: runId("wr-1") });
    expect(fetched.details?.runSpec?.overwriteCache).toBe(true);
    const actions: number[] = [];
    for await (const m of tc.client.watchActions({ runId: runId("wr-1") })) {
      const enriched = m.enrichedActions[0];
      expect(enriched?.meetsFilter).toBe(true);
      actions.push(enriched?.action?.status?.phase ?? -1);
    }
    expect(actions).toEqual([ActionPhase.TIMED_OUT]);
  });
});

describe("token", () => {
  const token = "tkn-7f3a9c1e5b2d4e6f8a0b";
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ speed: 1000, token });
  });
  afterAll(() => server.close());

  test.each(protocolCases)(
    "calls without the bearer token fail UNAUTHENTICATED over $name",
    async (protocol) => {
      const tc = makeClient(protocol, server.url);
      try {
        const id = server.runs.create({ scenario: "succeed" });
        const error = await tc.client.getRunDetails({ runId: id }).then(
          () => undefined,
          (e: unknown) => ConnectError.from(e),
        );
        expect(error?.code).toBe(Code.Unauthenticated);
        const wrong = await tc.client
          .getRunDetails({ runId: id }, { headers: { authorization: "Bearer nope" } })
          .then(
            () => undefined,
            (e: unknown) => ConnectError.from(e),
          );
        expect(wrong?.code).toBe(Code.Unauthenticated);
        for (const e of [error, wrong]) {
          const seen = JSON.stringify({
            message: e?.message,
            metadata: [...(e?.metadata.entries() ?? [])],
            details: e?.details,
          });
          expect(seen).not.toContain(token);
        }
        const ok = await tc.client.getRunDetails(
          { runId: id },
          { headers: { authorization: `Bearer ${token}` } },
        );
        expect(ok.details?.action?.id?.run?.name).toBe(id.name);
      } finally {
        tc.close();
      }
    },
  );
});

describe("maxConcurrentStreams", () => {
  test("the server announces it, and the stream past it waits (or is refused) until one ends", async () => {
    const server = await startTestServer({ speed: 1000, maxConcurrentStreams: 2 });
    const session = await rawSession(server.url);
    try {
      expect(session.remoteSettings.maxConcurrentStreams).toBe(2);
      const runs = ["mc-1", "mc-2", "mc-3"].map((name) =>
        server.runs.create({ name, scenario: "paused" }),
      );
      const [a, b] = runs.slice(0, 2).map((r) => rawGrpcWatch(session, r));
      await a?.firstData;
      await b?.firstData;
      const c = rawGrpcWatch(session, runs[2] as (typeof runs)[number]);
      let cClosedEarly = false;
      void c.closed.then(() => {
        cClosedEarly = true;
      });
      await sleep(150);
      // Two streams are open; the third has not reached the handler.
      expect(c.headers).toBeUndefined();
      expect(c.bytes).toBe(0);
      expect(server.stats().activeStreams).toBe(2);
      const refusedBeforeRelease = cClosedEarly;

      server.runs.abort("mc-1");
      await a?.closed;
      const outcome = await Promise.race([
        c.firstData.then(() => "served" as const),
        c.closed.then((code) => (code === 0 ? ("served" as const) : code)),
      ]);
      if (refusedBeforeRelease) {
        // Node refuses a stream it cannot admit with RST_STREAM REFUSED_STREAM or ENHANCE_YOUR_CALM.
        expect([constants.NGHTTP2_REFUSED_STREAM, constants.NGHTTP2_ENHANCE_YOUR_CALM]).toContain(
          await c.closed,
        );
      } else {
        // Node's client queued it: it goes out once a slot frees.
        expect(outcome).toBe("served");
        expect(c.headers?.[":status"]).toBe(200);
      }
      expect(server.stats().peakActiveStreams).toBe(2);
    } finally {
      session.destroy();
      await server.close();
    }
  });
});

describe("stats and close()", () => {
  test("stats count connections and streams of both HTTP versions", async () => {
    const server = await startTestServer({ speed: 1000 });
    const h2 = nodeTransport(server.url, { protocol: "grpc" });
    const h2Client = createClient(RunService, h2.transport);
    const h1 = nodeTransport(server.url, { protocol: "connect", httpVersion: "1.1" });
    const h1Client = createClient(RunService, h1.transport);
    try {
      const id = server.runs.create({ scenario: "succeed" });
      await h2Client.getRunDetails({ runId: id });
      await h2Client.getRunDetails({ runId: id });
      await h1Client.getRunDetails({ runId: id });
      const stats = server.stats();
      expect(stats.connections).toBe(2);
      expect(stats.peakConnections).toBe(2);
      expect(stats.totalStreams).toBe(3);
      expect(stats.activeStreams).toBe(0);
      expect(stats.peakActiveStreams).toBe(1);
    } finally {
      h2.close();
      h1.close();
      await server.close();
    }
  });

  test("a store outlives its server: a new server on the same store serves the same runs", async () => {
    const store = createRunStore({ speed: 1000 });
    try {
      const first = await startTestServer({ store });
      const id = store.create({ name: "kept-1", scenario: "paused" });
      await first.close();
      const second = await startTestServer({ store });
      const tc = makeClient(connectH2, second.url);
      try {
        const details = await tc.client.getRunDetails({ runId: id });
        expect(details.details?.action?.id?.run?.name).toBe("kept-1");
        expect(second.runs).toBe(store);
      } finally {
        tc.close();
        await second.close();
      }
    } finally {
      store.dispose();
    }
  });

  test("the catalogue names every outcome", async () => {
    const server = await startTestServer();
    try {
      expect(server.scenarios.filter((s) => s.kind === "outcome").map((s) => s.name)).toEqual([
        ...OUTCOMES,
      ]);
    } finally {
      await server.close();
    }
  });
});

describe("compressMinBytes", () => {
  test("responses go uncompressed by default and gzipped past the threshold when asked", async () => {
    const plain = await startTestServer({ speed: 1000 });
    const zipped = await startTestServer({ speed: 1000, compressMinBytes: 1 });
    try {
      for (const [server, expected] of [
        [plain, undefined],
        [zipped, "gzip"],
      ] as const) {
        const id = server.runs.create({ scenario: "succeed" });
        const res = await fetch(`${server.url}/flyteidl2.workflow.RunService/GetRunDetails`, {
          method: "POST",
          headers: { "content-type": "application/json", "accept-encoding": "gzip" },
          body: JSON.stringify({
            runId: { project: id.project, domain: id.domain, name: id.name },
          }),
        });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-encoding") ?? undefined).toBe(expected);
        const body = (await res.json()) as {
          details?: { action?: { id?: { run?: { name?: string } } } };
        };
        expect(body.details?.action?.id?.run?.name).toBe(id.name);
      }
    } finally {
      await plain.close();
      await zipped.close();
    }
  });
});
