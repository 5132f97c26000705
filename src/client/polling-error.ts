import type { AnyFlyteError } from "../errors/failure.js";
import { SlowDownError, UnionRpcError } from "../errors/failure.js";

/** What the watch and polling loop knows when it asks whether an error is noise. */
export interface PollingErrorContext {
  /** The RPC that failed, for example `WatchActionDetails` or `GetActionDetails`. */
  readonly method: string;
  /** How many subscriptions or polls this loop has made, counting from 1. */
  readonly attempt: number;
  /** Failures since the last delivered message, including this one. */
  readonly consecutiveFailures: number;
  readonly runName: string;
  readonly actionName: string;
  /** Time since the loop started. */
  readonly elapsedMs: number;
}

/**
 * Decides whether a watch or polling error is benign transport noise (retry quietly) or a
 * real failure (surface it). Replace it with `createClient({ silenceGrpcPollingError })`;
 * a replacement can call {@link silenceGrpcPollingError} for the default verdict.
 */
export type PollingErrorHook = (error: AnyFlyteError, context: PollingErrorContext) => boolean;

const TRANSIENT_CODES = new Set(["UNAVAILABLE", "DEADLINE_EXCEEDED", "ABORTED", "CANCELED"]);

/**
 * The default hook, named after the Python SDK's `silence_grpc_polling_error`, which
 * swallowed the `BlockingIOError` noise of gRPC's poller. Here the noise is what a long
 * watch meets on real networks: UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, a CANCELED that
 * the caller did not ask for, an INTERNAL that is really a reset stream, network errors,
 * and the server asking us to slow down. Everything else is a real failure.
 *
 * The caller's own abort never reaches a hook: the loop ends on it first.
 */
export function silenceGrpcPollingError(error: unknown, _context?: PollingErrorContext): boolean {
  if (error instanceof SlowDownError) return true;
  if (!(error instanceof UnionRpcError)) return false;
  if (TRANSIENT_CODES.has(error.code)) return true;
  if (error.code === "INTERNAL") return causedByStreamReset(error);
  return false;
}

const RESET_MARKERS = [
  "RST_STREAM",
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_STREAM_CANCEL",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_INVALID_SESSION",
  "ECONNRESET",
  "EPIPE",
  "EAGAIN",
  "premature close",
  "stream reset",
  "NGHTTP2_",
  "socket hang up",
  "aborted",
  // A response cut off before its trailers: the connection went away mid-stream.
  "missing status",
  "missing trailer",
  "premature EOF",
  "ERR_STREAM_PREMATURE_CLOSE",
];

/**
 * connect reports a stream that the server or a proxy reset, or a response cut off before
 * its trailers, as INTERNAL; the Node error that says so sits somewhere in the cause chain
 * or in the message.
 */
function causedByStreamReset(error: UnionRpcError): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current) && seen.size < 16) {
    seen.add(current);
    const text =
      current instanceof Error
        ? `${current.message} ${(current as { code?: unknown }).code ?? ""}`
        : String(current);
    if (RESET_MARKERS.some((marker) => text.includes(marker))) return true;
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}
