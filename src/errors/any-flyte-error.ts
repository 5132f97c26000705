/**
 * AnyFlyteError, the union of every concrete class, and the ways into it: `isFlyteError`
 * for a value that may already be one, `CustomError.fromException` for anything thrown, and
 * `FlyteError.fromJSON` for one that crossed a process boundary.
 *
 * This is the one module that knows every class. The base and the classes above it know
 * none below them, so nothing here is imported back; and `FlyteError.fromJSON` is attached
 * here, so any bundle that can call it holds the whole table it revives from.
 */

import { ActionAbortedError, RunAbortedError } from "./abort-errors.js";
import { brandClass, hasLineage } from "./brand.js";
import {
  ConditionAlreadyExistsError,
  ConditionFailedError,
  ConditionNotFoundError,
  ConditionTimedoutError,
} from "./condition-errors.js";
import {
  CodeBundleError,
  DeploymentError,
  ImageBuildError,
  InvalidPackageError,
  ModuleLoadError,
} from "./deploy-errors.js";
import type { FlyteErrorOptions } from "./fields.js";
import { FlyteError as FlyteErrorClass } from "./flyte-error.js";
import { type ErrorClasses, reviveError } from "./json.js";
import type { FlyteErrorName } from "./names.js";
import {
  ReferenceTaskError,
  RemoteTaskNotFoundError,
  RemoteTaskUsageError,
} from "./remote-task-errors.js";
import {
  ActionNotFoundError,
  AuthenticationError,
  LogsNotYetAvailableError,
  PermissionDeniedError,
  UnionRpcError,
} from "./rpc-errors.js";
import {
  BaseRuntimeError,
  InitializationError,
  RuntimeSystemError,
  RuntimeUnknownError,
  RuntimeUserError,
} from "./runtime-error.js";
import { ResourceExhaustedError, SlowDownError } from "./slow-down.js";
import { adoptFrames } from "./stack.js";
import {
  InlineIOMaxBytesBreached,
  NonRecoverableError,
  NotInTaskContextError,
  OnlyAsyncIOSupportedError,
  ParameterMaterializationError,
  RestrictedTypeError,
  RuntimeDataValidationError,
  TraceDoesNotAllowNestedTasksError,
} from "./task-code-errors.js";
import {
  ImagePullBackOffError,
  InvalidImageNameError,
  OOMError,
  PrimaryContainerNotFoundError,
  RetriesExhaustedError,
  TaskInterruptedError,
  TaskTimeoutError,
} from "./task-failures.js";
import { summarizeThrown } from "./thrown.js";

/** A class whose subclasses share its instance type, pinned to its own name. */
type Exactly<C, N extends FlyteErrorName> = C & { readonly name: N };

/**
 * Every concrete Flyte error. `switch (err.name)` narrows it to one class, and a `default`
 * branch that assigns `err` to `never` fails to compile when a case is missing.
 */
export type AnyFlyteError =
  | Exactly<BaseRuntimeError, "BaseRuntimeError">
  | Exactly<RuntimeUserError, "RuntimeUserError">
  | Exactly<RuntimeSystemError, "RuntimeSystemError">
  | RuntimeUnknownError
  | InitializationError
  | OOMError
  | TaskInterruptedError
  | PrimaryContainerNotFoundError
  | RetriesExhaustedError
  | InvalidImageNameError
  | ImagePullBackOffError
  | TaskTimeoutError
  | NotInTaskContextError
  | CustomError
  | NonRecoverableError
  | InlineIOMaxBytesBreached
  | OnlyAsyncIOSupportedError
  | RuntimeDataValidationError
  | ParameterMaterializationError
  | RestrictedTypeError
  | TraceDoesNotAllowNestedTasksError
  | DeploymentError
  | ImageBuildError
  | ModuleLoadError
  | CodeBundleError
  | InvalidPackageError
  | RemoteTaskNotFoundError
  | RemoteTaskUsageError
  | ReferenceTaskError
  | ConditionTimedoutError
  | ConditionAlreadyExistsError
  | ConditionFailedError
  | ConditionNotFoundError
  | RunAbortedError
  | ActionAbortedError
  | Exactly<SlowDownError, "SlowDownError">
  | ResourceExhaustedError
  | Exactly<UnionRpcError, "UnionRpcError">
  | AuthenticationError
  | PermissionDeniedError
  | LogsNotYetAvailableError
  | ActionNotFoundError;

/**
 * True for any error raised by flyte-remote, from this copy of the package or another,
 * in this realm or another. Look-alikes without the registered brand are rejected.
 */
export function isFlyteError(value: unknown): value is AnyFlyteError {
  // The lineage alone, not instanceof: a class prototype is in its own chain but is not an error.
  return hasLineage(value, "FlyteError");
}

/** Options of {@link CustomError}. */
export interface CustomErrorOptions extends FlyteErrorOptions {
  /** The errors of an AggregateError. */
  errors?: readonly unknown[] | undefined;
}

/**
 * Whatever the user's code raised (SDK 2.0.0b0). The code is the exception's class name (for
 * example `ValueError`); default code `CustomError`, kind `"user"`, not retryable. Build one
 * from any thrown value with {@link CustomError.fromException}.
 */
export class CustomError extends RuntimeUserError {
  declare readonly name: "CustomError";
  static {
    brandClass(this, "CustomError", {
      code: "CustomError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The task raised an error.",
      hint: "Read the message and the cause: this is the exception the code raised.",
    });
  }

  /** An AggregateError's errors, when built from one by {@link CustomError.fromException}. */
  readonly errors?: readonly unknown[] | undefined;

  constructor(options: CustomErrorOptions = {}) {
    super(options);
    if (options.errors !== undefined) this.errors = options.errors;
  }

  /**
   * Turns any thrown value into a typed error, as Python's `CustomError.from_exception`.
   * Never throws.
   *
   * - A Flyte error (from any copy or realm) is returned unchanged.
   * - An `Error`: the code is its class name (`constructor.name`, or its `name` when the
   *   constructor is plain `Error`), the message its message (empty stays empty, as
   *   `str(ValueError())` is in Python), the cause the error itself, and the stack its
   *   frames. An `AggregateError` keeps its errors in `errors`.
   * - Anything else (string, number, object, `null`, `undefined`, symbol, a circular or
   *   hostile object): code `NonErrorThrown`, a readable message, and the value as cause.
   */
  static fromException<E extends FlyteErrorClass>(e: E): E;
  static fromException(e: unknown): CustomError | AnyFlyteError;
  static fromException(e: unknown): CustomError | AnyFlyteError {
    if (isFlyteError(e)) return e;
    const thrown = summarizeThrown(e);
    const error = new CustomError({
      code: thrown.code,
      message: thrown.message,
      cause: e,
      ...(thrown.errors === undefined ? {} : { errors: thrown.errors }),
    });
    adoptFrames(error, thrown.frames);
    return error;
  }
}

/**
 * Every concrete class by name, for `FlyteError.fromJSON`. Typed by FlyteErrorName, so a
 * name added to the union without a class here fails to compile.
 */
const CLASSES: ErrorClasses = {
  BaseRuntimeError,
  RuntimeUserError,
  RuntimeSystemError,
  RuntimeUnknownError,
  InitializationError,
  OOMError,
  TaskInterruptedError,
  PrimaryContainerNotFoundError,
  RetriesExhaustedError,
  InvalidImageNameError,
  ImagePullBackOffError,
  TaskTimeoutError,
  NotInTaskContextError,
  CustomError,
  NonRecoverableError,
  InlineIOMaxBytesBreached,
  OnlyAsyncIOSupportedError,
  RuntimeDataValidationError,
  ParameterMaterializationError,
  RestrictedTypeError,
  TraceDoesNotAllowNestedTasksError,
  DeploymentError,
  ImageBuildError,
  ModuleLoadError,
  CodeBundleError,
  InvalidPackageError,
  RemoteTaskNotFoundError,
  RemoteTaskUsageError,
  ReferenceTaskError,
  ConditionTimedoutError,
  ConditionAlreadyExistsError,
  ConditionFailedError,
  ConditionNotFoundError,
  RunAbortedError,
  ActionAbortedError,
  SlowDownError,
  ResourceExhaustedError,
  UnionRpcError,
  AuthenticationError,
  PermissionDeniedError,
  LogsNotYetAvailableError,
  ActionNotFoundError,
};

/** The statics of FlyteError that need every class. */
export interface FlyteErrorStatics {
  /**
   * Revives the class named in `json` (from `toJSON`, possibly after `JSON.parse`,
   * `structuredClone` or `postMessage`) with its fields and causes. An unknown name gives a
   * RuntimeUnknownError that keeps the input in `details.json`. Never throws.
   */
  fromJSON(json: unknown): AnyFlyteError;
}

function fromJSON(json: unknown): AnyFlyteError {
  return reviveError<AnyFlyteError>(json, CLASSES);
}

/**
 * The abstract base of every error flyte-remote raises; see the class in `flyte-error.ts`.
 * Check for it with {@link isFlyteError} or `instanceof FlyteError`, and revive one with
 * `FlyteError.fromJSON`.
 */
export type FlyteError = FlyteErrorClass;
export const FlyteError: typeof FlyteErrorClass & FlyteErrorStatics = Object.defineProperty(
  FlyteErrorClass,
  "fromJSON",
  { value: fromJSON, writable: true, configurable: true, enumerable: false },
) as typeof FlyteErrorClass & FlyteErrorStatics;
