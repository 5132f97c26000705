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
  /**
   * The Node error code, for example `ECONNREFUSED` or `ERR_HTTP2_STREAM_ERROR`;
   * `FETCH_NETWORK_ERROR` for a browser's fetch failure, `ERR_RESPONSE_TRUNCATED` for a
   * response that ended before its status.
   */
  readonly code: string;
  readonly syscall?: string | undefined;
  readonly address?: string | undefined;
  readonly port?: number | undefined;
  readonly message: string;
  /** The HTTP/2 RST_STREAM code, when the peer reset the stream. */
  readonly rstCode?: number | undefined;
  /**
   * The server did not process the request (REFUSED_STREAM, or a stream above a GOAWAY's
   * last stream id, RFC 9113 §8.7 and §6.8): it is safe to send again, whatever it was.
   */
  readonly unprocessed?: boolean | undefined;
  /** What the server said in its GOAWAY, when one ended the connection. */
  readonly goaway?:
    | {
        readonly errorCode: number;
        readonly errorName: string;
        readonly lastStreamId: number;
        readonly debugData: string;
      }
    | undefined;
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
  "ERR_RESPONSE_TRUNCATED",
]);

/**
 * What browsers' fetch throws, as a TypeError, when the network fails under it: Chromium,
 * connect-web's reading of a dropped body in Chromium, Firefox and Safari. These are the
 * runtime's own errors, never a server's text: a server's words arrive as a ConnectError.
 */
const FETCH_FAILURES: ReadonlySet<string> = new Set([
  "Failed to fetch",
  "network error",
  "NetworkError when attempting to fetch resource.",
  "Load failed",
  "fetch failed",
]);

/** HTTP/2 errors about the stream or the session, not about what we asked it to send. */
function isHttp2TransportCode(code: string): boolean {
  return (
    code.startsWith("ERR_HTTP2_") &&
    (code.includes("STREAM") ||
      code.includes("SESSION") ||
      code.includes("GOAWAY") ||
      code.includes("PING") ||
      code.includes("SETTINGS") ||
      code.includes("SOCKET"))
  );
}

/** True when the string is a Node code that means the network, not the server, failed. */
export function isNetworkErrorCode(code: string): boolean {
  return SOCKET_CODES.has(code) || isHttp2TransportCode(code);
}

/** TLS verification failures: a trust problem to configure, not a network blip. */
const TLS_CODES: ReadonlySet<string> = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
]);

/** True when the code is a TLS certificate verification failure. */
export function isTlsCertificateCode(code: string): boolean {
  return TLS_CODES.has(code);
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
      const { cause, errors } = value as {
        cause?: unknown | undefined;
        errors?: unknown | undefined;
      };
      if (cause !== undefined) queue.push(cause);
      if (Array.isArray(errors)) queue.push(...errors.slice(0, 8));
    } catch {
      // A getter that throws is not a network failure.
    }
  }
  return undefined;
}

/**
 * The browser fetch failure in `error` or its causes, when there is no more specific
 * network failure: Chromium, Firefox and Safari each have their own words for it.
 */
export function findFetchFailure(error: unknown): NetworkFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 16 && typeof current === "object" && current !== null; depth++) {
    try {
      const message = (current as { message?: unknown | undefined }).message;
      if (
        current instanceof TypeError &&
        typeof message === "string" &&
        FETCH_FAILURES.has(message)
      ) {
        return { code: "FETCH_NETWORK_ERROR", message };
      }
      current = (current as { cause?: unknown | undefined }).cause;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function asNetworkFailure(value: object): NetworkFailure | undefined {
  const { code, syscall, address, port, message, rstCode, unprocessed, goaway } = value as {
    code?: unknown | undefined;
    syscall?: unknown | undefined;
    address?: unknown | undefined;
    port?: unknown | undefined;
    message?: unknown | undefined;
    rstCode?: unknown | undefined;
    unprocessed?: unknown | undefined;
    goaway?: unknown | undefined;
  };
  if (typeof code !== "string" || !(isNetworkErrorCode(code) || isTlsCertificateCode(code))) {
    return undefined;
  }
  return {
    code,
    message: typeof message === "string" ? message : code,
    ...(typeof syscall === "string" ? { syscall } : {}),
    ...(typeof address === "string" ? { address } : {}),
    ...(typeof port === "number" ? { port } : {}),
    ...(typeof rstCode === "number" ? { rstCode } : {}),
    ...(unprocessed === true ? { unprocessed: true } : {}),
    ...(isGoaway(goaway) ? { goaway: { ...goaway } } : {}),
  };
}

function isGoaway(value: unknown): value is NonNullable<NetworkFailure["goaway"]> {
  if (typeof value !== "object" || value === null) return false;
  const g = value as Record<string, unknown>;
  return (
    typeof g.errorCode === "number" &&
    typeof g.errorName === "string" &&
    typeof g.lastStreamId === "number" &&
    typeof g.debugData === "string"
  );
}
