import type { ClientHttp2Stream } from "node:http2";
import { constants } from "node:http2";
import {
  create,
  type DescMessage,
  type DescMethodServerStreaming,
  type DescMethodUnary,
  fromBinary,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { validateResponse, validateTrailer } from "@connectrpc/connect/protocol-grpc";
import type { LeanRpc } from "../connections.js";
import { onStreamSettled, transportFailure, truncatedReply } from "./h2-errors.js";
import type { H2Pool } from "./h2-pool.js";

/**
 * gRPC calls straight over the pool's HTTP/2 streams, for the client's hot paths: the
 * detail reads of thousands of settling waits, and the watch streams themselves.
 *
 * connect-es's general machinery (interceptor chains, linked abort signals, async-iterable
 * pipes, header conversions) costs more per call than the HTTP/2 stream under it. These
 * calls do the same protocol work directly and fail with the very ConnectErrors connect-es
 * would raise, built by connect-es's own gRPC helpers (`validateResponse`,
 * `findTrailerError`, `validateTrailer`), so the decoders see no difference. What they skip:
 * interceptors (the client uses them only when you pass none), compression (the client
 * never asks for it), deadlines and response-header callbacks (the client uses neither).
 */
export function createLeanGrpc(pool: H2Pool, baseUrl: URL): LeanRpc {
  const target: Target = {
    authority: baseUrl.host,
    // A base URL with a path (`https://host/flyte`) prefixes every method's path, as in
    // connect-es.
    prefix: baseUrl.pathname.replace(/\/+$/, ""),
  };
  return {
    unary(method, input, headers, signal, parse) {
      return new UnaryCall(pool, target, method, input, headers, signal, parse).result;
    },
    stream(method, input, headers, signal) {
      return streamCall(pool, target, method, input, headers, signal);
    },
  };
}

/** Where calls go: the `:authority` and the path prefix of the base URL. */
interface Target {
  readonly authority: string;
  readonly prefix: string;
}

const HEADER_BYTES = 5;

function requestHeaders(
  target: Target,
  method: { parent: { typeName: string }; name: string },
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    ":method": "POST",
    ":path": `${target.prefix}/${method.parent.typeName}/${method.name}`,
    ":authority": target.authority,
    "content-type": "application/grpc+proto",
    te: "trailers",
    ...headers,
  };
}

function envelope<I extends DescMessage>(schema: I, input: MessageInitShape<I>): Uint8Array {
  const bytes = toBinary(schema, create(schema, input));
  const out = new Uint8Array(HEADER_BYTES + bytes.byteLength);
  new DataView(out.buffer).setUint32(1, bytes.byteLength);
  out.set(bytes, HEADER_BYTES);
  return out;
}

function toHeaders(head: Readonly<Record<string, unknown>>): Headers {
  const out = new Headers();
  for (const key in head) {
    if (key.charCodeAt(0) === 58 /* ":" */) continue;
    const value = head[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.append(key, String(v));
    else out.set(key, String(value));
  }
  return out;
}

/** Parses a reply message; bytes that do not parse fail as connect-es reports them. */
function parse<O extends DescMessage>(
  schema: O,
  bytes: Uint8Array,
  read?: (bytes: Uint8Array) => MessageShape<O>,
): MessageShape<O> {
  try {
    return read === undefined ? fromBinary(schema, bytes) : read(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConnectError(`parse binary: ${reason}`, Code.Internal, undefined, undefined, {
      code: "ERR_MESSAGE_UNREADABLE",
      message: reason,
    });
  }
}

function hasStatus(headers: Headers): boolean {
  return headers.has("grpc-status") || headers.has("grpc-status-details-bin");
}

function abortError(signal: AbortSignal): ConnectError {
  return ConnectError.from(signal.reason, Code.Canceled);
}

/**
 * Splits gRPC envelopes out of the DATA chunks of one response, whatever their boundaries.
 * Holds at most one partial message.
 */
class Envelopes {
  private pending: Uint8Array | undefined;

  /** The complete messages in `chunk` (and what was left before it). */
  push(chunk: Uint8Array): Uint8Array[] {
    let data = chunk;
    if (this.pending !== undefined) {
      const joined = new Uint8Array(this.pending.byteLength + chunk.byteLength);
      joined.set(this.pending);
      joined.set(chunk, this.pending.byteLength);
      data = joined;
      this.pending = undefined;
    }
    const out: Uint8Array[] = [];
    let at = 0;
    while (data.byteLength - at >= HEADER_BYTES) {
      const flags = data[at]!;
      const length =
        ((data[at + 1]! << 24) | (data[at + 2]! << 16) | (data[at + 3]! << 8) | data[at + 4]!) >>>
        0;
      if (data.byteLength - at - HEADER_BYTES < length) break;
      if ((flags & 0b1) !== 0) {
        throw new ConnectError(
          "protocol error: received a compressed message without asking for one",
          Code.Internal,
        );
      }
      out.push(data.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length));
      at += HEADER_BYTES + length;
    }
    if (at < data.byteLength) this.pending = data.slice(at);
    return out;
  }

  /** True when the response stopped inside a message. */
  get incomplete(): boolean {
    return this.pending !== undefined;
  }
}

/** One unary call: one request envelope, one response envelope, the status in trailers. */
class UnaryCall<I extends DescMessage, O extends DescMessage> {
  readonly result: Promise<MessageShape<O>>;
  private resolve!: (value: MessageShape<O>) => void;
  private reject!: (error: unknown) => void;
  private header: Headers | undefined;
  private headerError: ConnectError | undefined;
  private trailer = new Headers();
  private readonly envelopes = new Envelopes();
  private message: Uint8Array | undefined;
  private done = false;

  constructor(
    pool: H2Pool,
    target: Target,
    private readonly method: DescMethodUnary<I, O>,
    input: MessageInitShape<I>,
    headers: Readonly<Record<string, string>>,
    private readonly signal: AbortSignal | undefined,
    private readonly read: ((bytes: Uint8Array) => MessageShape<O>) | undefined,
  ) {
    this.result = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const body = envelope(method.input, input);
    pool
      .request(requestHeaders(target, method, headers), "unary", signal, (stream) =>
        this.start(stream, body),
      )
      .catch((error: unknown) =>
        this.fail(signal?.aborted ? abortError(signal) : transportFailure(error)),
      );
  }

  private start(stream: ClientHttp2Stream, body: Uint8Array): void {
    const signal = this.signal;
    const onAbort = () => {
      this.fail(abortError(signal!));
      if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    stream.once("response", (head) => {
      const header = toHeaders(head);
      this.header = header;
      try {
        this.headerError = validateResponse(Number(head[":status"] ?? 0), header).headerError;
      } catch (error) {
        this.fail(error);
        if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL);
      }
    });
    stream.on("data", (chunk: Uint8Array) => {
      try {
        for (const message of this.envelopes.push(chunk)) {
          if (this.message !== undefined) {
            throw new ConnectError(
              "protocol error: received extra output message for unary method",
              Code.Unimplemented,
            );
          }
          this.message = message;
        }
      } catch (error) {
        this.fail(error);
        if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL);
      }
    });
    stream.once("trailers", (trailers) => {
      this.trailer = toHeaders(trailers);
    });
    stream.on("error", () => {
      // The outcome is read on "close", from the reset code or the error kept below.
    });
    onStreamSettled(stream, (failure) => {
      signal?.removeEventListener("abort", onAbort);
      if (this.done) return;
      if (signal?.aborted) this.fail(abortError(signal));
      else if (failure !== undefined) this.fail(transportFailure(failure));
      else this.finish();
    });
    stream.end(body);
  }

  private finish(): void {
    const header = this.header;
    if (header === undefined) {
      this.fail(transportFailure(new Error("the stream closed before the server answered")));
      return;
    }
    try {
      if (this.headerError !== undefined) {
        if (this.message === undefined) throw this.headerError;
        throw new ConnectError(
          "protocol error: received output message for unary method with error status",
          Code.Unknown,
        );
      }
      // No status in the headers nor in trailers: the reply was cut short on the way.
      if (!hasStatus(header) && !hasStatus(this.trailer)) throw transportFailure(truncatedReply());
      validateTrailer(this.trailer, header);
      if (this.envelopes.incomplete) {
        throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
      }
      if (this.message === undefined) {
        throw new ConnectError(
          "protocol error: missing output message for unary method",
          Code.Unimplemented,
        );
      }
      const value = parse(this.method.output, this.message, this.read);
      this.done = true;
      this.resolve(value);
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    this.reject(error instanceof ConnectError ? error : ConnectError.from(error, Code.Internal));
  }
}

/** A server-streaming call: every response envelope in order, then the status. */
async function* streamCall<I extends DescMessage, O extends DescMessage>(
  pool: H2Pool,
  target: Target,
  method: DescMethodServerStreaming<I, O>,
  input: MessageInitShape<I>,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal | undefined,
): AsyncGenerator<MessageShape<O>, void, undefined> {
  const body = envelope(method.input, input);
  let reader: StreamReader;
  try {
    reader = await pool.request(requestHeaders(target, method, headers), "stream", signal, (s) => {
      const attached = new StreamReader(s, signal);
      s.end(body);
      return attached;
    });
  } catch (error) {
    throw signal?.aborted ? abortError(signal) : transportFailure(error);
  }
  try {
    for (;;) {
      const next = await reader.next();
      if (next === undefined) return;
      yield parse(method.output, next);
    }
  } finally {
    reader.close();
  }
}

/**
 * The response side of one streaming call: messages as they complete, with backpressure,
 * and the outcome of the stream (trailers, a reset, an abort) once it ends.
 */
class StreamReader {
  private readonly envelopes = new Envelopes();
  private readonly queue: Uint8Array[] = [];
  private header: Headers | undefined;
  private headerError: ConnectError | undefined;
  private trailer = new Headers();
  private ending: { error?: unknown | undefined } | undefined;
  private wake: (() => void) | undefined;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    private readonly stream: ClientHttp2Stream,
    private readonly signal: AbortSignal | undefined,
  ) {
    if (signal !== undefined) {
      this.onAbort = () => this.end({ error: abortError(signal) });
      signal.addEventListener("abort", this.onAbort, { once: true });
    }
    stream.once("response", (head) => {
      const header = toHeaders(head);
      this.header = header;
      try {
        const checked = validateResponse(Number(head[":status"] ?? 0), header);
        if (checked.headerError !== undefined) this.headerError = checked.headerError;
      } catch (error) {
        this.end({ error });
      }
    });
    stream.on("data", (chunk: Uint8Array) => {
      try {
        for (const message of this.envelopes.push(chunk)) this.queue.push(message);
      } catch (error) {
        this.end({ error });
        return;
      }
      if (this.queue.length > 16) stream.pause();
      this.notify();
    });
    stream.once("trailers", (trailers) => {
      this.trailer = toHeaders(trailers);
    });
    stream.on("error", () => {
      // Read on "close".
    });
    onStreamSettled(stream, (failure) => {
      if (signal?.aborted) this.end({ error: abortError(signal) });
      else if (failure !== undefined) this.end({ error: transportFailure(failure) });
      else this.end(this.outcome());
    });
  }

  /** The next message, or undefined once the stream ended well; throws how it ended badly. */
  async next(): Promise<Uint8Array | undefined> {
    for (;;) {
      const message = this.queue.shift();
      if (message !== undefined) {
        if (this.queue.length < 4 && this.stream.isPaused()) this.stream.resume();
        return message;
      }
      const ending = this.ending;
      if (ending !== undefined) {
        if ("error" in ending) throw ending.error;
        return undefined;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Stops reading: a stream not ended yet is cancelled, so the server stops too. */
  close(): void {
    if (this.onAbort !== undefined) this.signal?.removeEventListener("abort", this.onAbort);
    if (!this.stream.closed) this.stream.close(constants.NGHTTP2_CANCEL);
    this.queue.length = 0;
  }

  /** How a stream that closed cleanly ended: its status, from headers or trailers. */
  private outcome(): { error?: unknown | undefined } {
    const header = this.header;
    if (header === undefined) {
      return { error: transportFailure(new Error("the stream closed before the server answered")) };
    }
    if (this.headerError !== undefined) return { error: this.headerError };
    if (hasStatus(header)) return {};
    if (!hasStatus(this.trailer)) return { error: transportFailure(truncatedReply()) };
    try {
      validateTrailer(this.trailer, header);
    } catch (error) {
      return { error };
    }
    if (this.envelopes.incomplete) {
      return {
        error: new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument),
      };
    }
    return {};
  }

  private end(ending: { error?: unknown | undefined }): void {
    if (this.ending !== undefined) return;
    this.ending = ending;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
