import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CustomError,
  type FlyteError,
  isFlyteError,
  MAX_MESSAGE_LENGTH,
  NON_ERROR_THROWN,
  OOMError,
  UnionRpcError,
} from "../../src/errors/index.js";

class ValueError extends Error {}

describe("CustomError.fromException", () => {
  it("turns an Error into its class name, message, cause and stack", () => {
    const e = new ValueError("x must be positive");
    const err = CustomError.fromException(e);
    expect(err).toBeInstanceOf(CustomError);
    expect([err.code, err.kind, err.rawMessage, err.retryable]).toEqual([
      "ValueError",
      "user",
      "x must be positive",
      false,
    ]);
    expect(err.message).toBe("CustomError [ValueError] (user): x must be positive");
    expect(err.cause).toBe(e);
    // The trace points where the ValueError was thrown, under the new message.
    const frames = (e.stack ?? "").split("\n").slice(1);
    expect(err.stack).toBe([err.message, ...frames].join("\n"));
  });

  it("uses built-in class names, and name when the constructor is plain Error", () => {
    expect(CustomError.fromException(new TypeError("t")).code).toBe("TypeError");
    const named = Object.assign(new Error("aborted"), { name: "AbortError" });
    expect(CustomError.fromException(named).code).toBe("AbortError");
    expect(CustomError.fromException(new Error("e")).code).toBe("Error");
  });

  it("keeps an empty message empty, as str(ValueError()) is in Python, and says so in message", () => {
    const err = CustomError.fromException(new RangeError(""));
    expect(err.rawMessage).toBe("");
    expect(err.message).toBe("CustomError [RangeError] (user): The task raised an error.");
    expect(err.toJSON().message).toBe("");
    expect(err.toProblemDetails().detail).toBe("The task raised an error.");
  });

  it("keeps a long message up to MAX_MESSAGE_LENGTH, with a note of its length", () => {
    const whole = `${"x".repeat(MAX_MESSAGE_LENGTH)}tail`;
    const err = CustomError.fromException(new Error(whole));
    expect(err.rawMessage.startsWith("x".repeat(MAX_MESSAGE_LENGTH))).toBe(true);
    expect(err.rawMessage).not.toContain("tail");
    expect(err.rawMessage).toContain(`(truncated from ${whole.length} characters)`);
    const fits = "y".repeat(MAX_MESSAGE_LENGTH);
    expect(CustomError.fromException(new Error(fits)).rawMessage).toBe(fits);
  });

  it("scrubs a credential that straddles the message limit", () => {
    const token = `eyJ${"a".repeat(40)}.${"b".repeat(40)}.${"c".repeat(40)}`;
    const text = `${"x".repeat(MAX_MESSAGE_LENGTH - 20)} Bearer ${token} after`;
    const err = CustomError.fromException(new Error(text));
    expect(err.rawMessage).not.toContain("a".repeat(10));
    expect(err.rawMessage).toContain("[REDACTED]");
  });

  it("returns a Flyte error unchanged", () => {
    const oom = new OOMError();
    expect(CustomError.fromException(oom)).toBe(oom);
    const rpc: UnionRpcError = CustomError.fromException(new UnionRpcError());
    expect(rpc).toBeInstanceOf(UnionRpcError);
  });

  it("keeps an AggregateError's errors", () => {
    const inner = [new Error("a"), new TypeError("b")];
    const err = CustomError.fromException(new AggregateError(inner, "two failed")) as CustomError;
    expect(err.code).toBe("AggregateError");
    expect(err.errors).toEqual(inner);
    expect(err.errors?.[1]).toBe(inner[1]);
  });

  it.each([
    ["a string", "disk full", "disk full"],
    ["an empty string", "", "An empty string was thrown."],
    ["a number", 42, "The number 42 was thrown."],
    ["a boolean", false, "The boolean false was thrown."],
    ["a bigint", 10n, "The bigint 10n was thrown."],
    ["null", null, "null was thrown."],
    ["undefined", undefined, "undefined was thrown."],
    ["a symbol", Symbol("oops"), "The symbol Symbol(oops) was thrown."],
    ["a function", function launch() {}, "The function launch was thrown."],
    [
      "a plain object with a message",
      { message: "bad", code: 3 },
      "A non-Error object was thrown: bad",
    ],
    ["a plain object", { a: 1, b: "two" }, 'A non-Error object was thrown: { a: 1, b: "two" }'],
    ["an array", [1, 2], "A non-Error array was thrown: [2 items]"],
  ])("describes %s readably and keeps it as cause", (_label, thrown, message) => {
    const err = CustomError.fromException(thrown);
    expect(err).toBeInstanceOf(CustomError);
    expect(err.code).toBe(NON_ERROR_THROWN);
    expect(err.rawMessage).toBe(message);
    if (thrown !== undefined) expect(err.cause).toBe(thrown);
  });

  it("survives circular objects, throwing toString and hostile proxies", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(CustomError.fromException(circular).rawMessage).toBe(
      "A non-Error object was thrown: { self: [Object] }",
    );
    const noString = {
      toString() {
        throw new Error("no");
      },
      [Symbol.toPrimitive]() {
        throw new Error("no");
      },
    };
    expect(CustomError.fromException(noString).code).toBe(NON_ERROR_THROWN);
    const proxy = hostileProxy();
    const err = CustomError.fromException(proxy);
    expect(err.rawMessage).toBe("A non-Error object was thrown: [unreadable object]");
    expect(err.cause).toBe(proxy);
    expect(() => JSON.stringify(err)).not.toThrow();
  });

  it("reads an Error whose fields throw", () => {
    const e = new Error("x");
    // stack first: V8 formats it lazily and would read the throwing name and message.
    for (const key of ["stack", "constructor", "message", "name"]) {
      Object.defineProperty(e, key, {
        get() {
          throw new Error("trap");
        },
      });
    }
    const err = CustomError.fromException(e);
    expect(err.code).toBe("Error");
    expect(err.rawMessage).toBe("");
  });

  it("property: any thrown value gives a CustomError or the Flyte error itself, never throws", () => {
    const flyte = fc.constantFrom<FlyteError>(
      new OOMError(),
      new UnionRpcError(),
      CustomError.fromException("x"),
    );
    const thrown = fc.oneof(
      fc.anything({
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withObjectString: true,
        withSparseArray: true,
        withTypedArray: true,
        withUnicodeString: true,
      }),
      fc.string().map((s) => Symbol(s)),
      fc.func(fc.anything()),
      fc.string().map((message) => new Error(message)),
      fc
        .tuple(fc.string(), fc.anything())
        .map(([message, cause]) => new TypeError(message, { cause })),
      fc.array(fc.anything()).map((errors) => new AggregateError(errors)),
      // fast-check inspects generated values, so the proxy is built inside the property.
      fc.anything().map((target) => new HostileSpec(target)),
      flyte,
    );
    fc.assert(
      fc.property(thrown, (generated) => {
        const value = generated instanceof HostileSpec ? generated.build() : generated;
        const err = CustomError.fromException(value);
        if (isFlyteError(value)) {
          expect(err).toBe(value);
        } else {
          expect(err).toBeInstanceOf(CustomError);
          expect(err.cause).toBe(value);
        }
        expect(typeof err.message).toBe("string");
        expect(err.message.length).toBeGreaterThan(err.rawMessage.length);
        // Only an Error's own empty message stays empty; a non-Error is always described.
        if (err.rawMessage === "") expect(value).toBeInstanceOf(Error);
      }),
      { numRuns: 1_000 },
    );
  });
});

class HostileSpec {
  constructor(private readonly target: unknown) {}
  build(): object {
    return hostileProxy(typeof this.target === "object" && this.target !== null ? this.target : {});
  }
}

function hostileProxy(target: object = {}): object {
  const fail = () => {
    throw new Error("hostile");
  };
  return new Proxy(target, {
    get: fail,
    has: fail,
    ownKeys: fail,
    getPrototypeOf: fail,
    getOwnPropertyDescriptor: fail,
  });
}
