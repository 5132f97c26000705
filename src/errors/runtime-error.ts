/**
 * Python's `BaseRuntimeError` and its three families: user, system and unknown.
 *
 * Every other class extends one of these, as in `flyte.errors`, so a caller can test the
 * family (`instanceof RuntimeUserError`) and get the answer a Python caller would.
 */

import { brandClass } from "./brand.js";
import type { FlyteErrorOptions } from "./fields.js";
import { FlyteError } from "./flyte-error.js";
import type {
  BaseRuntimeErrorName,
  RuntimeSystemErrorName,
  RuntimeUserErrorName,
} from "./names.js";

/**
 * Base class of all runtime errors, as in the Python SDK (since 2.0.0b0). Default code
 * `RuntimeError`, kind `"unknown"`, not retryable. Raised directly only when nothing more
 * specific fits.
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
 * The user's code or configuration failed (SDK 2.0.0b0). Default code `UserError`, kind
 * `"user"`, not retryable: the same request would fail the same way.
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
      hint: "Read the message and the task's logs, fix the code or its inputs, then launch a new run.",
    });
  }
}

/**
 * The platform failed (SDK 2.0.0b0). Default code `SystemError`, kind `"system"`, retryable:
 * platform faults are usually transient.
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
 * The payload did not say whose fault the failure is, or could not be read (SDK 2.0.0b0).
 * Default code `Unknown`, kind `"unknown"`, not retryable.
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
 * The client was used before it was configured (SDK 2.0.0b0). Default code
 * `InitializationError`, kind `"user"`, not retryable. Extends BaseRuntimeError directly, as
 * in Python.
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
