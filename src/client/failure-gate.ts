import { decodeRpcError } from "../decode/index.js";
import { type AnyFlyteError, SlowDownError, userEntryPoint } from "../errors/index.js";
import { backoffDelay, sleep } from "./backoff.js";
import type { ClientCore } from "./client-core.js";
import type { PollingErrorContext } from "./polling-error.js";
import { userScopedCause } from "./unary-call.js";

/**
 * The retry discipline every watch and polling loop shares: ask the
 * `silenceGrpcPollingError` hook whether an error is noise, tell `onPollingError` about the
 * noise, count failures in a row (any delivered message resets the count), and wait with
 * backoff and jitter, or for as long as the server asked, before the next try.
 *
 * The hook and the logger are user code and run in the user scope, so one that throws
 * rejects the wait with a user-scoped error instead of killing the loop silently.
 */
export class FailureGate {
  private failures = 0;
  private attempts = 0;
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

  /** A message arrived: the connection works, so the failure budget is whole again. */
  delivered(): void {
    this.failures = 0;
  }

  /** Failures in a row so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /**
   * Turns what a watch or poll of `method` threw into a typed error. A user-scoped error
   * (a token provider that threw) is thrown as it is: it is not transport noise.
   */
  decode(error: unknown, method: string): AnyFlyteError {
    const scoped = userScopedCause(error);
    if (scoped !== undefined) throw scoped;
    return decodeRpcError(error, {
      method,
      operation: "watch",
      ...(this.runName === undefined ? {} : { runName: this.runName, actionName: this.actionName }),
    });
  }

  /**
   * Judges a decoded failure of `method`. Throws it when the hook says it is real; returns
   * true when it was noise but the budget of failures in a row is spent.
   */
  judge(error: AnyFlyteError, method: string): boolean {
    this.failures++;
    const context: PollingErrorContext = {
      method,
      attempt: this.attempts,
      consecutiveFailures: this.failures,
      runName: this.runName ?? "*",
      actionName: this.actionName,
      elapsedMs: performance.now() - this.started,
    };
    if (!this.silence(error, context)) throw error;
    this.report?.(error, context);
    return this.failures >= this.core.watch.maxConsecutiveFailures;
  }

  /** Starts the budget again, for a loop that changed how it watches. */
  reset(): void {
    this.failures = 0;
  }

  /** Waits before the next try: as long as the server asked, else backoff with jitter. */
  pause(error: AnyFlyteError, signal?: AbortSignal): Promise<void> {
    const hinted = error instanceof SlowDownError ? error.retryAfterMs : undefined;
    return sleep(hinted ?? backoffDelay(this.failures, this.core.watch.backoff), signal);
  }
}
