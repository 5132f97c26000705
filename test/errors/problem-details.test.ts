import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  DEFAULT_PROBLEM_TYPE_BASE,
  httpStatusOf,
  OOMError,
  type ProblemDetails,
  SlowDownError,
  UnionRpcError,
} from "../../src/errors/index.js";
import { CASES } from "./support/cases.js";

/** The slug each class's `type` URI must end with; spelled out so renames are noticed. */
const SLUGS: Record<string, string> = {
  OOMError: "oom-error",
  InlineIOMaxBytesBreached: "inline-io-max-bytes-breached",
  OnlyAsyncIOSupportedError: "only-async-io-supported-error",
  UnionRpcError: "union-rpc-error",
  ActionNotFoundError: "action-not-found-error",
  RuntimeDataValidationError: "runtime-data-validation-error",
};

describe.each(CASES)("$name problem details", (c) => {
  it("has type, title, status, detail and the Flyte extensions", () => {
    const err = c.make({ message: "it failed", worker: "pod-1", attempts: 2, traceId: "tr" });
    const problem = err.toProblemDetails({ instance: "/runs/r1" });
    const slug = SLUGS[c.name] ?? c.name.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
    expect(problem.type).toBe(`${DEFAULT_PROBLEM_TYPE_BASE}/${slug}`);
    expect(problem.title.length).toBeGreaterThan(5);
    expect(problem.title).not.toContain("it failed");
    expect(problem.status).toBe(c.status);
    expect(problem.detail).toBe("it failed");
    expect(problem.instance).toBe("/runs/r1");
    expect(problem).toMatchObject({
      code: c.code,
      kind: c.kind,
      worker: "pod-1",
      attempts: 2,
      retryable: c.retryable,
      hint: err.hint,
      traceId: "tr",
    });
    expect("details" in problem).toBe(false);
    // Problem details are sent over HTTP as JSON: they must survive it unchanged.
    expect(JSON.parse(JSON.stringify(problem))).toEqual(problem);
  });

  it("keeps the same title and type for every occurrence", () => {
    const a = c.make({ message: "one" }).toProblemDetails();
    const b = c.make({ message: "two", code: "OTHER_CODE_X" }).toProblemDetails();
    expect([a.type, a.title]).toEqual([b.type, b.title]);
  });
});

describe("status", () => {
  it("maps UnionRpcError by code: 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED, else 502", () => {
    expect(httpStatusOf(new UnionRpcError({ code: "UNAVAILABLE" }))).toBe(503);
    expect(httpStatusOf(new UnionRpcError({ code: "DEADLINE_EXCEEDED", rpcCode: 4 }))).toBe(504);
    expect(httpStatusOf(new UnionRpcError({ code: "INTERNAL", rpcCode: 13 }))).toBe(502);
    expect(httpStatusOf(new UnionRpcError({ code: "UNKNOWN" }))).toBe(502);
    expect(new UnionRpcError({ code: "DEADLINE_EXCEEDED" }).toProblemDetails().status).toBe(504);
  });

  it("keeps the subclasses' own statuses whatever their code", () => {
    expect(httpStatusOf(new AuthenticationError({ code: "UNAVAILABLE" }))).toBe(401);
  });

  it("is per class, not per kind: a system-attributed OOM is still 422", () => {
    expect(httpStatusOf(new OOMError({ kind: "system" }))).toBe(422);
  });

  it("follows a user subclass's parent", () => {
    class MyRpcError extends UnionRpcError {}
    expect(httpStatusOf(new MyRpcError({ code: "DEADLINE_EXCEEDED" }))).toBe(504);
    expect(new MyRpcError().toProblemDetails().type).toMatch(/\/union-rpc-error$/);
  });
});

describe("extensions", () => {
  it("carries recoverable when the payload said, and leaves it out when not", () => {
    expect(new OOMError({ recoverable: true }).toProblemDetails().recoverable).toBe(true);
    expect(new OOMError({ recoverable: false }).toProblemDetails().recoverable).toBe(false);
    expect("recoverable" in new OOMError().toProblemDetails()).toBe(false);
  });

  it("says the class's sentence in detail when the root cause was empty", () => {
    const problem = new OOMError({ message: "" }).toProblemDetails();
    expect(problem.detail).toBe("The task ran out of memory.");
  });

  it("gives retryAfter in whole seconds, rounded up", () => {
    expect(new SlowDownError({ retryAfterMs: 1500 }).toProblemDetails().retryAfter).toBe(2);
    expect(new SlowDownError({ retryAfterMs: 3000 }).toProblemDetails().retryAfter).toBe(3);
    expect(new SlowDownError({ retryAfterMs: 0 }).toProblemDetails().retryAfter).toBe(0);
    expect("retryAfter" in new SlowDownError().toProblemDetails()).toBe(false);
  });

  it("carries field errors from google.rpc.BadRequest", () => {
    const fieldErrors = [{ field: "spec.inputs", message: "missing x" }];
    expect(
      new UnionRpcError({ code: "INVALID_ARGUMENT", fieldErrors }).toProblemDetails().fieldErrors,
    ).toEqual(fieldErrors);
  });

  it("uses a configurable type base, with or without a trailing slash", () => {
    const err = new OOMError();
    expect(err.toProblemDetails({ typeBase: "urn:example:errors/" }).type).toBe(
      "urn:example:errors/oom-error",
    );
    expect(err.toProblemDetails({ typeBase: "https://x.test/e" }).type).toBe(
      "https://x.test/e/oom-error",
    );
  });

  it("adds JSON-safe, redacted details only when asked", () => {
    const err = new UnionRpcError({
      details: { metadata: new Headers({ authorization: "Bearer t0k3n-value" }), n: 2n },
    });
    const problem: ProblemDetails = err.toProblemDetails({ includeDetails: true });
    expect(problem.details).toEqual({ metadata: { authorization: "[REDACTED]" }, n: "2" });
  });

  it("never contains a secret", () => {
    const err = new UnionRpcError({
      message: "upstream said: Authorization: Bearer abcdef.123456.zz",
      hint: "Check api_key=AKIA1234567",
      fieldErrors: [{ field: "token", message: "token=tok_live_1234 invalid" }],
      details: { "x-api-key": "key-99", session: { cookie: "sid=1" } },
    });
    const text = JSON.stringify(err.toProblemDetails({ includeDetails: true }));
    for (const secret of ["abcdef.123456.zz", "AKIA1234567", "tok_live_1234", "key-99", "sid=1"]) {
      expect(text).not.toContain(secret);
    }
  });
});
