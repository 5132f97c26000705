/**
 * The errors of using a task defined elsewhere: a remote task (SDK 2.0.0b47 and later) or,
 * in older SDKs, a reference task. All are RuntimeUserErrors of kind user.
 */

import { brandClass } from "./brand.js";
import { RuntimeUserError } from "./runtime-error.js";

/**
 * The remote task does not exist (SDK 2.0.0b47). Code `RemoteTaskNotFoundError`, the
 * SDK's `CODE`.
 */
export class RemoteTaskNotFoundError extends RuntimeUserError {
  declare readonly name: "RemoteTaskNotFoundError";
  static {
    brandClass(this, "RemoteTaskNotFoundError", {
      code: "RemoteTaskNotFoundError",
      kind: "user",
      retryable: false,
      status: 404,
      defaultMessage: "The remote task does not exist.",
      hint: "Check the task's name, project, domain and version, and that it is deployed.",
    });
  }
}

/**
 * A remote task was used the wrong way, for example called with inputs it does not take
 * (SDK 2.0.0b47). Code `RemoteTaskUsageError`, the SDK's `CODE`.
 */
export class RemoteTaskUsageError extends RuntimeUserError {
  declare readonly name: "RemoteTaskUsageError";
  static {
    brandClass(this, "RemoteTaskUsageError", {
      code: "RemoteTaskUsageError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The remote task was used incorrectly.",
      hint: "Call the remote task with the inputs of its deployed interface.",
    });
  }
}

/**
 * A reference task does not exist or was misused: SDKs 2.0.0b0 to 2.0.0b46, replaced since
 * by the remote task errors. Kept because tasks of those SDKs still write its code,
 * `ReferenceTaskUsageError`.
 */
export class ReferenceTaskError extends RuntimeUserError {
  declare readonly name: "ReferenceTaskError";
  static {
    brandClass(this, "ReferenceTaskError", {
      code: "ReferenceTaskUsageError",
      kind: "user",
      retryable: false,
      status: 422,
      defaultMessage: "The referenced task does not exist or was used incorrectly.",
      hint: "Check the task's name, project, domain and version, and that it is registered.",
    });
  }
}
