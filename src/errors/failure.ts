/**
 * The whole failure hierarchy of flyte-remote, in reading order.
 *
 * Each family lives in a file of its own, read top to bottom: the base, then Python's
 * BaseRuntimeError and its three families, then the failures of a task, the errors the SDK
 * raises about a task's code, deploying, remote tasks, conditions, aborts, slowing down,
 * talking to the server, and last the union of them all with the ways into it. Every class
 * keeps the raw payload it was built from in `details`.
 */

export { type AbortedErrorOptions, ActionAbortedError, RunAbortedError } from "./abort-errors.js";
export {
  type AnyFlyteError,
  CustomError,
  type CustomErrorOptions,
  FlyteError,
  type FlyteErrorStatics,
  isFlyteError,
} from "./any-flyte-error.js";
export {
  ConditionAlreadyExistsError,
  ConditionFailedError,
  ConditionNotFoundError,
  ConditionTimedoutError,
} from "./condition-errors.js";
export {
  CodeBundleError,
  DeploymentError,
  ImageBuildError,
  InvalidPackageError,
  type InvalidPackageErrorOptions,
  ModuleLoadError,
} from "./deploy-errors.js";
export type { ErrorKind, FieldError, FlyteErrorDetails, FlyteErrorOptions } from "./fields.js";
export type { FlyteErrorName } from "./names.js";
export { captureStackAtThrow, describingRemoteFailure } from "./remote-stack.js";
export {
  ReferenceTaskError,
  RemoteTaskNotFoundError,
  RemoteTaskUsageError,
} from "./remote-task-errors.js";
export {
  ActionNotFoundError,
  AuthenticationError,
  LogsNotYetAvailableError,
  PermissionDeniedError,
  UnionRpcError,
  type UnionRpcErrorOptions,
} from "./rpc-errors.js";
export {
  BaseRuntimeError,
  InitializationError,
  RuntimeSystemError,
  RuntimeUnknownError,
  RuntimeUserError,
} from "./runtime-error.js";
export { ResourceExhaustedError, SlowDownError, type SlowDownErrorOptions } from "./slow-down.js";
export {
  InlineIOMaxBytesBreached,
  NonRecoverableError,
  NotInTaskContextError,
  OnlyAsyncIOSupportedError,
  ParameterMaterializationError,
  RestrictedTypeError,
  RuntimeDataValidationError,
  type RuntimeDataValidationErrorOptions,
  TraceDoesNotAllowNestedTasksError,
} from "./task-code-errors.js";
export {
  ImagePullBackOffError,
  InvalidImageNameError,
  OOMError,
  PrimaryContainerNotFoundError,
  RetriesExhaustedError,
  TaskInterruptedError,
  TaskTimeoutError,
} from "./task-failures.js";
