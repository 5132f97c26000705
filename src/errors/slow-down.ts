/**
 * The server asked the client to wait: SlowDownError, and ResourceExhaustedError for the
 * RESOURCE_EXHAUSTED status.
 *
 * Resource exhaustion is not a terminal failure and may last arbitrarily long, so a client
 * backs off on it without spending a bounded retry budget (flyte-sdk PR #1500). The class
 * says so, and carries how long the server asked to wait.
 */

import { brandClass } from "./brand.js";
import type { FlyteErrorOptions } from "./fields.js";
import type { SlowDownErrorName } from "./names.js";
import { RuntimeUserError } from "./runtime-error.js";

/** Options of {@link SlowDownError} and {@link ResourceExhaustedError}. */
export interface SlowDownErrorOptions extends FlyteErrorOptions {
  /** How long the server asked to wait, from `google.rpc.RetryInfo` or `Retry-After`. */
  retryAfterMs?: number | undefined;
}

/**
 * The server asked us to slow down (SDK 2.0.0b20). Default code `SlowDownError`, kind
 * `"user"` as in Python, retryable.
 */
export class SlowDownError extends RuntimeUserError {
  declare readonly name: SlowDownErrorName;
  /** How long the server asked to wait, from RetryInfo or Retry-After. */
  readonly retryAfterMs?: number | undefined;
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

/**
 * The server answered RESOURCE_EXHAUSTED: a quota, a rate limit or its capacity ran out
 * (flyte-sdk PR #1500, after 2.6.5). A SlowDownError, so code that handles slowing down
 * handles it too. Default code `RESOURCE_EXHAUSTED`, kind `"system"`, retryable.
 * `retryAfterMs` comes from `google.rpc.RetryInfo` when the server sent it, else from
 * `Retry-After`.
 */
export class ResourceExhaustedError extends SlowDownError {
  declare readonly name: "ResourceExhaustedError";
  static {
    brandClass(this, "ResourceExhaustedError", {
      code: "RESOURCE_EXHAUSTED",
      kind: "system",
      retryable: true,
      status: 429,
      defaultMessage: "The server ran out of a resource and asked the client to wait.",
      hint: "Wait and retry with capped exponential backoff (retryAfterMs when set); it does not count as a failed attempt.",
    });
  }
}
