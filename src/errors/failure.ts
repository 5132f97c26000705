/**
 * The whole failure hierarchy of flyte-remote, readable top to bottom.
 *
 * It mirrors `flyte.errors` of the Python SDK so that `instanceof RuntimeUserError` means
 * what it means there, and adds what a TypeScript caller needs on top: a `name` literal per
 * class for `switch` narrowing, a `kind` that says whose fault it is, a `retryable` verdict,
 * a one-line `hint`, and `details` that keep the raw payload so nothing the server said is
 * lost. Serialisation (`toJSON`, `fromJSON`, problem details) lives in sibling files and is
 * reached through the methods declared here.
 *
 * This folder imports nothing from the rest of the package, so a browser or a worker can
 * use it alone.
 */

import { brandClass, brandRoot, type ClassMeta, hasBrand, hasLineage, META } from "./brand.js";
import { INSPECT, renderInspect, renderVerbose } from "./inspect.js";
import {
  type ErrorClasses,
  type FlyteErrorJSON,
  type FlyteErrorJSONOptions,
  reviveError,
  serialiseError,
} from "./json.js";
import {
  type ProblemDetails,
  type ProblemDetailsOptions,
  problemDetailsOf,
} from "./problem-details.js";
import { redactSecrets } from "./redact.js";
import { adoptFrames } from "./stack.js";
import { summarizeThrown } from "./thrown.js";

/** Whose fault a failure is. `"unknown"` when the payload did not say. */
export type ErrorKind = "user" | "system" | "unknown";

/** A request field that the server rejected, from `google.rpc.BadRequest`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * The raw evidence behind an error: the decoded proto message, RPC metadata with secrets
 * redacted, `google.rpc` details, or whatever else the decoder saw. Values are kept as they
 * came, so a caller can always get back to the payload.
 */
export type FlyteErrorDetails = { readonly [key: string]: unknown };

/** Options every Flyte error accepts; each class documents its defaults. */
export interface FlyteErrorOptions {
  /** The root-cause message, without the `Name [code] (kind):` prefix. */
  message?: string;
  /** Machine-readable code; defaults per class. */
  code?: string;
  /**
   * Overrides the kind of the class family when the payload states its own attribution,
   * for example a preempted task is a {@link TaskInterruptedError} with kind `"system"`.
   */
  kind?: ErrorKind;
  /** The pod, host or cluster that reported the failure. */
  worker?: string;
  /** How many attempts the action made. */
  attempts?: number;
  /** Overrides the class default when the payload says better. */
  retryable?: boolean;
  /** The error that caused this one; becomes the native `cause`. */
  cause?: unknown;
  details?: FlyteErrorDetails;
  fieldErrors?: readonly FieldError[];
  /** Trace or request id, when the server sent one. */
  traceId?: string;
  /** Overrides the class hint. */
  hint?: string;
}

/**
 * The abstract base of every error flyte-remote raises.
 *
 * Check for it with {@link isFlyteError} or `instanceof FlyteError`; both work across two
 * copies of the package and across `node:vm` realms, because they test a registered brand
 * instead of prototype identity.
 */
export abstract class FlyteError extends Error {
  /** The class name, as a literal type per class, so `switch (err.name)` narrows. */
  abstract override readonly name: FlyteErrorName;
  readonly kind: ErrorKind;
  readonly code: string;
  readonly worker?: string;
  readonly attempts?: number;
  /** Could the same request succeed later, unchanged? */
  readonly retryable: boolean;
  /** One short, actionable sentence about what to do. */
  readonly hint: string;
  readonly details: FlyteErrorDetails;
  readonly fieldErrors?: readonly FieldError[];
  readonly traceId?: string;
  /** The root-cause message without the `Name [code] (kind):` prefix. */
  readonly rawMessage: string;

  protected constructor(options: FlyteErrorOptions = {}) {
    const meta = (new.target as unknown as { [META]: ClassMeta })[META];
    const name = (new.target.prototype as Error).name;
    // Messages end up in logs and problem details; a token quoted by a server must not.
    const rawMessage = redactSecrets(options.message ?? meta.defaultMessage);
    const code = options.code ?? meta.code;
    const kind = options.kind ?? meta.kind;
    // The stack is captured once, below, where its first line can be the message itself;
    // Error's own capture would be thrown away, and capturing is most of what an error
    // costs to build.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(
        `${name} [${code}] (${kind}): ${rawMessage}`,
        options.cause === undefined ? undefined : { cause: options.cause },
      );
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.rawMessage = rawMessage;
    this.code = code;
    this.kind = kind;
    this.retryable = options.retryable ?? meta.retryable;
    this.hint = options.hint ?? meta.hint;
    this.details = options.details ?? {};
    if (options.worker !== undefined) this.worker = options.worker;
    if (options.attempts !== undefined) this.attempts = options.attempts;
    if (options.fieldErrors !== undefined) this.fieldErrors = options.fieldErrors;
    if (options.traceId !== undefined) this.traceId = options.traceId;
    if (remoteDepth > 0) {
      this.stack = this.message;
      awaitingStack.add(this);
    } else {
      defineStack(this, new.target);
    }
  }

  /**
   * The stable JSON form, documented on {@link FlyteErrorJSON}: fields, JSON-safe details,
   * the cause chain, no secrets, and no stack unless `{ stack: true }`. `JSON.stringify(err)`
   * calls it. Revive with {@link FlyteError.fromJSON}.
   */
  toJSON(options?: FlyteErrorJSONOptions): FlyteErrorJSON {
    // JSON.stringify passes the property key as the first argument; serialiseError ignores it.
    return serialiseError(this, options);
  }

  /**
   * Revives the class named in `json` (from {@link FlyteError.toJSON}, possibly after
   * `JSON.parse`, `structuredClone` or `postMessage`) with its fields and causes. An unknown
   * name gives a RuntimeUnknownError that keeps the input in `details.json`. Never throws.
   */
  static fromJSON(json: unknown): AnyFlyteError {
    return reviveError(json, CLASSES);
  }

  /**
   * An RFC 9457 problem details object: a `type` URI per class, `title`, `status` (see
   * `httpStatusOf`), `detail`, `instance`, plus `code`, `kind`, `worker`, `attempts`,
   * `retryable`, `hint`, `retryAfter` (seconds), `fieldErrors` and `traceId`.
   */
  toProblemDetails(options?: ProblemDetailsOptions): ProblemDetails {
    return problemDetailsOf(this, options);
  }

  /**
   * The message, the cause chain and the frames of the original throw. For a user error,
   * flyte-remote's own frames are trimmed so the user's code comes first.
   */
  get verboseMessage(): string {
    return renderVerbose(this);
  }

  /** The message alone: it already starts with the name, so `Name: ` is not repeated. */
  override toString(): string {
    return this.message;
  }

  /** What `console.log` and `util.inspect` show: essentials, cause chain, then frames. */
  [INSPECT](depth?: number): string {
    return renderInspect(this, depth);
  }

  /** Brand checks instead of prototype identity; see {@link isFlyteError}. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(this, value);
  }

  static {
    brandRoot(this, "FlyteError");
  }
}

// ---------------------------------------------------------------------------------------
// Python's BaseRuntimeError and its three families.
// ---------------------------------------------------------------------------------------

/**
 * Base class of all runtime errors, as in the Python SDK. Default code `RuntimeError`,
 * kind `"unknown"`, not retryable. Raised directly only when nothing more specific fits.
 */
export class BaseRuntimeError extends FlyteError {
  declare readonly name: BaseRuntimeErrorName;
  constructor(options: FlyteErrorOptions = {}) {
    super(options);
  }
  static {
    brandClass(this, "BaseRuntimeError", {
      code: "RuntimeError",
      kind: "unknown",
      retryable: false,
      status: 500,
      defaultMessage: "The task failed at runtime.",
      hint: "Inspect err.details and the run's logs for the underlying cause.",
    });
  }
}

/**
 * The user's code or configuration failed. Default code `UserError`, kind `"user"`, not
 * retryable: the same request would fail the same way.
 */
export class RuntimeUserError extends BaseRuntimeError {
  declare readonly name: RuntimeUserErrorName;
  static {
    brandClass(this, "RuntimeUserError", {
      code: "UserError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The task failed because of an error in user code.",
      hint: "Fix the error in the task code or its inputs, then launch a new run.",
    });
  }
}

/**
 * The platform failed. Default code `SystemError`, kind `"system"`, retryable: platform
 * faults are usually transient.
 */
export class RuntimeSystemError extends BaseRuntimeError {
  declare readonly name: RuntimeSystemErrorName;
  static {
    brandClass(this, "RuntimeSystemError", {
      code: "SystemError",
      kind: "system",
      retryable: true,
      status: 502,
      defaultMessage: "The task failed because of a platform error.",
      hint: "Retry the run; if it keeps failing, report it to your Flyte administrator with the run name.",
    });
  }
}

/**
 * The payload did not say whose fault the failure is, or could not be read. Default code
 * `Unknown`, kind `"unknown"`, not retryable.
 */
export class RuntimeUnknownError extends BaseRuntimeError {
  declare readonly name: "RuntimeUnknownError";
  static {
    brandClass(this, "RuntimeUnknownError", {
      code: "Unknown",
      kind: "unknown",
      retryable: false,
      status: 500,
      defaultMessage: "The task failed for an unknown reason.",
      hint: "Inspect err.details, which keeps the raw payload, and the run's logs.",
    });
  }
}

/**
 * The client was used before it was configured. Default code `InitializationError`, kind
 * `"user"`, not retryable. Extends BaseRuntimeError directly, as in Python.
 */
export class InitializationError extends BaseRuntimeError {
  declare readonly name: "InitializationError";
  static {
    brandClass(this, "InitializationError", {
      code: "InitializationError",
      kind: "user",
      retryable: false,
      status: 500,
      defaultMessage: "flyte-remote is not initialised.",
      hint: "Pass the missing option to createClient (for example endpoint) or set FLYTE_ENDPOINT.",
    });
  }
}

// ---------------------------------------------------------------------------------------
// User failures of a task, classified from the backend's evidence.
// ---------------------------------------------------------------------------------------

/** The task ran out of memory. Default code `OOMKilled`, kind `"user"`, not retryable. */
export class OOMError extends RuntimeUserError {
  declare readonly name: "OOMError";
  static {
    brandClass(this, "OOMError", {
      code: "OOMKilled",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The task ran out of memory.",
      hint: "Raise the task's memory request or lower its working set, then launch a new run.",
    });
  }
}

/**
 * The task was interrupted: SIGKILL, node shutdown or preemption. Default code
 * `Interrupted`, kind `"user"` as in Python (decoders set `"system"` when the backend says
 * so), retryable: the same task can succeed on another node.
 */
export class TaskInterruptedError extends RuntimeUserError {
  declare readonly name: "TaskInterruptedError";
  static {
    brandClass(this, "TaskInterruptedError", {
      code: "Interrupted",
      kind: "user",
      retryable: true,
      status: 422,
      defaultMessage: "The task was interrupted.",
      hint: "Retry the run; mark the task interruptible=false or add retries if preemption is frequent.",
    });
  }
}

/**
 * The pod had no container of the task's primary name. Default code
 * `PrimaryContainerNotFound`, kind `"user"`, not retryable.
 */
export class PrimaryContainerNotFoundError extends RuntimeUserError {
  declare readonly name: "PrimaryContainerNotFoundError";
  static {
    brandClass(this, "PrimaryContainerNotFoundError", {
      code: "PrimaryContainerNotFound",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The primary container was not found in the pod.",
      hint: "Make the pod template's primary container name match the task's primary_container_name.",
    });
  }
}

/**
 * Every attempt failed. Default code `MaxRetriesExceeded`, kind `"user"`, not retryable.
 * `attempts` says how many were made.
 */
export class RetriesExhaustedError extends RuntimeUserError {
  declare readonly name: "RetriesExhaustedError";
  static {
    brandClass(this, "RetriesExhaustedError", {
      code: "MaxRetriesExceeded",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The task failed after all its retries.",
      hint: "Read the last attempt's error in err.cause or the logs; fix it before raising retries.",
    });
  }
}

/** The image reference does not parse. Default code `InvalidImageName`, not retryable. */
export class InvalidImageNameError extends RuntimeUserError {
  declare readonly name: "InvalidImageNameError";
  static {
    brandClass(this, "InvalidImageNameError", {
      code: "InvalidImageName",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The container image name is invalid.",
      hint: "Fix the image reference (registry/name:tag, lowercase, no spaces) in the task environment.",
    });
  }
}

/**
 * The image could not be pulled within the grace period. Default code `ImagePullBackOff`,
 * kind `"user"`, not retryable; a registry rate limit is decoded as kind `"system"` and
 * retryable instead.
 */
export class ImagePullBackOffError extends RuntimeUserError {
  declare readonly name: "ImagePullBackOffError";
  static {
    brandClass(this, "ImagePullBackOffError", {
      code: "ImagePullBackOff",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The container image could not be pulled.",
      hint: "Check the image reference exists and that the cluster has credentials for its registry.",
    });
  }
}

/** Task context was used outside a task. Default code `NotInTaskContext`, not retryable. */
export class NotInTaskContextError extends RuntimeUserError {
  declare readonly name: "NotInTaskContextError";
  static {
    brandClass(this, "NotInTaskContextError", {
      code: "NotInTaskContext",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The task context was accessed outside of a task.",
      hint: "Only read the task context from code that runs inside a task.",
    });
  }
}

/**
 * Whatever the user's code raised. The code is the exception's class name (for example
 * `ValueError`); default code `CustomError`, kind `"user"`, not retryable. Build one from
 * any thrown value with {@link CustomError.fromException}.
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
  readonly errors?: readonly unknown[];

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
   *   constructor is plain `Error`), the message its message, the cause the error itself,
   *   and the stack its frames. An `AggregateError` keeps its errors in `errors`.
   * - Anything else (string, number, object, `null`, `undefined`, symbol, a circular or
   *   hostile object): code `NonErrorThrown`, a readable message, and the value as cause.
   */
  static fromException<E extends FlyteError>(e: E): E;
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

/** Options of {@link CustomError}. */
export interface CustomErrorOptions extends FlyteErrorOptions {
  /** The errors of an AggregateError. */
  errors?: readonly unknown[];
}

/**
 * A user error that retrying cannot fix; it maps to ContainerError NON_RECOVERABLE.
 * Default code `NonRecoverableError`, kind `"user"`, never retryable.
 */
export class NonRecoverableError extends RuntimeUserError {
  declare readonly name: "NonRecoverableError";
  static {
    brandClass(this, "NonRecoverableError", {
      code: "NonRecoverableError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The task failed with an error that retrying cannot fix.",
      hint: "Fix the cause named in the message; retries will not help.",
    });
  }
}

/**
 * The task ran past its timeout on the platform. Default code `TaskTimeoutError`, kind
 * `"user"`, not retryable. `cause` is the last attempt's error when there was one.
 */
export class TaskTimeoutError extends RuntimeUserError {
  declare readonly name: "TaskTimeoutError";
  static {
    brandClass(this, "TaskTimeoutError", {
      code: "TaskTimeoutError",
      kind: "user",
      retryable: false,
      status: 504,
      defaultMessage: "The task ran longer than its timeout.",
      hint: "Raise the task's timeout or make it faster; check whether it was stuck waiting on resources.",
    });
  }
}

/** Deploying a task failed. Default code `DeploymentError`, kind `"user"`, not retryable. */
export class DeploymentError extends RuntimeUserError {
  declare readonly name: "DeploymentError";
  static {
    brandClass(this, "DeploymentError", {
      code: "DeploymentError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The deployment failed.",
      hint: "Check the deployment's preconditions named in the message and deploy again.",
    });
  }
}

/** Building the image failed. Default code `ImageBuildError`, kind `"user"`, not retryable. */
export class ImageBuildError extends RuntimeUserError {
  declare readonly name: "ImageBuildError";
  static {
    brandClass(this, "ImageBuildError", {
      code: "ImageBuildError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The image build failed.",
      hint: "Read the image build log; fix the failing package or build step.",
    });
  }
}

/** The task's module did not load. Default code `ModuleLoadError`, not retryable. */
export class ModuleLoadError extends RuntimeUserError {
  declare readonly name: "ModuleLoadError";
  static {
    brandClass(this, "ModuleLoadError", {
      code: "ModuleLoadError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The task's module could not be loaded.",
      hint: "Check the module exists in the image and imports without a syntax error.",
    });
  }
}

/** Inline inputs or outputs exceeded their limit. Default code `InlineIOMaxBytesBreached`. */
export class InlineIOMaxBytesBreached extends RuntimeUserError {
  declare readonly name: "InlineIOMaxBytesBreached";
  static {
    brandClass(this, "InlineIOMaxBytesBreached", {
      code: "InlineIOMaxBytesBreached",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The inline IO size limit was exceeded.",
      hint: "Raise max_inline_io_bytes on the task, or pass large data as files or directories.",
    });
  }
}

/** Sync IO was used in an async task. Default code `OnlyAsyncIOSupportedError`. */
export class OnlyAsyncIOSupportedError extends RuntimeUserError {
  declare readonly name: "OnlyAsyncIOSupportedError";
  static {
    brandClass(this, "OnlyAsyncIOSupportedError", {
      code: "OnlyAsyncIOSupportedError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "Only async IO is supported here.",
      hint: "Use the async variant of the IO call inside async tasks.",
    });
  }
}

/** A reference task does not exist. Default code `ReferenceTaskError`, not retryable. */
export class ReferenceTaskError extends RuntimeUserError {
  declare readonly name: "ReferenceTaskError";
  static {
    brandClass(this, "ReferenceTaskError", {
      code: "ReferenceTaskError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The referenced task does not exist.",
      hint: "Check the task's name, project, domain and version, and that it is registered.",
    });
  }
}

/** Options of {@link RuntimeDataValidationError}, the Python SDK's `(var, e, task_name)`. */
export interface RuntimeDataValidationErrorOptions extends FlyteErrorOptions {
  /** The input or output variable that failed. */
  var: string;
  /** What went wrong: an error or its text. Becomes the cause when it is an Error. */
  e: unknown;
  taskName?: string;
}

/**
 * An input or output could not be serialised or deserialised. Code `DataValidationError`,
 * kind `"user"`, not retryable.
 */
export class RuntimeDataValidationError extends RuntimeUserError {
  declare readonly name: "RuntimeDataValidationError";
  readonly var: string;
  readonly taskName: string;
  constructor(options: RuntimeDataValidationErrorOptions) {
    const reason = options.e instanceof Error ? options.e.message : String(options.e);
    const taskName = options.taskName ?? "";
    super({
      ...options,
      message:
        options.message ??
        `In task ${taskName} variable ${options.var}, failed to serialize/deserialize because of ${reason}`,
      ...(options.cause === undefined && options.e instanceof Error ? { cause: options.e } : {}),
    });
    this.var = options.var;
    this.taskName = taskName;
  }
  static {
    brandClass(this, "RuntimeDataValidationError", {
      code: "DataValidationError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "A value failed to serialize or deserialize.",
      hint: "Check the value's type against the task's interface for the named variable.",
    });
  }
}

/** Options of {@link SlowDownError}. */
export interface SlowDownErrorOptions extends FlyteErrorOptions {
  /** How long the server asked to wait, from `google.rpc.RetryInfo` or `Retry-After`. */
  retryAfterMs?: number;
}

/**
 * The server asked us to slow down (RESOURCE_EXHAUSTED). Default code `SlowDownError`,
 * kind `"user"` as in Python (decoders set `"system"` for RPC throttling), retryable.
 */
export class SlowDownError extends RuntimeUserError {
  declare readonly name: "SlowDownError";
  /** How long the server asked to wait, from RetryInfo or Retry-After. */
  readonly retryAfterMs?: number;
  constructor(options: SlowDownErrorOptions = {}) {
    super(options);
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
  static {
    brandClass(this, "SlowDownError", {
      code: "SlowDownError",
      kind: "user",
      retryable: true,
      status: 429,
      defaultMessage: "The server asked the client to slow down.",
      hint: "Retry after retryAfterMs milliseconds, and lower the request rate.",
    });
  }
}

/** Options of the two abort errors. */
export interface AbortedErrorOptions extends FlyteErrorOptions {
  /** The reason given by whoever aborted, from AbortInfo. */
  reason?: string;
  /** A readable principal: user email or subject, or application name. */
  abortedBy?: string;
}

/** The run was aborted. Default code `RunAbortedError`, kind `"user"`, not retryable. */
export class RunAbortedError extends RuntimeUserError {
  declare readonly name: "RunAbortedError";
  readonly reason?: string;
  readonly abortedBy?: string;
  constructor(options: AbortedErrorOptions = {}) {
    super(options);
    if (options.reason !== undefined) this.reason = options.reason;
    if (options.abortedBy !== undefined) this.abortedBy = options.abortedBy;
  }
  static {
    brandClass(this, "RunAbortedError", {
      code: "RunAbortedError",
      kind: "user",
      retryable: false,
      status: 409,
      defaultMessage: "The run was aborted.",
      hint: "The run was stopped on purpose; see reason and abortedBy, and launch a new run if needed.",
    });
  }
}

/** A child action was aborted. Default code `ActionAbortedError`, kind `"user"`. */
export class ActionAbortedError extends RuntimeUserError {
  declare readonly name: "ActionAbortedError";
  readonly reason?: string;
  readonly abortedBy?: string;
  constructor(options: AbortedErrorOptions = {}) {
    super(options);
    if (options.reason !== undefined) this.reason = options.reason;
    if (options.abortedBy !== undefined) this.abortedBy = options.abortedBy;
  }
  static {
    brandClass(this, "ActionAbortedError", {
      code: "ActionAbortedError",
      kind: "user",
      retryable: false,
      status: 409,
      defaultMessage: "The action was aborted.",
      hint: "The action was stopped on purpose; see reason and abortedBy.",
    });
  }
}

// ---------------------------------------------------------------------------------------
// Talking to the server.
// ---------------------------------------------------------------------------------------

/** Options of {@link UnionRpcError} and its subclasses. */
export interface UnionRpcErrorOptions extends FlyteErrorOptions {
  /** The numeric gRPC / Connect code, 1 to 16. */
  rpcCode?: number;
  /** The RPC method, for example `WatchActionDetails`. */
  method?: string;
}

/**
 * Talking to the Flyte server failed. Default code `UNAVAILABLE` (the canonical upper-snake
 * gRPC name), kind `"system"`, retryable; decoders set both per RPC code.
 */
export class UnionRpcError extends RuntimeSystemError {
  declare readonly name: UnionRpcErrorName;
  readonly rpcCode?: number;
  readonly method?: string;
  constructor(options: UnionRpcErrorOptions = {}) {
    super(options);
    if (options.rpcCode !== undefined) this.rpcCode = options.rpcCode;
    if (options.method !== undefined) this.method = options.method;
  }
  static {
    brandClass(this, "UnionRpcError", {
      code: "UNAVAILABLE",
      kind: "system",
      retryable: true,
      status: 502,
      defaultMessage: "The call to the Flyte server failed.",
      hint: "Check connectivity to the endpoint; transient failures succeed on retry.",
    });
  }
}

/** The server did not accept our credentials. Code `UNAUTHENTICATED`, kind `"user"`. */
export class AuthenticationError extends UnionRpcError {
  declare readonly name: "AuthenticationError";
  static {
    brandClass(this, "AuthenticationError", {
      code: "UNAUTHENTICATED",
      kind: "user",
      retryable: false,
      status: 401,
      defaultMessage: "The Flyte server did not accept the credentials.",
      hint: "Set a valid token (FLYTE_API_KEY or the token option) for this endpoint.",
    });
  }
}

/** The credentials lack a permission. Code `PERMISSION_DENIED`, kind `"user"`. */
export class PermissionDeniedError extends UnionRpcError {
  declare readonly name: "PermissionDeniedError";
  static {
    brandClass(this, "PermissionDeniedError", {
      code: "PERMISSION_DENIED",
      kind: "user",
      retryable: false,
      status: 403,
      defaultMessage: "The credentials lack permission for this call.",
      hint: "Ask an administrator to grant your identity access to this project and domain.",
    });
  }
}

/** Logs are not there yet. Code `LogsNotYetAvailable`, kind `"system"`, retryable. */
export class LogsNotYetAvailableError extends BaseRuntimeError {
  declare readonly name: "LogsNotYetAvailableError";
  static {
    brandClass(this, "LogsNotYetAvailableError", {
      code: "LogsNotYetAvailable",
      kind: "system",
      retryable: true,
      status: 503,
      defaultMessage: "The logs are not available yet.",
      hint: "Retry in a few seconds, once the task has started.",
    });
  }
}

/**
 * The run or action does not exist. Code `NOT_FOUND`, kind `"user"`, not retryable. As in
 * Python it is not a BaseRuntimeError.
 */
export class ActionNotFoundError extends FlyteError {
  declare readonly name: "ActionNotFoundError";
  constructor(options: FlyteErrorOptions = {}) {
    super(options);
  }
  static {
    brandClass(this, "ActionNotFoundError", {
      code: "NOT_FOUND",
      kind: "user",
      retryable: false,
      status: 404,
      defaultMessage: "The run or action was not found.",
      hint: "Check the run name, project, domain and org.",
    });
  }
}

// ---------------------------------------------------------------------------------------
// Names and the union that narrows.
// ---------------------------------------------------------------------------------------

type UnionRpcErrorName = "UnionRpcError" | "AuthenticationError" | "PermissionDeniedError";
type RuntimeSystemErrorName = "RuntimeSystemError" | UnionRpcErrorName;
type RuntimeUserErrorName =
  | "RuntimeUserError"
  | "OOMError"
  | "TaskInterruptedError"
  | "PrimaryContainerNotFoundError"
  | "RetriesExhaustedError"
  | "InvalidImageNameError"
  | "ImagePullBackOffError"
  | "NotInTaskContextError"
  | "CustomError"
  | "NonRecoverableError"
  | "TaskTimeoutError"
  | "DeploymentError"
  | "ImageBuildError"
  | "ModuleLoadError"
  | "InlineIOMaxBytesBreached"
  | "OnlyAsyncIOSupportedError"
  | "ReferenceTaskError"
  | "RuntimeDataValidationError"
  | "SlowDownError"
  | "RunAbortedError"
  | "ActionAbortedError";
type BaseRuntimeErrorName =
  | "BaseRuntimeError"
  | RuntimeUserErrorName
  | RuntimeSystemErrorName
  | "RuntimeUnknownError"
  | "InitializationError"
  | "LogsNotYetAvailableError";

/** Every class name; the type of {@link FlyteError.name}. */
export type FlyteErrorName = BaseRuntimeErrorName | "ActionNotFoundError";

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
  | NotInTaskContextError
  | CustomError
  | NonRecoverableError
  | TaskTimeoutError
  | DeploymentError
  | ImageBuildError
  | ModuleLoadError
  | InlineIOMaxBytesBreached
  | OnlyAsyncIOSupportedError
  | ReferenceTaskError
  | RuntimeDataValidationError
  | SlowDownError
  | RunAbortedError
  | ActionAbortedError
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

/**
 * Every concrete class by name, for {@link FlyteError.fromJSON}. Typed by
 * {@link FlyteErrorName}, so a name added to the union without a class here fails to compile.
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
  NotInTaskContextError,
  CustomError,
  NonRecoverableError,
  TaskTimeoutError,
  DeploymentError,
  ImageBuildError,
  ModuleLoadError,
  InlineIOMaxBytesBreached,
  OnlyAsyncIOSupportedError,
  ReferenceTaskError,
  RuntimeDataValidationError,
  SlowDownError,
  RunAbortedError,
  ActionAbortedError,
  UnionRpcError,
  AuthenticationError,
  PermissionDeniedError,
  LogsNotYetAvailableError,
  ActionNotFoundError,
};

/** Greater than 0 while {@link describingRemoteFailure} runs. */
let remoteDepth = 0;
/** Errors built by {@link describingRemoteFailure} that have no stack yet. */
const awaitingStack = new WeakSet<FlyteError>();

/**
 * Runs `build`, whose errors describe a failure that happened elsewhere: a task on the
 * cluster, or the document a task wrote. They get no JavaScript stack of their own,
 * because the decoder's frames say nothing about that failure, and capturing them is the
 * largest single cost of decoding a payload. Their `stack` is the message until
 * {@link captureStackAtThrow} gives them the frames of the place that throws them.
 *
 * @internal For the decoders.
 */
export function describingRemoteFailure<T>(build: () => T): T {
  remoteDepth++;
  try {
    return build();
  } finally {
    remoteDepth--;
  }
}

/**
 * Gives an error from {@link describingRemoteFailure} the stack of the caller, the first
 * time it is thrown to user code, so `await run.wait()` rejects with the frames of `wait`
 * and of the caller's own async functions. Any other value is returned untouched.
 *
 * @internal For `wait()`, the one client method that throws a decoded failure.
 */
export function captureStackAtThrow<T>(error: T): T {
  const candidate = error as unknown as FlyteError;
  if (typeof error === "object" && error !== null && awaitingStack.delete(candidate)) {
    defineStack(candidate, captureStackAtThrow);
  }
  return error;
}

/** Where a captured stack waits, unformatted, for its first read. */
const CAPTURED: unique symbol = Symbol("flyte-remote.captured-stack");

type Stacked = FlyteError & { [CAPTURED]?: { stack?: unknown } | undefined };

/** Replaces the shared accessor with the text itself, once known. */
function settleStack(error: Stacked, value: unknown): void {
  Object.defineProperty(error, "stack", {
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  error[CAPTURED] = undefined;
}

/**
 * The `stack` accessor of every error, shared. A fresh accessor per error would close over
 * the captured frames, and V8 keeps accessor pairs in its old generation: every error, and
 * all its closures reached, would then survive the next minor collection. Measured in a
 * decode loop, that made garbage collection three quarters of the cost.
 */
const STACK: PropertyDescriptor = {
  configurable: true,
  enumerable: false,
  get(this: Stacked): string {
    const captured = this[CAPTURED]?.stack;
    const text = typeof captured === "string" ? captured : "";
    const newline = text.indexOf("\n");
    const stack = newline === -1 ? this.message : this.message + text.slice(newline);
    settleStack(this, stack);
    return stack;
  },
  set(this: Stacked, value: unknown) {
    settleStack(this, value);
  },
};

/**
 * Captures the stack now and formats it on first read, headed by the message alone. V8
 * would head it with `${name}: ${message}`, repeating the name the message starts with;
 * rewriting that eagerly would format every stack, read or not, which costs more than
 * decoding the payload did.
 */
function defineStack(error: Stacked, cls: unknown): void {
  const frames: { stack?: unknown } = {};
  Error.captureStackTrace?.(frames, cls as (...args: unknown[]) => unknown);
  Object.defineProperty(error, CAPTURED, {
    value: frames,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  Object.defineProperty(error, "stack", STACK);
}
