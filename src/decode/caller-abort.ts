/**
 * Tells the caller's own cancellation apart from a remote failure.
 *
 * When a caller aborts its own signal, the RPC fails with CANCELED (or the runtime's
 * AbortError). That is not something the server did, and wrapping it in a Flyte error would
 * make `catch` blocks treat a deliberate stop as an outage; the caller should get back the
 * reason it gave.
 */

import { Code, ConnectError } from "@connectrpc/connect";

/**
 * True when `error` is the consequence of `signal` being aborted: the signal is aborted
 * and the error is its reason (or has it as a cause), a CANCELED ConnectError, or an
 * AbortError / TimeoutError. Never throws.
 */
export function isCallerAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal === undefined || !signal.aborted) return false;
  try {
    const reason: unknown = signal.reason;
    let current: unknown = error;
    for (let depth = 0; depth < 16 && typeof current === "object" && current !== null; depth++) {
      if (current === reason) return true;
      current = (current as { cause?: unknown | undefined }).cause;
    }
    if (error === reason) return true;
    if (error instanceof ConnectError) return error.code === Code.Canceled;
    if (error instanceof Error) return error.name === "AbortError" || error.name === "TimeoutError";
    return false;
  } catch {
    return false;
  }
}
