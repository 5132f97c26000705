/**
 * Turns a conversion failure into the Python SDK's RuntimeDataValidationError, naming the
 * variable and the task, and keeping the literal that did not convert.
 */

import { type JsonValue, toJson } from "@bufbuild/protobuf";
import { RuntimeDataValidationError } from "../errors/index.js";
import { type Literal, LiteralSchema } from "../gen/flyteidl2/core/literals_pb.js";
import { ConversionFailure } from "./conversion-failure.js";

/** Which way the value was going, for the error's details. */
export type Direction = "input" | "output";

/**
 * The typed error for variable `name`. The message is the SDK's
 * `In task <task> variable <var>, failed to serialize/deserialize because of <reason>`;
 * `details` has the direction, the path inside the value and, when there was one, the
 * literal in proto3 JSON (bytes as base64), so nothing the server sent is lost.
 */
export function validationError(
  name: string,
  failure: unknown,
  options: { taskName: string; direction: Direction; literal?: Literal | undefined },
): RuntimeDataValidationError {
  const reason =
    failure instanceof ConversionFailure
      ? failure.message
      : failure instanceof Error
        ? failure.message
        : String(failure);
  return new RuntimeDataValidationError({
    var: name,
    e: reason,
    taskName: options.taskName,
    ...(failure instanceof ConversionFailure ? {} : { cause: failure }),
    details: {
      direction: options.direction,
      ...(failure instanceof ConversionFailure && failure.path !== ""
        ? { path: failure.path }
        : {}),
      ...(options.literal === undefined ? {} : { literal: literalJson(options.literal) }),
    },
  });
}

function literalJson(literal: Literal): JsonValue {
  try {
    return toJson(LiteralSchema, literal);
  } catch {
    return null;
  }
}
