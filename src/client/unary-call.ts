import { type CallOptions, Code, ConnectError } from "@connectrpc/connect";
import { decodeRpcError, type RpcErrorContext } from "../decode/index.js";
import { type AnyFlyteError, isFlyteError, SlowDownError, UnionRpcError } from "../errors/index.js";
import { backoffDelay, sleep } from "./backoff.js";
import type { ClientCore, RunServiceClient } from "./client-core.js";

/** The unary retry policy; the defaults are the Python SDK's. */
export interface RetryOptions {
  /** Retries after the first try. Default 3. */
  maxRetries?: number;
  /** First backoff. Default 500 ms. */
  baseMs?: number;
  /** Backoff ceiling. Default 10 s. */
  maxMs?: number;
  /** Default true. */
  jitter?: boolean;
}

/**
 * Codes worth another try of an idempotent call, as in the Python SDK. They are read from
 * the decoded error, so a connection that died under the call (which connect reports as
 * CANCELED or with a bare Node error) counts as the UNAVAILABLE it is.
 */
const RETRYABLE = new Set(["UNAVAILABLE", "RESOURCE_EXHAUSTED", "INTERNAL"]);

/** The RPC code behind a decoded error, looking through createRun's wrapper. */
function rpcCodeOf(error: AnyFlyteError): string | undefined {
  if (error instanceof SlowDownError) return "RESOURCE_EXHAUSTED";
  if (error instanceof UnionRpcError) return error.code;
  const inner = error.cause;
  if (isFlyteError(inner) && error.details.rpcError !== undefined) return rpcCodeOf(inner);
  return undefined;
}

/** One unary RPC as the client makes it. */
export interface UnaryCall<T> {
  readonly method: string;
  readonly operation: NonNullable<RpcErrorContext["operation"]>;
  /**
   * Only idempotent calls are retried: a read, or a CreateRun with a caller-chosen name,
   * which the server refuses to run twice.
   */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly runName?: string | undefined;
  readonly actionName?: string | undefined;
  invoke(client: RunServiceClient, options: CallOptions): Promise<T>;
  /**
   * ALREADY_EXISTS on a retry means our earlier try went through and only its answer was
   * lost: count it as success.
   */
  alreadyExistsOnRetry?: () => Promise<T>;
}

/**
 * Makes a unary call with token refresh and retries, and turns any failure into a typed
 * error. The caller's own abort rejects with the signal's reason, untouched.
 */
export async function callUnary<T>(core: ClientCore, call: UnaryCall<T>): Promise<T> {
  const retry = core.retry;
  let retries = 0;
  let refreshed = false;
  for (;;) {
    try {
      const options: CallOptions = call.signal === undefined ? {} : { signal: call.signal };
      return await call.invoke(core.unaryClient(), options);
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      const inner = userScopedCause(error);
      if (inner !== undefined) throw inner;
      const code = error instanceof ConnectError ? error.code : undefined;
      if (code === Code.Unauthenticated && core.token.refreshable && !refreshed) {
        refreshed = true;
        core.token.invalidate();
        continue;
      }
      if (retries > 0 && code === Code.AlreadyExists && call.alreadyExistsOnRetry) {
        return call.alreadyExistsOnRetry();
      }
      const decoded = decodeRpcError(error, {
        method: call.method,
        operation: call.operation,
        ...(call.runName === undefined ? {} : { runName: call.runName }),
        ...(call.actionName === undefined ? {} : { actionName: call.actionName }),
      });
      const rpcCode = rpcCodeOf(decoded);
      const canRetry =
        retry !== false &&
        call.idempotent &&
        rpcCode !== undefined &&
        RETRYABLE.has(rpcCode) &&
        retries < (retry.maxRetries ?? 3);
      if (!canRetry) throw decoded;
      retries++;
      const throttle = decoded instanceof SlowDownError ? decoded : decoded.cause;
      const hinted = throttle instanceof SlowDownError ? throttle.retryAfterMs : undefined;
      await sleep(hinted ?? backoffDelay(retries, retry), call.signal);
    }
  }
}

/**
 * connect wraps whatever an interceptor throws in a ConnectError; when that was our own
 * user-scoped error (a token provider that threw), hand back the original.
 */
export function userScopedCause(error: unknown): unknown {
  if (isFlyteError(error)) return error;
  if (error instanceof ConnectError && isFlyteError(error.cause)) return error.cause;
  return undefined;
}
