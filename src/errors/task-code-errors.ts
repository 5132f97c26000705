/**
 * The errors the Python SDK raises inside a task, about how the task's code uses it: the
 * task context, inputs and outputs, types, traces, and failures the task declares final.
 *
 * A task that raises one writes its fixed code into `error.pb`, so the decoders can give
 * the same class back. All are RuntimeUserErrors of kind user.
 */

import { brandClass } from "./brand.js";
import type { FlyteErrorOptions } from "./fields.js";
import { RuntimeUserError } from "./runtime-error.js";

/**
 * Task context was used outside a task (SDK 2.0.0b0). Default code `NotInTaskContext`; the
 * SDK itself raises it with code `BadContext`.
 */
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
 * A failure the task declared final: retrying cannot fix it (SDK 2.0.7). It is the only
 * error the SDK writes as ContainerError NON_RECOVERABLE, so the platform skips the task's
 * remaining retries. Default code `NonRecoverableError`, which the task may replace with its
 * own; never retryable, `recoverable` false when decoded.
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
      hint: "The task declared this failure final: fix the cause named in the message; retries will not help.",
    });
  }
}

/** Inline inputs or outputs exceeded their limit (SDK 2.0.0b3). Code `InlineIOMaxBytesBreached`. */
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

/** Sync IO was used in an async task (SDK 2.0.0b23). Code `OnlyAsyncIOSupportedError`. */
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

/** Options of {@link RuntimeDataValidationError}, the Python SDK's `(var, e, task_name)`. */
export interface RuntimeDataValidationErrorOptions extends FlyteErrorOptions {
  /** The input or output variable that failed. */
  var: string;
  /** What went wrong: an error or its text. Becomes the cause when it is an Error. */
  e: unknown;
  taskName?: string | undefined;
}

/**
 * An input or output could not be serialised or deserialised (SDK 2.0.0b0). Code
 * `DataValidationError`, not retryable.
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

/**
 * An app's parameter with delayed materialization failed to materialize (SDK 2.0.0b41).
 * Code `ParameterMaterializationError`.
 */
export class ParameterMaterializationError extends RuntimeUserError {
  declare readonly name: "ParameterMaterializationError";
  static {
    brandClass(this, "ParameterMaterializationError", {
      code: "ParameterMaterializationError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "A parameter could not be materialized.",
      hint: "Check the parameter's source (file, directory or value) exists and is readable by the app.",
    });
  }
}

/**
 * A type the SDK restricts was used, for example a one-element tuple (SDK 2.0.0b41). Code
 * `RestrictedTypeUsage`, as the SDK writes it.
 */
export class RestrictedTypeError extends RuntimeUserError {
  declare readonly name: "RestrictedTypeError";
  static {
    brandClass(this, "RestrictedTypeError", {
      code: "RestrictedTypeUsage",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "A restricted type was used.",
      hint: "Change the task's signature to a supported type, as the message says.",
    });
  }
}

/**
 * A task was called from within a trace; tasks nest under tasks, not traces (SDK 2.0.0b56).
 * Code `TraceDoesNotAllowNestedTasksError`.
 */
export class TraceDoesNotAllowNestedTasksError extends RuntimeUserError {
  declare readonly name: "TraceDoesNotAllowNestedTasksError";
  static {
    brandClass(this, "TraceDoesNotAllowNestedTasksError", {
      code: "TraceDoesNotAllowNestedTasksError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "A task was called from within a trace.",
      hint: "Call the task from a task, not from a @flyte.trace function.",
    });
  }
}
