/**
 * The follow loop's rules against a scripted log server: what a real server does only under
 * a proxy's cut or an old deployment (a stream that ends while the pod runs, a transient
 * error, no data proxy) is scripted here call by call.
 */

import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { type ActionDataCalls, fetchActionData } from "../../src/data/action-data.js";
import { RuntimeSystemError, UnionRpcError } from "../../src/errors/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import { LogLineSchema } from "../../src/gen/flyteidl2/logs/dataplane/payload_pb.js";
import { ActionDetailsSchema } from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import { GetActionLogContextResponseSchema } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import {
  followLogs,
  type LogService,
  type LogsHost,
  type TailReply,
} from "../../src/logs/index.js";

const line = (message: string) => create(LogLineSchema, { message: `${message}\n` });

type Step =
  | { lines: string[]; ending: "end" }
  | { lines: string[]; ending: "error"; code: Code }
  | { unimplemented: true };

/** A host whose TailLogs calls play `steps` in order, and whose phase is `phases` per details() call. */
function scripted(steps: Step[], phases: ActionPhase[]) {
  const calls: { service: LogService; attempt: number }[] = [];
  let detailsCalls = 0;
  const host: LogsHost = {
    subject: "run r1",
    runName: "r1",
    actionName: "a0",
    async details() {
      const phase = phases[Math.min(detailsCalls++, phases.length - 1)] ?? ActionPhase.RUNNING;
      return create(ActionDetailsSchema, { status: { phase, attempts: 1 } });
    },
    async logContext() {
      return create(GetActionLogContextResponseSchema, {
        logContext: { primaryPodName: "r1-a0-0", pods: [{ podName: "r1-a0-0" }] },
      });
    },
    async *tail(service, attempt): AsyncGenerator<TailReply> {
      calls.push({ service, attempt });
      const step = steps.shift();
      if (step === undefined) throw new Error("no more steps");
      if ("unimplemented" in step) throw new ConnectError("not here", Code.Unimplemented);
      yield { logs: [{ lines: step.lines.map(line) }] };
      if (step.ending === "error") throw new ConnectError("cut", step.code);
    },
  };
  return { host, calls };
}

async function messages(host: LogsHost, follow: boolean): Promise<string[]> {
  const out: string[] = [];
  for await (const l of followLogs(host, { follow, retryDelayMs: 1, settleMs: 50 }))
    out.push(l.message);
  return out;
}

describe("followLogs", () => {
  it("a stream that ends while the pod runs is opened again, and replayed lines are skipped", async () => {
    const { host, calls } = scripted(
      [
        { lines: ["a", "b"], ending: "end" },
        { lines: ["a", "b", "c"], ending: "end" },
      ],
      [ActionPhase.RUNNING, ActionPhase.RUNNING, ActionPhase.SUCCEEDED],
    );
    expect(await messages(host, true)).toEqual(["a", "b", "c"]);
    expect(calls).toHaveLength(2);
  });

  it("a transient error mid-stream reconnects when following; it is thrown otherwise", async () => {
    const following = scripted(
      [
        { lines: ["a"], ending: "error", code: Code.Unavailable },
        { lines: ["a", "b"], ending: "end" },
      ],
      [ActionPhase.RUNNING, ActionPhase.RUNNING, ActionPhase.SUCCEEDED],
    );
    expect(await messages(following.host, true)).toEqual(["a", "b"]);

    const once = scripted(
      [{ lines: ["a"], ending: "error", code: Code.Unavailable }],
      [ActionPhase.RUNNING],
    );
    const out: string[] = [];
    await expect(
      (async () => {
        for await (const l of followLogs(once.host, { retryDelayMs: 1 })) out.push(l.message);
      })(),
    ).rejects.toSatisfy((e: unknown) => e instanceof UnionRpcError && e.code === "UNAVAILABLE");
    expect(out).toEqual(["a"]);
  });

  it("a server without the data proxy's TailLogs is read through RunLogsService", async () => {
    const { host, calls } = scripted(
      [{ unimplemented: true }, { lines: ["x"], ending: "end" }],
      [ActionPhase.SUCCEEDED],
    );
    expect(await messages(host, false)).toEqual(["x"]);
    expect(calls.map((c) => c.service)).toEqual(["DataProxyService", "RunLogsService"]);
  });

  it("a stream error that is not transient is thrown, decoded, even when following", async () => {
    const { host } = scripted(
      [{ lines: [], ending: "error", code: Code.PermissionDenied }],
      [ActionPhase.RUNNING],
    );
    await expect(messages(host, true)).rejects.toSatisfy(
      (e: unknown) => e instanceof Error && e.name === "PermissionDeniedError",
    );
  });
});

describe("fetchActionData", () => {
  const unimplemented = () =>
    Promise.reject(new UnionRpcError({ code: "UNIMPLEMENTED", message: "no such method" }));

  it("falls back from the data proxy to RunService", async () => {
    const calls: ActionDataCalls = {
      dataProxy: unimplemented,
      runService: async () => ({}),
      uris: async () => ({ inputsUri: "", outputsUri: "" }),
    };
    expect((await fetchActionData(calls, "run r1")).source).toBe("RunService");
  });

  it("with neither, says where the data is, from GetActionDataURIs", async () => {
    const calls: ActionDataCalls = {
      dataProxy: unimplemented,
      runService: unimplemented,
      uris: async () => ({ inputsUri: "s3://b/in.pb", outputsUri: "s3://b/1/outputs.pb" }),
    };
    const error = await fetchActionData(calls, "run r1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeSystemError);
    const e = error as RuntimeSystemError;
    expect(e.kind).toBe("system");
    expect(e.code).toBe("ActionDataUnavailable");
    expect(e.retryable).toBe(false);
    expect(e.rawMessage).toBe(
      "the server serves neither DataProxyService.GetActionData nor RunService.GetActionData, so the data of run r1 cannot be read; the inputs are at s3://b/in.pb and the outputs at s3://b/1/outputs.pb",
    );
    expect(e.details).toMatchObject({
      inputsUri: "s3://b/in.pb",
      outputsUri: "s3://b/1/outputs.pb",
    });
  });

  it("any other failure of the data proxy is not papered over", async () => {
    const denied = new UnionRpcError({ code: "INTERNAL", message: "storage down" });
    const calls: ActionDataCalls = {
      dataProxy: () => Promise.reject(denied),
      runService: async () => ({}),
      uris: async () => ({ inputsUri: "", outputsUri: "" }),
    };
    await expect(fetchActionData(calls, "run r1")).rejects.toBe(denied);
  });
});
