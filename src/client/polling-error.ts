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
 * watch meets on real networks, judged from the transport and the status code alone, never
 * from the text of a server's message:
 *
 * - a failure of the transport itself: a reset stream, a dead or closed connection, a
 *   GOAWAY, a socket error, a reply cut short, a browser's fetch failure, a message whose
 *   bytes did not parse;
 * - UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, and a CANCELED the caller did not ask for;
 * - the server asking us to slow down.
 *
 * Everything else is a real failure, an INTERNAL from the server included: a server that
 * says "transaction aborted" has not reset a stream. So is a failure that cannot heal by
 * itself, such as a TLS certificate the client does not trust.
 *
 * The caller's own abort never reaches a hook: the loop ends on it first.
 */
export function silenceGrpcPollingError(error: unknown, _context?: PollingErrorContext): boolean {
  if (error instanceof SlowDownError) return true;
  if (!(error instanceof UnionRpcError) || !error.retryable) return false;
  if (isTransportFailure(error)) return true;
  return TRANSIENT_CODES.has(error.code);
}

/**
 * The decoders put what the transport said under `details.network`, and a reply message
 * the client could not read under `details.unreadable`; a server's status can set neither.
 */
function isTransportFailure(error: UnionRpcError): boolean {
  const network = error.details.network;
  return (
    (typeof network === "object" && network !== null) ||
    typeof error.details.unreadable === "string"
  );
}
