/**
 * A reply message the client could not read: its bytes did not parse as the message the
 * method returns. The server's status never says this (a server that fails says so in its
 * status); the client library raises it while reading, so its own words identify it:
 * connect-es's `parse binary: …`, protobuf-es's JSON errors under a ConnectError, and the
 * lean gRPC path's `ERR_MESSAGE_UNREADABLE`.
 *
 * Corrupt bytes come from somewhere between the two ends more often than from the server,
 * and a watch read again gets a fresh message, so the watch treats it as transient; the
 * failure budgets bound a server that corrupts every message.
 */

import { ConnectError } from "@connectrpc/connect";

/** What the client library said about the message it could not read. */
export function unreadableMessage(error: unknown): string | undefined {
  if (!(error instanceof ConnectError) || error.isWireError) return undefined;
  const cause = error.cause as
    | { code?: unknown | undefined; message?: unknown | undefined; name?: unknown | undefined }
    | undefined;
  if (cause?.code === "ERR_MESSAGE_UNREADABLE") return error.rawMessage;
  if (error.rawMessage.startsWith("parse binary: ")) return error.rawMessage;
  if (
    cause instanceof Error &&
    (cause.name === "SyntaxError" ||
      (typeof cause.message === "string" && cause.message.startsWith("cannot decode ")))
  ) {
    return error.rawMessage;
  }
  return undefined;
}
