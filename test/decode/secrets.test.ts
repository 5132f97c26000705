/**
 * A token planted in the request, in the response's headers and trailers, in error
 * details and in a server's echo must not come out of any decoded error: not its message,
 * JSON, problem details or inspect output, nor those of its cause.
 */

import { inspect } from "node:util";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeRpcError, type RpcErrorContext } from "../../src/decode/index.js";
import type { AnyFlyteError } from "../../src/errors/failure.js";
import {
  DebugInfoSchema,
  ErrorInfoSchema,
  LocalizedMessageSchema,
} from "../../src/gen/google/rpc/error_details_pb.js";
import {
  PROTOCOLS,
  rejection,
  type Seen,
  startServer,
  streamRejection,
  type TestServer,
} from "./rpc-server.js";

const TOKEN = "fr_live_7hQ2xV9pLm3Kz8Rt";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXNlY3JldA";

/** Sets every kind of response metadata a leaky server could send, then fails. */
function leaky(code: Code, echo: (seen: Seen) => string) {
  return (seen: Seen) => {
    seen.responseHeader.set("set-cookie", `session=${TOKEN}; HttpOnly`);
    seen.responseHeader.set("x-auth-token", TOKEN);
    seen.responseTrailer.set("x-session-secret", TOKEN);
    seen.responseTrailer.set("x-debug", `authorization: Bearer ${TOKEN}`);
    return new ConnectError(
      echo(seen),
      code,
      { "x-api-key": TOKEN, "www-authenticate": `Bearer realm="flyte", error="${TOKEN}"` },
      [
        {
          desc: ErrorInfoSchema,
          value: {
            reason: "BAD_TOKEN",
            domain: "flyte",
            metadata: { api_key: TOKEN, hint: `token=${TOKEN}` },
          },
        },
        {
          desc: DebugInfoSchema,
          value: {
            stackEntries: [`auth.go: got Bearer ${TOKEN}`],
            detail: `authorization=${TOKEN}`,
          },
        },
        {
          desc: LocalizedMessageSchema,
          value: { locale: "en", message: `Your token ${JWT} is invalid` },
        },
      ],
    );
  };
}

const scenarios = {
  // Echoes the Authorization header as it arrived: `Bearer <token>`.
  "echo-bearer": leaky(Code.Unauthenticated, (s) => `rejected ${s.headers.get("authorization")}`),
  "echo-assignment": leaky(
    Code.PermissionDenied,
    (s) => `denied for api_key=${s.headers.get("x-api-key")}`,
  ),
  // Echoes the bare token: only the caller's `secrets` can catch this one.
  "echo-bare": leaky(
    Code.InvalidArgument,
    (s) => `unknown principal (${s.headers.get("x-api-key")})`,
  ),
  "echo-create": leaky(Code.AlreadyExists, (s) => `exists; you are ${s.headers.get("x-api-key")}`),
};

const withCredentials: Interceptor = (next) => (req) => {
  req.header.set("authorization", `Bearer ${TOKEN}`);
  req.header.set("x-api-key", TOKEN);
  return next(req);
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer(scenarios);
});
afterAll(async () => {
  await server.close();
});

/** Every rendering of an error that could reach a log, a queue or a browser. */
function renderings(error: AnyFlyteError): Record<string, string> {
  const out: Record<string, string> = {
    message: error.message,
    rawMessage: error.rawMessage,
    stack: String(error.stack),
    json: JSON.stringify(error),
    details: JSON.stringify(error.details, (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : v,
    ),
    inspect: inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    cause: inspect(error.cause, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  };
  const problem = (error as { toProblemDetails?: () => unknown }).toProblemDetails;
  if (typeof problem === "function") out.problemDetails = JSON.stringify(problem.call(error));
  return out;
}

function expectClean(error: AnyFlyteError, secrets: readonly string[]) {
  for (const [where, text] of Object.entries(renderings(error))) {
    for (const secret of secrets) {
      const at = text.indexOf(secret);
      const around = text.slice(Math.max(0, at - 120), at + secret.length);
      expect(at, `${secret} leaked into ${where}: …${around}`).toBe(-1);
    }
  }
}

describe.each(PROTOCOLS)("no secret survives decoding over %s", (protocol) => {
  const read = async (name: string, context: RpcErrorContext) => {
    const client = server.client(protocol, [withCredentials]);
    const thrown = await rejection(() =>
      client.getActionDetails({ actionId: { run: { name }, name: "a0" } }),
    );
    return decodeRpcError(thrown, context);
  };

  it("a Bearer echo, credential headers, trailers and details, without help from the caller", async () => {
    const error = await read("echo-bearer", { method: "GetActionDetails" });
    expect(error.name).toBe("AuthenticationError");
    // LocalizedMessage wins the message; the server's own text is kept in details.
    expect(error.rawMessage).toBe("GetActionDetails: Your token [REDACTED] is invalid");
    expect(error.details.serverMessage).toBe("rejected Bearer [REDACTED]");
    expect(error.details.metadata).toMatchObject({
      "x-api-key": "[REDACTED]",
      "set-cookie": "[REDACTED]",
    });
    expectClean(error, [TOKEN, JWT]);
  });

  it("an assignment echo", async () => {
    const error = await read("echo-assignment", {});
    expect(error.name).toBe("PermissionDeniedError");
    expect(error.details.serverMessage).toBe("denied for api_key=[REDACTED]");
    expectClean(error, [TOKEN, JWT]);
  });

  it("a bare echo, with the token passed as a known secret", async () => {
    const error = await read("echo-bare", { secrets: [TOKEN] });
    expect(error.name).toBe("UnionRpcError");
    expectClean(error, [TOKEN, JWT]);
  });

  it("a watch stream's error", async () => {
    const client = server.client(protocol, [withCredentials]);
    const { error: thrown } = await streamRejection(
      client.watchActionDetails({ actionId: { run: { name: "echo-bearer" }, name: "a0" } }),
    );
    expectClean(decodeRpcError(thrown, { method: "WatchActionDetails", operation: "watch" }), [
      TOKEN,
      JWT,
    ]);
  });

  it("the create-run wrapper and its cause", async () => {
    const client = server.client(protocol, [withCredentials]);
    const thrown = await rejection(() =>
      client.createRun({ id: { case: "runId", value: { name: "echo-create" } } }),
    );
    const error = decodeRpcError(thrown, { operation: "createRun", secrets: [TOKEN] });
    expect(error.code).toBe("RunAlreadyExistsError");
    expectClean(error, [TOKEN, JWT]);
  });

  it("keeps a redacted copy of the ConnectError as the cause, with its code and details", async () => {
    const client = server.client(protocol, [withCredentials]);
    const thrown = (await rejection(() =>
      client.getActionDetails({ actionId: { run: { name: "echo-bearer" }, name: "a0" } }),
    )) as ConnectError;
    const error = decodeRpcError(thrown);
    const cause = error.cause as ConnectError;
    expect(cause).toBeInstanceOf(ConnectError);
    expect(cause).not.toBe(thrown);
    expect(cause.code).toBe(thrown.code);
    // The bytes stay; Connect's clear-text `debug` copy of each detail does not.
    const bytesOf = (e: ConnectError) =>
      e.details.map((d) => ("type" in d ? { type: d.type, value: d.value } : d));
    expect(bytesOf(cause)).toEqual(bytesOf(thrown));
    expect(cause.details.some((d) => "debug" in d)).toBe(false);
    expect(cause.rawMessage).toBe("rejected Bearer [REDACTED]");
    expect(cause.metadata.get("set-cookie")).toBe("[REDACTED]");
  });
});

it("the planted token really was on the wire", async () => {
  // Guards the test above: without redaction the token would be there to find.
  const client = server.client("connect", [withCredentials]);
  const thrown = (await rejection(() =>
    client.getActionDetails({ actionId: { run: { name: "echo-bare" }, name: "a0" } }),
  )) as ConnectError;
  expect(thrown.rawMessage).toContain(TOKEN);
  expect(thrown.metadata.get("x-auth-token")).toBe(TOKEN);
  expect(thrown.metadata.get("x-session-secret")).toBe(TOKEN);
});
