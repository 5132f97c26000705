import type { NetworkFailure } from "../decode/network-error.js";
import { type AnyFlyteError, isFlyteError, SlowDownError, UnionRpcError } from "../errors/index.js";

/**
 * What the client's retry decisions read from a decoded error. Every fact comes from the
 * transport or from the status the server set, never from a server's message text.
 */

/** The RPC code behind a decoded error, looking through createRun's wrapper. */
export function rpcCodeOf(error: AnyFlyteError): string | undefined {
  if (error instanceof SlowDownError) return "RESOURCE_EXHAUSTED";
  if (error instanceof UnionRpcError) return error.code;
  const inner = error.cause;
  if (isFlyteError(inner) && error.details.rpcError !== undefined) return rpcCodeOf(inner);
  return undefined;
}

/** The transport failure behind an error, when the network (not the server) failed. */
export function networkOf(error: AnyFlyteError): NetworkFailure | undefined {
  const network = error.details.network;
  if (typeof network === "object" && network !== null) return network as NetworkFailure;
  const inner = error.cause;
  if (isFlyteError(inner) && error.details.rpcError !== undefined) return networkOf(inner);
  return undefined;
}

/**
 * True when the server certainly did not process the request: a refused stream, or a
 * stream above a GOAWAY's last stream id (RFC 9113 §8.7, §6.8). Safe to send again.
 */
export function unprocessed(error: AnyFlyteError): boolean {
  return networkOf(error)?.unprocessed === true;
}

/** True when the server asked us to slow down (RESOURCE_EXHAUSTED, HTTP 429). */
export function throttled(error: AnyFlyteError): boolean {
  return error instanceof SlowDownError || rpcCodeOf(error) === "RESOURCE_EXHAUSTED";
}

/** How long the server asked us to wait (RetryInfo, else Retry-After), whatever the code. */
export function retryAfterOf(error: AnyFlyteError): number | undefined {
  if (error instanceof SlowDownError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const hinted = error.details.retryAfterMs;
  if (typeof hinted === "number" && Number.isFinite(hinted) && hinted >= 0) return hinted;
  const inner = error.cause;
  if (isFlyteError(inner) && error.details.rpcError !== undefined) return retryAfterOf(inner);
  return undefined;
}
