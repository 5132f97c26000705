/**
 * Every concrete class with the defaults the issue and the Python SDK prescribe, written out
 * by hand so the tests check the metadata instead of echoing it.
 */

import {
  ActionAbortedError,
  ActionNotFoundError,
  AuthenticationError,
  BaseRuntimeError,
  CodeBundleError,
  ConditionAlreadyExistsError,
  ConditionFailedError,
  ConditionNotFoundError,
  ConditionTimedoutError,
  CustomError,
  DeploymentError,
  type ErrorKind,
  type FlyteError,
  type FlyteErrorName,
  type FlyteErrorOptions,
  ImageBuildError,
  ImagePullBackOffError,
  InitializationError,
  InlineIOMaxBytesBreached,
  InvalidImageNameError,
  InvalidPackageError,
  LogsNotYetAvailableError,
  ModuleLoadError,
  NonRecoverableError,
  NotInTaskContextError,
  OnlyAsyncIOSupportedError,
  OOMError,
  ParameterMaterializationError,
  PermissionDeniedError,
  PrimaryContainerNotFoundError,
  ReferenceTaskError,
  RemoteTaskNotFoundError,
  RemoteTaskUsageError,
  ResourceExhaustedError,
  RestrictedTypeError,
  RetriesExhaustedError,
  RunAbortedError,
  RuntimeDataValidationError,
  RuntimeSystemError,
  RuntimeUnknownError,
  RuntimeUserError,
  SlowDownError,
  TaskInterruptedError,
  TaskTimeoutError,
  TraceDoesNotAllowNestedTasksError,
  UnionRpcError,
} from "../../../src/errors/index.js";

export interface ClassCase {
  readonly name: FlyteErrorName;
  readonly cls: abstract new (...args: never[]) => FlyteError;
  readonly base: string;
  readonly code: string;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  /** The problem-details status of a default instance. */
  readonly status: number;
  /** Builds an instance; `extra` is merged into the options. */
  readonly make: (extra?: FlyteErrorOptions) => FlyteError;
  /** Options only this class has, used by round-trip tests. */
  readonly own?: Record<string, unknown>;
}

function simple<C extends new (o?: FlyteErrorOptions) => FlyteError>(
  cls: C,
  base: string,
  code: string,
  kind: ErrorKind,
  retryable: boolean,
  status: number,
): ClassCase {
  return {
    name: cls.name as FlyteErrorName,
    cls,
    base,
    code,
    kind,
    retryable,
    status,
    make: (extra = {}) => new cls(extra),
  };
}

export const CASES: readonly ClassCase[] = [
  simple(BaseRuntimeError, "FlyteError", "RuntimeError", "unknown", false, 500),
  simple(RuntimeUserError, "BaseRuntimeError", "UserError", "user", false, 422),
  simple(RuntimeSystemError, "BaseRuntimeError", "SystemError", "system", true, 502),
  simple(RuntimeUnknownError, "BaseRuntimeError", "Unknown", "unknown", false, 500),
  simple(InitializationError, "BaseRuntimeError", "InitializationError", "user", false, 500),
  simple(OOMError, "RuntimeUserError", "OOMKilled", "user", false, 422),
  simple(TaskInterruptedError, "RuntimeUserError", "Interrupted", "user", true, 422),
  simple(
    PrimaryContainerNotFoundError,
    "RuntimeUserError",
    "PrimaryContainerNotFound",
    "user",
    false,
    422,
  ),
  simple(RetriesExhaustedError, "RuntimeUserError", "MaxRetriesExceeded", "user", false, 422),
  simple(InvalidImageNameError, "RuntimeUserError", "InvalidImageName", "user", false, 422),
  simple(ImagePullBackOffError, "RuntimeUserError", "ImagePullBackOff", "user", false, 422),
  simple(NotInTaskContextError, "RuntimeUserError", "NotInTaskContext", "user", false, 422),
  {
    ...simple(CustomError, "RuntimeUserError", "CustomError", "user", false, 422),
    make: (extra = {}) =>
      new CustomError({ errors: [new RangeError("first"), "second"], ...extra }),
  },
  simple(NonRecoverableError, "RuntimeUserError", "NonRecoverableError", "user", false, 422),
  simple(TaskTimeoutError, "RuntimeUserError", "TaskTimeoutError", "user", false, 504),
  simple(DeploymentError, "RuntimeUserError", "DeploymentError", "user", false, 422),
  simple(ImageBuildError, "RuntimeUserError", "ImageBuildError", "user", false, 422),
  simple(ModuleLoadError, "RuntimeUserError", "ModuleLoadError", "user", false, 422),
  simple(
    InlineIOMaxBytesBreached,
    "RuntimeUserError",
    "InlineIOMaxBytesBreached",
    "user",
    false,
    422,
  ),
  simple(
    OnlyAsyncIOSupportedError,
    "RuntimeUserError",
    "OnlyAsyncIOSupportedError",
    "user",
    false,
    422,
  ),
  simple(ReferenceTaskError, "RuntimeUserError", "ReferenceTaskUsageError", "user", false, 422),
  simple(
    RemoteTaskNotFoundError,
    "RuntimeUserError",
    "RemoteTaskNotFoundError",
    "user",
    false,
    404,
  ),
  simple(RemoteTaskUsageError, "RuntimeUserError", "RemoteTaskUsageError", "user", false, 422),
  simple(
    ParameterMaterializationError,
    "RuntimeUserError",
    "ParameterMaterializationError",
    "user",
    false,
    422,
  ),
  simple(RestrictedTypeError, "RuntimeUserError", "RestrictedTypeUsage", "user", false, 422),
  simple(CodeBundleError, "RuntimeUserError", "CodeBundleError", "user", false, 422),
  simple(
    TraceDoesNotAllowNestedTasksError,
    "RuntimeUserError",
    "TraceDoesNotAllowNestedTasksError",
    "user",
    false,
    422,
  ),
  {
    name: "InvalidPackageError",
    cls: InvalidPackageError,
    base: "RuntimeUserError",
    code: "InvalidPackageError",
    kind: "user",
    retryable: false,
    status: 422,
    make: (extra = {}) =>
      new InvalidPackageError({
        packageName: "libfoo",
        originalError: "E: no such package",
        ...extra,
      }),
    own: { packageName: "libfoo", originalError: "E: no such package" },
  },
  simple(ConditionTimedoutError, "RuntimeUserError", "ConditionTimedoutError", "user", false, 504),
  simple(
    ConditionAlreadyExistsError,
    "RuntimeUserError",
    "ConditionAlreadyExistsError",
    "user",
    false,
    409,
  ),
  simple(ConditionFailedError, "RuntimeUserError", "ConditionFailedError", "user", false, 422),
  simple(ConditionNotFoundError, "RuntimeUserError", "ConditionNotFoundError", "user", false, 404),
  {
    name: "RuntimeDataValidationError",
    cls: RuntimeDataValidationError,
    base: "RuntimeUserError",
    code: "DataValidationError",
    kind: "user",
    retryable: false,
    status: 422,
    make: (extra = {}) =>
      new RuntimeDataValidationError({ var: "o0", e: "bad int", taskName: "t1", ...extra }),
    own: { var: "o0", taskName: "t1" },
  },
  {
    ...simple(SlowDownError, "RuntimeUserError", "SlowDownError", "user", true, 429),
    make: (extra = {}) => new SlowDownError({ retryAfterMs: 2500, ...extra }),
    own: { retryAfterMs: 2500 },
  },
  {
    ...simple(ResourceExhaustedError, "SlowDownError", "RESOURCE_EXHAUSTED", "system", true, 429),
    make: (extra = {}) => new ResourceExhaustedError({ retryAfterMs: 4000, ...extra }),
    own: { retryAfterMs: 4000 },
  },
  {
    ...simple(RunAbortedError, "RuntimeUserError", "RunAbortedError", "user", false, 409),
    make: (extra = {}) =>
      new RunAbortedError({ reason: "stop", abortedBy: "ann@example.com", ...extra }),
    own: { reason: "stop", abortedBy: "ann@example.com" },
  },
  {
    ...simple(ActionAbortedError, "RuntimeUserError", "ActionAbortedError", "user", false, 409),
    make: (extra = {}) =>
      new ActionAbortedError({ reason: "parent failed", abortedBy: "app", ...extra }),
    own: { reason: "parent failed", abortedBy: "app" },
  },
  {
    // The default code is UNAVAILABLE, which the status rule maps to 503.
    ...simple(UnionRpcError, "RuntimeSystemError", "UNAVAILABLE", "system", true, 503),
    make: (extra = {}) =>
      new UnionRpcError({ rpcCode: 14, method: "WatchActionDetails", ...extra }),
    own: { rpcCode: 14, method: "WatchActionDetails" },
  },
  {
    ...simple(AuthenticationError, "UnionRpcError", "UNAUTHENTICATED", "user", false, 401),
    make: (extra = {}) => new AuthenticationError({ rpcCode: 16, method: "CreateRun", ...extra }),
    own: { rpcCode: 16, method: "CreateRun" },
  },
  {
    ...simple(PermissionDeniedError, "UnionRpcError", "PERMISSION_DENIED", "user", false, 403),
    make: (extra = {}) => new PermissionDeniedError({ rpcCode: 7, method: "AbortRun", ...extra }),
    own: { rpcCode: 7, method: "AbortRun" },
  },
  simple(LogsNotYetAvailableError, "BaseRuntimeError", "LogsNotYetAvailable", "system", true, 503),
  simple(ActionNotFoundError, "FlyteError", "NOT_FOUND", "user", false, 404),
];

/** Options that exercise every common field, for round trips. */
export function fullOptions(): FlyteErrorOptions {
  return {
    message: "task a0 of run r1 failed",
    worker: "pod-abc",
    attempts: 3,
    traceId: "trace-1",
    recoverable: false,
    fieldErrors: [{ field: "inputs.x", message: "must be positive" }],
    details: {
      bytes: new Uint8Array([0, 1, 2, 253, 254, 255]),
      int64: 9007199254740993n,
      nested: { list: [1, "two", null, true] },
    },
    cause: new TypeError("inner", { cause: new Error("root") }),
  };
}
