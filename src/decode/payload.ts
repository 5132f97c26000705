/**
 * Reads a payload that may come as a generated message, its binary encoding, or its
 * proto3 JSON form (an object or JSON text), and says precisely what failed when it does
 * not parse.
 *
 * Decoders never throw, so a payload that does not parse becomes a value here, which the
 * decoder turns into a RuntimeUnknownError with code `MalformedPayload` and the input kept.
 */

import {
  type DescMessage,
  fromBinary,
  fromJson,
  isMessage,
  type JsonValue,
  type MessageShape,
  toJson,
} from "@bufbuild/protobuf";
import { RuntimeUnknownError } from "../errors/failure.js";

/** Which of the accepted forms the input had. */
export type PayloadFormat = "message" | "binary" | "json-text" | "json";

/** A parsed payload, or the reason it did not parse. */
export type PayloadResult<Desc extends DescMessage> =
  | { readonly ok: true; readonly message: MessageShape<Desc>; readonly format: PayloadFormat }
  | { readonly ok: false; readonly format: PayloadFormat | "none"; readonly reason: string };

/** proto3 JSON reading: tolerate fields newer than our schema, as a newer server sends. */
const JSON_READ = { ignoreUnknownFields: true } as const;

/** Parses `input` as a message of `schema`; never throws. */
export function readPayload<Desc extends DescMessage>(
  schema: Desc,
  input: unknown,
): PayloadResult<Desc> {
  if (input === undefined) return { ok: false, format: "none", reason: "no payload was given" };
  if (input instanceof Uint8Array) {
    try {
      return { ok: true, message: fromBinary(schema, input), format: "binary" };
    } catch (e) {
      return {
        ok: false,
        format: "binary",
        reason: `the binary encoding does not parse: ${why(e)}`,
      };
    }
  }
  if (typeof input === "string") {
    let json: JsonValue;
    try {
      json = JSON.parse(input) as JsonValue;
    } catch (e) {
      return { ok: false, format: "json-text", reason: `the text is not JSON: ${why(e)}` };
    }
    return fromJsonValue(schema, json, "json-text");
  }
  if (typeof input === "object" && input !== null && "$typeName" in input) {
    if (isMessage(input, schema)) return { ok: true, message: input, format: "message" };
    const typeName = (input as { $typeName: unknown }).$typeName;
    return {
      ok: false,
      format: "message",
      reason: `expected a ${schema.typeName} message, got ${typeof typeName === "string" ? typeName : "another message"}`,
    };
  }
  return fromJsonValue(schema, input as JsonValue, "json");
}

function fromJsonValue<Desc extends DescMessage>(
  schema: Desc,
  json: JsonValue,
  format: "json-text" | "json",
): PayloadResult<Desc> {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, format, reason: "the JSON is not an object" };
  }
  try {
    return { ok: true, message: fromJson(schema, json, JSON_READ), format };
  } catch (e) {
    return { ok: false, format, reason: `the JSON is not a valid ${schema.typeName}: ${why(e)}` };
  }
}

/**
 * The proto3 JSON form of a message, for `details`: readable, and safe for
 * `JSON.stringify` (64-bit integers become strings, timestamps RFC 3339 text).
 * Revive it with `fromJson(schema, value)`.
 */
export function jsonOf<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
): JsonValue | undefined {
  try {
    return toJson(schema, message);
  } catch {
    return undefined;
  }
}

/**
 * The error for a payload that does not parse: code `MalformedPayload`, kind unknown, the
 * input kept as `details.raw`, and a message naming the type and what failed.
 */
export function malformedPayload(
  schema: DescMessage,
  input: unknown,
  failure: { readonly format: string; readonly reason: string },
): RuntimeUnknownError {
  return new RuntimeUnknownError({
    code: "MalformedPayload",
    message: `could not decode ${schema.typeName}: ${failure.reason}`,
    hint: `Pass a ${schema.typeName}: the message itself, its binary encoding, or its proto3 JSON; the input is kept in err.details.raw.`,
    details: { raw: input, format: failure.format, schema: schema.typeName },
  });
}

/** A short description of why something threw, for messages. */
export function why(e: unknown): string {
  if (e instanceof Error) return e.message;
  try {
    return String(e);
  } catch {
    return "an unprintable value was thrown";
  }
}
