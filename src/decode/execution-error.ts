/**
 * `core.ExecutionError`, as task events and internal services carry it, becomes the class
 * the Python SDK would raise for it.
 */

import type { JsonValue } from "@bufbuild/protobuf";
import { type AnyFlyteError, describingRemoteFailure } from "../errors/failure.js";
import {
  ContainerError_Kind,
  type ExecutionError,
  ExecutionErrorSchema,
} from "../gen/flyteidl2/core/execution_pb.js";
import { jsonOf, malformedPayload, readPayload, why } from "./payload.js";
import { convertSdkError } from "./sdk-conversion.js";

/**
 * The Python SDK's conversion (`convert_error_to_native`), rule for rule:
 *
 * - `code` is cleaned as `_clean_error_code` does: split at the first `|`, each part
 *   stripped of Python's whitespace; the user part is kept as `code`, the server part as
 *   `details.serverCode`. An empty code keeps the class default.
 * - kind UNKNOWN gives RuntimeUnknownError; SYSTEM gives RuntimeSystemError; a kind number
 *   this schema does not know gives RuntimeUnknownError too, keeping the code and the
 *   message, with `details.unknownKind` (the SDK raises RuntimeSystemError
 *   `UnableToConvertError` there).
 * - USER tests the raw code, server part included, in order: `OOM` (any case) OOMError;
 *   `Interrupted` TaskInterruptedError; `PrimaryContainerNotFound`
 *   PrimaryContainerNotFoundError; `RetriesExhausted` RetriesExhaustedError; `Unknown`
 *   RuntimeUnknownError; `InvalidImageName` InvalidImageNameError; `ImagePullBackOff`
 *   ImagePullBackOffError. So `OOMKilled|ValueError` is an OOMError with code `ValueError`.
 * - Where the SDK falls back to RuntimeUserError, a code that is an SDK class's fixed code
 *   (`DeploymentError`, `RestrictedTypeUsage`, ...) gives that class, and one that names an
 *   exception class (`ValueError`, `my.module.CustomExc`, `ÉchecError`; not a platform
 *   condition such as `Evicted`) gives a CustomError: that is what the task raised.
 * - `recoverability` RECOVERABLE sets `recoverable: true` and leaves `retryable` at the class
 *   default: it means the retry budget applies. Its zero value, NON_RECOVERABLE, is also what
 *   an unset field reads as, so it leaves `recoverable` undefined.
 *
 * `rawMessage` is the message as sent, empty when it was. `worker` comes from the error's
 * `worker`. `details` holds `executionError` (its proto3 JSON), `errorUri`, `timestamp`
 * (RFC 3339 text) and, for input that was not a message, `raw`. The hint follows the code.
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
      ...(error.recoverability === ContainerError_Kind.RECOVERABLE ? { recoverable: true } : {}),
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
