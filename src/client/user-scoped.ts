import { ConnectError } from "@connectrpc/connect";
import { isFlyteError } from "../errors/index.js";

/**
 * connect wraps whatever an interceptor throws in a ConnectError; when that was our own
 * user-scoped error (a token provider that threw), hand back the original.
 */
export function userScopedCause(error: unknown): unknown {
  if (isFlyteError(error)) return error;
  if (error instanceof ConnectError && isFlyteError(error.cause)) return error.cause;
  return undefined;
}
