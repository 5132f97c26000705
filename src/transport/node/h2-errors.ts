import { type ClientHttp2Stream, constants } from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";

/** RFC 9113 §7 error codes by number, for messages. */
const H2_CODE_NAMES: Readonly<Record<number, string>> = {
  [constants.NGHTTP2_NO_ERROR]: "NO_ERROR",
  [constants.NGHTTP2_PROTOCOL_ERROR]: "PROTOCOL_ERROR",
  [constants.NGHTTP2_INTERNAL_ERROR]: "INTERNAL_ERROR",
  [constants.NGHTTP2_FLOW_CONTROL_ERROR]: "FLOW_CONTROL_ERROR",
  [constants.NGHTTP2_SETTINGS_TIMEOUT]: "SETTINGS_TIMEOUT",
  [constants.NGHTTP2_STREAM_CLOSED]: "STREAM_CLOSED",
  [constants.NGHTTP2_FRAME_SIZE_ERROR]: "FRAME_SIZE_ERROR",
  [constants.NGHTTP2_REFUSED_STREAM]: "REFUSED_STREAM",
  [constants.NGHTTP2_CANCEL]: "CANCEL",
  [constants.NGHTTP2_COMPRESSION_ERROR]: "COMPRESSION_ERROR",
  [constants.NGHTTP2_CONNECT_ERROR]: "CONNECT_ERROR",
  [constants.NGHTTP2_ENHANCE_YOUR_CALM]: "ENHANCE_YOUR_CALM",
  [constants.NGHTTP2_INADEQUATE_SECURITY]: "INADEQUATE_SECURITY",
  [constants.NGHTTP2_HTTP_1_1_REQUIRED]: "HTTP_1_1_REQUIRED",
};

/** The name of an HTTP/2 error code, or its number in hex. */
export function h2CodeName(code: number): string {
  return H2_CODE_NAMES[code] ?? `0x${code.toString(16)}`;
}

/** What the peer said in a GOAWAY frame. */
export interface GoawayInfo {
  readonly errorCode: number;
  readonly errorName: string;
  readonly lastStreamId: number;
  /** The frame's opaque debug data as text, for example `too_many_pings`. */
  readonly debugData: string;
}

/**
 * A failure of the HTTP/2 transport itself, never of the server's application: a stream the
 * peer reset, a connection that answered no PING, a GOAWAY. It is the `cause` of the
 * ConnectError a call fails with, and the decoders recognise it by its Node-style `code`
 * and its fields, never by any text a server wrote.
 *
 * `unprocessed` is the RFC 9113 guarantee that the server did not act on the request: a
 * stream refused with REFUSED_STREAM (§8.7), or opened above a GOAWAY's last stream id
 * (§6.8). Such a request is safe to send again whatever its method.
 */
export class Http2TransportError extends Error {
  override readonly name = "Http2TransportError";
  /** `ERR_HTTP2_STREAM_ERROR`, `ERR_HTTP2_GOAWAY_SESSION`, `ERR_HTTP2_PING_TIMEOUT`, … */
  readonly code: string;
  /** The RST_STREAM error code, when the peer reset the stream. */
  readonly rstCode?: number | undefined;
  readonly unprocessed: boolean;
  readonly goaway?: GoawayInfo | undefined;

  constructor(
    message: string,
    fields: {
      code: string;
      rstCode?: number | undefined;
      unprocessed?: boolean | undefined;
      goaway?: GoawayInfo | undefined;
    },
  ) {
    super(message);
    this.code = fields.code;
    if (fields.rstCode !== undefined) this.rstCode = fields.rstCode;
    this.unprocessed = fields.unprocessed ?? false;
    if (fields.goaway !== undefined) this.goaway = fields.goaway;
  }
}

/** A stream the peer closed with RST_STREAM `rstCode`. */
export function streamReset(rstCode: number): Http2TransportError {
  return new Http2TransportError(`the peer reset the stream with ${h2CodeName(rstCode)}`, {
    code: "ERR_HTTP2_STREAM_ERROR",
    rstCode,
    unprocessed: rstCode === constants.NGHTTP2_REFUSED_STREAM,
  });
}

/** A stream cut by the peer's GOAWAY; `unprocessed` when its id was above the last one. */
export function goawayReset(goaway: GoawayInfo, streamId: number | undefined): Http2TransportError {
  const unprocessed = streamId === undefined || streamId > goaway.lastStreamId;
  const debug = goaway.debugData === "" ? "" : ` (${goaway.debugData})`;
  return new Http2TransportError(
    `the server closed the connection with GOAWAY ${goaway.errorName}${debug}`,
    { code: "ERR_HTTP2_GOAWAY_SESSION", unprocessed, goaway },
  );
}

/** A gRPC response whose stream ended with neither trailers nor a status. */
export function truncatedReply(): Http2TransportError {
  return new Http2TransportError(
    "the stream ended without a gRPC status: the reply was cut short",
    {
      code: "ERR_RESPONSE_TRUNCATED",
    },
  );
}

/**
 * The code gRPC's HTTP/2 mapping gives a stream reset: REFUSED_STREAM is UNAVAILABLE (the
 * request was not processed), CANCEL is CANCELED, ENHANCE_YOUR_CALM RESOURCE_EXHAUSTED,
 * INADEQUATE_SECURITY PERMISSION_DENIED, and the rest INTERNAL.
 */
function codeOfReset(rstCode: number): Code {
  switch (rstCode) {
    case constants.NGHTTP2_REFUSED_STREAM:
      return Code.Unavailable;
    case constants.NGHTTP2_CANCEL:
      return Code.Canceled;
    case constants.NGHTTP2_ENHANCE_YOUR_CALM:
      return Code.ResourceExhausted;
    case constants.NGHTTP2_INADEQUATE_SECURITY:
    case constants.NGHTTP2_HTTP_1_1_REQUIRED:
      return Code.PermissionDenied;
    default:
      return Code.Internal;
  }
}

/**
 * The ConnectError a call fails with when the transport failed under it: the code gRPC's
 * mapping gives a reset stream, else UNAVAILABLE ("the service is not reachable right
 * now"), with the transport error (or the Node socket error) as its cause for the decoders
 * to read.
 */
export function transportFailure(cause: unknown): ConnectError {
  if (cause instanceof ConnectError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  const code =
    cause instanceof Http2TransportError && cause.rstCode !== undefined
      ? codeOfReset(cause.rstCode)
      : Code.Unavailable;
  return new ConnectError(message, code, undefined, undefined, cause);
}

/**
 * Why a stream that has closed did not end well, or undefined when it did: the error the
 * stream was destroyed with (a GOAWAY, a dead connection, a socket error), else the peer's
 * RST_STREAM code. Node also reports a peer's reset as an `ERR_HTTP2_STREAM_ERROR`, and a
 * stream destroyed here as a local INTERNAL_ERROR reset; neither says more than these two.
 */
export function closeFailure(stream: ClientHttp2Stream): Error | undefined {
  const errored = (stream as { errored?: unknown | undefined }).errored;
  if (
    errored instanceof Error &&
    (errored as { code?: unknown | undefined }).code !== "ERR_HTTP2_STREAM_ERROR"
  ) {
    return errored;
  }
  const code = stream.rstCode ?? constants.NGHTTP2_NO_ERROR;
  return code === constants.NGHTTP2_NO_ERROR ? undefined : streamReset(code);
}

/**
 * Calls `settled` once, when the stream's outcome is known: on "close", with
 * {@link closeFailure}; or shortly after the peer's END_STREAM when the stream stays open
 * because our own side is still sending. A server may answer in full before it has read
 * the whole request (RFC 9113 §8.1), for example refusing a request that is too large, and
 * stop reading it: flow control then holds our side open forever. Once the response is
 * complete the rest of the request is cancelled.
 *
 * The wait after "end" lets a reset in the same batch of frames arrive first: Node also
 * ends the readable side of a stream the peer reset, so "end" alone is not a clean end.
 */
export function onStreamSettled(
  stream: ClientHttp2Stream,
  settled: (failure: Error | undefined) => void,
): void {
  let done = false;
  const once = (failure: Error | undefined) => {
    if (done) return;
    done = true;
    settled(failure);
  };
  stream.once("close", () => once(closeFailure(stream)));
  stream.once("end", () => {
    setImmediate(() => {
      if (done || stream.closed || stream.aborted) return;
      const failure = closeFailure(stream);
      once(failure);
      // CANCEL, not NO_ERROR: Node would wait with NO_ERROR for the blocked writes to finish.
      if (failure === undefined) stream.close(constants.NGHTTP2_CANCEL);
    });
  });
}
