/**
 * Talking to the Flyte server: the RPC failures, the logs that are not there yet, and the
 * run or action that does not exist.
 */

import { brandClass } from "./brand.js";
import type { FlyteErrorOptions } from "./fields.js";
import { FlyteError } from "./flyte-error.js";
import type { UnionRpcErrorName } from "./names.js";
import { BaseRuntimeError, RuntimeSystemError } from "./runtime-error.js";

/** Options of {@link UnionRpcError} and its subclasses. */
export interface UnionRpcErrorOptions extends FlyteErrorOptions {
  /** The numeric gRPC / Connect code, 1 to 16. */
  rpcCode?: number | undefined;
  /** The RPC method, for example `WatchActionDetails`. */
  method?: string | undefined;
}

/**
 * Talking to the Flyte server failed (SDK 2.0.0b0). Default code `UNAVAILABLE` (the
 * canonical upper-snake gRPC name), kind `"system"`, retryable; decoders set code, kind,
 * retryability and hint per RPC code.
 */
export class UnionRpcError extends RuntimeSystemError {
  declare readonly name: UnionRpcErrorName;
  readonly rpcCode?: number | undefined;
  readonly method?: string | undefined;
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
      hint: "Check connectivity to the endpoint and retry; a server that is restarting answers again shortly.",
    });
  }
}

/**
 * The server did not accept our credentials. Code `UNAUTHENTICATED`, kind `"user"`. Not in
 * the Python SDK, which raises the transport's error.
 */
export class AuthenticationError extends UnionRpcError {
  declare readonly name: "AuthenticationError";
  static {
    brandClass(this, "AuthenticationError", {
      code: "UNAUTHENTICATED",
      kind: "user",
      retryable: false,
      status: 401,
      defaultMessage: "The Flyte server did not accept the credentials.",
      hint: "Sign in again or fix the credentials for this endpoint: the auth or token option, FLYTE_API_KEY, or `flyte-remote login`.",
    });
  }
}

/**
 * The credentials lack a permission. Code `PERMISSION_DENIED`, kind `"user"`. Not in the
 * Python SDK, which raises the transport's error.
 */
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

/** Logs are not there yet (SDK 2.0.0b0). Code `LogsNotYetAvailable`, kind `"system"`. */
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
 * The run or action does not exist (SDK 2.0.0b0). Code `NOT_FOUND`, kind `"user"`, not
 * retryable. As in Python it is not a BaseRuntimeError.
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
