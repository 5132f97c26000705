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

const { UNKNOWN, USER, SYSTEM } = ExecutionError_ErrorKind;

interface Row {
  code: string;
  kind: number;
  name: string;
  /** The stored code: the part after the first bar, or the class default when empty. */
  storedCode: string;
  errorKind: "user" | "system" | "unknown";
}

/** Every branch of the SDK's conversion, in its order, and the bar split. */
const rows: Row[] = [
  {
    code: "Whatever",
    kind: UNKNOWN,
    name: "RuntimeUnknownError",
    storedCode: "Whatever",
    errorKind: "unknown",
  },
  {
    code: "OOMKilled",
    kind: UNKNOWN,
    name: "RuntimeUnknownError",
    storedCode: "OOMKilled",
    errorKind: "unknown",
  },
  {
    code: "ValueError",
    kind: 7,
    name: "RuntimeUnknownError",
    storedCode: "ValueError",
    errorKind: "unknown",
  },
  {
    code: "OOMKilled",
    kind: SYSTEM,
    name: "RuntimeSystemError",
    storedCode: "OOMKilled",
    errorKind: "system",
  },
  {
    code: "ValueError",
    kind: SYSTEM,
    name: "RuntimeSystemError",
    storedCode: "ValueError",
    errorKind: "system",
  },
  // USER, rule 1: OOM in any case.
  { code: "OOMKilled", kind: USER, name: "OOMError", storedCode: "OOMKilled", errorKind: "user" },
  { code: "oom", kind: USER, name: "OOMError", storedCode: "oom", errorKind: "user" },
  {
    code: "ContainerOomed",
    kind: USER,
    name: "OOMError",
    storedCode: "ContainerOomed",
    errorKind: "user",
  },
  {
    code: "OOMInterrupted",
    kind: USER,
    name: "OOMError",
    storedCode: "OOMInterrupted",
    errorKind: "user",
  },
  {
    code: "Interrupted|OOMKilled",
    kind: USER,
    name: "OOMError",
    storedCode: "OOMKilled",
    errorKind: "user",
  },
  // The rules read the raw code, server part included.
  {
    code: "OOMKilled|ValueError",
    kind: USER,
    name: "OOMError",
    storedCode: "ValueError",
    errorKind: "user",
  },
  // Rule 2.
  {
    code: "Interrupted",
    kind: USER,
    name: "TaskInterruptedError",
    storedCode: "Interrupted",
    errorKind: "user",
  },
  {
    code: "Interrupted|PrimaryContainerNotFound",
    kind: USER,
    name: "TaskInterruptedError",
    storedCode: "PrimaryContainerNotFound",
    errorKind: "user",
  },
  {
    code: "interrupted",
    kind: USER,
    name: "RuntimeUserError",
    storedCode: "interrupted",
    errorKind: "user",
  },
  // Rule 3.
  {
    code: "PrimaryContainerNotFound",
    kind: USER,
    name: "PrimaryContainerNotFoundError",
    storedCode: "PrimaryContainerNotFound",
    errorKind: "user",
  },
  {
    code: "PrimaryContainerNotFound|RetriesExhausted",
    kind: USER,
    name: "PrimaryContainerNotFoundError",
    storedCode: "RetriesExhausted",
    errorKind: "user",
  },
  // Rule 4.
  {
    code: "RetriesExhausted",
    kind: USER,
    name: "RetriesExhaustedError",
    storedCode: "RetriesExhausted",
    errorKind: "user",
  },
  {
    code: "RetriesExhausted|Unknown",
    kind: USER,
    name: "RetriesExhaustedError",
    storedCode: "Unknown",
    errorKind: "user",
  },
  // Rule 5.
  {
    code: "Unknown",
    kind: USER,
    name: "RuntimeUnknownError",
    storedCode: "Unknown",
    errorKind: "unknown",
  },
  {
    code: "UnknownError|InvalidImageName",
    kind: USER,
    name: "RuntimeUnknownError",
    storedCode: "InvalidImageName",
    errorKind: "unknown",
  },
  // Rule 6.
  {
    code: "InvalidImageName",
    kind: USER,
    name: "InvalidImageNameError",
    storedCode: "InvalidImageName",
    errorKind: "user",
  },
  {
    code: "InvalidImageName|ImagePullBackOff",
    kind: USER,
    name: "InvalidImageNameError",
    storedCode: "ImagePullBackOff",
    errorKind: "user",
  },
  // Rule 7.
  {
    code: "ImagePullBackOff",
    kind: USER,
    name: "ImagePullBackOffError",
    storedCode: "ImagePullBackOff",
    errorKind: "user",
  },
  // Rule 8, and the CustomError addition for exception class names.
  {
    code: "UserError",
    kind: USER,
    name: "RuntimeUserError",
    storedCode: "UserError",
    errorKind: "user",
  },
  { code: "oops", kind: USER, name: "RuntimeUserError", storedCode: "oops", errorKind: "user" },
  {
    code: "USER:NotAClass",
    kind: USER,
    name: "RuntimeUserError",
    storedCode: "USER:NotAClass",
    errorKind: "user",
  },
  {
    code: "MaxRetriesExceeded",
    kind: USER,
    name: "RuntimeUserError",
    storedCode: "MaxRetriesExceeded",
    errorKind: "user",
  },
  {
    code: "DataValidationError",
    kind: USER,
    name: "RuntimeUserError",
    storedCode: "DataValidationError",
    errorKind: "user",
  },
  {
    code: "ValueError",
    kind: USER,
    name: "CustomError",
    storedCode: "ValueError",
    errorKind: "user",
  },
  { code: "KeyError", kind: USER, name: "CustomError", storedCode: "KeyError", errorKind: "user" },
  {
    code: "RuntimeError",
    kind: USER,
    name: "CustomError",
    storedCode: "RuntimeError",
    errorKind: "user",
  },
  {
    code: "my.module.CustomExc",
    kind: USER,
    name: "CustomError",
    storedCode: "my.module.CustomExc",
    errorKind: "user",
  },
  {
    code: "Error|ZeroDivisionError",
    kind: USER,
    name: "CustomError",
    storedCode: "ZeroDivisionError",
    errorKind: "user",
  },
  { code: "", kind: USER, name: "RuntimeUserError", storedCode: "UserError", errorKind: "user" },
];

describe("decodeExecutionError: the Python SDK's conversion", () => {
  for (const row of rows) {
    it(`${JSON.stringify(row.code)} with kind ${row.kind} gives ${row.name}`, () => {
      const error = decodeExecutionError(
        create(ExecutionErrorSchema, { code: row.code, kind: row.kind, message: "root cause" }),
      );
      expect(error.name).toBe(row.name);
      expect(error.code).toBe(row.storedCode);
      expect(error.kind).toBe(row.errorKind);
      expect(error.rawMessage).toBe("root cause");
    });
  }

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

  it("gives the class default message for an empty one", () => {
    const error = decodeExecutionError({ kind: "SYSTEM" });
    expect(error.name).toBe("RuntimeSystemError");
    expect(error.code).toBe("SystemError");
    expect(error.rawMessage).toBe("The task failed because of a platform error.");
  });
});

describe("decodeErrorDocument", () => {
  const doc = (code: string, origin: number, kind: number) =>
    create(ErrorDocumentSchema, { error: { code, message: "from error.pb", origin, kind } });
  const { NON_RECOVERABLE, RECOVERABLE } = ContainerError_Kind;

  it("uses the origin as the kind, with the same rules", () => {
    for (const row of rows) {
      const error = decodeErrorDocument(doc(row.code, row.kind, RECOVERABLE));
      expect(error?.name).toBe(row.name);
      expect(error?.code).toBe(row.storedCode);
    }
  });

  it("NON_RECOVERABLE turns the generic user error into NonRecoverableError", () => {
    const error = decodeErrorDocument(doc("USER:Broken", USER, NON_RECOVERABLE));
    expect(error?.name).toBe("NonRecoverableError");
    expect(error?.code).toBe("USER:Broken");
    expect(error?.retryable).toBe(false);
  });

  it("NON_RECOVERABLE keeps a more specific class, not retryable", () => {
    for (const [code, origin, name] of [
      ["ValueError", USER, "CustomError"],
      ["Interrupted", USER, "TaskInterruptedError"],
      ["SystemError", SYSTEM, "RuntimeSystemError"],
    ] as const) {
      const error = decodeErrorDocument(doc(code, origin, NON_RECOVERABLE));
      expect(error?.name).toBe(name);
      expect(error?.retryable).toBe(false);
    }
  });

  it("RECOVERABLE makes the error retryable", () => {
    const error = decodeErrorDocument(doc("ValueError", USER, RECOVERABLE));
    expect(error?.name).toBe("CustomError");
    expect(error?.retryable).toBe(true);
  });

  it("a recoverability number from the future keeps the class default", () => {
    const error = decodeErrorDocument(doc("ValueError", USER, 5));
    expect(error?.name).toBe("CustomError");
    expect(error?.retryable).toBe(false);
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
