/**
 * A gRPC server written on `node:http2` alone, for the regression suites: it speaks just
 * enough gRPC (5-byte message framing, `content-type: application/grpc`, `grpc-status`
 * trailers) for the client to work, and nothing stands between a test and the frames, so
 * it can misbehave exactly as a real server or proxy does: a 204 carrying `grpc-status`,
 * a small SETTINGS_MAX_CONCURRENT_STREAMS, SETTINGS that arrive late, REFUSED_STREAM,
 * GOAWAY ENHANCE_YOUR_CALM, secrets echoed back.
 *
 * Connect's own server would not do: it always answers correctly.
 */

import * as http2 from "node:http2";
import * as net from "node:net";
import { type DescMessage, type MessageShape, toBinary } from "@bufbuild/protobuf";
import type { Any } from "@bufbuild/protobuf/wkt";
import { StatusSchema } from "../../src/gen/google/rpc/status_pb.js";

/** One RPC as the server received it. */
export interface RawCall {
  /** The method's simple name, e.g. `CreateRun`. */
  readonly method: string;
  readonly headers: http2.IncomingHttpHeaders;
  readonly stream: http2.ServerHttp2Stream;
  /** Which connection, counting from 1 in the order they were accepted. */
  readonly connection: number;
  /** The request message, without its 5-byte prefix. */
  readonly body: Uint8Array;
}

/** How the server behaves below the RPCs. */
export interface RawServerOptions {
  /** The SETTINGS the server sends, e.g. `{ maxConcurrentStreams: 32 }`. */
  readonly settings?: http2.Settings;
  /**
   * Holds everything the server sends on a new connection, its SETTINGS first, for this
   * long; the client's bytes reach it at once. A server on a slow link looks like this.
   */
  readonly settingsDelayMs?: number;
  /** Answers each call; an exception answers INTERNAL. */
  readonly handle: (call: RawCall) => void | Promise<void>;
  /** Told about every PING the client sends, on the connection numbered `connection`. */
  readonly onPing?: (connection: number, session: http2.ServerHttp2Session) => void;
}

/** A running raw server. */
export interface RawServer {
  readonly url: string;
  readonly port: number;
  /** Every PING received: the connection it came on and `performance.now()`. */
  readonly pings: { connection: number; at: number }[];
  /** With `settingsDelayMs`: requests the client sent before it could see the SETTINGS. */
  requestsBeforeSettings(): number;
  close(): Promise<void>;
}

/** Starts the server on a free loopback port. */
export async function startRawServer(options: RawServerOptions): Promise<RawServer> {
  const server = http2.createServer({ settings: options.settings ?? {} });
  const sessions = new Set<http2.ServerHttp2Session>();
  const pings: { connection: number; at: number }[] = [];
  let accepted = 0;
  const numbers = new WeakMap<http2.ServerHttp2Session, number>();
  server.on("session", (session) => {
    const connection = ++accepted;
    numbers.set(session, connection);
    sessions.add(session);
    session.on("error", () => {});
    session.once("close", () => sessions.delete(session));
    session.on("ping", () => {
      pings.push({ connection, at: performance.now() });
      options.onPing?.(connection, session);
    });
  });
  server.on("stream", (stream, headers) => {
    stream.on("error", () => {});
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", () => {
      const whole = Buffer.concat(chunks);
      const call: RawCall = {
        method: String(headers[":path"] ?? "").replace(/^.*\//, ""),
        headers,
        stream,
        connection: numbers.get(stream.session as http2.ServerHttp2Session) ?? 0,
        body: whole.subarray(5),
      };
      Promise.resolve()
        .then(() => options.handle(call))
        .catch((error: unknown) => {
          if (!stream.headersSent && !stream.destroyed) {
            trailersOnly(stream, { code: 13, message: `test server: ${String(error)}` });
          }
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const inner = (server.address() as net.AddressInfo).port;
  const relay =
    options.settingsDelayMs === undefined
      ? undefined
      : await delayRelay(inner, options.settingsDelayMs);
  const port = relay?.port ?? inner;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pings,
    requestsBeforeSettings: () => relay?.requestsBeforeSettings() ?? 0,
    async close() {
      await relay?.close();
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A gRPC message frame: uncompressed flag, big-endian length, bytes. */
export function frame(bytes: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + bytes.length);
  out.writeUInt32BE(bytes.length, 1);
  out.set(bytes, 5);
  return out;
}

/** Answers a unary call with one message and status OK. */
export function replyUnary<D extends DescMessage>(
  stream: http2.ServerHttp2Stream,
  schema: D,
  message: MessageShape<D>,
): void {
  if (stream.destroyed) return;
  stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
  stream.end(frame(toBinary(schema, message)));
}

/** Opens a server stream: headers now, messages with {@link sendMessage}, then {@link endStream}. */
export function openStream(stream: http2.ServerHttp2Stream): void {
  stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
}

export function sendMessage<D extends DescMessage>(
  stream: http2.ServerHttp2Stream,
  schema: D,
  message: MessageShape<D>,
): void {
  if (!stream.destroyed && !stream.writableEnded) stream.write(frame(toBinary(schema, message)));
}

/** Ends an open stream with a status in its trailers. */
export function endStream(
  stream: http2.ServerHttp2Stream,
  status: { code: number; message?: string; trailers?: http2.OutgoingHttpHeaders } = { code: 0 },
): void {
  if (stream.destroyed || stream.writableEnded) return;
  stream.once("wantTrailers", () => {
    stream.sendTrailers({
      "grpc-status": String(status.code),
      ...(status.message === undefined
        ? {}
        : { "grpc-message": encodeURIComponent(status.message) }),
      ...status.trailers,
    });
  });
  stream.end();
}

/** What a failure carries besides its code. */
export interface Failure {
  readonly code: number;
  readonly message: string;
  /** google.rpc details (see `anyPack`), sent in `grpc-status-details-bin`. */
  readonly details?: readonly Any[];
  /** The HTTP status of the reply; gRPC says 200, proxies do otherwise. */
  readonly httpStatus?: number;
  /** More headers for the reply. */
  readonly headers?: http2.OutgoingHttpHeaders;
}

/**
 * A trailers-only reply: the status in the response headers and no body, as Envoy sends
 * errors, and as nginx's documented gRPC error page does with `httpStatus: 204`.
 */
export function trailersOnly(stream: http2.ServerHttp2Stream, failure: Failure): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond(
    {
      ":status": failure.httpStatus ?? 200,
      "content-type": "application/grpc",
      ...statusHeaders(failure),
      ...failure.headers,
    },
    { endStream: true },
  );
}

/** `grpc-status`, `grpc-message` and, with details, `grpc-status-details-bin`. */
export function statusHeaders(failure: Failure): http2.OutgoingHttpHeaders {
  const headers: http2.OutgoingHttpHeaders = {
    "grpc-status": String(failure.code),
    "grpc-message": encodeURIComponent(failure.message),
  };
  if (failure.details !== undefined && failure.details.length > 0) {
    const status = toBinary(StatusSchema, {
      $typeName: "google.rpc.Status",
      code: failure.code,
      message: failure.message,
      details: [...failure.details],
    });
    headers["grpc-status-details-bin"] = Buffer.from(status).toString("base64").replace(/=+$/, "");
  }
  return headers;
}

/** Resets a stream the way a server at its limit refuses one: it was never processed. */
export function refuse(stream: http2.ServerHttp2Stream): void {
  stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
}

/**
 * A TCP relay that passes the client's bytes at once and holds the server's for `delayMs`
 * after each connection opens: the client sees the server's SETTINGS late. It reads the
 * client's frames meanwhile, to count the requests (HEADERS frames) sent before then.
 */
async function delayRelay(
  target: number,
  delayMs: number,
): Promise<{ port: number; requestsBeforeSettings(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let early = 0;
  const relay = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.once("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    const frames = new FrameCounter();
    let held = true;
    client.on("data", (chunk: Buffer) => {
      if (held) early += frames.headersIn(chunk);
    });
    client.pipe(upstream);
    upstream.pause();
    const timer = setTimeout(() => {
      timers.delete(timer);
      held = false;
      upstream.pipe(client);
      upstream.resume();
    }, delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  return {
    port: (relay.address() as net.AddressInfo).port,
    requestsBeforeSettings: () => early,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

/** Splits a client's byte stream into HTTP/2 frames (after the preface) and counts HEADERS. */
class FrameCounter {
  private pending = Buffer.alloc(0);
  private prefaceLeft = 24;

  headersIn(chunk: Buffer): number {
    let bytes = Buffer.concat([this.pending, chunk]);
    const skip = Math.min(this.prefaceLeft, bytes.length);
    this.prefaceLeft -= skip;
    bytes = bytes.subarray(skip);
    let count = 0;
    while (bytes.length >= 9) {
      const length = bytes.readUIntBE(0, 3);
      if (bytes.length < 9 + length) break;
      if (bytes[3] === 0x1) count++;
      bytes = bytes.subarray(9 + length);
    }
    this.pending = Buffer.from(bytes);
    return count;
  }
}
