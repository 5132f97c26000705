/**
 * The gRPC status of a reply whose HTTP status was not 200.
 *
 * The gRPC HTTP/2 mapping says a client derives the code from the HTTP status only when
 * the reply carries no `grpc-status`. Real infrastructure sends both: nginx's documented
 * gRPC error pages answer `204` with `grpc-status: 14`, and Envoy's trailers-only replies
 * put the status in the headers of a non-200 reply. Connect-ES looks at the HTTP status
 * first and reports `HTTP 204` with code UNKNOWN, keeping the headers as metadata; this
 * reads the status it skipped.
 */

import { ConnectError } from "@connectrpc/connect";
import { findTrailerError } from "@connectrpc/connect/protocol-grpc";

/**
 * The ConnectError the reply's own `grpc-status`, `grpc-message` and
 * `grpc-status-details-bin` describe, when `error` is Connect-ES's complaint about a
 * non-200 HTTP status and those headers are there; undefined otherwise. Never throws: a
 * status that does not parse leaves the HTTP mapping in place.
 *
 * Connect-ES raises such complaints (gRPC: `HTTP 204`; gRPC-Web: the `grpc-message`, with
 * the code of the HTTP status) with the reply's headers as metadata, and never marks them
 * as wire errors; a status it did read from the wire is marked. So a complaint that is not
 * a wire error yet carries a `grpc-status` is exactly the case to repair.
 */
export function statusFromHeaders(error: unknown): ConnectError | undefined {
  if (!(error instanceof ConnectError) || error.isWireError) return undefined;
  const headers = error.metadata;
  if (!headers.has("grpc-status") && !headers.has("grpc-status-details-bin")) return undefined;
  try {
    const found = findTrailerError(headers);
    if (found === undefined) return undefined;
    const wire = new ConnectError(found.rawMessage, found.code, headers, undefined, error);
    wire.details = found.details;
    wire.isWireError = true;
    return wire;
  } catch {
    return undefined;
  }
}
