/**
 * msgpack, as Flyte 2 uses it for dataclasses, pydantic models and untyped dicts: a
 * `Binary` literal tagged `"msgpack"`. Python's side is `msgpack` plus mashumaro, which
 * turns dates into ISO strings before packing, so the payload is plain maps, arrays,
 * strings, numbers, booleans, nil and bytes.
 */

import { Decoder, Encoder } from "@msgpack/msgpack";
import { ConversionFailure, describeValue, indexPath, keyPath } from "./conversion-failure.js";
import { isDataRef } from "./references.js";
import type { DataValue } from "./values.js";

/** The tag of msgpack `Binary` literals. */
export const MSGPACK_TAG = "msgpack";

// 64-bit integers come back as bigint, then as number when they fit; plain decoding
// would round integers past 2^53 silently.
const decoder = new Decoder({ useBigInt64: true });
const encoder = new Encoder({ useBigInt64: true, ignoreUndefined: false });

/** Decodes a msgpack payload into plain values. */
export function unpack(bytes: Uint8Array, path: string): DataValue {
  let raw: unknown;
  try {
    raw = decoder.decode(bytes);
  } catch (e) {
    throw new ConversionFailure(
      `the msgpack payload does not decode: ${e instanceof Error ? e.message : String(e)}`,
      path,
    );
  }
  return normalise(raw, path, 0);
}

function normalise(value: unknown, path: string, depth: number): DataValue {
  if (depth > 100) throw new ConversionFailure("the msgpack payload nests too deeply", path);
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "boolean":
    case "number":
    case "string":
      return value;
    case "bigint":
      return Number.isSafeInteger(Number(value)) ? Number(value) : value;
    default:
      break;
  }
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v, i) => normalise(v, indexPath(path, i), depth + 1));
  if (Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, normalise(v, keyPath(path, k), depth + 1)]),
    );
  }
  // ExtData: an extension type that Python's msgpack does not write for Flyte values.
  const type = (value as { type?: unknown | undefined }).type;
  throw new ConversionFailure(
    `msgpack extension type ${String(type)} has no JavaScript form`,
    path,
  );
}

/**
 * Encodes plain values as msgpack. A Date becomes its ISO 8601 string, as mashumaro writes
 * and reads datetimes. Throws ConversionFailure for what msgpack cannot hold.
 */
export function pack(value: unknown, path: string): Uint8Array {
  return encoder.encode(prepare(value, path, 0));
}

/** A copy ready for the encoder; rejects, with a path, what has no msgpack form. */
function prepare(value: unknown, path: string, depth: number): unknown {
  if (depth > 100) throw new ConversionFailure("the value nests too deeply", path);
  if (value === null) return null;
  switch (typeof value) {
    case "boolean":
    case "string":
    case "number":
      return value;
    case "bigint":
      if (value > 0xffff_ffff_ffff_ffffn || value < -0x8000_0000_0000_0000n) {
        throw new ConversionFailure(`${value} does not fit a 64-bit integer`, path);
      }
      return value;
    default:
      break;
  }
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ConversionFailure("the Date is invalid", path);
    return value.toISOString();
  }
  if (Array.isArray(value)) return value.map((v, i) => prepare(v, indexPath(path, i), depth + 1));
  if (typeof value === "object" && !isDataRef(value)) {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, prepare(v, keyPath(path, k), depth + 1)]),
      );
    }
  }
  throw new ConversionFailure(`${describeValue(value)} has no msgpack form`, path);
}
