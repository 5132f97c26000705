import { describe, expect, it } from "vitest";
import { ExitCode, exitCodeFor } from "../../src/cli/exit-codes.js";
import { UsageError } from "../../src/cli/usage-error.js";
import {
  ActionAbortedError,
  ActionNotFoundError,
  OOMError,
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
    ["a run that was not found (kind user)", new ActionNotFoundError(), ExitCode.user],
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
    expect(Object.values(ExitCode)).toEqual([0, 1, 2, 3, 4, 5, 6, 64, 130]);
  });
});
