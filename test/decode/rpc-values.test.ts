/**
 * decodeRpcError on values no server sends: whatever a transport, an interceptor or a
 * careless `throw` can produce. Built by hand because no real component would misbehave
 * this way on purpose.
 */

import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { decodeRpcError, isCallerAbort } from "../../src/decode/index.js";
import { parseRetryAfter } from "../../src/decode/retry-after.js";
import { OOMError, RuntimeUnknownError, UnionRpcError } from "../../src/errors/failure.js";

describe("decodeRpcError: values that are not ConnectErrors", () => {
  it("an AbortError not caused by the caller's signal is CANCELED, system, retryable", () => {
    const error = decodeRpcError(new DOMException("stopped", "AbortError"), {
      method: "GetRunDetails",
    });
    expect(error).toBeInstanceOf(UnionRpcError);
    expect(error.code).toBe("CANCELED");
    expect((error as UnionRpcError).rpcCode).toBe(1);
    expect(error.retryable).toBe(true);
    expect(error.rawMessage).toBe("GetRunDetails: stopped");
  });

  it("a TimeoutError is DEADLINE_EXCEEDED", () => {
    const error = decodeRpcError(new DOMException("timed out", "TimeoutError"));
    expect(error.code).toBe("DEADLINE_EXCEEDED");
    expect(error.kind).toBe("system");
    expect(error.retryable).toBe(true);
  });

  it("a Node network error without a ConnectError around it", () => {
    const reset = Object.assign(new Error("read ECONNRESET"), {
      code: "ECONNRESET",
      syscall: "read",
    });
    const error = decodeRpcError(new TypeError("fetch failed", { cause: reset }));
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.details.network).toMatchObject({ code: "ECONNRESET", syscall: "read" });
  });

  it("an HTTP/2 session error deep in an AggregateError", () => {
    const h2 = Object.assign(new Error("session closed"), { code: "ERR_HTTP2_SESSION_ERROR" });
    const error = decodeRpcError(
      new ConnectError(
        "x",
        Code.Internal,
        undefined,
        undefined,
        new AggregateError([new Error("a"), h2]),
      ),
    );
    expect(error.code).toBe("UNAVAILABLE");
    expect(error.details.transportCode).toBe("INTERNAL");
  });

  it("an HTTP/2 error about our own request is not the network", () => {
    const bad = Object.assign(new Error("bad header"), { code: "ERR_HTTP2_INVALID_HEADER_VALUE" });
    const error = decodeRpcError(new ConnectError("x", Code.Internal, undefined, undefined, bad));
    expect(error.code).toBe("INTERNAL");
    expect(error.details.network).toBe(undefined);
  });

  const odd: [string, unknown, string][] = [
    ["a string", "kaboom", "kaboom"],
    ["null", null, "(null)"],
    ["undefined", undefined, "(undefined)"],
    ["a number", 42, "(42)"],
    ["a symbol", Symbol("s"), "(Symbol(s))"],
    ["an object without a prototype", Object.create(null), "[object Object]"],
    ["a plain Error", new RangeError("out of range"), "RangeError: out of range"],
  ];
  for (const [name, value, words] of odd) {
    it(`${name} is a RuntimeUnknownError with the value as cause`, () => {
      const error = decodeRpcError(value, { method: "ListRuns" });
      expect(error).toBeInstanceOf(RuntimeUnknownError);
      expect(error.code).toBe("Unknown");
      expect(error.kind).toBe("unknown");
      expect(error.retryable).toBe(false);
      expect(error.cause).toBe(value);
      expect(error.rawMessage.startsWith("ListRuns: ")).toBe(true);
      expect(error.rawMessage).toContain(words);
    });
  }

  it("a value whose getters throw", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("no");
        },
        getPrototypeOf() {
          throw new Error("no");
        },
      },
    );
    const error = decodeRpcError(hostile);
    expect(error).toBeInstanceOf(RuntimeUnknownError);
  });

  it("a FlyteError comes back unchanged", () => {
    const error = new OOMError({});
    expect(decodeRpcError(error)).toBe(error);
  });

  it("a ConnectError with a code outside 1..16 reads as UNKNOWN, number kept", () => {
    const error = decodeRpcError(new ConnectError("?", 99 as Code));
    expect(error.code).toBe("UNKNOWN");
    expect((error as UnionRpcError).rpcCode).toBe(99);
    expect(error.retryable).toBe(false);
  });

  it("a detail that is neither incoming nor outgoing is kept as such", () => {
    const connect = new ConnectError("x", Code.Internal);
    connect.details.push({ nonsense: true } as never);
    const error = decodeRpcError(connect);
    expect(error.details.rpcDetails).toEqual([{ type: "", error: "not a detail" }]);
  });
});

describe("isCallerAbort", () => {
  it("is false while the signal is not aborted", () => {
    expect(isCallerAbort(new ConnectError("x", Code.Canceled), new AbortController().signal)).toBe(
      false,
    );
    expect(isCallerAbort(new ConnectError("x", Code.Canceled), undefined)).toBe(false);
  });

  it("recognises the reason itself, a CANCELED ConnectError and an AbortError", () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    expect(isCallerAbort(reason, controller.signal)).toBe(true);
    expect(
      isCallerAbort(
        new ConnectError("x", Code.Unknown, undefined, undefined, reason),
        controller.signal,
      ),
    ).toBe(true);
    expect(isCallerAbort(new ConnectError("x", Code.Canceled), controller.signal)).toBe(true);
    expect(isCallerAbort(new DOMException("x", "AbortError"), controller.signal)).toBe(true);
    expect(isCallerAbort(new ConnectError("x", Code.Unavailable), controller.signal)).toBe(false);
  });

  it("makes decodeRpcError throw the reason, even a non-error one", () => {
    const controller = new AbortController();
    controller.abort("user left");
    let thrown: unknown;
    try {
      decodeRpcError(new ConnectError("x", Code.Canceled), { signal: controller.signal });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe("user left");
  });
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2025, 5, 1, 12, 0, 0);
  const rows: [string | null, number | undefined][] = [
    ["3", 3000],
    [" 0 ", 0],
    ["1.5", 1500],
    [new Date(now + 30_000).toUTCString(), 30_000],
    [new Date(now - 30_000).toUTCString(), 0],
    ["soon", undefined],
    ["", undefined],
    ["-1", undefined],
    [null, undefined],
  ];
  for (const [value, expected] of rows) {
    it(`${JSON.stringify(value)} gives ${String(expected)}`, () => {
      expect(parseRetryAfter(value, now)).toBe(expected);
    });
  }
});
