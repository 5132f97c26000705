import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ExitCode, exitCodeFor } from "../../src/cli/exit-codes.js";
import { UsageError } from "../../src/cli/usage-error.js";
import { decodeRpcError } from "../../src/decode/index.js";
import {
  ActionAbortedError,
  ActionNotFoundError,
  AuthenticationError,
  OOMError,
  PermissionDeniedError,
  RunAbortedError,
  RuntimeSystemError,
  RuntimeUnknownError,
  RuntimeUserError,
  TaskInterruptedError,
  TaskTimeoutError,
  UnionRpcError,
} from "../../src/errors/index.js";

describe("exitCodeFor", () => {
  it.each([
    ["a user failure", new OOMError(), ExitCode.user],
    ["a generic user failure", new RuntimeUserError(), ExitCode.user],
    [
      "a run that was not found, though its kind is user",
      new ActionNotFoundError(),
      ExitCode.notFound,
    ],
    ["a rejected token", new AuthenticationError(), ExitCode.access],
    ["a missing permission", new PermissionDeniedError(), ExitCode.access],
    [
      "an endpoint that cannot be reached",
      decodeRpcError(
        new ConnectError("refused", Code.Unavailable, undefined, undefined, {
          code: "ECONNREFUSED",
          message: "connect ECONNREFUSED 127.0.0.1:1",
        }),
      ),
      ExitCode.unreachable,
    ],
    [
      "a host name that does not resolve",
      decodeRpcError(
        new ConnectError("dns", Code.Unavailable, undefined, undefined, {
          code: "ENOTFOUND",
          message: "getaddrinfo ENOTFOUND flyte.invalid",
        }),
      ),
      ExitCode.unreachable,
    ],
    [
      "an UNAVAILABLE the server itself answered",
      new UnionRpcError({ code: "UNAVAILABLE" }),
      ExitCode.system,
    ],
    ["a system failure", new RuntimeSystemError(), ExitCode.system],
    [
      "an interruption the backend blamed on the platform",
      new TaskInterruptedError({ kind: "system" }),
      ExitCode.system,
    ],
    ["an RPC failure", new UnionRpcError(), ExitCode.system],
    ["an unknown failure", new RuntimeUnknownError(), ExitCode.unknown],
    ["an aborted run, though its kind is user", new RunAbortedError(), ExitCode.aborted],
    ["an aborted action", new ActionAbortedError(), ExitCode.aborted],
    [
      "a platform timeout, though its kind is user",
      new TaskTimeoutError(),
      ExitCode.platformTimeout,
    ],
    ["the wait's own timeout", new DOMException("t", "TimeoutError"), ExitCode.waitTimeout],
    ["Ctrl-C", new DOMException("i", "AbortError"), ExitCode.interrupted],
    ["a usage error", new UsageError("bad"), ExitCode.usage],
    ["a bug in the CLI", new TypeError("x is undefined"), ExitCode.system],
    ["a thrown string", "boom", ExitCode.system],
  ])("maps %s", (_, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });

  it("uses the documented numbers", () => {
    expect(Object.values(ExitCode)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 64, 130, 143]);
  });
});
