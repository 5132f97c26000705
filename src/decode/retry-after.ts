/**
 * How long the server asked the client to wait before trying again.
 *
 * `google.rpc.RetryInfo` is the precise answer and wins; an HTTP `Retry-After` header, as
 * proxies and gateways send it, is the fallback.
 */

import type { RetryInfo } from "../gen/google/rpc/error_details_pb.js";

/** Milliseconds of `RetryInfo.retry_delay`, or undefined when it has none. */
export function retryInfoDelayMs(info: RetryInfo | undefined): number | undefined {
  const delay = info?.retryDelay;
  if (delay === undefined) return undefined;
  const ms = Number(delay.seconds) * 1000 + Math.floor(delay.nanos / 1_000_000);
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms)) : undefined;
}

/**
 * Milliseconds of a `Retry-After` value: delay-seconds (`"3"`, also `"1.5"`), or an HTTP
 * date, counted from `now`; a date in the past gives 0. Undefined when it is neither.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    const ms = Math.round(Number(text) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  // HTTP dates always name a day or month; this keeps `Date.parse("-1")` (year -1) out.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
