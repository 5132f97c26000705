/**
 * `core.ErrorDocument`, the `error.pb` a failing task writes under its output prefix,
 * becomes the class the Python SDK would raise for it.
 */

import type { JsonValue } from "@bufbuild/protobuf";
import { type AnyFlyteError, describingRemoteFailure } from "../errors/failure.js";
import {
  ContainerError_Kind,
  type ErrorDocument,
  ErrorDocumentSchema,
} from "../gen/flyteidl2/core/execution_pb.js";
import { jsonOf, malformedPayload, readPayload, why } from "./payload.js";
import { convertSdkError } from "./sdk-conversion.js";

/**
 * What the Python SDK's `load_error` and `convert_error_to_native` make of an error
 * document, with the ContainerError's `origin` as the kind:
 *
 * - `load_error` cleans the code before classifying, so the substring rules of
 *   {@link decodeExecutionError} test the user part only: `OOMKilled|ValueError` is a
 *   CustomError with code `ValueError`, as it is a RuntimeUserError in Python.
 * - kind NON_RECOVERABLE, which the SDK writes only for NonRecoverableError, gives a
 *   NonRecoverableError for a user origin, keeping the code the task chose; any other origin
 *   keeps its class. Either way `recoverable` is false and `retryable` false.
 * - kind RECOVERABLE, which the SDK writes for every other exception, sets `recoverable:
 *   true` and leaves `retryable` at the class default: the task's retry budget applies,
 *   which says nothing about the same request succeeding later.
 * - a kind number this schema does not know leaves `recoverable` undefined.
 *
 * `details` holds `errorDocument` (its proto3 JSON) and, for input that was not a message,
 * `raw`. Returns `undefined` for a document without an error, the only "no failure" case;
 * input that does not parse gives RuntimeUnknownError code `MalformedPayload`. Never
 * throws.
 */
export function decodeErrorDocument(
  input: ErrorDocument | Uint8Array | string | JsonValue,
): AnyFlyteError | undefined {
  return describingRemoteFailure(() => decodeInput(input));
}

function decodeInput(
  input: ErrorDocument | Uint8Array | string | JsonValue,
): AnyFlyteError | undefined {
  const read = readPayload(ErrorDocumentSchema, input);
  if (!read.ok) return malformedPayload(ErrorDocumentSchema, input, read);
  try {
    const error = read.message.error;
    if (error === undefined) return undefined;
    return convertSdkError({
      code: error.code,
      message: error.message,
      kind: error.origin,
      classifyUserPart: true,
      ...recoverability(error.kind),
      details: {
        errorDocument: jsonOf(ErrorDocumentSchema, read.message),
        ...(read.format === "message" ? {} : { raw: input }),
      },
    });
  } catch (e) {
    return malformedPayload(ErrorDocumentSchema, input, { format: read.format, reason: why(e) });
  }
}

/** A recoverability this schema does not know takes no stance. */
function recoverability(kind: ContainerError_Kind): { recoverable?: boolean | undefined } {
  if (kind === ContainerError_Kind.RECOVERABLE) return { recoverable: true };
  if (kind === ContainerError_Kind.NON_RECOVERABLE) return { recoverable: false };
  return {};
}
