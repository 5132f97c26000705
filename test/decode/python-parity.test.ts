/**
 * Fidelity with the Python SDK as it is today: the same payload gives the same class, kind,
 * code and message in TypeScript as in Python, or the README says why not.
 *
 * The Python answers come from flyteorg/flyte-sdk at commit
 * 7e2d4231b5598b856584a8cc819c990ff02dcf2a (2026-08-21, one commit after 2.6.5):
 * `errors.py`; `_internal/runtime/convert.py` (`_clean_error_code`, `convert_error_to_native`,
 * `convert_from_native_to_error`); `_internal/runtime/io.py` (`upload_error`, `load_error`);
 * `_internal/runtime/taskrunner.py` (`run_task`); `_internal/controllers/remote/_controller.py`
 * (`handle_action_failure`, `_trace_error_is_recoverable`); `_run.py` (the `except
 * ConnectError` of run creation); `remote/_action.py` (`_is_transient_watch_error`) and
 * `remote/_client/auth/_interceptors/retry.py` (`RETRYABLE_CODES`). The conversion and
 * constructor answers in support/python-parity-cases.ts were checked by running those very
 * functions on each input.
 */

import { readFileSync } from "node:fs";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import {
  decodeErrorDocument,
  decodeExecutionError,
  decodeRpcError,
} from "../../src/decode/index.js";
import { cleanErrorCode } from "../../src/decode/sdk-conversion.js";
import { metaOf } from "../../src/errors/brand.js";
import * as errors from "../../src/errors/index.js";
import {
  ErrorDocumentSchema,
  ExecutionErrorSchema,
} from "../../src/gen/flyteidl2/core/execution_pb.js";
import {
  CLEAN_CASES,
  CTOR_CASES,
  DIVERGENCES,
  type DivergenceId,
  DOC_CASES,
  EXEC_CASES,
  type Ours,
  type PyAnswer,
} from "./support/python-parity-cases.js";

type AnyClass = abstract new (...args: never[]) => errors.FlyteError;
const classes = errors as unknown as Record<string, AnyClass>;

/** Divergences where flyte-remote gives a narrower RuntimeUserError than Python. */
const NARROWER: readonly DivergenceId[] = ["custom-error", "sdk-class", "non-recoverable"];

function expectParity(error: errors.AnyFlyteError, python: PyAnswer, ours: Ours | undefined) {
  expect(error.name).toBe(ours?.cls ?? python.cls);
  expect(error.code).toBe(ours?.code ?? python.code);
  expect(error.kind).toBe(ours?.kind ?? python.kind);
  if (ours?.cls !== undefined && NARROWER.includes(ours.why)) {
    // A narrower class of the same family, so `instanceof` agrees with Python where it can.
    expect(error).toBeInstanceOf(errors.RuntimeUserError);
    const pythonClass = classes[python.cls];
    if (python.cls === "RuntimeUserError" && pythonClass) expect(error).toBeInstanceOf(pythonClass);
  }
}

describe("_clean_error_code: the bar and str.strip()", () => {
  it.each(CLEAN_CASES.map((c) => [JSON.stringify(c.code), c] as const))("%s", (_, c) => {
    const { user, server } = cleanErrorCode(c.code);
    expect([user, server ?? null]).toEqual(c.python);
  });

  it("strips exactly what Python strips: its whitespace, not the BOM", () => {
    expect(cleanErrorCode("\u001c\u0085ValueError\u3000").user).toBe("ValueError");
    expect(cleanErrorCode("\ufeffValueError").user).not.toBe("ValueError".trim());
    // JavaScript's trim() would disagree on both.
    expect("\u001cX".trim()).toBe("\u001cX");
    expect("\ufeffX".trim()).toBe("X");
  });
});

describe("convert_error_to_native: an ExecutionError", () => {
  it.each(
    EXEC_CASES.map((c) => [`${JSON.stringify(c.code).slice(0, 40)} kind ${c.kind}`, c] as const),
  )("%s", (_, c) => {
    const error = decodeExecutionError(
      create(ExecutionErrorSchema, {
        code: c.code,
        kind: c.kind,
        message: c.message,
        worker: c.worker ?? "",
      }),
    );
    expectParity(error, c.python, c.ours);
    // rawMessage is the message as sent: Python's str(exc), never a placeholder.
    expect(error.rawMessage).toBe(c.message);
    if (c.ours?.why !== "unknown-kind") expect(c.python.message).toBe(c.message);
    expect(error.worker).toBe(c.worker);
    // An ExecutionError carries no recoverability verdict unless it says RECOVERABLE.
    expect(error.recoverable).toBeUndefined();
    expect(error.retryable).toBe(metaOf(error.constructor as AnyClass).retryable);
  });
});

describe("load_error, then convert_error_to_native: an error document", () => {
  it.each(
    DOC_CASES.map((c) => [c.raised ?? `${JSON.stringify(c.code)} origin ${c.origin}`, c] as const),
  )("%s", (_, c) => {
    const error = decodeErrorDocument(
      create(ErrorDocumentSchema, {
        error: { code: c.code, message: c.message, kind: c.recoverability, origin: c.origin },
      }),
    );
    if (error === undefined) throw new Error("a document with an error is a failure");
    expectParity(error, c.python, c.ours);
    expect(error.rawMessage).toBe(c.message);
    // The verdict is kept apart from retryable: NON_RECOVERABLE rules retrying out,
    // RECOVERABLE (the retry budget applies) leaves the class's default.
    expect(error.recoverable).toBe(c.recoverable);
    const classDefault = metaOf(error.constructor as AnyClass).retryable;
    expect(error.retryable).toBe(c.recoverable === false ? false : classDefault);
  });

  it("a document without an error: Python converts an empty ExecutionError, ours says no failure", () => {
    // load_error tests `err.error is not None`, always true for a protobuf field, so Python
    // converts code "" kind UNKNOWN into RuntimeUnknownError("", "") (empty-document).
    expect(decodeErrorDocument(create(ErrorDocumentSchema, {}))).toBeUndefined();
  });
});

describe("the constructors of flyte.errors", () => {
  it.each(CTOR_CASES.map((c) => [c.py, c] as const))("%s", (_, c) => {
    const cls = classes[c.cls] as unknown as new (options: unknown) => errors.FlyteError;
    const error = new cls(c.options);
    expect(error.name).toBe(c.cls);
    expect(error.rawMessage).toBe(c.python.message);
    if (c.python.code === null) {
      // action-not-found-fields: Python's is a plain RuntimeError without code or kind.
      expect(error).not.toBeInstanceOf(errors.BaseRuntimeError);
    } else {
      expect(error.code).toBe(c.python.code);
      expect(error.kind).toBe(c.python.kind);
      const family = classes[c.python.family];
      if (family === undefined) throw new Error(`no class ${c.python.family}`);
      expect(error).toBeInstanceOf(family);
    }
    // The SDK stores its own kind, "user", as the worker of many classes; no worker is right.
    expect(error.worker).toBeUndefined();
  });

  it.each([
    ['CustomError.from_exception(ValueError("x"))', new RangeError("x"), "RangeError", "x"],
    ["CustomError.from_exception(ValueError())", new RangeError(), "RangeError", ""],
    ['CustomError.from_exception(KeyError("k"))', new TypeError("'k'"), "TypeError", "'k'"],
  ] as const)("%s: the class name and str(e), empty included", (_, thrown, code, message) => {
    const error = errors.CustomError.fromException(thrown);
    expect([error.name, error.code, error.kind, error.rawMessage]).toEqual([
      "CustomError",
      code,
      "user",
      message,
    ]);
    expect(error.cause).toBe(thrown);
  });
});

describe("_run.py: creating a run", () => {
  const run = "r1";
  const cases: readonly {
    code: Code;
    python: PyAnswer;
    ours?: Ours & { readonly message?: string };
  }[] = [
    {
      code: Code.Unavailable,
      python: {
        cls: "RuntimeSystemError",
        code: "SystemUnavailableError",
        kind: "system",
        message:
          "Flyte system is currently unavailable. check your configuration, or the service status.",
      },
      ours: { why: "create-run-message" },
    },
    {
      code: Code.InvalidArgument,
      python: {
        cls: "RuntimeUserError",
        code: "InvalidArgumentError",
        kind: "user",
        message: "the server said",
      },
      ours: { why: "create-run-message" },
    },
    {
      code: Code.AlreadyExists,
      python: {
        cls: "RuntimeUserError",
        code: "RunAlreadyExistsError",
        kind: "user",
        message: "A run with the name 'r1' already exists. Please choose a different name.",
      },
      ours: { why: "create-run-message" },
    },
    ...[
      Code.Canceled,
      Code.Unknown,
      Code.DeadlineExceeded,
      Code.FailedPrecondition,
      Code.Aborted,
      Code.OutOfRange,
      Code.Unimplemented,
      Code.Internal,
      Code.DataLoss,
    ].map((code) => ({
      code,
      python: {
        cls: "RuntimeSystemError",
        code: "RunCreationError",
        kind: "system" as const,
        message: "Failed to create run: the server said",
      },
      ours: { why: "create-run-message" as const },
    })),
    ...(
      [
        [Code.Unauthenticated, "AuthenticationError", "UNAUTHENTICATED", "user"],
        [Code.PermissionDenied, "PermissionDeniedError", "PERMISSION_DENIED", "user"],
        [Code.ResourceExhausted, "ResourceExhaustedError", "RESOURCE_EXHAUSTED", "system"],
        [Code.NotFound, "ActionNotFoundError", "NOT_FOUND", "user"],
      ] as const
    ).map(([code, cls, ourCode, kind]) => ({
      code,
      python: {
        cls: "RuntimeSystemError",
        code: "RunCreationError",
        kind: "system" as const,
        message: "Failed to create run: the server said",
      },
      ours: { cls, code: ourCode, kind, why: "create-run-unwrapped" as const },
    })),
  ];

  it.each(cases.map((c) => [Code[c.code], c] as const))("%s", (_, c) => {
    const error = decodeRpcError(new ConnectError("the server said", c.code), {
      operation: "createRun",
      runName: run,
    });
    expectParity(error, c.python, c.ours);
    // Ours names the run and keeps what the server said, where Python has its own sentence.
    expect(error.rawMessage).toContain("the server said");
    if (c.ours?.why === "create-run-message") {
      expect(error.rawMessage).toBe(`could not create run ${run}: the server said`);
      expect(error.cause).toBeInstanceOf(errors.UnionRpcError);
    }
  });
});

describe("_is_transient_watch_error and the retry interceptor: which RPC codes come back", () => {
  // _action.py _TRANSIENT_CONNECT_CODES re-subscribe a watch; retry.py RETRYABLE_CODES
  // retries a unary call. `retryable` answers both: could the same request succeed later?
  const WATCH = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.Canceled]);
  const UNARY = new Set([Code.Unavailable, Code.ResourceExhausted, Code.Internal]);
  const codes = Object.values(Code).filter((c): c is Code => typeof c === "number");

  it.each(codes.map((code) => [Code[code], code] as const))("%s", (_, code) => {
    const python = WATCH.has(code) || UNARY.has(code);
    const error = decodeRpcError(new ConnectError("x", code));
    if (code === Code.Aborted) {
      // aborted-retryable
      expect([python, error.retryable]).toEqual([false, true]);
    } else {
      expect(error.retryable).toBe(python);
    }
  });
});

describe("_trace_error_is_recoverable: ExecutionError.recoverability", () => {
  it.each([
    ["RECOVERABLE (1)", 1, true, true],
    ["NON_RECOVERABLE, also the unset value (0)", 0, false, undefined],
    ["a number from the future (5)", 5, false, undefined],
  ] as const)("%s", (_, recoverability, python, ours) => {
    // recoverability-zero: 0 is also what an unset field reads as, so ours takes no stance.
    const error = decodeExecutionError(
      create(ExecutionErrorSchema, {
        code: "ValueError",
        kind: 1,
        message: "m",
        recoverability: recoverability as number,
      }),
    );
    expect(python).toBe(recoverability === 1);
    expect(error.recoverable).toBe(ours);
    expect(error.retryable).toBe(false);
  });
});

describe("message length", () => {
  it.each([
    [
      "a decoded message",
      (m: string) => decodeExecutionError({ code: "X", kind: "USER", message: m }),
    ],
    ["CustomError.from_exception", (m: string) => errors.CustomError.fromException(new Error(m))],
  ] as const)(
    "%s: Python keeps it whole, ours cuts at the one limit (message-limit)",
    (_, build) => {
      const long = "x".repeat(errors.MAX_MESSAGE_LENGTH + 50_000);
      const error = build(long);
      expect(error.rawMessage.length).toBeLessThan(errors.MAX_MESSAGE_LENGTH + 64);
      expect(error.rawMessage).toContain(`(truncated from ${long.length} characters)`);
    },
  );
});

describe("the README", () => {
  it("lists every divergence these cases rely on, with its reason", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.slice(
      readme.indexOf("<!-- section:decode -->"),
      readme.indexOf("<!-- /section:decode -->"),
    );
    for (const id of DIVERGENCES) {
      expect(section, id).toMatch(
        new RegExp(`\\|\\s*\`${id}\`\\s*\\|[^\\n]*\\w[^\\n]*\\|[^\\n]*\\w[^\\n]*\\|`),
      );
    }
  });
});
