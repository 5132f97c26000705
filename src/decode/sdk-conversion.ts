/**
 * The Python SDK's conversion of an execution error into a `flyte.errors` class, rule for
 * rule, so that a TypeScript caller sees the class a Python caller would see for the same
 * payload (FLYTE-FACTS section 6).
 *
 * Two additions on top, both documented on the decoders: a user code that names an
 * exception class becomes a CustomError (that is what the task raised), and a
 * ContainerError's recoverability decides `retryable` and NonRecoverableError.
 */

import {
  type AnyFlyteError,
  CustomError,
  type FlyteError,
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
  RuntimeUserError,
  TaskInterruptedError,
} from "../errors/failure.js";
import { ExecutionError_ErrorKind } from "../gen/flyteidl2/core/execution_pb.js";
import { construct } from "./construct.js";

/** The fields the conversion reads, common to ExecutionError and ContainerError. */
export interface SdkErrorFacts {
  /** The raw code, possibly `"<server code>|<user code>"`. */
  readonly code: string;
  readonly message: string;
  /** ExecutionError.kind, or ContainerError.origin. */
  readonly kind: number;
  readonly worker?: string;
  /** ContainerError.kind; absent for an ExecutionError. */
  readonly recoverable?: boolean;
  readonly details: FlyteErrorDetails;
}

/**
 * Codes that the platform or the SDK itself writes. They look like identifiers but name
 * no exception the user raised, so they never become a CustomError.
 */
const PLATFORM_CODES: ReadonlySet<string> = new Set([
  "OOMKilled",
  "Interrupted",
  "PrimaryContainerNotFound",
  "RetriesExhausted",
  "MaxRetriesExceeded",
  "InvalidImageName",
  "ImagePullBackOff",
  "ErrImagePull",
  "ErrorFileNotFound",
  "ErrorFileBadFormat",
  "PodPendingTimeout",
  "ContainersNotReady",
  "ContainerCannotRun",
  "CreateContainerError",
  "CreateContainerConfigError",
  "BackOffLimitExceeded",
  "DeadlineExceeded",
  "Evicted",
  "Error",
  "Unknown",
  "UserError",
  "SystemError",
  "USER",
  "SYSTEM",
  "UNKNOWN",
  "CustomError",
  "NonRecoverableError",
  "NotInTaskContext",
  "InitializationError",
  "TaskTimeoutError",
  "DeploymentError",
  "ImageBuildError",
  "ModuleLoadError",
  "InlineIOMaxBytesBreached",
  "OnlyAsyncIOSupportedError",
  "ReferenceTaskError",
  "DataValidationError",
  "SlowDownError",
  "RunAbortedError",
  "ActionAbortedError",
  "LogsNotYetAvailable",
]);

/**
 * A dotted Python identifier whose last part is capitalised, as exception classes are:
 * `ValueError`, `my.module.CustomExc`; not `oops` or `interrupted`.
 */
const EXCEPTION_NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*\.)*[A-Z][A-Za-z0-9_]*$/;

/** Splits `"<server>|<user>"` at the first bar; the user part is the code that is kept. */
export function splitCode(code: string): { server?: string; user: string } {
  const bar = code.indexOf("|");
  if (bar === -1) return { user: code.trim() };
  return { server: code.slice(0, bar).trim(), user: code.slice(bar + 1).trim() };
}

/** True when a code names an exception class rather than a platform condition. */
export function namesExceptionClass(code: string): boolean {
  return code.length <= 256 && EXCEPTION_NAME.test(code) && !PLATFORM_CODES.has(code);
}

type Ctor = new (options: FlyteErrorOptions) => FlyteError;

/** Runs the conversion; see {@link decodeExecutionError} for the table. */
export function convertSdkError(facts: SdkErrorFacts): AnyFlyteError {
  const { server, user } = splitCode(facts.code);
  const ctor = pickClass(facts.code, user, facts.kind);
  const options: FlyteErrorOptions = {
    ...(user === "" ? {} : { code: user }),
    ...(facts.message === "" ? {} : { message: facts.message }),
    ...(facts.worker ? { worker: facts.worker } : {}),
    details: { ...facts.details, ...(server === undefined ? {} : { serverCode: server }) },
  };
  if (facts.recoverable === undefined) return construct(ctor, options);
  if (facts.recoverable) return construct(ctor, { ...options, retryable: true });
  // Non-recoverable: the generic user class becomes NonRecoverableError; a more specific
  // class keeps its identity and only loses retryability.
  if (ctor === RuntimeUserError) return construct(NonRecoverableError, options);
  return construct(ctor, { ...options, retryable: false });
}

function pickClass(rawCode: string, userCode: string, kind: number): Ctor {
  if (kind === ExecutionError_ErrorKind.SYSTEM) return RuntimeSystemError;
  if (kind !== ExecutionError_ErrorKind.USER) return RuntimeUnknownError;
  // The SDK tests the raw code, server part included, in this order.
  if (rawCode.toUpperCase().includes("OOM")) return OOMError;
  if (rawCode.includes("Interrupted")) return TaskInterruptedError;
  if (rawCode.includes("PrimaryContainerNotFound")) return PrimaryContainerNotFoundError;
  if (rawCode.includes("RetriesExhausted")) return RetriesExhaustedError;
  if (rawCode.includes("Unknown")) return RuntimeUnknownError;
  if (rawCode.includes("InvalidImageName")) return InvalidImageNameError;
  if (rawCode.includes("ImagePullBackOff")) return ImagePullBackOffError;
  if (namesExceptionClass(userCode)) return CustomError;
  return RuntimeUserError;
}
