/**
 * `core.ErrorDocument`, the `error.pb` a failing task writes under its output prefix,
 * becomes the class the Python SDK would raise for it.
 */

import type { JsonValue } from "@bufbuild/protobuf";
import type { AnyFlyteError } from "../errors/failure.js";
import { describingRemoteFailure } from "../errors/failure.js";
import {
  ContainerError_Kind,
  type ErrorDocument,
  ErrorDocumentSchema,
} from "../gen/flyteidl2/core/execution_pb.js";
import { jsonOf, malformedPayload, readPayload, why } from "./payload.js";
import { convertSdkError } from "./sdk-conversion.js";

/**
 * The conversion of {@link decodeExecutionError}, with the ContainerError's `origin` in the
 * role of the kind, plus its recoverability:
 *
 * - kind NON_RECOVERABLE (the zero value) turns the generic RuntimeUserError into a
 *   NonRecoverableError; a more specific class (OOMError, CustomError, RuntimeSystemError,
 *   ...) keeps its identity with `retryable = false`.
 * - kind RECOVERABLE sets `retryable = true`: the task said another attempt may succeed.
 * - a kind number this schema does not know leaves the class default.
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
function recoverability(kind: ContainerError_Kind): { recoverable?: boolean } {
  if (kind === ContainerError_Kind.RECOVERABLE) return { recoverable: true };
  if (kind === ContainerError_Kind.NON_RECOVERABLE) return { recoverable: false };
  return {};
}
