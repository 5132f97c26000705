import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { type PollingErrorContext, silenceGrpcPollingError } from "../../src/client/index.js";
import { decodeRpcError } from "../../src/decode/index.js";
import {
  AuthenticationError,
  isFlyteError,
  OOMError,
  SlowDownError,
  UnionRpcError,
} from "../../src/errors/index.js";
import { runName, settle, TRANSPORTS, withClient } from "./helpers.js";

const context: PollingErrorContext = {
  method: "WatchActionDetails",
  attempt: 1,
  consecutiveFailures: 1,
  runName: "r",
  actionName: "a0",
  elapsedMs: 0,
};

describe("silenceGrpcPollingError, the default hook", () => {
  it.each(["UNAVAILABLE", "DEADLINE_EXCEEDED", "ABORTED", "CANCELED"])("silences %s", (code) => {
    expect(silenceGrpcPollingError(new UnionRpcError({ code }), context)).toBe(true);
  });

  it("silences throttling, and failures the transport itself reports", () => {
    expect(silenceGrpcPollingError(new SlowDownError({ retryAfterMs: 10 }), context)).toBe(true);
    // A stream the peer reset: the transport's own error, with its HTTP/2 code.
    const reset = decodeRpcError(
      new ConnectError("reset", Code.Internal, undefined, undefined, {
        code: "ERR_HTTP2_STREAM_ERROR",
        rstCode: 2,
        message: "the peer reset the stream with INTERNAL_ERROR",
      }),
    );
    expect(silenceGrpcPollingError(reset, context)).toBe(true);
    // A gRPC reply whose stream ended with no status: the transport says it was cut short.
    const cutOff = decodeRpcError(
      new ConnectError("cut", Code.Unavailable, undefined, undefined, {
        code: "ERR_RESPONSE_TRUNCATED",
        message: "the stream ended without a gRPC status: the reply was cut short",
      }),
    );
    expect(silenceGrpcPollingError(cutOff, context)).toBe(true);
  });

  it("surfaces a server's INTERNAL whatever its message says, even 'aborted' or 'RST_STREAM'", () => {
    for (const message of [
      "backend transaction aborted: serialization failure",
      "upstream said RST_STREAM ECONNRESET socket hang up",
      "protocol error: missing status",
    ]) {
      const wire = new ConnectError(message, Code.Internal);
      wire.isWireError = true;
      const decoded = decodeRpcError(wire);
      expect(decoded.code).toBe("INTERNAL");
      expect(silenceGrpcPollingError(decoded, context), message).toBe(false);
    }
  });

  it("surfaces a failure that cannot heal by itself, such as an untrusted certificate", () => {
    const tls = decodeRpcError(
      new ConnectError("cert", Code.Unavailable, undefined, undefined, {
        code: "SELF_SIGNED_CERT_IN_CHAIN",
        message: "self-signed certificate in certificate chain",
      }),
    );
    expect(tls).toMatchObject({ code: "UNAVAILABLE", retryable: false, kind: "user" });
    expect(tls.hint).toMatch(/caCertFile/);
    expect(silenceGrpcPollingError(tls, context)).toBe(false);
  });

  it.each([
    new UnionRpcError({ code: "INTERNAL", message: "handler bug" }),
    new UnionRpcError({ code: "UNIMPLEMENTED" }),
    new AuthenticationError(),
    new OOMError(),
    new Error("plain"),
    "a string",
  ])("surfaces %s", (error) => {
    expect(silenceGrpcPollingError(error, context)).toBe(false);
  });
});

describe("a user-supplied hook", () => {
  it("replaces the default, sees the context, and can defer to it", async () => {
    const contexts: PollingErrorContext[] = [];
    await withClient(
      TRANSPORTS[0],
      async (client) => {
        const run = await client.createRun({
          task: { name: "stream-drop+succeed" },
          name: runName("hook"),
        });
        await expect(run.wait()).resolves.toMatchObject({ phaseName: "SUCCEEDED" });
      },
      {
        client: {
          silenceGrpcPollingError: (error, ctx) => {
            contexts.push(ctx);
            return silenceGrpcPollingError(error, ctx);
          },
        },
      },
    );
    expect(contexts.length).toBeGreaterThan(0);
    expect(contexts[0]?.method).toBe("WatchActionDetails");
    expect(contexts[0]?.runName).toMatch(/^hook-/);
    expect(contexts.every((c) => c.consecutiveFailures >= 1)).toBe(true);
  });

  it("that says false surfaces the transient error from wait() as a typed error", async () => {
    await withClient(
      TRANSPORTS[0],
      async (client, server) => {
        const name = runName("strict");
        server.runs.create({ name, scenario: "unavailable+succeed" });
        const settled = await settle(client.getRun(name).wait());
        expect(!settled.ok && isFlyteError(settled.error) && settled.error.code).toBe(
          "UNAVAILABLE",
        );
      },
      { client: { silenceGrpcPollingError: () => false, retry: false } },
    );
  });

  it("that throws surfaces as a user-scoped error with the throw as cause", async () => {
    const boom = new TypeError("hook bug");
    await withClient(
      TRANSPORTS[0],
      async (client) => {
        const run = await client.createRun({
          task: { name: "stream-drop+succeed" },
          name: runName("throws"),
        });
        const settled = await settle(run.wait());
        expect(settled.ok).toBe(false);
        if (!settled.ok && isFlyteError(settled.error)) {
          expect(settled.error.kind).toBe("user");
          expect(settled.error.code).toBe("USER:TypeError");
          expect(settled.error.cause).toBe(boom);
        } else {
          throw new Error(`expected a FlyteError, got ${String(!settled.ok && settled.error)}`);
        }
      },
      {
        client: {
          silenceGrpcPollingError: () => {
            throw boom;
          },
        },
      },
    );
  });

  it("an onPhase that throws rejects wait() with a user-scoped error", async () => {
    await withClient(TRANSPORTS[0], async (client) => {
      const run = await client.createRun({ task: { name: "succeed" }, name: runName("onphase") });
      const settled = await settle(
        run.wait({
          onPhase: () => {
            throw new RangeError("callback bug");
          },
        }),
      );
      expect(!settled.ok && isFlyteError(settled.error) && settled.error.code).toBe(
        "USER:RangeError",
      );
    });
  });
});
