/**
 * The plain JavaScript values a Flyte literal converts to and from.
 *
 * A JS number cannot say whether it is an integer or a float, and a plain object cannot say
 * whether it is a duration, so the two markers {@link duration} and {@link float} say it when
 * the task's interface is not known. With the interface, plain numbers are enough.
 */

import type { DataRef } from "./references.js";

/** A duration, in milliseconds (fractions for sub-millisecond precision). */
export interface DurationValue {
  readonly durationMs: number;
}

/** Forces a float literal for a whole number, which would otherwise be sent as an integer. */
export interface FloatValue {
  readonly float: number;
}

/**
 * A value flyte-remote converts to and from a Flyte literal.
 *
 * | Flyte | JavaScript |
 * | --- | --- |
 * | `int` | `number`, or `bigint` beyond ±2^53 |
 * | `float` | `number` (write a whole number as `float(2)` when the interface is unknown) |
 * | `str`, `bool` | `string`, `boolean` |
 * | `datetime` | `Date` (millisecond precision) |
 * | `timedelta` | `{ durationMs }`, see {@link duration} |
 * | `None` | `null` |
 * | `list[T]`, `dict[str, T]` | arrays, plain objects |
 * | dataclass, pydantic model, untyped `dict` (msgpack) | plain objects, arrays, `Uint8Array` for bytes |
 * | JSON (`google.protobuf.Struct`) | plain objects |
 * | enum | the member's name, a `string` |
 * | `File`, `Dir`, `DataFrame` | {@link FileRef}, {@link DirectoryRef}, {@link DatasetRef} |
 * | an offloaded literal | {@link OffloadedRef} |
 */
export type DataValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Date
  | Uint8Array
  | DurationValue
  | FloatValue
  | DataRef
  | readonly DataValue[]
  | { readonly [key: string]: DataValue };

/** A value that can be sent as a task input; the same as {@link DataValue}. */
export type InputValue = DataValue;

/** The earlier name of {@link DurationValue}. */
export type DurationInput = DurationValue;

/** The earlier name of {@link FloatValue}. */
export type FloatInput = FloatValue;

/** Named values: a task's inputs or outputs, by variable name (`o0`, `o1`… for outputs). */
export type NamedValues = Readonly<Record<string, DataValue>>;

/** Marks a duration input, in milliseconds. */
export function duration(ms: number): DurationValue {
  return { durationMs: ms };
}

/** Marks a float input, so `float(1)` is sent as 1.0 and not as the integer 1. */
export function float(value: number): FloatValue {
  return { float: value };
}

/** Whether a plain object is the {@link duration} marker: one key, `durationMs`, a number. */
export function isDurationValue(value: object): value is DurationValue {
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    keys[0] === "durationMs" &&
    typeof (value as { durationMs?: unknown | undefined }).durationMs === "number"
  );
}

/** Whether a plain object is the {@link float} marker: one key, `float`, a number. */
export function isFloatValue(value: object): value is FloatValue {
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    keys[0] === "float" &&
    typeof (value as { float?: unknown | undefined }).float === "number"
  );
}
