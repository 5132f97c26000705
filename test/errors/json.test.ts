import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CustomError,
  FlyteError,
  type FlyteErrorJSON,
  isFlyteError,
  OOMError,
  RetriesExhaustedError,
  RuntimeUnknownError,
  SlowDownError,
  UnionRpcError,
} from "../../src/errors/index.js";
import {
  ErrorInfo_Kind,
  ErrorInfoSchema,
} from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import {
  RetryInfoSchema,
  ErrorInfoSchema as RpcErrorInfoSchema,
} from "../../src/gen/google/rpc/error_details_pb.js";
import { CASES, fullOptions } from "./support/cases.js";

/** Everything a revived error must agree on with the original. */
function fieldsOf(err: FlyteError): Record<string, unknown> {
  const f = err as unknown as Record<string, unknown>;
  return {
    ctor: err.constructor,
    name: err.name,
    code: err.code,
    kind: err.kind,
    message: err.message,
    rawMessage: err.rawMessage,
    retryable: err.retryable,
    recoverable: err.recoverable,
    hint: err.hint,
    worker: err.worker,
    attempts: err.attempts,
    traceId: err.traceId,
    fieldErrors: err.fieldErrors,
    // bigint details come back as decimal strings; details are compared on their own below.
    bytes: err.details.bytes,
    retryAfterMs: f.retryAfterMs,
    reason: f.reason,
    abortedBy: f.abortedBy,
    rpcCode: f.rpcCode,
    method: f.method,
    var: f.var,
    taskName: f.taskName,
    packageName: f.packageName,
    originalError: f.originalError,
  };
}

describe.each(CASES)("$name survives", (c) => {
  const original = c.make(fullOptions());

  it("JSON.stringify and JSON.parse", () => {
    const revived = FlyteError.fromJSON(JSON.parse(JSON.stringify(original)));
    expect(revived).toBeInstanceOf(c.cls);
    expect(fieldsOf(revived)).toEqual(fieldsOf(original));
    expect(revived.toJSON()).toEqual(original.toJSON());
    expect(revived.details).toEqual({
      bytes: new Uint8Array([0, 1, 2, 253, 254, 255]),
      int64: "9007199254740993",
      nested: { list: [1, "two", null, true] },
    });
    for (const [key, value] of Object.entries(c.own ?? {})) {
      expect((revived as unknown as Record<string, unknown>)[key]).toBe(value);
    }
  });

  it("structuredClone of its JSON", () => {
    const revived = FlyteError.fromJSON(structuredClone(original.toJSON()));
    expect(revived.name).toBe(c.name);
    expect(fieldsOf(revived)).toEqual(fieldsOf(original));
  });

  it("with its cause chain revived as real errors", () => {
    const revived = FlyteError.fromJSON(JSON.parse(JSON.stringify(original)));
    const cause = revived.cause as Error;
    expect(cause).toBeInstanceOf(TypeError);
    expect(cause.message).toBe("inner");
    expect((cause.cause as Error).message).toBe("root");
  });
});

describe("recoverable, the platform's verdict", () => {
  it("is in the JSON only when the payload said, and revives as it was", () => {
    const said = new OOMError({ recoverable: false });
    expect(said.toJSON().recoverable).toBe(false);
    expect(FlyteError.fromJSON(JSON.parse(JSON.stringify(said))).recoverable).toBe(false);
    const silent = new OOMError();
    expect("recoverable" in silent.toJSON()).toBe(false);
    expect(FlyteError.fromJSON(silent.toJSON()).recoverable).toBeUndefined();
    expect(FlyteError.fromJSON({ ...silent.toJSON(), recoverable: "yes" }).recoverable).toBe(
      undefined,
    );
  });

  it("is independent of retryable", () => {
    const err = new OOMError({ recoverable: true });
    expect([err.retryable, err.recoverable]).toEqual([false, true]);
  });
});

describe("toJSON", () => {
  it("writes the documented shape, without a stack unless asked", () => {
    const err = new SlowDownError({
      message: "slow down",
      worker: "w",
      retryAfterMs: 1200,
      traceId: "t",
      cause: "overloaded",
    });
    const json = err.toJSON();
    expect(json).toEqual({
      name: "SlowDownError",
      code: "SlowDownError",
      kind: "user",
      message: "slow down",
      retryable: true,
      hint: err.hint,
      worker: "w",
      traceId: "t",
      details: {},
      retryAfterMs: 1200,
      cause: { thrown: "overloaded" },
    } satisfies FlyteErrorJSON);
    expect(JSON.stringify(err)).toBe(JSON.stringify(json));
    expect(Object.values(json).includes(undefined)).toBe(false);
  });

  it("adds the stack of the error and of each cause with { stack: true }", () => {
    const err = new OOMError({ cause: new RangeError("deep") });
    const json = err.toJSON({ stack: true });
    expect(json.stack?.split("\n")[0]).toBe(err.message);
    expect(json.stack).toContain("json.test.ts");
    expect((json.cause as { stack?: string }).stack).toContain("RangeError: deep");
    expect(FlyteError.fromJSON(json).stack).toBe(json.stack);
  });

  it("keeps protobuf messages as plain data, int64 as strings and bytes as base64", () => {
    const info = create(ErrorInfoSchema, { message: "boom", kind: ErrorInfo_Kind.USER });
    const retry = create(RetryInfoSchema, { retryDelay: { seconds: 3n, nanos: 500 } });
    const err = new OOMError({ details: { info, retry, blob: new Uint8Array([104, 105]) } });
    const json = err.toJSON();
    expect(json.details).toEqual({
      info: { $typeName: "flyteidl2.workflow.ErrorInfo", message: "boom", kind: 1 },
      retry: {
        $typeName: "google.rpc.RetryInfo",
        retryDelay: { $typeName: "google.protobuf.Duration", seconds: "3", nanos: 500 },
      },
      blob: { $bytes: "aGk=" },
    });
    const revived = FlyteError.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(revived.details.blob).toEqual(new Uint8Array([104, 105]));
  });

  it("never throws on cycles, throwing getters, hostile proxies or odd values", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const shared = { x: 1 };
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("get");
        },
        ownKeys() {
          throw new Error("ownKeys");
        },
        getPrototypeOf() {
          throw new Error("proto");
        },
      },
    );
    const getter = Object.defineProperty({}, "bad", {
      enumerable: true,
      get() {
        throw new Error("nope");
      },
    });
    const err = new UnionRpcError({
      details: {
        cyclic,
        twice: [shared, shared],
        hostile,
        getter,
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        sym: Symbol("s"),
        fn: () => 1,
        undef: undefined,
        date: new Date(0),
        map: new Map([["k", 1n]]),
        set: new Set([1, 2]),
        floats: new Float32Array([1.5]),
        error: new TypeError("te"),
        deep: nest(50),
      },
    });
    const json = err.toJSON();
    expect(json.details).toMatchObject({
      cyclic: { a: 1, self: "[Circular]" },
      twice: [{ x: 1 }, { x: 1 }],
      hostile: "[Unreadable]",
      getter: { bad: "[Unreadable]" },
      nan: "NaN",
      inf: "Infinity",
      sym: "Symbol(s)",
      date: "1970-01-01T00:00:00.000Z",
      map: [["k", "1"]],
      set: [1, 2],
      floats: [1.5],
      error: { name: "TypeError", message: "te" },
    });
    expect("fn" in json.details).toBe(false);
    expect("undef" in json.details).toBe(false);
    expect(JSON.stringify(json)).toContain("[Truncated]");
  });

  it("survives a cyclic cause chain", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    Object.assign(a, { cause: b });
    const json = new OOMError({ cause: a }).toJSON();
    expect(JSON.stringify(json)).toContain("[Circular cause]");
  });

  it("nests a Flyte cause as Flyte JSON and revives its class", () => {
    const last = new OOMError({ message: "attempt 3 ran out of memory", worker: "pod-3" });
    const err = new RetriesExhaustedError({ attempts: 3, cause: last });
    const json = JSON.parse(JSON.stringify(err));
    expect(json.cause).toMatchObject({ name: "OOMError", code: "OOMKilled", worker: "pod-3" });
    const revived = FlyteError.fromJSON(json);
    expect(revived.cause).toBeInstanceOf(OOMError);
    expect((revived.cause as OOMError).worker).toBe("pod-3");
  });

  it("keeps an AggregateError's errors through fromException and JSON", () => {
    const err = CustomError.fromException(new AggregateError([new Error("a"), "b"], "both failed"));
    const json = JSON.parse(JSON.stringify(err));
    expect(json.errors).toEqual([{ name: "Error", message: "a" }, { thrown: "b" }]);
    const revived = FlyteError.fromJSON(json) as CustomError;
    expect(revived.errors).toHaveLength(2);
    expect(revived.errors?.[1]).toBe("b");
    expect(revived.errors?.[0]).toBeInstanceOf(Error);
    expect((revived.errors?.[0] as Error | undefined)?.message).toBe("a");
  });

  it("redacts secrets in details, metadata, messages and causes", () => {
    const metadata = new Headers({ authorization: "Bearer abc.def.ghi", "x-request-id": "r1" });
    const rpcInfo = create(RpcErrorInfoSchema, {
      reason: "AUTH",
      metadata: { "x-api-key": "k-123456", region: "eu" },
    });
    const err = new UnionRpcError({
      message: "denied for access_token=tok-secret-1",
      details: { metadata, rpcInfo, clientSecret: "s3cr3t", cookie: ["a=b"] },
      cause: new Error("sent Authorization: Bearer zzz-long-token"),
    });
    const text = JSON.stringify(err.toJSON({ stack: true }));
    for (const secret of [
      "abc.def.ghi",
      "k-123456",
      "tok-secret-1",
      "s3cr3t",
      "a=b",
      "zzz-long-token",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(err.toJSON().details).toMatchObject({
      metadata: { authorization: "[REDACTED]", "x-request-id": "r1" },
      rpcInfo: { metadata: { "x-api-key": "[REDACTED]", region: "eu" } },
      clientSecret: "[REDACTED]",
      cookie: "[REDACTED]",
    });
  });
});

describe("FlyteError.fromJSON", () => {
  it("revives an unknown name as RuntimeUnknownError that keeps the input", () => {
    const input = {
      name: "FancyNewError",
      code: "Fancy",
      kind: "system",
      message: "new server",
      extra: [1],
    };
    const err = FlyteError.fromJSON(input);
    expect(err).toBeInstanceOf(RuntimeUnknownError);
    expect([err.code, err.kind, err.rawMessage]).toEqual(["Fancy", "system", "new server"]);
    expect(err.details.json).toEqual(input);
  });

  it("does not revive the abstract root", () => {
    expect(FlyteError.fromJSON({ name: "FlyteError", message: "m" })).toBeInstanceOf(
      RuntimeUnknownError,
    );
  });

  it("ignores fields of the wrong type and keeps the class defaults", () => {
    const err = FlyteError.fromJSON({
      name: "OOMError",
      code: 5,
      kind: "weird",
      retryable: "yes",
      attempts: "3",
    });
    expect(err).toBeInstanceOf(OOMError);
    expect([err.code, err.kind, err.retryable, err.attempts]).toEqual([
      "OOMKilled",
      "user",
      false,
      undefined,
    ]);
  });

  it("never throws, whatever it is given", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything({ withBigInt: true, withMap: true, withSet: true }), jsonLike()),
        (input) => {
          const err = FlyteError.fromJSON(input);
          expect(isFlyteError(err)).toBe(true);
          expect(err.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("x");
        },
        has() {
          throw new Error("x");
        },
        ownKeys() {
          throw new Error("x");
        },
      },
    );
    expect(FlyteError.fromJSON(hostile)).toBeInstanceOf(RuntimeUnknownError);
  });
});

/** Objects shaped like error JSON with random fields, to reach past the first checks. */
function jsonLike(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      name: fc.constantFrom(...CASES.map((c) => c.name), "Nope", "constructor", "__proto__"),
      code: fc.anything(),
      kind: fc.constantFrom("user", "system", "unknown", 3),
      message: fc.anything(),
      retryable: fc.anything(),
      details: fc.anything(),
      fieldErrors: fc.anything(),
      errors: fc.anything(),
      cause: fc.anything(),
      var: fc.anything(),
    },
    { requiredKeys: ["name"] },
  );
}

function nest(levels: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < levels; i++) value = { next: value };
  return value;
}
