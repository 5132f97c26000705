/**
 * The `google.rpc` details of an RPC error, decoded.
 *
 * A ConnectError holds its details as `{ type, value }` with the value still in binary;
 * `findDetails` silently skips what does not decode, which would lose evidence. Here every
 * detail is kept: decoded into proto3 JSON when its type is known and its bytes parse, else
 * as the raw bytes with the reason.
 */

import {
  create,
  type DescMessage,
  fromBinary,
  type JsonValue,
  type Message,
  toJson,
} from "@bufbuild/protobuf";
import { REDACTED } from "../errors/redact.js";
import {
  type BadRequest,
  BadRequestSchema,
  DebugInfoSchema,
  type ErrorInfo,
  ErrorInfoSchema,
  HelpSchema,
  type LocalizedMessage,
  LocalizedMessageSchema,
  PreconditionFailureSchema,
  QuotaFailureSchema,
  type RequestInfo,
  RequestInfoSchema,
  ResourceInfoSchema,
  type RetryInfo,
  RetryInfoSchema,
} from "../gen/google/rpc/error_details_pb.js";
import { isSensitiveHeader } from "./redact-metadata.js";
import { scrubSecrets } from "./scrub-secrets.js";

/** One detail as kept in `details.rpcDetails`. */
export interface RpcDetail {
  /** The fully qualified type name, for example `google.rpc.RetryInfo`. */
  readonly type: string;
  /** The proto3 JSON form, when the type is known and the bytes parse. */
  readonly value?: JsonValue | undefined;
  /** The bytes as received, when they could not be decoded. */
  readonly raw?: Uint8Array | undefined;
  /** Why the bytes were not decoded. */
  readonly error?: string | undefined;
}

/** The decoded details, in order, and the first typed message of each kind the decoder uses. */
export interface DecodedRpcDetails {
  readonly list: readonly RpcDetail[];
  /** The first of each known type, by its short name in camel case (`retryInfo`). */
  readonly byName: { readonly [shortName: string]: JsonValue };
  readonly errorInfo?: ErrorInfo | undefined;
  readonly retryInfo?: RetryInfo | undefined;
  readonly badRequest?: BadRequest | undefined;
  readonly localizedMessage?: LocalizedMessage | undefined;
  readonly requestInfo?: RequestInfo | undefined;
}

const KNOWN: ReadonlyMap<string, { schema: DescMessage; shortName: string }> = new Map(
  [
    [ErrorInfoSchema, "errorInfo"],
    [RetryInfoSchema, "retryInfo"],
    [DebugInfoSchema, "debugInfo"],
    [QuotaFailureSchema, "quotaFailure"],
    [PreconditionFailureSchema, "preconditionFailure"],
    [BadRequestSchema, "badRequest"],
    [RequestInfoSchema, "requestInfo"],
    [ResourceInfoSchema, "resourceInfo"],
    [HelpSchema, "help"],
    [LocalizedMessageSchema, "localizedMessage"],
  ].map(([schema, shortName]) => {
    const desc = schema as DescMessage;
    return [desc.typeName, { schema: desc, shortName: shortName as string }];
  }),
);

/**
 * Decodes every detail; never throws. Text inside details is scrubbed of `secrets` and
 * credential-looking values, and ErrorInfo metadata under sensitive keys is redacted.
 */
export function decodeRpcDetails(
  details: readonly unknown[],
  secrets: readonly string[] = [],
): DecodedRpcDetails {
  const list: RpcDetail[] = [];
  const byName: Record<string, JsonValue> = {};
  const typed = new Map<string, Message>();
  for (const item of details) {
    const decoded = decodeOne(item);
    if (decoded.message !== undefined && decoded.known !== undefined) {
      const json = safeJson(decoded.known.schema, decoded.message, secrets);
      list.push({ type: decoded.type, value: json });
      if (!(decoded.known.shortName in byName)) {
        byName[decoded.known.shortName] = json;
        typed.set(decoded.type, decoded.message);
      }
    } else {
      list.push({
        type: decoded.type,
        ...(decoded.raw === undefined ? {} : { raw: decoded.raw }),
        error: decoded.error ?? "unknown type",
      });
    }
  }
  const get = <T>(schema: DescMessage) => typed.get(schema.typeName) as T | undefined;
  return {
    list,
    byName,
    ...opt("errorInfo", get<ErrorInfo>(ErrorInfoSchema)),
    ...opt("retryInfo", get<RetryInfo>(RetryInfoSchema)),
    ...opt("badRequest", get<BadRequest>(BadRequestSchema)),
    ...opt("localizedMessage", get<LocalizedMessage>(LocalizedMessageSchema)),
    ...opt("requestInfo", get<RequestInfo>(RequestInfoSchema)),
  };
}

interface OneDetail {
  type: string;
  known?: { schema: DescMessage; shortName: string } | undefined;
  message?: Message | undefined;
  raw?: Uint8Array | undefined;
  error?: string | undefined;
}

/** An incoming `{ type, value: bytes }` or an outgoing `{ desc, value: init }` detail. */
function decodeOne(item: unknown): OneDetail {
  if (typeof item !== "object" || item === null) return { type: "", error: "not a detail" };
  const candidate = item as {
    type?: unknown | undefined;
    desc?: unknown | undefined;
    value?: unknown | undefined;
  };
  if (isDesc(candidate.desc)) {
    const type = candidate.desc.typeName;
    const known = KNOWN.get(type);
    try {
      const message = create(candidate.desc, candidate.value as never) as Message;
      return known === undefined ? { type, error: "unknown type" } : { type, known, message };
    } catch (e) {
      return { type, error: `could not build the detail: ${String(e)}` };
    }
  }
  if (typeof candidate.type !== "string" || !(candidate.value instanceof Uint8Array)) {
    return {
      type: typeof candidate.type === "string" ? candidate.type : "",
      error: "not a detail",
    };
  }
  // gRPC carries an Any type URL; Connect carries the bare name. Accept both.
  const type = candidate.type.slice(candidate.type.lastIndexOf("/") + 1);
  const raw = candidate.value;
  const known = KNOWN.get(type);
  if (known === undefined) return { type, raw, error: "unknown type" };
  try {
    return { type, known, message: fromBinary(known.schema, raw) as Message };
  } catch (e) {
    return {
      type,
      raw,
      error: `the bytes do not parse: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

function isDesc(value: unknown): value is DescMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown | undefined }).kind === "message" &&
    typeof (value as { typeName?: unknown | undefined }).typeName === "string"
  );
}

/** proto3 JSON, scrubbed; ErrorInfo metadata values under sensitive keys are replaced. */
function safeJson(schema: DescMessage, message: Message, secrets: readonly string[]): JsonValue {
  let json: JsonValue;
  try {
    json = toJson(schema, message);
  } catch (e) {
    return { error: `could not print the detail: ${e instanceof Error ? e.message : String(e)}` };
  }
  return scrubJson(json, secrets, false);
}

function scrubJson(
  value: JsonValue,
  secrets: readonly string[],
  sensitiveKeys: boolean,
): JsonValue {
  if (typeof value === "string") return scrubSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, secrets, false));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, JsonValue> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (sensitiveKeys && isSensitiveHeader(key)) {
      out[key] = REDACTED;
      continue;
    }
    // Map fields (ErrorInfo.metadata, quota dimensions) hold caller-chosen keys.
    out[key] = scrubJson(inner, secrets, key === "metadata" || key === "quotaDimensions");
  }
  return out;
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
