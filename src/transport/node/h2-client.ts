import { type ClientHttp2Stream, constants, type IncomingHttpHeaders } from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import type { UniversalClientFn, UniversalClientResponse } from "@connectrpc/connect/protocol";
import type { StreamKind } from "./h2-connection.js";
import { onStreamSettled, transportFailure, truncatedReply } from "./h2-errors.js";
import type { H2Pool } from "./h2-pool.js";

/**
 * connect's universal HTTP client over the pool: one HTTP/2 stream per call, placed by the
 * pool under the peer's stream limit. `isStreaming(path)` tells watches (which may last for
 * hours and are kept off each connection's reserve) from unary calls.
 *
 * Failures of the transport (a reset stream, a dead connection, a GOAWAY, a socket error)
 * reject as ConnectError UNAVAILABLE whose cause is the transport's own error, so the
 * decoders judge them from the transport alone, never from a server's words.
 *
 * Only unary and server-streaming calls are supported: the request body is read whole
 * before the stream opens, which is what lets the pool place it with its size known.
 */
export function createH2Client(
  pool: H2Pool,
  isStreaming: (path: string) => boolean,
): UniversalClientFn {
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname + url.search;
    const body = await readBody(request.body);
    const headers: Record<string, string | string[]> = {
      ":method": request.method,
      ":path": path,
    };
    request.header.forEach((value, key) => {
      headers[key] = value;
    });
    const kind: StreamKind = isStreaming(url.pathname) ? "stream" : "unary";
    const signal = request.signal;
    let reader: StreamReader;
    try {
      reader = await pool.request(headers, kind, signal, (stream) => {
        const attached = new StreamReader(stream, signal);
        stream.end(body);
        return attached;
      });
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      throw clientError(error);
    }
    return reader.response;
  };
}

async function readBody(body: AsyncIterable<Uint8Array> | undefined): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** What a stream ended with: nothing (cleanly) or the error to throw. */
type Ending = { readonly error: unknown } | undefined;

/**
 * Reads one stream: the response head, then the body chunk by chunk with backpressure,
 * then the trailers. A reset stream ends it with the transport's error, and the caller's
 * abort cancels the stream with CANCEL, as gRPC's mapping asks.
 */
class StreamReader implements AsyncIterator<Uint8Array> {
  readonly response: Promise<UniversalClientResponse>;
  private readonly chunks: Uint8Array[] = [];
  private ending: Ending | null = null;
  private wake: (() => void) | undefined;
  private readonly trailer = new Headers();
  private onAbort: (() => void) | undefined;
  private rejectResponse: ((error: unknown) => void) | undefined;
  /** A gRPC response whose status has not arrived yet (neither in headers nor trailers). */
  private grpcStatusPending = false;

  constructor(
    private readonly stream: ClientHttp2Stream,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.response = new Promise<UniversalClientResponse>((resolve, reject) => {
      this.rejectResponse = reject;
      stream.once("response", (head) => {
        this.rejectResponse = undefined;
        const type = String(head["content-type"] ?? "");
        this.grpcStatusPending =
          type.startsWith("application/grpc") &&
          !type.startsWith("application/grpc-web") &&
          head["grpc-status"] === undefined;
        resolve({
          status: Number(head[":status"] ?? 0),
          header: toHeaders(head),
          body: { [Symbol.asyncIterator]: () => this },
          trailer: this.trailer,
        });
      });
    });
    // The response promise may never be awaited when a call is abandoned early.
    this.response.catch(() => {});
    stream.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      if (this.chunks.length > 16) stream.pause();
      this.notify();
    });
    stream.once("trailers", (trailers) => {
      this.grpcStatusPending = false;
      for (const [key, value] of toHeaders(trailers)) this.trailer.set(key, value);
    });
    stream.on("error", (error) => {
      // A reset is judged on "close", from the RST_STREAM code itself.
      if ((error as { code?: unknown | undefined }).code === "ERR_HTTP2_STREAM_ERROR") return;
      this.finish({ error: clientError(error) });
    });
    onStreamSettled(stream, (failure) => {
      if (failure !== undefined) {
        this.finish({
          error: this.signal?.aborted ? abortError(this.signal) : clientError(failure),
        });
      } else if (this.grpcStatusPending) {
        // END_STREAM without trailers: a gRPC reply cut short, by a proxy or a server that
        // went away. gRPC's mapping makes it a transport failure, not a server's verdict.
        this.finish({ error: transportFailure(truncatedReply()) });
      } else {
        this.finish(undefined);
      }
      this.detach();
    });
    if (signal !== undefined) {
      this.onAbort = () => {
        this.finish({ error: abortError(signal) });
        if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL);
      };
      signal.addEventListener("abort", this.onAbort, { once: true });
    }
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        if (this.chunks.length < 4 && this.stream.isPaused()) this.stream.resume();
        return { done: false, value: chunk };
      }
      const ending = this.ending;
      if (ending !== null) {
        if (ending !== undefined) throw ending.error;
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** The consumer stopped reading: cancel the stream so the server stops too. */
  async return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.stream.closed) this.stream.close(constants.NGHTTP2_CANCEL);
    this.chunks.length = 0;
    this.finish(undefined);
    this.detach();
    return { done: true, value: undefined };
  }

  /** connect's pipes pass a downstream failure up: stop the stream and fail with it. */
  async throw(error: unknown): Promise<IteratorResult<Uint8Array>> {
    await this.return();
    throw error;
  }

  private finish(ending: Ending): void {
    if (this.ending !== null) return;
    this.ending = ending;
    const reject = this.rejectResponse;
    if (reject !== undefined) {
      // The stream ended before its response head: the call fails with why.
      this.rejectResponse = undefined;
      reject(
        ending?.error ??
          transportFailure(new Error("the stream closed before the server answered")),
      );
    }
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private detach(): void {
    if (this.onAbort !== undefined) this.signal?.removeEventListener("abort", this.onAbort);
    this.onAbort = undefined;
  }
}

function toHeaders(head: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(head)) {
    if (key.startsWith(":") || value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, String(value));
  }
  return headers;
}

function abortError(signal: AbortSignal): ConnectError {
  return ConnectError.from(signal.reason, Code.Canceled);
}

/** A Node or transport error as the UNAVAILABLE ConnectError connect expects from a client. */
function clientError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  const code = (error as { code?: unknown | undefined } | null)?.code;
  if (code === "ERR_CLIENT_CLOSED") {
    return new ConnectError("the client is closed", Code.Canceled, undefined, undefined, error);
  }
  return transportFailure(error);
}
