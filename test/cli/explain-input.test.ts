import { create, toBinary, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { detectPayload } from "../../src/cli/explain-input.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import {
  ContainerError_Kind,
  ErrorDocumentSchema,
  ExecutionError_ErrorKind,
  ExecutionErrorSchema,
} from "../../src/gen/flyteidl2/core/execution_pb.js";
import {
  ActionDetailsSchema,
  ErrorInfo_Kind,
} from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";

const utf8 = (text: string) => new TextEncoder().encode(text);

const details = create(ActionDetailsSchema, {
  id: { run: { org: "o", project: "p", domain: "d", name: "r1" }, name: "a0" },
  status: { phase: ActionPhase.FAILED, attempts: 3 },
  result: {
    case: "errorInfo",
    value: {
      message: "[primary] terminated with exit code (137). Reason [OOMKilled].",
      kind: ErrorInfo_Kind.USER,
    },
  },
});
const executionError = create(ExecutionErrorSchema, {
  code: "OOMKilled",
  message: "out of memory",
  kind: ExecutionError_ErrorKind.USER,
  worker: "pod-1",
});
const errorDocument = create(ErrorDocumentSchema, {
  error: {
    code: "ValueError",
    message: "bad row",
    kind: ContainerError_Kind.NON_RECOVERABLE,
    origin: ExecutionError_ErrorKind.USER,
  },
});

describe("detectPayload", () => {
  it("recognises each binary payload by the schema that parses it without unknown fields", () => {
    expect(detectPayload(toBinary(ActionDetailsSchema, details))).toMatchObject({
      kind: "actiondetails",
      encoding: "binary",
    });
    expect(detectPayload(toBinary(ExecutionErrorSchema, executionError))).toMatchObject({
      kind: "executionerror",
      encoding: "binary",
      message: { code: "OOMKilled", worker: "pod-1" },
    });
    expect(detectPayload(toBinary(ErrorDocumentSchema, errorDocument))).toMatchObject({
      kind: "errordocument",
      encoding: "binary",
      message: { error: { code: "ValueError" } },
    });
  });

  it("recognises each proto JSON payload, in either field spelling, and unwraps a response", () => {
    const json = (value: unknown) => utf8(JSON.stringify(value));
    expect(detectPayload(json(toJson(ActionDetailsSchema, details)))).toMatchObject({
      kind: "actiondetails",
      encoding: "json",
    });
    expect(detectPayload(json({ details: toJson(ActionDetailsSchema, details) }))).toMatchObject({
      kind: "actiondetails",
    });
    expect(detectPayload(json(toJson(ExecutionErrorSchema, executionError)))).toMatchObject({
      kind: "executionerror",
    });
    expect(detectPayload(json({ error_uri: "s3://x", code: "X" }))).toMatchObject({
      kind: "executionerror",
    });
    expect(detectPayload(json(toJson(ErrorDocumentSchema, errorDocument)))).toMatchObject({
      kind: "errordocument",
    });
    expect(detectPayload(json({ message: "boom", kind: "KIND_SYSTEM" }))).toMatchObject({
      kind: "errorinfo",
      message: { message: "boom", kind: ErrorInfo_Kind.SYSTEM },
    });
  });

  it("tolerates fields newer than the schema", () => {
    const newer = { ...(toJson(ExecutionErrorSchema, executionError) as object), addedLater: 1 };
    expect(detectPayload(utf8(JSON.stringify(newer)))).toMatchObject({ kind: "executionerror" });
  });

  it("takes other text as a plain message, trimmed, CRLF kept", () => {
    const text =
      "Pod failed. No message received from kubernetes.\r\n[primary] terminated with exit code (137). Reason [OOMKilled].\n";
    expect(detectPayload(utf8(text))).toEqual({
      kind: "message",
      encoding: "text",
      text: text.trim(),
    });
    expect(detectPayload(utf8("{not json"))).toMatchObject({ kind: "message" });
  });

  it("obeys --as, and says why the input does not fit it", () => {
    expect(detectPayload(utf8('{"code":"X"}'), "message")).toMatchObject({
      kind: "message",
      text: '{"code":"X"}',
    });
    expect(
      detectPayload(toBinary(ExecutionErrorSchema, executionError), "executionerror"),
    ).toMatchObject({ kind: "executionerror" });
    expect(detectPayload(utf8('{"code": 5}'), "errordocument")).toHaveProperty("error");
    expect(detectPayload(toBinary(ErrorDocumentSchema, errorDocument), "message")).toEqual({
      error: "--as message needs UTF-8 text, and the input is binary",
    });
  });

  it("refuses empty input, JSON that is no payload, and binary that is none", () => {
    expect(detectPayload(utf8("  \n"))).toEqual({ error: "the input is empty" });
    expect(detectPayload(utf8('{"colour":"red"}'))).toHaveProperty("error");
    expect(detectPayload(new Uint8Array([0xff, 0xff, 0xff, 0x01]))).toHaveProperty("error");
  });
});
