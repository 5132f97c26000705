import { decodeRpcError } from "../decode/index.js";
import { type AnyFlyteError, userEntryPoint } from "../errors/index.js";
import { backoffDelay, sleep } from "./backoff.js";
import type { ClientCore } from "./client-core.js";
import { networkOf, retryAfterOf, throttled, unprocessed } from "./failure-facts.js";
import type { PollingErrorContext } from "./polling-error.js";
import { userScopedCause } from "./user-scoped.js";

/** What the gate decided about one failure. */
export type Verdict =
  /** Retry after {@link FailureGate.pause}. */
  | "retry"
  /** Noise, but the budget of failures in a row is spent. */
  | "spent";

/**
 * The retry discipline every watch and polling loop shares.
 *
 * - The `silenceGrpcPollingError` hook decides whether an error is noise; `onPollingError`
 *   hears about the noise. Both are user code and run in the user scope, so one that
 *   throws rejects the wait with a user-scoped error instead of killing the loop silently.
 * - Failures in a row are counted, and any delivered message starts the count again, as in
 *   the Python SDK.
 * - Every failure also counts in a window (`watch.failureWindow`), which no message
 *   resets: a stream that fails right after each re-subscription cannot keep a wait alive
 *   forever.
 * - A request the server never processed (a refused stream, a stream cut by GOAWAY, as when
 *   a server closes a connection for too many pings) is moved to a new connection quietly:
 *   it does not count in a row and is not reported, only in the window.
 * - RESOURCE_EXHAUSTED is a request to slow down, not a failure: it is waited out with
 *   capped backoff (RetryInfo first) and counts nowhere.
 */
export class FailureGate {
  private failures = 0;
  private throttles = 0;
  private attempts = 0;
  private recent: number[] = [];
  private readonly started = performance.now();
  private readonly silence: (error: AnyFlyteError, context: PollingErrorContext) => boolean;
  private readonly report: ((error: unknown, context: PollingErrorContext) => void) | undefined;

  /** `runName` is left out by a loop that watches many runs at once. */
  constructor(
    private readonly core: ClientCore,
    private readonly runName?: string,
    private readonly actionName = "a0",
  ) {
    this.silence = userEntryPoint(core.silence);
    this.report = core.onPollingError ? userEntryPoint(core.onPollingError) : undefined;
  }

  /** Counts one more subscription or poll. */
  attempt(): void {
    this.attempts++;
  }

  /** A message arrived: the connection works, so the budget of failures in a row is whole. */
  delivered(): void {
    this.failures = 0;
    this.throttles = 0;
  }

  /** Failures in a row so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /**
   * Turns what a watch or poll of `method` threw into a typed error, with the client's
   * credentials kept out of it. A user-scoped error (a token provider that threw) is thrown
   * as it is: it is not transport noise.
   */
  decode(error: unknown, method: string): AnyFlyteError {
    const scoped = userScopedCause(error);
    if (scoped !== undefined) throw scoped;
    return decodeRpcError(error, {
      method,
      operation: "watch",
      secrets: this.core.secrets(),
      ...(this.runName === undefined ? {} : { runName: this.runName, actionName: this.actionName }),
    });
  }

  /**
   * Judges a decoded failure of `method`. Throws it when the hook says it is real, or when
   * the window of failures is full; returns `"spent"` when it was noise but the failures in
   * a row have used up their budget.
   */
  judge(error: AnyFlyteError, method: string): Verdict {
    const slowDown = throttled(error);
    // A watch is a read: one the server never processed, or one on a connection the server
    // closed with GOAWAY (for too many pings, say), simply moves to a new connection.
    const moved = !slowDown && (unprocessed(error) || networkOf(error)?.goaway !== undefined);
    if (slowDown) this.throttles++;
    else if (!moved) this.failures++;
    const context: PollingErrorContext = {
      method,
      attempt: this.attempts,
      consecutiveFailures: this.failures,
      runName: this.runName ?? "*",
      actionName: this.actionName,
      elapsedMs: performance.now() - this.started,
    };
    if (!this.silence(error, context)) throw error;
    if (slowDown) return "retry";
    this.windowed(error);
    if (moved) return "retry";
    this.report?.(error, context);
    return this.failures >= this.core.watch.maxConsecutiveFailures ? "spent" : "retry";
  }

  /** Starts the budget of failures in a row again, for a loop that changed how it watches. */
  reset(): void {
    this.failures = 0;
  }

  /**
   * Waits before the next try: as long as the server asked, else backoff with jitter. A
   * request that was never processed goes again almost at once.
   */
  pause(error: AnyFlyteError, signal?: AbortSignal): Promise<void> {
    if (!throttled(error) && (unprocessed(error) || networkOf(error)?.goaway !== undefined)) {
      return sleep(Math.random() * 20, signal);
    }
    const hinted = retryAfterOf(error);
    const step = throttled(error) ? this.throttles : this.failures;
    return sleep(hinted ?? backoffDelay(Math.max(1, step), this.core.watch.backoff), signal);
  }

  /** Records a failure in the window; throws `error` when the window is full. */
  private windowed(error: AnyFlyteError): void {
    const { maxFailures, windowMs } = this.core.watch.failureWindow;
    const now = performance.now();
    this.recent.push(now);
    const since = now - windowMs;
    let drop = 0;
    while (drop < this.recent.length && this.recent[drop]! < since) drop++;
    if (drop > 0) this.recent = this.recent.slice(drop);
    if (this.recent.length > maxFailures) throw error;
  }
}
