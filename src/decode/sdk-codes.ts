/**
 * What a user-kind code names: a class of `flyte.errors`, a condition of the platform, or
 * the exception class a task raised.
 *
 * Where the Python SDK's conversion falls back to RuntimeUserError, flyte-remote looks at
 * the code once more, because the code says what the task raised: a task that raised an SDK
 * class wrote that class's fixed code, and any other exception was written as
 * `CustomError.from_exception`, whose code is the exception's class name. Every class given
 * here is a RuntimeUserError, so `instanceof RuntimeUserError` still answers as in Python.
 */

import {
  ActionAbortedError,
  CodeBundleError,
  ConditionAlreadyExistsError,
  ConditionFailedError,
  ConditionNotFoundError,
  ConditionTimedoutError,
  CustomError,
  DeploymentError,
  type FlyteError,
  type FlyteErrorOptions,
  ImageBuildError,
  InlineIOMaxBytesBreached,
  InvalidPackageError,
  ModuleLoadError,
  NonRecoverableError,
  NotInTaskContextError,
  OnlyAsyncIOSupportedError,
  ParameterMaterializationError,
  ReferenceTaskError,
  RemoteTaskNotFoundError,
  RemoteTaskUsageError,
  RestrictedTypeError,
  RunAbortedError,
  RuntimeDataValidationError,
  RuntimeUserError,
  SlowDownError,
  TaskTimeoutError,
  TraceDoesNotAllowNestedTasksError,
} from "../errors/failure.js";

/** A class the conversion may build; each accepts plain options (see {@link sdkOptions}). */
export type Ctor = new (options: FlyteErrorOptions) => FlyteError;

/**
 * The fixed codes that the SDK's RuntimeUserError subclasses write, and the class of each.
 * `BadContext` is the code the SDK raises NotInTaskContextError with; `RunAbortedError` and
 * `ReferenceTaskUsageError` are the codes of classes that older SDKs had.
 */
const SDK_USER_CODES: ReadonlyMap<string, Ctor> = new Map<string, Ctor>([
  ["TaskTimeoutError", TaskTimeoutError],
  ["ConditionTimedoutError", ConditionTimedoutError],
  ["ConditionAlreadyExistsError", ConditionAlreadyExistsError],
  ["ConditionFailedError", ConditionFailedError],
  ["ConditionNotFoundError", ConditionNotFoundError],
  ["RemoteTaskNotFoundError", RemoteTaskNotFoundError],
  ["RemoteTaskUsageError", RemoteTaskUsageError],
  ["ReferenceTaskUsageError", ReferenceTaskError],
  ["DataValidationError", RuntimeDataValidationError as unknown as Ctor],
  ["DeploymentError", DeploymentError],
  ["ImageBuildError", ImageBuildError],
  ["ModuleLoadError", ModuleLoadError],
  ["CodeBundleError", CodeBundleError],
  ["InvalidPackageError", InvalidPackageError as unknown as Ctor],
  ["InlineIOMaxBytesBreached", InlineIOMaxBytesBreached],
  ["OnlyAsyncIOSupportedError", OnlyAsyncIOSupportedError],
  ["ParameterMaterializationError", ParameterMaterializationError],
  ["RestrictedTypeUsage", RestrictedTypeError],
  ["TraceDoesNotAllowNestedTasksError", TraceDoesNotAllowNestedTasksError],
  ["NonRecoverableError", NonRecoverableError],
  ["ActionAbortedError", ActionAbortedError],
  ["RunAbortedError", RunAbortedError],
  ["SlowDownError", SlowDownError],
  ["BadContext", NotInTaskContextError],
  ["NotInTaskContext", NotInTaskContextError],
  ["RuntimeUserError", RuntimeUserError],
  ["CustomError", CustomError],
]);

/**
 * Codes that look like class names but are conditions: Kubernetes reasons, the codes of
 * flyteplugins and the executor, and the codes the SDK raises RuntimeUserError with. They
 * stay RuntimeUserError, as in Python.
 */
const CONDITION_CODES: ReadonlySet<string> = new Set([
  // Kubernetes container and pod reasons.
  "Error",
  "Completed",
  "ContainerCannotRun",
  "ContainersNotReady",
  "CreateContainerError",
  "CreateContainerConfigError",
  "ErrImagePull",
  "DeadlineExceeded",
  "Evicted",
  "Preempting",
  "Shutdown",
  "Terminated",
  "NodeShutdown",
  "NodeAffinity",
  "OutOfcpu",
  "OutOfmemory",
  "UnexpectedAdmissionError",
  "BackoffLimitExceeded",
  // flyteplugins and the executor.
  "PodPendingTimeout",
  "ErrorFileNotFound",
  "ErrorFileBadFormat",
  "MaxRetriesExceeded",
  "MaxSystemFailuresExceeded",
  "ResourceDeletedExternally",
  "UnexpectedObjectDeletion",
  "RuntimeFailure",
  "EntityTooLarge",
  "InvalidResource",
  "BadRequest",
  "BadTaskDefinition",
  "BadTaskSpecification",
  "MetadataTooLarge",
  "CorruptedPluginState",
  // The SDK's own codes for RuntimeUserError, and the families' default codes.
  "UserError",
  "SystemError",
  "BadConfig",
  "BadConfiguration",
  "MissingEnvironment",
  "InvalidArgumentError",
  "RunAlreadyExistsError",
  "SourceRunInputsUnavailableError",
  "SourceRunOutputsUnavailableError",
  "USER",
  "SYSTEM",
  "UNKNOWN",
]);

/**
 * A Python class name, dotted or not, Unicode letters included: each part a Python
 * identifier, the last one in CapWords (after any underscores, an uppercase or titlecase
 * letter, and a lowercase letter somewhere), or starting with a caseless letter as in `错误`.
 * `ValueError`, `my.module.CustomExc`, `_Private`, `ÉchecError` and `错误` qualify; `oops`,
 * `bad_input`, `Value Error` and the constant-like `INTERRUPTED` do not.
 */
const CLASS_NAME =
  /^(?:[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*\.)*_*(?:\p{Lo}|[\p{Lu}\p{Lt}][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*?\p{Ll})[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

/** The longest code read as a class name; Python's are far shorter. */
const MAX_CLASS_NAME = 256;

/** True when a code names the exception class a task raised, not a platform condition. */
export function namesExceptionClass(code: string): boolean {
  return (
    code.length <= MAX_CLASS_NAME &&
    !SDK_USER_CODES.has(code) &&
    !CONDITION_CODES.has(code) &&
    CLASS_NAME.test(code)
  );
}

/**
 * The class for a user-kind code that none of the SDK's substring rules matched: the SDK
 * class whose fixed code it is, a CustomError when it names an exception class, else
 * RuntimeUserError.
 */
export function userClassForCode(code: string): Ctor {
  return SDK_USER_CODES.get(code) ?? (namesExceptionClass(code) ? CustomError : RuntimeUserError);
}

/**
 * The options made whole for the classes with required fields: RuntimeDataValidationError's
 * `var` and `e`, InvalidPackageError's `packageName` and `originalError`, which a payload does
 * not carry. The message given, even empty, wins over what they would build.
 */
export function sdkOptions(options: FlyteErrorOptions): FlyteErrorOptions {
  const message = options.message ?? "";
  return {
    ...options,
    message,
    var: "",
    e: message,
    packageName: "",
    originalError: "",
  } as FlyteErrorOptions;
}
