/** Exponential backoff with full jitter, as both the unary retry and the watch loop use. */
export interface BackoffOptions {
  /** First delay. Default 500 ms, as in the Python SDK. */
  baseMs?: number | undefined;
  /** Ceiling. Default 10 s. */
  maxMs?: number | undefined;
  /**
   * Spread delays so thousands of waiters that lost the same connection do not reconnect
   * in lockstep. Default true.
   */
  jitter?: boolean | undefined;
}

/** The delay before retry number `attempt` (1-based): `min(base * 2^(attempt-1), max)`. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 10_000;
  const exp = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  if (options.jitter === false) return exp;
  // Half fixed, half random: keeps a floor so a retry never fires immediately.
  return exp / 2 + Math.random() * (exp / 2);
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. The timer
 * and the listener are both removed either way, so an aborted wait leaves no handle.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
