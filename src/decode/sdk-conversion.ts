/**
 * The Python SDK's conversion of an execution error into a `flyte.errors` class, rule for
 * rule (flyte-sdk `convert.py` `_clean_error_code` and `convert_error_to_native`, `io.py`
 * `load_error`), so that a TypeScript caller sees the class a Python caller would see for
 * the same payload.
 *
 * Where the SDK's answer is RuntimeUserError, a code that names an SDK class or the
 * exception the task raised gives that class instead (always a RuntimeUserError); and the
 * platform's recoverability verdict, which the SDK only acts on for traces, is honoured.
 * The README lists each divergence with its reason.
 */

import {
  type AnyFlyteError,
  CustomError,
  type FlyteErrorDetails,
  type FlyteErrorOptions,
  ImagePullBackOffError,
  InvalidImageNameError,
  NonRecoverableError,
  OOMError,
  PrimaryContainerNotFoundError,
  RetriesExhaustedError,
  RuntimeSystemError,
  RuntimeUnknownError,
  TaskInterruptedError,
} from "../errors/failure.js";
import { ExecutionError_ErrorKind } from "../gen/flyteidl2/core/execution_pb.js";
import { construct } from "./construct.js";
import { hintForCode } from "./failure-hints.js";
import { pythonStrip } from "./python-strip.js";
import { type Ctor, sdkOptions, userClassForCode } from "./sdk-codes.js";

/** The fields the conversion reads, common to ExecutionError and ContainerError. */
export interface SdkErrorFacts {
  /** The raw code, possibly `"<server code>|<user code>"`. */
  readonly code: string;
  readonly message: string;
  /** ExecutionError.kind, or ContainerError.origin. */
  readonly kind: number;
  readonly worker?: string | undefined;
  /**
   * Test the substring rules against the user part of the code only, as `load_error` does
   * for an error document, instead of the raw code, as `convert_error_to_native` does for an
   * ExecutionError.
   */
  readonly classifyUserPart?: boolean | undefined;
  /** The platform's recoverability verdict, when the payload carried one. */
  readonly recoverable?: boolean | undefined;
  readonly details: FlyteErrorDetails;
}

/**
 * Python's `_clean_error_code`: `"<server>|<user>"` splits at the first bar, and each part is
 * stripped of the characters Python's `str.strip()` removes. The user part is the code kept.
 */
export function cleanErrorCode(code: string): { user: string; server?: string | undefined } {
  const bar = code.indexOf("|");
  if (bar === -1) return { user: pythonStrip(code) };
  return { user: pythonStrip(code.slice(bar + 1)), server: pythonStrip(code.slice(0, bar)) };
}

/** Runs the conversion; see {@link decodeExecutionError} for the table. */
export function convertSdkError(facts: SdkErrorFacts): AnyFlyteError {
  const { server, user } = cleanErrorCode(facts.code);
  const known = isKnownKind(facts.kind);
  let ctor = pickClass(facts.classifyUserPart === true ? user : facts.code, user, facts.kind);
  // NON_RECOVERABLE is written only for NonRecoverableError, whatever its code.
  if (facts.recoverable === false && facts.kind === ExecutionError_ErrorKind.USER) {
    ctor = NonRecoverableError;
  }
  const hint = known
    ? ctor === CustomError
      ? `The task raised ${user}: read its message and the traceback in the task's logs, and fix the code or its inputs.`
      : hintForCode(user)
    : `The payload's kind ${facts.kind} is newer than this client: the code and the message are kept; a newer flyte-remote may classify it.`;
  const options: FlyteErrorOptions = {
    ...(user === "" ? {} : { code: user }),
    message: facts.message,
    ...(facts.worker ? { worker: facts.worker } : {}),
    ...(facts.recoverable === undefined ? {} : { recoverable: facts.recoverable }),
    // RECOVERABLE leaves the class's default: it means the retry budget applies, not that
    // the same request will succeed later. NON_RECOVERABLE rules retrying out.
    ...(facts.recoverable === false ? { retryable: false } : {}),
    ...(hint === undefined ? {} : { hint }),
    details: {
      ...facts.details,
      ...(server === undefined ? {} : { serverCode: server }),
      ...(known ? {} : { unknownKind: facts.kind }),
    },
  };
  return construct(ctor, sdkOptions(options));
}

function isKnownKind(kind: number): boolean {
  return (
    kind === ExecutionError_ErrorKind.UNKNOWN ||
    kind === ExecutionError_ErrorKind.USER ||
    kind === ExecutionError_ErrorKind.SYSTEM
  );
}

/**
 * `convert_error_to_native`'s match, in its order. A kind number it does not know makes the
 * SDK return nothing (its caller then raises RuntimeSystemError `UnableToConvertError`);
 * here it is a RuntimeUnknownError that keeps the code and the message.
 */
function pickClass(classifyCode: string, userCode: string, kind: number): Ctor {
  if (kind === ExecutionError_ErrorKind.SYSTEM) return RuntimeSystemError;
  if (kind !== ExecutionError_ErrorKind.USER) return RuntimeUnknownError;
  if (classifyCode.toUpperCase().includes("OOM")) return OOMError;
  if (classifyCode.includes("Interrupted")) return TaskInterruptedError;
  if (classifyCode.includes("PrimaryContainerNotFound")) return PrimaryContainerNotFoundError;
  if (classifyCode.includes("RetriesExhausted")) return RetriesExhaustedError;
  if (classifyCode.includes("Unknown")) return RuntimeUnknownError;
  if (classifyCode.includes("InvalidImageName")) return InvalidImageNameError;
  if (classifyCode.includes("ImagePullBackOff")) return ImagePullBackOffError;
  return userClassForCode(userCode);
}
