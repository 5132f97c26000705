import { type CallOptions, Code, ConnectError } from "@connectrpc/connect";
import { decodeRpcError, type RpcErrorContext } from "../decode/index.js";
import { type AnyFlyteError, AuthenticationError } from "../errors/index.js";
import { backoffDelay, sleep } from "./backoff.js";
import type { ClientCore, RunServiceClient } from "./client-core.js";
import { retryAfterOf, rpcCodeOf, throttled, unprocessed } from "./failure-facts.js";
import { linkSignal } from "./linked-signal.js";
import { userScopedCause } from "./user-scoped.js";

/**
 * Codes worth another try of an idempotent call, as in the Python SDK. They are read from
 * the decoded error, so a connection that died under the call counts as the UNAVAILABLE
 * it is. RESOURCE_EXHAUSTED is handled apart: it is waited out, not counted.
 */
const RETRYABLE = new Set(["UNAVAILABLE", "INTERNAL"]);

/** Sends of a request the server certainly did not process, before giving up. */
const MAX_UNPROCESSED_RESENDS = 10;

/** One unary RPC as the client makes it. */
export interface UnaryCall<T> {
  readonly method: string;
  readonly operation: NonNullable<RpcErrorContext["operation"]>;
  /**
   * Idempotent calls are retried on transient failures: reads, aborts, and CreateRun,
   * whose run name makes a second try harmless (the server refuses the same name twice).
   * Any call is sent again when the server certainly did not process it.
   */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly runName?: string | undefined;
  readonly actionName?: string | undefined;
  invoke(client: RunServiceClient, options: CallOptions): Promise<T>;
  /**
   * ALREADY_EXISTS after a try that may have reached the server means that try went
   * through and only its answer was lost: count it as success.
   */
  alreadyExistsOnRetry?: (() => Promise<T>) | undefined;
}

/**
 * Makes a unary call with token refresh and retries, and turns any failure into a typed
 * error with the client's credentials kept out of it. The caller's own abort rejects with
 * the signal's reason, untouched.
 *
 * - A request the server never processed (REFUSED_STREAM, above a GOAWAY) is sent again at
 *   once, whatever the method: RFC 9113 guarantees it was not acted on.
 * - UNAVAILABLE and INTERNAL are retried with backoff (`retry`), waiting as long as the
 *   server asked through RetryInfo or Retry-After when it did.
 * - RESOURCE_EXHAUSTED is not a failure of the call but a request to slow down: it is
 *   waited out with capped exponential backoff (RetryInfo first) without using up the
 *   retries, for at most `retry.throttleBudgetMs` in all.
 * - UNAUTHENTICATED asks the token source for a fresh token once.
 */
export async function callUnary<T>(core: ClientCore, call: UnaryCall<T>): Promise<T> {
  // connect listens on the signal it is given, once per try: give it our own, linked to the
  // caller's through one shared listener, so any number of calls can share a signal.
  const link = call.signal === undefined ? undefined : linkSignal(call.signal);
  try {
    return await attempt(core, call, link === undefined ? {} : { signal: link.signal });
  } finally {
    link?.dispose();
  }
}

async function attempt<T>(core: ClientCore, call: UnaryCall<T>, options: CallOptions): Promise<T> {
  const policy = core.retry;
  let retries = 0;
  let resends = 0;
  let throttles = 0;
  let throttledMs = 0;
  let refreshed = false;
  let mayHaveLanded = false;
  for (;;) {
    if (core.closed) throw closedError(call);
    try {
      return await call.invoke(core.rpc, options);
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      const inner = userScopedCause(error);
      if (inner !== undefined) throw inner;
      const decoded = decode(core, call, error);
      if (decoded instanceof AuthenticationError && core.token.refreshable && !refreshed) {
        refreshed = true;
        core.token.invalidate();
        continue;
      }
      const code = rpcCodeOf(decoded);
      if (mayHaveLanded && code === "ALREADY_EXISTS" && call.alreadyExistsOnRetry) {
        return call.alreadyExistsOnRetry();
      }
      if (unprocessed(decoded) && resends < MAX_UNPROCESSED_RESENDS) {
        resends++;
        // A new connection or a freed slot takes it; a little jitter keeps a refused burst
        // from coming back as one.
        await sleep(Math.random() * 10 * resends, options.signal);
        continue;
      }
      if (policy === false || !call.idempotent) throw decoded;
      mayHaveLanded ||= !unprocessed(decoded);
      const hinted = retryAfterOf(decoded);
      if (throttled(decoded)) {
        const budget = policy.throttleBudgetMs ?? 120_000;
        const wait = hinted ?? backoffDelay(++throttles, backoffOf(policy));
        if (throttledMs + wait > budget) throw decoded;
        throttledMs += wait;
        await sleep(wait, options.signal);
        continue;
      }
      if (code === undefined || !RETRYABLE.has(code) || retries >= (policy.maxRetries ?? 3)) {
        throw decoded;
      }
      retries++;
      await sleep(hinted ?? backoffDelay(retries, backoffOf(policy)), options.signal);
    }
  }
}

function decode<T>(core: ClientCore, call: UnaryCall<T>, error: unknown): AnyFlyteError {
  return decodeRpcError(error, {
    method: call.method,
    operation: call.operation,
    secrets: core.secrets(),
    ...(call.runName === undefined ? {} : { runName: call.runName }),
    ...(call.actionName === undefined ? {} : { actionName: call.actionName }),
  });
}

function backoffOf(policy: NonNullable<Exclude<ClientCore["retry"], false>>) {
  return {
    ...(policy.baseMs === undefined ? {} : { baseMs: policy.baseMs }),
    ...(policy.maxMs === undefined ? {} : { maxMs: policy.maxMs }),
    ...(policy.jitter === undefined ? {} : { jitter: policy.jitter }),
  };
}

function closedError<T>(call: UnaryCall<T>): AnyFlyteError {
  return decodeRpcError(new ConnectError("the client is closed", Code.Canceled), {
    method: call.method,
    operation: call.operation,
  });
}
