/**
 * Works out what a pasted or saved failure payload is, so `explain` can hand it to the
 * right decoder: ActionDetails (binary or proto JSON), an ExecutionError, an
 * ErrorDocument (`error.pb`), a bare ErrorInfo, or a plain failure message.
 *
 * @module
 */

import {
  type DescMessage,
  fromBinary,
  fromJson,
  type JsonObject,
  type JsonValue,
  type MessageShape,
} from "@bufbuild/protobuf";
import {
  type ErrorDocument,
  ErrorDocumentSchema,
  type ExecutionError,
  ExecutionErrorSchema,
} from "../gen/flyteidl2/core/execution_pb.js";
import {
  type ActionDetails,
  ActionDetailsSchema,
  type ErrorInfo,
  ErrorInfoSchema,
} from "../gen/flyteidl2/workflow/run_definition_pb.js";

/** The kinds `--as` accepts. */
export const payloadKinds = [
  "actiondetails",
  "executionerror",
  "errordocument",
  "errorinfo",
  "message",
] as const;

/** One of {@link payloadKinds}. */
export type PayloadKind = (typeof payloadKinds)[number];

/** How the input was encoded. */
export type PayloadEncoding = "binary" | "json" | "text";

/** What the input turned out to be. */
export type DetectedPayload =
  | {
      readonly kind: "actiondetails";
      readonly encoding: PayloadEncoding;
      readonly message: ActionDetails;
    }
  | {
      readonly kind: "executionerror";
      readonly encoding: PayloadEncoding;
      readonly message: ExecutionError;
    }
  | {
      readonly kind: "errordocument";
      readonly encoding: PayloadEncoding;
      readonly message: ErrorDocument;
    }
  | { readonly kind: "errorinfo"; readonly encoding: PayloadEncoding; readonly message: ErrorInfo }
  | { readonly kind: "message"; readonly encoding: "text"; readonly text: string };

/** Why the input could not be read as asked. */
export interface DetectionFailure {
  readonly error: string;
}

type ProtoKind = Exclude<PayloadKind, "message">;

const schemas = {
  actiondetails: ActionDetailsSchema,
  executionerror: ExecutionErrorSchema,
  errordocument: ErrorDocumentSchema,
  errorinfo: ErrorInfoSchema,
} as const satisfies Record<ProtoKind, DescMessage>;

/** Readable names, for messages. */
export const payloadTitles: Readonly<Record<PayloadKind, string>> = {
  actiondetails: "ActionDetails",
  executionerror: "ExecutionError",
  errordocument: "ErrorDocument (error.pb)",
  errorinfo: "ErrorInfo",
  message: "a plain failure message",
};

/** Preference when several kinds fit equally well: the richest payload first. */
const order: readonly ProtoKind[] = [
  "actiondetails",
  "errordocument",
  "executionerror",
  "errorinfo",
];

function detected(kind: ProtoKind, encoding: PayloadEncoding, message: unknown): DetectedPayload {
  return { kind, encoding, message } as DetectedPayload;
}

/**
 * Valid UTF-8 without control characters other than tab and line breaks. Binary
 * protobuf almost never passes: tags and lengths below 0x20 are everywhere in it.
 */
export function asText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

/** Counts unknown fields anywhere in a parsed message: the sign of a wrong guess. */
function unknownFields(value: unknown, depth = 0): number {
  if (depth > 32 || typeof value !== "object" || value === null || value instanceof Uint8Array)
    return 0;
  let count = 0;
  const unknown = (value as { $unknown?: unknown[] | undefined }).$unknown;
  if (Array.isArray(unknown)) count += unknown.length;
  for (const child of Object.values(value)) count += unknownFields(child, depth + 1);
  return count;
}

function parseBinary(
  bytes: Uint8Array,
  forced: ProtoKind | undefined,
): DetectedPayload | DetectionFailure {
  if (forced !== undefined) {
    try {
      return detected(forced, "binary", fromBinary(schemas[forced], bytes));
    } catch (e) {
      return { error: `the input is not a binary ${payloadTitles[forced]}: ${reason(e)}` };
    }
  }
  let best: { kind: ProtoKind; message: unknown; unknown: number } | undefined;
  for (const kind of order) {
    let message: MessageShape<DescMessage>;
    try {
      message = fromBinary(schemas[kind] as DescMessage, bytes);
    } catch {
      continue;
    }
    const unknown = unknownFields(message);
    if (best === undefined || unknown < best.unknown) best = { kind, message, unknown };
  }
  if (best === undefined || best.unknown > 0) {
    return {
      error:
        "the input is binary but parses as none of ActionDetails, ExecutionError or ErrorDocument without unknown fields; force a kind with --as",
    };
  }
  return detected(best.kind, "binary", best.message);
}

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The keys of `json` that name a field of `schema`, in either spelling. */
function knownKeys(schema: DescMessage, json: JsonObject): number {
  const names = new Set(schema.fields.flatMap((f) => [f.name, f.jsonName]));
  return Object.keys(json).filter((k) => names.has(k)).length;
}

function parseJson(
  json: JsonValue,
  forced: ProtoKind | undefined,
): DetectedPayload | DetectionFailure {
  if (!isObject(json)) return { error: "the input is JSON but not an object" };
  // GetActionDetails and WatchActionDetails responses wrap the details; unwrap them.
  const keys = Object.keys(json);
  const body =
    keys.length === 1 && keys[0] === "details" && isObject(json.details ?? null)
      ? (json.details as JsonObject)
      : json;
  if (forced !== undefined) {
    const schema = schemas[forced] as DescMessage;
    if (knownKeys(schema, body) === 0) {
      return {
        error: `the input is JSON, but none of its keys is a field of ${payloadTitles[forced]}`,
      };
    }
    try {
      return detected(forced, "json", fromJson(schema, body, { ignoreUnknownFields: true }));
    } catch (e) {
      return { error: `the input is not a proto JSON ${payloadTitles[forced]}: ${reason(e)}` };
    }
  }
  // Strictly first: every key must be a field and every enum a known name. Only if no
  // kind fits strictly (a newer server's extra fields), the one that recognises most keys.
  for (const strict of [true, false]) {
    let best: { kind: ProtoKind; message: unknown; score: number } | undefined;
    for (const kind of order) {
      const schema = schemas[kind] as DescMessage;
      let message: unknown;
      try {
        message = fromJson(schema, body, { ignoreUnknownFields: !strict });
      } catch {
        continue;
      }
      const score = knownKeys(schema, body);
      if (score > 0 && (best === undefined || score > best.score)) best = { kind, message, score };
    }
    if (best !== undefined) return detected(best.kind, "json", best.message);
  }
  return {
    error:
      "the input is JSON but none of ActionDetails, ExecutionError, ErrorDocument or ErrorInfo; force a kind with --as",
  };
}

/**
 * Decides what `bytes` is. Text that is a JSON object is proto JSON; other text is a
 * plain failure message; anything else is binary protobuf, whose kind is the one that
 * parses with no unknown fields. `forced` (from `--as`) skips the guessing.
 */
export function detectPayload(
  bytes: Uint8Array,
  forced?: PayloadKind,
): DetectedPayload | DetectionFailure {
  const text = asText(bytes);
  if (forced === "message") {
    if (text === undefined)
      return { error: "--as message needs UTF-8 text, and the input is binary" };
    return { kind: "message", encoding: "text", text: text.trim() };
  }
  if (text === undefined) return parseBinary(bytes, forced);
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") return { error: "the input is empty" };
  if (trimmed.startsWith("{")) {
    let json: JsonValue;
    try {
      json = JSON.parse(trimmed) as JsonValue;
    } catch (e) {
      if (forced !== undefined) return { error: `the input is not valid JSON: ${reason(e)}` };
      return { kind: "message", encoding: "text", text: trimmed };
    }
    return parseJson(json, forced);
  }
  if (forced !== undefined) {
    // Text that is not JSON may still be binary that happens to be valid UTF-8.
    return parseBinary(bytes, forced);
  }
  return { kind: "message", encoding: "text", text: trimmed };
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
