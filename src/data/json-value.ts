/**
 * Plain values as JSON, for a CLI's stdout or an HTTP response. `JSON.stringify` alone
 * throws on a bigint, writes bytes as an object of indices and NaN as null; this writes
 * each the way a reader can tell it apart, losing nothing.
 */

import type { JsonValue } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { isDataRef } from "./references.js";
import type { DataValue } from "./values.js";

/**
 * The JSON form of a value: a bigint as a decimal string, bytes as base64, a Date as its ISO
 * string, NaN and ±Infinity as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`, and a
 * reference as its fields (`kind`, `uri`, `format`…).
 */
export function dataValueToJson(value: DataValue): JsonValue {
  if (value === null) return null;
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "string":
    case "boolean":
      return value;
    default:
      break;
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return base64Encode(value);
  if (isDataRef(value)) return JSON.parse(JSON.stringify(value)) as JsonValue;
  if (Array.isArray(value)) return value.map((v: DataValue) => dataValueToJson(v));
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value as Record<string, DataValue>)) {
    Object.defineProperty(out, k, {
      value: dataValueToJson(v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
