import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { beforeAll, describe, expect, test } from "vitest";
import { decodeRpcError } from "../../src/decode/index.js";
import { UnionRpcError } from "../../src/errors/index.js";
import { RunService } from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import {
  gatewayErrorPage,
  HTTP_FAULTS,
  type HttpFaultName,
  wrongContentTypeBody,
} from "../../src/msw/index.js";
import { captureReplies, fetchTransports, runIdOf, useMockFlyte } from "./helpers.js";

const mock = useMockFlyte({
  baseUrl: "http://faults.flyte.test",
  speed: 1000,
  // Set at construction: every ListRuns meets the gateway page.
  faults: { ListRuns: "html-502" },
});
const actionId = { run: runIdOf("done"), name: "a0" };

beforeAll(async () => {
  const finished = new Promise<void>((resolve) => {
    const off = mock.flyte.runs.on("terminal", (e) => {
      if (e.name === "done") {
        off();
        resolve();
      }
    });
  });
  mock.flyte.runs.create({ name: "done", scenario: "succeed" });
  await finished;
});

/** The first 200 characters of a body, whitespace collapsed, as the decoder quotes it. */
function quote(body: string): string {
  return body.replace(/\s+/g, " ").trim().slice(0, 200);
}

type Kind = "unary" | "stream";

/** What connect-web reports for each fault, per protocol (measured, then pinned). */
function expectedConnectError(
  fault: HttpFaultName,
  kind: Kind,
  tag: string,
): { code: Code; message: string | RegExp } {
  switch (fault) {
    case "html-502":
      return { code: Code.Unavailable, message: "HTTP 502" };
    case "wrong-content-type":
      // connect-web's gRPC-Web transport does not check the content type; it tries to
      // read "OK: ..." as envelopes.
      return tag === "gw"
        ? { code: Code.InvalidArgument, message: "protocol error: incomplete envelope" }
        : { code: Code.Unknown, message: "unsupported content type text/plain; charset=utf-8" };
    case "truncated":
      if (kind === "stream" || tag === "gw") {
        return { code: Code.InvalidArgument, message: "protocol error: incomplete envelope" };
      }
      return tag === "cb"
        ? { code: Code.Internal, message: "parse binary: premature EOF" }
        : // JSON.parse's complaint about the cut body: its wording depends on the character
          // the cut falls on, which moves with the run's timestamps. V8 in Node 22 and later
          // adds "(line 1 column N)".
          {
            code: Code.Unknown,
            message: /^[A-Z][^:\n]* in JSON at position \d+( \(line \d+ column \d+\))?$/,
          };
  }
}

describe.each(fetchTransports)("$name", (transport) => {
  const capture = captureReplies();
  const client = createClient(
    RunService,
    transport.make("http://faults.flyte.test", capture.fetch),
  );

  async function call(kind: Kind): Promise<{ error: unknown; messages: number }> {
    let messages = 0;
    try {
      if (kind === "unary") {
        await client.getActionDetails({ actionId });
        messages++;
      } else {
        for await (const _ of client.watchActionDetails({ actionId })) messages++;
      }
    } catch (error) {
      return { error, messages };
    }
    return { error: undefined, messages };
  }

  const cases = HTTP_FAULTS.flatMap((fault) =>
    (["unary", "stream"] as const).map((kind) => ({ fault, kind })),
  );

  test.each(cases)(
    "$fault on a $kind call reaches the client as an error",
    async ({ fault, kind }) => {
      const method = kind === "unary" ? "GetActionDetails" : "WatchActionDetails";
      mock.flyte.setFault(method, { fault, times: 1 });
      const { error, messages } = await call(kind);
      expect(error).toBeInstanceOf(ConnectError);
      const connectError = error as ConnectError;
      const expected = expectedConnectError(fault, kind, transport.tag);
      expect(connectError.code).toBe(expected.code);
      expect(connectError.rawMessage).toMatch(expected.message);
      expect(connectError.isWireError).toBe(false);
      // A truncated stream delivers its first message whole; the others deliver nothing.
      expect(messages).toBe(fault === "truncated" && kind === "stream" ? 1 : 0);

      // The budget was one call: the next one goes through.
      const again = await call(kind);
      expect(again.error).toBeUndefined();
      expect(again.messages).toBeGreaterThan(0);
    },
  );

  test.each(["html-502", "wrong-content-type"] as const)(
    "decodeRpcError quotes the HTTP status and the first 200 characters of the %s body",
    async (fault) => {
      for (const kind of ["unary", "stream"] as const) {
        const method = kind === "unary" ? "GetActionDetails" : "WatchActionDetails";
        mock.flyte.setFault(method, { fault, times: 1 });
        const { error } = await call(kind);
        const response = capture.last();
        expect(response?.body).toBeDefined();
        const decoded = decodeRpcError(error, {
          method,
          operation: kind === "unary" ? "read" : "watch",
          ...(response === undefined ? {} : { response }),
        });
        expect(decoded).toBeInstanceOf(UnionRpcError);
        const page = fault === "html-502" ? gatewayErrorPage : wrongContentTypeBody;
        const status =
          fault === "html-502" ? "HTTP 502 (text/html)" : "HTTP 200 (text/plain; charset=utf-8)";
        expect(decoded.message).toContain(`${method}: the server answered ${status} instead`);
        expect(decoded.message.endsWith(`: "${quote(page)}"`)).toBe(true);
        if (fault === "html-502") {
          expect(quote(page)).toHaveLength(200);
          expect(decoded.message).not.toContain(gatewayErrorPage.replace(/\s+/g, " ").trim());
          expect(decoded.code).toBe("UNAVAILABLE");
          expect(decoded.retryable).toBe(true);
        }
        expect(decoded.kind).toBe("system");
      }
    },
  );

  test("decodeRpcError on a truncated reply: what it says without a body to quote", async () => {
    for (const kind of ["unary", "stream"] as const) {
      const method = kind === "unary" ? "GetActionDetails" : "WatchActionDetails";
      mock.flyte.setFault(method, { fault: "truncated", times: 1 });
      const { error } = await call(kind);
      const response = capture.last();
      // The cut reply still has status 200 and an RPC content type.
      expect(response?.status).toBe(200);
      const decoded = decodeRpcError(error, {
        method,
        ...(response === undefined ? {} : { response }),
      });
      expect(decoded).toBeInstanceOf(UnionRpcError);
      expect(decoded.kind).toBe("system");
      if (kind === "stream" || transport.tag === "gw") {
        // Recognised as a broken reply from Connect's complaint, reported as INTERNAL;
        // no HTTP status and no body quote (the body is protobuf or JSON frames).
        expect(decoded.code).toBe("INTERNAL");
        expect(decoded.message).toBe(
          `UnionRpcError [INTERNAL] (system): ${method}: the server answered a reply instead of a Flyte RPC reply; a proxy or gateway may be in the way [protocol error: incomplete envelope]`,
        );
      } else if (transport.tag === "cb") {
        // A cut unary body is a parse failure to connect-web: a message the client could
        // not read, INTERNAL and transient.
        expect(decoded.message).toBe(
          `UnionRpcError [INTERNAL] (system): ${method}: a message of the reply could not be read (parse binary: premature EOF)`,
        );
        expect(decoded.details.unreadable).toBe("parse binary: premature EOF");
      } else {
        expect(decoded.code).toBe("UNKNOWN");
        expect(decoded.message).toMatch(
          new RegExp(
            `^UnionRpcError \\[UNKNOWN\\] \\(system\\): ${method}: a message of the reply could not be read \\([A-Z][^:\\n]* in JSON at position \\d+( \\(line \\d+ column \\d+\\))?\\)$`,
          ),
        );
      }
    }
  });

  test("without a captured body the decoder still names the status or the complaint", async () => {
    mock.flyte.setFault("GetActionDetails", { fault: "html-502", times: 1 });
    const { error } = await call("unary");
    const decoded = decodeRpcError(error, { method: "GetActionDetails" });
    expect(decoded.message).toBe(
      "UnionRpcError [UNAVAILABLE] (system): GetActionDetails: the server answered HTTP 502 (text/html) instead of a Flyte RPC reply; a proxy or gateway may be in the way",
    );
  });
});

describe("choosing the calls", () => {
  const client = createClient(
    RunService,
    createConnectTransport({ baseUrl: "http://faults.flyte.test", useBinaryFormat: true }),
  );

  async function code(promise: Promise<unknown>): Promise<Code | "ok"> {
    try {
      await promise;
      return "ok";
    } catch (e) {
      return ConnectError.from(e).code;
    }
  }

  test("a fault given at construction hits every call of its method", async () => {
    for (let i = 0; i < 3; i++) {
      expect(await code(client.listRuns({}))).toBe(Code.Unavailable);
    }
    expect(await code(client.getActionDetails({ actionId }))).toBe("ok");
  });

  test("'*' covers methods without their own entry, and a budget counts calls", async () => {
    mock.flyte.setFault("*", { fault: "wrong-content-type", times: 2 });
    mock.flyte.setFault("GetRunDetails", "html-502");
    try {
      expect(await code(client.getRunDetails({ runId: actionId.run }))).toBe(Code.Unavailable);
      expect(await code(client.getActionDetails({ actionId }))).toBe(Code.Unknown);
      expect(await code(client.listActions({ runId: actionId.run }))).toBe(Code.Unknown);
      expect(await code(client.listActions({ runId: actionId.run }))).toBe("ok");
      expect(await code(client.getRunDetails({ runId: actionId.run }))).toBe(Code.Unavailable);
      mock.flyte.setFault("GetRunDetails", undefined);
      expect(await code(client.getRunDetails({ runId: actionId.run }))).toBe("ok");
    } finally {
      mock.flyte.setFault("*", undefined);
    }
  });

  test("a gateway page never reaches the service; a truncated reply did", async () => {
    mock.flyte.setFault("CreateRun", { fault: "html-502", times: 1 });
    const request = (name: string) => ({
      id: { case: "runId" as const, value: runIdOf(name) },
      task: { case: "taskId" as const, value: { name: "succeed" } },
    });
    expect(await code(client.createRun(request("via-gateway")))).toBe(Code.Unavailable);
    expect(mock.flyte.runs.get("via-gateway")).toBeUndefined();

    mock.flyte.setFault("CreateRun", { fault: "truncated", times: 1 });
    expect(await code(client.createRun(request("cut-reply")))).toBe(Code.Internal);
    // The run exists although its caller saw an error: a retry meets ALREADY_EXISTS.
    expect(mock.flyte.runs.get("cut-reply")).toBeDefined();
    expect(await code(client.createRun(request("cut-reply")))).toBe(Code.AlreadyExists);
  });

  test("an unknown fault name, RPC name or a bad budget is refused", () => {
    // @ts-expect-error: not a RunService RPC
    expect(() => mock.flyte.setFault("WatchActionDetail", "html-502")).toThrow(TypeError);
    expect(() => mock.flyte.setFault("ListRuns", "html-500" as HttpFaultName)).toThrow(TypeError);
    expect(() => mock.flyte.setFault("ListRuns", { fault: "truncated", times: -1 })).toThrow(
      RangeError,
    );
  });
});
