/**
 * `core.ExecutionError`, as task events and internal services carry it, becomes the class
 * the Python SDK would raise for it.
 */

import type { JsonValue } from "@bufbuild/protobuf";
import type { AnyFlyteError } from "../errors/failure.js";
import { describingRemoteFailure } from "../errors/failure.js";
import { type ExecutionError, ExecutionErrorSchema } from "../gen/flyteidl2/core/execution_pb.js";
import { jsonOf, malformedPayload, readPayload, why } from "./payload.js";
import { convertSdkError } from "./sdk-conversion.js";

/**
 * The Python SDK's conversion, exactly:
 *
 * - `code` is split at the first `|`; the part after it (the user code) is kept as `code`,
 *   the part before it as `details.serverCode`. An empty code keeps the class default.
 * - kind UNKNOWN, or a kind number this schema does not know, gives RuntimeUnknownError;
 *   SYSTEM gives RuntimeSystemError.
 * - USER tests the raw code, in order: `OOM` (any case) OOMError; `Interrupted`
 *   TaskInterruptedError; `PrimaryContainerNotFound` PrimaryContainerNotFoundError;
 *   `RetriesExhausted` RetriesExhaustedError; `Unknown` RuntimeUnknownError;
 *   `InvalidImageName` InvalidImageNameError; `ImagePullBackOff` ImagePullBackOffError;
 *   else RuntimeUserError. So a code with both `OOM` and `Interrupted` is an OOMError.
 * - Where the SDK falls back to RuntimeUserError, a user code that names an exception
 *   class (`ValueError`, `my.module.CustomExc`; not a platform code such as `OOMKilled`)
 *   gives a CustomError with that code instead, because that is what the task raised.
 *
 * `worker` comes from the error's `worker`. `details` holds `executionError` (its proto3
 * JSON), `errorUri`, `timestamp` (RFC 3339 text) and, for input that was not a message,
 * `raw`. `recoverability` is kept in `executionError` only: its zero value is
 * NON_RECOVERABLE, so it cannot tell "not retryable" from "not set".
 *
 * Always returns an error, since an ExecutionError is a failure by definition; input that
 * does not parse gives RuntimeUnknownError code `MalformedPayload` with `details.raw`.
 * Never throws.
 */
export function decodeExecutionError(
  input: ExecutionError | Uint8Array | string | JsonValue,
): AnyFlyteError {
  return describingRemoteFailure(() => decodeInput(input));
}

function decodeInput(input: ExecutionError | Uint8Array | string | JsonValue): AnyFlyteError {
  const read = readPayload(ExecutionErrorSchema, input);
  if (!read.ok) return malformedPayload(ExecutionErrorSchema, input, read);
  try {
    const error = read.message;
    const json = jsonOf(ExecutionErrorSchema, error);
    const timestamp = isObject(json) ? json.timestamp : undefined;
    return convertSdkError({
      code: error.code,
      message: error.message,
      kind: error.kind,
      worker: error.worker,
      details: {
        executionError: json,
        errorUri: error.errorUri,
        ...(typeof timestamp === "string" ? { timestamp } : {}),
        ...(read.format === "message" ? {} : { raw: input }),
      },
    });
  } catch (e) {
    return malformedPayload(ExecutionErrorSchema, input, { format: read.format, reason: why(e) });
  }
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
