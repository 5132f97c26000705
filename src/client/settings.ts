import type { BackoffOptions } from "./backoff.js";

/** The unary retry policy; the defaults are the Python SDK's. */
export interface RetryOptions {
  /** Retries after the first try. Default 3. */
  maxRetries?: number | undefined;
  /** First backoff. Default 500 ms. */
  baseMs?: number | undefined;
  /** Backoff ceiling. Default 10 s. */
  maxMs?: number | undefined;
  /** Default true. */
  jitter?: boolean | undefined;
  /**
   * RESOURCE_EXHAUSTED asks the client to slow down; it is waited out without using up
   * `maxRetries`, for at most this long in all per call. Default 120,000.
   */
  throttleBudgetMs?: number | undefined;
}

/** A bound on a wait's failures over time, whatever delivered in between. */
export interface FailureWindow {
  /** Failures allowed within `windowMs`; one more ends the wait with the last error. */
  maxFailures: number;
  windowMs: number;
}

/** How the watch loop behaves; every field has a default, see `createClient`. */
export interface WatchOptions {
  /** Reconnect backoff: base 0.5 s, cap 10 s, with jitter. */
  backoff?: BackoffOptions | undefined;
  /**
   * Failures in a row before `wait()` gives up with the last error. Default 5, as in the
   * Python SDK. The count starts again when the watch makes progress (a new state) or when
   * a stream has stayed up for a while, not on any message: a stream that fails right after
   * resending the same state must not reset it, or such a loop would never end.
   */
  maxConsecutiveFailures?: number | undefined;
  /**
   * The bound on all failures of one wait, progress or not: at most `maxFailures` within
   * `windowMs`. Default 30 within 60 s. An aggressive proxy timeout (one cut every few
   * seconds) stays far below it; a server or network that fails every stream at once does
   * not.
   */
  failureWindow?: FailureWindow | undefined;
  /**
   * Where the client sends no HTTP/2 PINGs (HTTP/1.1, fetch, a caller's transport), a watch
   * stream silent this long is restarted, which is how a dead connection is found there.
   * Default 30 s. Over HTTP/2, `keepalive` finds dead connections instead.
   */
  idleTimeoutMs?: number | undefined;
  /** Interval of the GetActionDetails fallback when streaming is unavailable. Default 2 s. */
  pollIntervalMs?: number | undefined;
  /**
   * At most this many watch streams per HTTP/2 connection, below what the server allows.
   * Default: the server's own SETTINGS_MAX_CONCURRENT_STREAMS minus a reserve for unary
   * calls (a tenth of it, at least 1 and at most 16).
   */
  maxStreamsPerConnection?: number | undefined;
  /**
   * How waits on runs share the server: `"stream"` opens one WatchActionDetails stream per
   * wait; `"multiplex"` shares one WatchRuns stream per project and domain and reads a
   * run's details only when it fails or when the wait joins after the stream's snapshot,
   * so a success settles on the status alone. Child actions always use their own stream.
   * Default `"stream"` in Node and `"multiplex"` over fetch, where the browser's own
   * connection limits would soon leave no room for other calls; `"multiplex"` also holds
   * far less memory per wait, which matters for thousands of waits (BENCHMARKS.md).
   */
  strategy?: "stream" | "multiplex" | undefined;
}

/** Watch settings with every default filled in. */
export interface WatchSettings {
  readonly backoff: BackoffOptions;
  readonly maxConsecutiveFailures: number;
  readonly failureWindow: FailureWindow;
  readonly idleTimeoutMs: number;
  readonly pollIntervalMs: number;
  /** Pause before re-subscribing after a clean end of stream; the Python SDK's 0.5 s. */
  readonly cleanEndDelayMs: number;
  /** A stream up this long has proved the connection works: the failure count starts again. */
  readonly stableStreamMs: number;
  readonly strategy: "stream" | "multiplex";
}

/** The scope a run lives in. */
export interface Scope {
  readonly org: string;
  readonly project: string;
  readonly domain: string;
}
