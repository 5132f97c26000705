import { describe, expect, it } from "vitest";
import {
  BaseRuntimeError,
  FlyteError,
  httpStatusOf,
  ImagePullBackOffError,
  isFlyteError,
  OOMError,
  RuntimeDataValidationError,
  RuntimeSystemError,
  RuntimeUserError,
  TaskInterruptedError,
  UnionRpcError,
} from "../../src/errors/index.js";
import { CASES } from "./support/cases.js";

describe.each(CASES)("$name", (c) => {
  it("has the documented defaults", () => {
    const err = c.make();
    expect(err.name).toBe(c.name);
    expect(err.constructor.name).toBe(c.name);
    expect(Object.getPrototypeOf(c.cls).name).toBe(c.base);
    expect(err.code).toBe(c.code);
    expect(err.kind).toBe(c.kind);
    expect(err.retryable).toBe(c.retryable);
    expect(err.hint.trim().length).toBeGreaterThan(10);
    expect(err.hint).toMatch(/\.$/);
    expect(httpStatusOf(err)).toBe(c.status);
    expect(err.details).toEqual({});
    expect(err.worker).toBeUndefined();
    expect(err.attempts).toBeUndefined();
  });

  it("is an Error, a FlyteError and its own class", () => {
    const err = c.make();
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(FlyteError);
    expect(err).toBeInstanceOf(c.cls);
    expect(isFlyteError(err)).toBe(true);
    expect(Object.prototype.toString.call(err)).toBe("[object Error]");
  });

  it("starts its message with the essentials, and its stack with the message", () => {
    const err = c.make({ message: "it broke", worker: "w1" });
    expect(err.rawMessage).toBe("it broke");
    expect(err.message).toBe(`${c.name} [${c.code}] (${c.kind}): it broke`);
    expect(String(err)).toBe(err.message);
    expect(err.stack?.split("\n")[0]).toBe(err.message);
    expect(err.stack).toContain("classes.test.ts");
  });

  it("keeps its stack out of keys and JSON, and lets it be replaced", () => {
    const err = c.make({ message: "it broke" });
    const other = c.make({ message: "another" });
    expect(Object.keys(err)).not.toContain("stack");
    // Where the captured frames wait is not enumerable: a spread copies none of it.
    expect(Object.getOwnPropertySymbols({ ...err })).toHaveLength(0);
    expect(JSON.stringify(err)).not.toContain("classes.test.ts");
    err.stack = "replaced";
    expect(err.stack).toBe("replaced");
    // The accessor is shared by every error; replacing one stack leaves the others alone.
    expect(other.stack?.split("\n")[0]).toBe(other.message);
  });

  it("takes code, kind, retryable and hint overrides from the payload", () => {
    const err = c.make({ code: "X1", kind: "unknown", retryable: !c.retryable, hint: "Do X." });
    expect([err.code, err.kind, err.retryable, err.hint]).toEqual([
      "X1",
      "unknown",
      !c.retryable,
      "Do X.",
    ]);
    expect(err.message.startsWith(`${c.name} [X1] (unknown): `)).toBe(true);
  });

  it("keeps worker, attempts, details, field errors, trace id and the native cause", () => {
    const cause = new Error("root");
    const err = c.make({
      worker: "pod-1",
      attempts: 2,
      details: { raw: 1 },
      fieldErrors: [{ field: "f", message: "m" }],
      traceId: "t",
      cause,
    });
    expect(err.worker).toBe("pod-1");
    expect(err.attempts).toBe(2);
    expect(err.details).toEqual({ raw: 1 });
    expect(err.fieldErrors).toEqual([{ field: "f", message: "m" }]);
    expect(err.traceId).toBe("t");
    expect(err.cause).toBe(cause);
  });
});

describe("the hierarchy", () => {
  it("mirrors Python: families, and ActionNotFoundError outside BaseRuntimeError", () => {
    const user = CASES.filter((c) => c.make() instanceof RuntimeUserError).map((c) => c.name);
    expect(user).toHaveLength(33);
    const system = CASES.filter((c) => c.make() instanceof RuntimeSystemError).map((c) => c.name);
    expect(system.sort()).toEqual(
      [
        "AuthenticationError",
        "PermissionDeniedError",
        "RuntimeSystemError",
        "UnionRpcError",
      ].sort(),
    );
    const outside = CASES.filter((c) => !(c.make() instanceof BaseRuntimeError)).map((c) => c.name);
    expect(outside).toEqual(["ActionNotFoundError"]);
    expect(new OOMError()).not.toBeInstanceOf(RuntimeSystemError);
    expect(new UnionRpcError()).not.toBeInstanceOf(RuntimeUserError);
  });

  it("lets a payload's own attribution override the class kind (a preempted task is system)", () => {
    const err = new TaskInterruptedError({ kind: "system", message: "node preempted" });
    expect(err).toBeInstanceOf(RuntimeUserError);
    expect(err.kind).toBe("system");
    expect(err.message).toBe("TaskInterruptedError [Interrupted] (system): node preempted");
    const throttled = new ImagePullBackOffError({ kind: "system", retryable: true });
    expect([throttled.kind, throttled.retryable]).toEqual(["system", true]);
  });

  it("builds RuntimeDataValidationError's message as Python does, with an Error as cause", () => {
    const e = new TypeError("not an int");
    const err = new RuntimeDataValidationError({ var: "x", e, taskName: "my_task" });
    expect(err.rawMessage).toBe(
      "In task my_task variable x, failed to serialize/deserialize because of not an int",
    );
    expect(err.cause).toBe(e);
    expect([err.var, err.taskName]).toEqual(["x", "my_task"]);
  });

  it("never shows a token a server quoted in its message", () => {
    const err = new UnionRpcError({
      message: "rejected header authorization: Bearer abcdef123456",
    });
    expect(err.message).not.toContain("abcdef123456");
    expect(err.stack).not.toContain("abcdef123456");
  });

  it("does not mistake a class prototype for an error", () => {
    expect(isFlyteError(OOMError.prototype)).toBe(false);
    expect(isFlyteError(FlyteError.prototype)).toBe(false);
  });
});
