import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { RuntimeDataValidationError } from "../errors/failure.js";
import { type Literal, LiteralSchema } from "../gen/flyteidl2/core/literals_pb.js";
import { type Inputs, InputsSchema } from "../gen/flyteidl2/task/common_pb.js";

/**
 * A duration input. A plain number is an integer or a float, so a duration has to say
 * what it is.
 */
export interface DurationInput {
  readonly durationMs: number;
}

/** Forces a float literal for a whole number, which would otherwise be sent as an integer. */
export interface FloatInput {
  readonly float: number;
}

/** A value flyte-remote can send as a task input. */
export type InputValue =
  | number
  | bigint
  | string
  | boolean
  | Date
  | DurationInput
  | FloatInput
  | null
  | readonly InputValue[]
  | { readonly [key: string]: InputValue };

/** Marks a duration input, in milliseconds. */
export function duration(ms: number): DurationInput {
  return { durationMs: ms };
}

/** Marks a float input, so `float(1)` is sent as 1.0 and not as the integer 1. */
export function float(value: number): FloatInput {
  return { float: value };
}

/**
 * Converts plain JS values into Flyte literals. A value that has no literal form throws
 * RuntimeDataValidationError before any RPC is made, naming the variable.
 */
export function toInputs(values: Readonly<Record<string, InputValue>>, taskName = ""): Inputs {
  return create(InputsSchema, {
    literals: Object.entries(values).map(([name, value]) => ({
      name,
      value: toLiteral(value, name, taskName),
    })),
  });
}

function toLiteral(value: unknown, variable: string, taskName: string): Literal {
  const primitive = (p: Record<string, unknown>): Literal =>
    create(LiteralSchema, {
      value: {
        case: "scalar",
        value: { value: { case: "primitive", value: { value: p as never } } },
      },
    });
  const fail = (why: string): never => {
    throw new RuntimeDataValidationError({ var: variable, e: why, taskName });
  };
  switch (typeof value) {
    case "number":
      if (!Number.isFinite(value) && !Number.isNaN(value)) {
        return primitive({ case: "floatValue", value });
      }
      return Number.isInteger(value) && Number.isSafeInteger(value)
        ? primitive({ case: "integer", value: BigInt(value) })
        : primitive({ case: "floatValue", value });
    case "bigint":
      if (value > 0x7fff_ffff_ffff_ffffn || value < -0x8000_0000_0000_0000n) {
        return fail(`${value} does not fit a 64-bit integer`);
      }
      return primitive({ case: "integer", value });
    case "string":
      return primitive({ case: "stringValue", value });
    case "boolean":
      return primitive({ case: "boolean", value });
    case "object":
      break;
    default:
      return fail(`a ${typeof value} has no Flyte literal form`);
  }
  if (value === null) {
    return create(LiteralSchema, {
      value: { case: "scalar", value: { value: { case: "noneType", value: {} } } },
    });
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return fail("the Date is invalid");
    return primitive({ case: "datetime", value: timestampFromDate(value) });
  }
  if (Array.isArray(value)) {
    return create(LiteralSchema, {
      value: {
        case: "collection",
        value: { literals: value.map((v) => toLiteral(v, variable, taskName)) },
      },
    });
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record.durationMs === "number") {
    const ms = record.durationMs;
    if (!Number.isFinite(ms)) return fail("the duration is not finite");
    const seconds = Math.trunc(ms / 1000);
    return primitive({
      case: "duration",
      value: { seconds: BigInt(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) },
    });
  }
  if (keys.length === 1 && typeof record.float === "number") {
    return primitive({ case: "floatValue", value: record.float });
  }
  const proto = Object.getPrototypeOf(record);
  if (proto !== Object.prototype && proto !== null) {
    return fail(`a ${proto?.constructor?.name ?? "class instance"} has no Flyte literal form`);
  }
  const literals: Record<string, Literal> = {};
  for (const key of keys) literals[key] = toLiteral(record[key], `${variable}.${key}`, taskName);
  return create(LiteralSchema, { value: { case: "map", value: { literals } } });
}
