/**
 * The name of every class, as literal types.
 *
 * `err.name` is a literal per class so that `switch (err.name)` narrows. A class whose
 * subclasses share its instance type (RuntimeUserError, SlowDownError, ...) has the union of
 * its own name and theirs, so a subclass can narrow the name it inherits. The unions live
 * here, apart from the classes, so the serialisers can name them without importing a class.
 */

/** UnionRpcError and the RPC failures that extend it. */
export type UnionRpcErrorName = "UnionRpcError" | "AuthenticationError" | "PermissionDeniedError";

/** RuntimeSystemError and its subclasses. */
export type RuntimeSystemErrorName = "RuntimeSystemError" | UnionRpcErrorName;

/** SlowDownError and ResourceExhaustedError, its RESOURCE_EXHAUSTED specialisation. */
export type SlowDownErrorName = "SlowDownError" | "ResourceExhaustedError";

/** RuntimeUserError and every class that extends it. */
export type RuntimeUserErrorName =
  | "RuntimeUserError"
  | "OOMError"
  | "TaskInterruptedError"
  | "PrimaryContainerNotFoundError"
  | "RetriesExhaustedError"
  | "InvalidImageNameError"
  | "ImagePullBackOffError"
  | "TaskTimeoutError"
  | "NotInTaskContextError"
  | "CustomError"
  | "NonRecoverableError"
  | "InlineIOMaxBytesBreached"
  | "OnlyAsyncIOSupportedError"
  | "RuntimeDataValidationError"
  | "ParameterMaterializationError"
  | "RestrictedTypeError"
  | "TraceDoesNotAllowNestedTasksError"
  | "DeploymentError"
  | "ImageBuildError"
  | "ModuleLoadError"
  | "CodeBundleError"
  | "InvalidPackageError"
  | "RemoteTaskNotFoundError"
  | "RemoteTaskUsageError"
  | "ReferenceTaskError"
  | "ConditionTimedoutError"
  | "ConditionAlreadyExistsError"
  | "ConditionFailedError"
  | "ConditionNotFoundError"
  | "RunAbortedError"
  | "ActionAbortedError"
  | SlowDownErrorName;

/** BaseRuntimeError and everything below it. */
export type BaseRuntimeErrorName =
  | "BaseRuntimeError"
  | RuntimeUserErrorName
  | RuntimeSystemErrorName
  | "RuntimeUnknownError"
  | "InitializationError"
  | "LogsNotYetAvailableError";

/** Every class name; the type of `FlyteError.name`. */
export type FlyteErrorName = BaseRuntimeErrorName | "ActionNotFoundError";
