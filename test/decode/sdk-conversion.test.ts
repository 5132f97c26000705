import { create, toBinary, toJson, toJsonString } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { decodeErrorDocument, decodeExecutionError } from "../../src/decode/index.js";
import {
  ContainerError_Kind,
  ErrorDocumentSchema,
  ExecutionError_ErrorKind,
  ExecutionErrorSchema,
} from "../../src/gen/flyteidl2/core/execution_pb.js";

const { USER, SYSTEM } = ExecutionError_ErrorKind;

/**
 * The conversion's rules, case by case against the Python SDK, are in python-parity.test.ts;
 * this file covers what the decoders add around them: input forms, details, malformed input.
 */
describe("decodeExecutionError", () => {
  it("keeps the server part, worker, error_uri and timestamp", () => {
    const message = create(ExecutionErrorSchema, {
      code: "OOMKilled|ValueError",
      kind: USER,
      message: "boom",
      errorUri: "s3://bucket/run/error.pb",
      worker: "r1-a0-0",
      timestamp: timestampFromMs(Date.UTC(2025, 0, 2, 3, 4, 5)),
    });
    const error = decodeExecutionError(message);
    expect(error.worker).toBe("r1-a0-0");
    expect(error.details).toMatchObject({
      serverCode: "OOMKilled",
      errorUri: "s3://bucket/run/error.pb",
      timestamp: "2025-01-02T03:04:05Z",
      executionError: toJson(ExecutionErrorSchema, message),
    });
  });

  it("reads binary, JSON and JSON text, keeping the raw input", () => {
    const message = create(ExecutionErrorSchema, { code: "ValueError", kind: USER, message: "x" });
    const bytes = toBinary(ExecutionErrorSchema, message);
    const text = toJsonString(ExecutionErrorSchema, message);
    for (const input of [bytes, text, toJson(ExecutionErrorSchema, message)]) {
      const error = decodeExecutionError(input);
      expect(error.name).toBe("CustomError");
      expect(error.details.raw).toBe(input);
    }
    expect(decodeExecutionError({ code: "Interrupted", kind: "USER" }).name).toBe(
      "TaskInterruptedError",
    );
  });

  it("gives MalformedPayload for bytes that do not parse", () => {
    const bytes = new Uint8Array([0x12, 0x05, 0x61]);
    const error = decodeExecutionError(bytes);
    expect(error.name).toBe("RuntimeUnknownError");
    expect(error.code).toBe("MalformedPayload");
    expect(error.details.raw).toBe(bytes);
    expect(error.rawMessage).toContain("flyteidl2.core.ExecutionError");
  });

  it("keeps an empty message empty, and says the class default only in message", () => {
    const error = decodeExecutionError({ kind: "SYSTEM" });
    expect(error.name).toBe("RuntimeSystemError");
    expect(error.code).toBe("SystemError");
    expect(error.rawMessage).toBe("");
    expect(error.message).toBe(
      "RuntimeSystemError [SystemError] (system): The task failed because of a platform error.",
    );
    expect(error.toJSON().message).toBe("");
  });
});

describe("decodeErrorDocument", () => {
  const doc = (code: string, origin: number, kind: number) =>
    create(ErrorDocumentSchema, { error: { code, message: "from error.pb", origin, kind } });
  const { NON_RECOVERABLE, RECOVERABLE } = ContainerError_Kind;

  it("NON_RECOVERABLE with a user origin is a NonRecoverableError keeping its code", () => {
    const error = decodeErrorDocument(doc("USER:Broken", USER, NON_RECOVERABLE));
    expect(error?.name).toBe("NonRecoverableError");
    expect(error?.code).toBe("USER:Broken");
    expect([error?.retryable, error?.recoverable]).toEqual([false, false]);
  });

  it("NON_RECOVERABLE with another origin keeps the class, not retryable", () => {
    for (const [origin, name] of [
      [SYSTEM, "RuntimeSystemError"],
      [ExecutionError_ErrorKind.UNKNOWN, "RuntimeUnknownError"],
    ] as const) {
      const error = decodeErrorDocument(doc("SystemError", origin, NON_RECOVERABLE));
      expect(error?.name).toBe(name);
      expect([error?.retryable, error?.recoverable]).toEqual([false, false]);
    }
  });

  it("RECOVERABLE leaves retryable at the class default and says recoverable", () => {
    const user = decodeErrorDocument(doc("ValueError", USER, RECOVERABLE));
    expect(user?.name).toBe("CustomError");
    expect([user?.retryable, user?.recoverable]).toEqual([false, true]);
    const system = decodeErrorDocument(doc("SystemError", SYSTEM, RECOVERABLE));
    expect([system?.retryable, system?.recoverable]).toEqual([true, true]);
  });

  it("a recoverability number from the future keeps the class default and says nothing", () => {
    const error = decodeErrorDocument(doc("ValueError", USER, 5));
    expect(error?.name).toBe("CustomError");
    expect(error?.retryable).toBe(false);
    expect(error?.recoverable).toBeUndefined();
    expect(decodeErrorDocument(doc("x", SYSTEM, 5))?.retryable).toBe(true);
  });

  it("keeps the document and the raw bytes in details", () => {
    const message = doc("KeyError", USER, NON_RECOVERABLE);
    const bytes = toBinary(ErrorDocumentSchema, message);
    const error = decodeErrorDocument(bytes);
    expect(error?.details.raw).toBe(bytes);
    expect(error?.details.errorDocument).toEqual(toJson(ErrorDocumentSchema, message));
  });

  it("a document without an error is no failure", () => {
    expect(decodeErrorDocument(create(ErrorDocumentSchema, {}))).toBe(undefined);
    expect(decodeErrorDocument(new Uint8Array())).toBe(undefined);
    expect(decodeErrorDocument("{}")).toBe(undefined);
  });

  it("gives MalformedPayload for JSON that is not an ErrorDocument", () => {
    const error = decodeErrorDocument('{"error": 5}');
    expect(error?.code).toBe("MalformedPayload");
    expect(error?.details.raw).toBe('{"error": 5}');
  });
});
