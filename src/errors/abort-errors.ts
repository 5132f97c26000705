/**
 * Runs and actions that someone stopped on purpose. Not failures of the task, so the hint
 * says who stopped it rather than what to fix.
 */

import { brandClass } from "./brand.js";
import type { FlyteErrorOptions } from "./fields.js";
import { RuntimeUserError } from "./runtime-error.js";

/** Options of the two abort errors. */
export interface AbortedErrorOptions extends FlyteErrorOptions {
  /** The reason given by whoever aborted, from AbortInfo. */
  reason?: string | undefined;
  /** A readable principal: user email or subject, or application name. */
  abortedBy?: string | undefined;
}

/**
 * The run was aborted. Default code `RunAbortedError`, not retryable. The SDK had this class
 * from 2.0.0b7 to 2.0.0b47, then renamed it ActionAbortedError; flyte-remote keeps both, and
 * gives this one for the root action, which is the run.
 */
export class RunAbortedError extends RuntimeUserError {
  declare readonly name: "RunAbortedError";
  readonly reason?: string | undefined;
  readonly abortedBy?: string | undefined;
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

/** An action was aborted (SDK 2.0.0b48). Default code `ActionAbortedError`, not retryable. */
export class ActionAbortedError extends RuntimeUserError {
  declare readonly name: "ActionAbortedError";
  readonly reason?: string | undefined;
  readonly abortedBy?: string | undefined;
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
