/**
 * Turns whatever an error carries in `details` into plain JSON data.
 *
 * Details hold decoded protobuf messages (with `bigint` int64s and `Uint8Array` bytes), RPC
 * metadata, and sometimes things a user threw. Serialising must never throw and never leak a
 * secret, whatever it meets: cycles, hostile proxies, getters that throw, deep nesting. So
 * this walk reads defensively and writes only JSON values.
 */

import {
  type HeadersLike,
  isSecretName,
  REDACTED,
  redactHeaders,
  redactSecrets,
} from "./redact.js";

/** A JSON value: what `toJSON` writes and `JSON.parse` gives back. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { readonly [key: string]: JsonValue };

/**
 * How bytes are written: `{ "$bytes": "<base64>" }`. `FlyteError.fromJSON` turns the marker
 * back into a `Uint8Array`.
 */
export interface JsonBytes {
  readonly $bytes: string;
}

/** Written in place of a value that is already being serialised further up. */
export const CIRCULAR = "[Circular]";
/** Written in place of a value that could not be read (a throwing getter or proxy). */
export const UNREADABLE = "[Unreadable]";
/** Written in place of a value nested deeper than {@link MAX_DEPTH}. */
export const TRUNCATED = "[Truncated]";
const MAX_DEPTH = 32;

/**
 * A JSON-safe, secret-free copy of `value`:
 *
 * - strings are scrubbed with `redactSecrets`; `bigint` becomes its decimal string; NaN and
 *   the infinities become `"NaN"`, `"Infinity"`, `"-Infinity"`; symbols become their
 *   description text; functions and `undefined` are dropped from objects and become `null`
 *   in arrays, as `JSON.stringify` does;
 * - `Uint8Array` and `ArrayBuffer` become `{ "$bytes": base64 }`, other typed arrays plain
 *   arrays, `Date` its ISO string, `Map` an array of `[key, value]` pairs, `Set` an array,
 *   fetch `Headers` a redacted record, an `Error` `{ name, message }`;
 * - protobuf-es messages, being plain objects, keep their fields and `$typeName`;
 * - a property whose name looks secret (see `isSecretName`) has its value replaced by
 *   `"[REDACTED]"` unless it is an object, which is walked instead;
 * - cycles become `"[Circular]"`, unreadable values `"[Unreadable]"`, and anything deeper
 *   than 32 levels `"[Truncated]"`.
 *
 * Never throws.
 */
export function toJsonSafe(value: unknown): JsonValue {
  return walk(value, new Set(), 0) ?? null;
}

function walk(value: unknown, ancestors: Set<object>, depth: number): JsonValue | undefined {
  switch (typeof value) {
    case "string":
      return redactSecrets(value);
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      return value;
    case "bigint":
      return value.toString();
    case "symbol":
      return value.toString();
    case "undefined":
    case "function":
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) return CIRCULAR;
  if (depth >= MAX_DEPTH) return TRUNCATED;
  ancestors.add(object);
  try {
    return walkObject(object, ancestors, depth + 1);
  } catch {
    return UNREADABLE;
  } finally {
    ancestors.delete(object);
  }
}

function walkObject(object: object, ancestors: Set<object>, depth: number): JsonValue {
  const tag = Object.prototype.toString.call(object);
  if (tag === "[object Uint8Array]" || tag === "[object ArrayBuffer]") {
    return { $bytes: toBase64(new Uint8Array(object as ArrayBufferLike)) };
  }
  if (ArrayBuffer.isView(object)) {
    const items = Array.from(object as unknown as ArrayLike<unknown>);
    return items.map((item) => walk(item, ancestors, depth) ?? null);
  }
  if (Array.isArray(object)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < object.length; i++) out.push(read(object, i, ancestors, depth) ?? null);
    return out;
  }
  if (tag === "[object Date]") {
    const time = (object as Date).getTime();
    return Number.isNaN(time) ? "Invalid Date" : (object as Date).toISOString();
  }
  if (tag === "[object Map]") {
    return Array.from((object as Map<unknown, unknown>).entries(), ([k, v]) => [
      walk(k, ancestors, depth) ?? null,
      walk(v, ancestors, depth) ?? null,
    ]);
  }
  if (tag === "[object Set]") {
    return Array.from(object as Set<unknown>, (item) => walk(item, ancestors, depth) ?? null);
  }
  if (tag === "[object Headers]") {
    return redactHeaders(object as HeadersLike);
  }
  if (tag === "[object Error]" || object instanceof Error) {
    const error = object as Error;
    return { name: String(error.name), message: redactSecrets(String(error.message)) };
  }
  if (tag === "[object RegExp]") return String(object);
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(object)) {
    const item = read(object, key, ancestors, depth);
    if (item === undefined) continue;
    const safe = isSecretName(key) && !isRecord(item) ? REDACTED : item;
    Object.defineProperty(out, key, {
      value: safe,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** An object whose own keys are themselves checked, so a secret-named one can be walked. */
function isRecord(item: JsonValue): boolean {
  return typeof item === "object" && item !== null && !Array.isArray(item) && !("$bytes" in item);
}

/** Reads one property; a throwing getter gives "[Unreadable]" instead of an exception. */
function read(
  object: object,
  key: string | number,
  ancestors: Set<object>,
  depth: number,
): JsonValue | undefined {
  let item: unknown;
  try {
    item = (object as Record<string | number, unknown>)[key];
  } catch {
    return UNREADABLE;
  }
  return walk(item, ancestors, depth);
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 with padding; hand-written because `Buffer` is not in browsers. */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[(n >> 18) & 63];
    out += ALPHABET[(n >> 12) & 63];
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : "=";
    out += i + 2 < bytes.length ? ALPHABET[n & 63] : "=";
  }
  return out;
}

/** Decodes {@link toBase64}; characters outside the alphabet are skipped. */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let at = 0;
  for (const char of clean) {
    buffer = (buffer << 6) | ALPHABET.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, at);
}

/**
 * Undoes what {@link toJsonSafe} can undo: `{ "$bytes": … }` markers become `Uint8Array`
 * again. Everything else is copied as it is. Never throws.
 */
export function reviveJsonSafe(value: unknown, depth = 0): unknown {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  try {
    if (Array.isArray(value)) return value.map((item) => reviveJsonSafe(item, depth + 1));
    const keys = Object.keys(value);
    const bytes = (value as { $bytes?: unknown | undefined }).$bytes;
    if (keys.length === 1 && typeof bytes === "string") return fromBase64(bytes);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      Object.defineProperty(out, key, {
        value: reviveJsonSafe((value as Record<string, unknown>)[key], depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  } catch {
    return UNREADABLE;
  }
}
