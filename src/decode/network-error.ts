/**
 * Finds the Node network failure behind an RPC error.
 *
 * connect-node wraps socket errors in a ConnectError and maps them to different codes
 * (ECONNRESET becomes Aborted, ECONNREFUSED Unavailable), and fetch wraps them in a
 * TypeError, sometimes in an AggregateError per address. The code that matters to a caller
 * sits somewhere down the `cause` chain, so the whole chain is searched.
 */

/** The first network failure found, with what Node said about it. */
export interface NetworkFailure {
  /** The Node error code, for example `ECONNREFUSED` or `ERR_HTTP2_STREAM_ERROR`. */
  readonly code: string;
  readonly syscall?: string;
  readonly address?: string;
  readonly port?: number;
  readonly message: string;
}

const SOCKET_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/** HTTP/2 errors about the stream or the session, not about what we asked it to send. */
function isHttp2TransportCode(code: string): boolean {
  return (
    code.startsWith("ERR_HTTP2_") &&
    (code.includes("STREAM") ||
      code.includes("SESSION") ||
      code.includes("GOAWAY") ||
      code.includes("PING") ||
      code.includes("SOCKET"))
  );
}

/** True when the string is a Node code that means the network, not the server, failed. */
export function isNetworkErrorCode(code: string): boolean {
  return SOCKET_CODES.has(code) || isHttp2TransportCode(code);
}

/** Searches `error`, its causes and aggregated errors (at most 32 values); never throws. */
export function findNetworkFailure(error: unknown): NetworkFailure | undefined {
  const queue: unknown[] = [error];
  const seen = new Set<unknown>();
  while (queue.length > 0 && seen.size < 32) {
    const value = queue.shift();
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    try {
      const found = asNetworkFailure(value);
      if (found !== undefined) return found;
      const { cause, errors } = value as { cause?: unknown; errors?: unknown };
      if (cause !== undefined) queue.push(cause);
      if (Array.isArray(errors)) queue.push(...errors.slice(0, 8));
    } catch {
      // A getter that throws is not a network failure.
    }
  }
  return undefined;
}

function asNetworkFailure(value: object): NetworkFailure | undefined {
  const { code, syscall, address, port, message } = value as {
    code?: unknown;
    syscall?: unknown;
    address?: unknown;
    port?: unknown;
    message?: unknown;
  };
  if (typeof code !== "string" || !isNetworkErrorCode(code)) return undefined;
  return {
    code,
    message: typeof message === "string" ? message : code,
    ...(typeof syscall === "string" ? { syscall } : {}),
    ...(typeof address === "string" ? { address } : {}),
    ...(typeof port === "number" ? { port } : {}),
  };
}
