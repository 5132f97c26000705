import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { describe, expect, test } from "vitest";
import { decodeRpcError } from "../../src/decode/index.js";
import { SlowDownError, UnionRpcError } from "../../src/errors/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { RunService } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import { collapse, fetchTransports, runIdOf, useMockFlyte } from "./helpers.js";

const mock = useMockFlyte({
  baseUrl: "http://watch-faults.flyte.test",
  speed: 1000,
  idleCutMs: 40,
});

/** What one watch saw: its phases and how it ended. */
interface WatchResult {
  phases: number[];
  error?: ConnectError;
}

async function watchOnce(
  client: ReturnType<typeof createClient<typeof RunService>>,
  name: string,
): Promise<WatchResult> {
  const phases: number[] = [];
  try {
    for await (const m of client.watchActionDetails({
      actionId: { run: runIdOf(name), name: "a0" },
    })) {
      phases.push(m.details?.status?.phase ?? -1);
    }
    return { phases };
  } catch (e) {
    return { phases, error: ConnectError.from(e) };
  }
}

/** Resolves when the run writes its terminal state. */
function terminal(name: string): Promise<number> {
  return new Promise((resolve) => {
    const off = mock.flyte.runs.on("terminal", (e) => {
      if (e.name === name) {
        off();
        resolve(e.phase);
      }
    });
  });
}

describe.each(fetchTransports)("watch faults over $name", (transport) => {
  const client = createClient(RunService, transport.make("http://watch-faults.flyte.test"));
  const name = (fault: string) => `${transport.tag}-${fault}`;

  test("stream-drop: three watches are cut after their first message like a dropped connection", async () => {
    mock.flyte.runs.create({ name: name("drop"), scenario: "stream-drop+oom" });
    for (let i = 0; i < 3; i++) {
      const { phases, error } = await watchOnce(client, name("drop"));
      expect(phases).toHaveLength(1);
      expect(error?.rawMessage).toBe("terminated");
      // The cause is what Node's fetch throws for a connection that went away.
      const decoded = decodeRpcError(error, { method: "WatchActionDetails" });
      expect(decoded).toBeInstanceOf(UnionRpcError);
      expect(decoded.code).toBe("UNAVAILABLE");
      expect(decoded.message).toContain(
        "the connection failed (UND_ERR_SOCKET): other side closed",
      );
    }
    const last = await watchOnce(client, name("drop"));
    expect(last.error).toBeUndefined();
    expect(last.phases.at(-1)).toBe(ActionPhase.FAILED);
  });

  test("clean-eos: the first watch ends without error before the terminal phase", async () => {
    mock.flyte.runs.create({ name: name("eos"), scenario: "clean-eos+succeed" });
    const first = await watchOnce(client, name("eos"));
    expect(first.error).toBeUndefined();
    expect(first.phases).toHaveLength(1);
    expect(first.phases[0]).not.toBe(ActionPhase.SUCCEEDED);
    const second = await watchOnce(client, name("eos"));
    expect(second.phases.at(-1)).toBe(ActionPhase.SUCCEEDED);
  });

  test("malformed: the first message does not parse", async () => {
    mock.flyte.runs.create({ name: name("bad"), scenario: "malformed+succeed" });
    const first = await watchOnce(client, name("bad"));
    expect(first.phases).toEqual([]);
    expect(first.error).toBeInstanceOf(ConnectError);
    expect(first.error?.isWireError).toBe(false);
    if (transport.json) {
      expect(first.error?.rawMessage).toMatch(/JSON/);
    } else {
      expect(first.error?.rawMessage).toMatch(/premature EOF/);
    }
    const second = await watchOnce(client, name("bad"));
    expect(second.error).toBeUndefined();
    expect(second.phases.at(-1)).toBe(ActionPhase.SUCCEEDED);
  });

  test("half-open: after one message the body goes silent and never ends, until the client gives up", async () => {
    mock.flyte.runs.create({ name: name("half"), scenario: "half-open+succeed" });
    const finished = terminal(name("half"));
    const stop = new AbortController();
    const phases: number[] = [];
    const watching = (async () => {
      try {
        for await (const m of client.watchActionDetails(
          { actionId: { run: runIdOf(name("half")), name: "a0" } },
          { signal: stop.signal },
        )) {
          phases.push(m.details?.status?.phase ?? -1);
        }
        return "ended";
      } catch (e) {
        return ConnectError.from(e).code;
      }
    })();
    // The fault fired, so the run goes on to its end; the silenced watch hears nothing of it,
    // not even while a second watch makes its way through the whole run.
    expect(await finished).toBe(ActionPhase.SUCCEEDED);
    const other = await watchOnce(client, name("half"));
    expect(other.phases).toEqual([ActionPhase.SUCCEEDED]);
    const settled = await Promise.race([watching, Promise.resolve("still open")]);
    expect(settled).toBe("still open");
    expect(phases).toHaveLength(1);
    stop.abort();
    expect(await watching).toBe(Code.Canceled);
    expect(phases).toHaveLength(1);
  });

  test("idle-cut: a silent watch is cut like a dropped connection", async () => {
    mock.flyte.runs.create({ name: name("idle"), scenario: "idle-cut+succeed", hold: true });
    const { phases, error } = await watchOnce(client, name("idle"));
    expect(phases.length).toBeGreaterThan(0);
    expect(error?.rawMessage).toBe("terminated");
    mock.flyte.runs.release([name("idle")]);
  });
});

describe("call faults over fetch", () => {
  const client = createClient(
    RunService,
    createConnectTransport({ baseUrl: "http://watch-faults.flyte.test", useBinaryFormat: true }),
  );
  const runId = runIdOf("calls");

  test("unavailable and slow-down answer as Connect errors with their details", async () => {
    const create = () =>
      client.createRun({
        id: { case: "runId", value: runId },
        task: { case: "taskId", value: { name: "slow-down+unavailable+succeed" } },
      });
    const codes: Code[] = [];
    let slowDown: unknown;
    for (let i = 0; i < 3; i++) {
      try {
        await create();
        break;
      } catch (e) {
        codes.push(ConnectError.from(e).code);
        slowDown ??= e;
      }
    }
    expect(codes).toEqual([Code.ResourceExhausted, Code.Unavailable, Code.Unavailable]);
    const decoded = decodeRpcError(slowDown, { method: "CreateRun" });
    expect(decoded).toBeInstanceOf(SlowDownError);
    expect((decoded as SlowDownError).retryAfterMs).toBe(200);
    await create();
    // Every RPC about the run has its own budget: GetActionDetails meets the same three.
    const reads: (Code | "ok")[] = [];
    for (let i = 0; i < 4; i++) {
      reads.push(
        await client.getActionDetails({ actionId: { run: runId, name: "a0" } }).then(
          () => "ok" as const,
          (e: unknown) => ConnectError.from(e).code,
        ),
      );
    }
    expect(reads).toEqual([Code.ResourceExhausted, Code.Unavailable, Code.Unavailable, "ok"]);
    // A stream's call faults arrive in its end-of-stream frame, before any message.
    const watches: (Code | "ok")[] = [];
    let phases: number[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await watchOnce(client, "calls");
      watches.push(result.error?.code ?? "ok");
      phases = result.phases;
      if (result.error !== undefined) expect(phases).toEqual([]);
    }
    expect(watches).toEqual([Code.ResourceExhausted, Code.Unavailable, Code.Unavailable, "ok"]);
    expect(collapse(phases).at(-1)).toBe(ActionPhase.SUCCEEDED);
  });
});
