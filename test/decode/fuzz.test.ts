/**
 * Property tests: whatever bytes, JSON or thrown values reach a decoder, it returns a
 * FlyteError (or `undefined` where there is no failure), never throws, and keeps the raw
 * input. 20,000 cases per decoder, kept small so the whole file runs in seconds.
 */

import { create, toBinary, toJson, toJsonString } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Code, ConnectError } from "@connectrpc/connect";
import fc from "fast-check";
import { afterAll, beforeAll, describe, it } from "vitest";
import {
  decodeActionDetails,
  decodeErrorDocument,
  decodeExecutionError,
  decodeRpcError,
  parseContainerLines,
} from "../../src/decode/index.js";
import { type AnyFlyteError, isFlyteError, OOMError } from "../../src/errors/failure.js";
import {
  ErrorDocumentSchema,
  ExecutionErrorSchema,
} from "../../src/gen/flyteidl2/core/execution_pb.js";
import { ActionDetailsSchema } from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import {
  BadRequestSchema,
  LocalizedMessageSchema,
  RetryInfoSchema,
} from "../../src/gen/google/rpc/error_details_pb.js";
import { containerLine, exitZeroLine, POD_FAILED, TEXTS } from "./fixtures.js";

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 20_000) } as const;

/** Pieces of every backend format, so random messages hit the parsers' real paths. */
const fragments = fc.constantFrom(
  POD_FAILED,
  containerLine("main", 137, "OOMKilled", "x"),
  containerLine("a[b]", 1, "Error", "y", "\n"),
  exitZeroLine("init"),
  TEXTS.oomDespite,
  TEXTS.primaryMissing("p"),
  TEXTS.gracePeriod,
  TEXTS.gracePeriodRateLimited,
  TEXTS.backoffBracket,
  TEXTS.invalidImage,
  TEXTS.retries(3),
  "Interrupted",
  "SIGKILL",
  "] terminated with exit code (",
  "Reason [",
  "[",
  "]",
  "\r\n",
  "\n",
  "task failed after ",
  "Grace period [",
  "🚀",
  "\u0000",
  "\ud800",
);
const message = fc.oneof(
  { weight: 20, arbitrary: fc.array(fragments, { maxLength: 8 }).map((parts) => parts.join("")) },
  { weight: 10, arbitrary: fc.string({ maxLength: 40 }) },
  // Huge strings, rarely: a few sizes built once, so the cost stays predictable.
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "x".repeat(100_000),
      `${"[".repeat(50_000)}] terminated with `.repeat(2),
      TEXTS.oomPod().repeat(1_000),
    ),
  },
);
/** Enum numbers this schema knows and some it does not. */
const enumNumber = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: -3, max: 1_000 }));

const actionDetailsMessage = fc
  .record({
    phase: enumNumber,
    kind: enumNumber,
    message,
    attempts: fc.nat(10),
    result: fc.constantFrom("error", "abort", "none"),
    endTime: fc.boolean(),
    name: fc.constantFrom("a0", "a1", ""),
  })
  .map((r) =>
    create(ActionDetailsSchema, {
      id: { run: { name: "r" }, name: r.name },
      status: {
        phase: r.phase,
        attempts: r.attempts,
        ...(r.endTime ? { endTime: timestampFromMs(1) } : {}),
      },
      result:
        r.result === "error"
          ? { case: "errorInfo", value: { message: r.message, kind: r.kind } }
          : r.result === "abort"
            ? { case: "abortInfo", value: { reason: r.message } }
            : { case: undefined },
      attempts: [
        { errorInfo: { message: r.message, kind: r.kind }, logContext: { primaryPodName: "pod" } },
      ],
    }),
  );

/** Every input form, including broken ones, for a schema and a message arbitrary. */
function inputs<T>(
  arbitrary: fc.Arbitrary<T>,
  binary: (m: T) => Uint8Array,
  json: (m: T) => unknown,
  text: (m: T) => string,
) {
  return fc.oneof(
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    { weight: 3, arbitrary: arbitrary },
    { weight: 3, arbitrary: arbitrary.map(binary) },
    { weight: 2, arbitrary: arbitrary.map(json) },
    { weight: 1, arbitrary: arbitrary.map(text) },
    // Truncated encodings.
    {
      weight: 2,
      arbitrary: fc
        .tuple(arbitrary.map(binary), fc.nat())
        .map(([b, n]) => b.subarray(0, b.length === 0 ? 0 : n % b.length)),
    },
    // Invalid UTF-8 inside a string field, nested under field 4 and as a top-level field 1.
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 8 })
        .map(
          (bad) =>
            new Uint8Array([0x22, bad.length + 2, 0x0a, bad.length, ...bad.map((b) => b | 0x80)]),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 8 })
        .map((bad) => new Uint8Array([0x0a, bad.length, ...bad.map((b) => b | 0xc0)])),
    },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  );
}

function isMessageInput(input: unknown): boolean {
  return typeof input === "object" && input !== null && "$typeName" in input;
}

/**
 * The property every payload decoder shares. Plain checks instead of `expect`: at 20,000
 * cases per decoder the matcher machinery would cost more than the decoders.
 */
function checkPayloadResult(result: AnyFlyteError | undefined, input: unknown): boolean {
  if (result === undefined) return true;
  if (!isFlyteError(result) || typeof result.message !== "string") return false;
  return isMessageInput(input) || result.details.raw === input;
}

describe("fuzz", () => {
  // Capturing a stack per decoded error is most of the cost of a case and proves nothing
  // here; the decoders behave the same without it.
  let stackTraceLimit = Error.stackTraceLimit;
  beforeAll(() => {
    stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  });
  afterAll(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });

  it("decodeActionDetails", () => {
    const arbitrary = inputs(
      actionDetailsMessage,
      (m) => toBinary(ActionDetailsSchema, m),
      (m) => toJson(ActionDetailsSchema, m),
      (m) => toJsonString(ActionDetailsSchema, m),
    );
    fc.assert(
      fc.property(
        arbitrary,
        fc.record({ runName: fc.option(fc.string({ maxLength: 5 }), { nil: undefined }) }),
        (input, context) => {
          const result = decodeActionDetails(
            input as never,
            context.runName === undefined ? {} : { runName: context.runName },
          );
          checkPayloadResult(result, input);
        },
      ),
      RUNS,
    );
  });

  it("decodeExecutionError", () => {
    const message = fc
      .record({
        code: fc.oneof(
          fragments,
          fc.string({ maxLength: 20 }),
          fc.constantFrom("OOMKilled|ValueError", "a|b|c", "my.mod.Exc"),
        ),
        kind: enumNumber,
        msg: fc.string({ maxLength: 20 }),
        rec: enumNumber,
      })
      .map((r) =>
        create(ExecutionErrorSchema, {
          code: r.code,
          kind: r.kind,
          message: r.msg,
          recoverability: r.rec,
          worker: "w",
          timestamp: timestampFromMs(0),
        }),
      );
    const arbitrary = inputs(
      message,
      (m) => toBinary(ExecutionErrorSchema, m),
      (m) => toJson(ExecutionErrorSchema, m),
      (m) => toJsonString(ExecutionErrorSchema, m),
    );
    fc.assert(
      fc.property(arbitrary, (input) => {
        const result = decodeExecutionError(input as never);
        return result !== undefined && checkPayloadResult(result, input);
      }),
      RUNS,
    );
  });

  it("decodeErrorDocument", () => {
    const message = fc
      .record({
        code: fc.oneof(fragments, fc.string({ maxLength: 20 })),
        origin: enumNumber,
        kind: enumNumber,
        present: fc.boolean(),
      })
      .map((r) =>
        create(
          ErrorDocumentSchema,
          r.present
            ? { error: { code: r.code, origin: r.origin, kind: r.kind, message: "m" } }
            : {},
        ),
      );
    const arbitrary = inputs(
      message,
      (m) => toBinary(ErrorDocumentSchema, m),
      (m) => toJson(ErrorDocumentSchema, m),
      (m) => toJsonString(ErrorDocumentSchema, m),
    );
    fc.assert(
      fc.property(arbitrary, (input) =>
        checkPayloadResult(decodeErrorDocument(input as never), input),
      ),
      RUNS,
    );
  });

  it("decodeRpcError", () => {
    const headerValue = fc.string({
      unit: fc.constantFrom(..."abcXYZ019 -_=;:,./\"'"),
      maxLength: 30,
    });
    const headerName = fc.constantFrom(
      "retry-after",
      "x-request-id",
      "traceparent",
      "content-type",
      "authorization",
      "set-cookie",
      "x-thing",
      "grpc-message",
      "__proto__",
    );
    const detailType = fc.constantFrom(
      "google.rpc.RetryInfo",
      "google.rpc.BadRequest",
      "google.rpc.LocalizedMessage",
      "google.rpc.ErrorInfo",
      "google.rpc.RequestInfo",
      "type.googleapis.com/google.rpc.DebugInfo",
      "acme.Custom",
      "",
    );
    const validDetail = fc.constantFrom(
      {
        type: "google.rpc.RetryInfo",
        value: toBinary(
          RetryInfoSchema,
          create(RetryInfoSchema, { retryDelay: { seconds: 9_999_999_999n, nanos: 5 } }),
        ),
      },
      {
        type: "google.rpc.BadRequest",
        value: toBinary(
          BadRequestSchema,
          create(BadRequestSchema, { fieldViolations: [{ field: "f", description: "d" }] }),
        ),
      },
      {
        type: "google.rpc.LocalizedMessage",
        value: toBinary(
          LocalizedMessageSchema,
          create(LocalizedMessageSchema, { message: "token=abc" }),
        ),
      },
    );
    const connectError = fc
      .record({
        code: fc.integer({ min: -2, max: 20 }),
        message: fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.constantFrom(
            "HTTP 502",
            "HTTP 401",
            "HTTP 429",
            "unsupported content type text/html",
            "protocol error: x",
            "http/2 stream closed with error code CANCEL (0x8)",
            "a-".repeat(2_000),
          ),
        ),
        metadata: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
        details: fc.array(
          fc.oneof(
            validDetail,
            fc.record({ type: detailType, value: fc.uint8Array({ maxLength: 16 }) }),
          ),
          { maxLength: 3 },
        ),
        wire: fc.boolean(),
        cause: fc.option(
          fc.constantFrom(
            Object.assign(new Error("x"), { code: "ECONNRESET" }),
            new Error("plain"),
            { status: 502, body: "<html>" },
          ),
          { nil: undefined },
        ),
      })
      .map((r) => {
        const e = new ConnectError(r.message, r.code as Code, r.metadata, undefined, r.cause);
        e.details.push(...r.details);
        e.isWireError = r.wire;
        return e;
      });
    const thrown = fc.oneof(
      { weight: 6, arbitrary: connectError },
      { weight: 2, arbitrary: fc.anything({ maxDepth: 2 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          new DOMException("a", "AbortError"),
          new DOMException("t", "TimeoutError"),
          new OOMError({}),
          Object.assign(new TypeError("fetch failed"), {
            cause: Object.assign(new Error("x"), { code: "ENOTFOUND" }),
          }),
        ),
      },
    );
    const context = fc.record(
      {
        method: fc.constantFrom("CreateRun", "WatchActionDetails"),
        operation: fc.constantFrom("createRun", "read", "watch", "abort"),
        runName: fc.string({ maxLength: 5 }),
        secrets: fc.array(fc.string({ maxLength: 10 }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(thrown, context, (input, ctx) => {
        const result = decodeRpcError(input, ctx as never);
        if (!isFlyteError(result)) return false;
        if (isFlyteError(input)) return result === input;
        // The input is kept: as the cause, behind the create-run wrapper (which auth,
        // permission, throttling and not-found errors skip), or as a redacted copy of the
        // ConnectError with the same code.
        const wrapped =
          ctx.operation === "createRun" && typeof result.details.rpcError === "string";
        const rpc = wrapped ? (result.cause as AnyFlyteError).cause : result.cause;
        return (
          Object.is(rpc, input) ||
          (input instanceof ConnectError &&
            rpc instanceof ConnectError &&
            rpc !== input &&
            rpc.code === input.code)
        );
      }),
      RUNS,
    );
  });

  it("parseContainerLines", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.oneof(fragments, fc.string({ maxLength: 10 })), { maxLength: 12 })
          .map((p) => p.join("")),
        (text) =>
          parseContainerLines(text).every((line) =>
            text.includes(`[${line.container}] terminated with `),
          ),
      ),
      RUNS,
    );
  });
});
