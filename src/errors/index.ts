/**
 * The error model of flyte-remote, usable on its own: `flyte-remote/errors` imports nothing
 * else from the package, so a browser bundle or a worker can catch, serialise and revive
 * Flyte errors without the client.
 */

export {
  type AbortedErrorOptions,
  ActionAbortedError,
  ActionNotFoundError,
  type AnyFlyteError,
  AuthenticationError,
  BaseRuntimeError,
  CodeBundleError,
  ConditionAlreadyExistsError,
  ConditionFailedError,
  ConditionNotFoundError,
  ConditionTimedoutError,
  CustomError,
  type CustomErrorOptions,
  DeploymentError,
  type ErrorKind,
  type FieldError,
  FlyteError,
  type FlyteErrorDetails,
  type FlyteErrorName,
  type FlyteErrorOptions,
  type FlyteErrorStatics,
  ImageBuildError,
  ImagePullBackOffError,
  InitializationError,
  InlineIOMaxBytesBreached,
  InvalidImageNameError,
  InvalidPackageError,
  type InvalidPackageErrorOptions,
  isFlyteError,
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
  type RuntimeDataValidationErrorOptions,
  RuntimeSystemError,
  RuntimeUnknownError,
  RuntimeUserError,
  SlowDownError,
  type SlowDownErrorOptions,
  TaskInterruptedError,
  TaskTimeoutError,
  TraceDoesNotAllowNestedTasksError,
  UnionRpcError,
  type UnionRpcErrorOptions,
} from "./failure.js";
export type {
  CauseJSON,
  FlyteErrorJSON,
  FlyteErrorJSONOptions,
  ForeignErrorJSON,
  ThrownValueJSON,
} from "./json.js";
export { type JsonBytes, type JsonObject, type JsonValue, toJsonSafe } from "./json-safe.js";
export { MAX_MESSAGE_LENGTH } from "./message-length.js";
export {
  DEFAULT_PROBLEM_TYPE_BASE,
  httpStatusOf,
  type ProblemDetails,
  type ProblemDetailsOptions,
} from "./problem-details.js";
export {
  type HeadersLike,
  isSecretName,
  REDACTED,
  redactHeaders,
  redactSecrets,
} from "./redact.js";
export {
  runInSystemScope,
  runInUserScope,
  systemEntryPoint,
  toSystemError,
  toUserError,
  userEntryPoint,
} from "./scope.js";
export { NON_ERROR_THROWN } from "./thrown.js";
