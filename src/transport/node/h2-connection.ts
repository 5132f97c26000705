import * as http2 from "node:http2";
import { type GoawayInfo, goawayReset, Http2TransportError, h2CodeName } from "./h2-errors.js";

/** What one connection needs from the pool that owns it. */
export interface ConnectionOwner {
  /** Current keepalive interval: PING after this much silence while streams are open. */
  readonly pingIntervalMs: number;
  /** A PING unanswered this long, or SETTINGS not received this long, means a dead peer. */
  readonly pingTimeoutMs: number;
  /** Options for `http2.connect`: TLS trust, for example. */
  readonly connectOptions: http2.SecureClientSessionOptions;
  /** The connection can take more streams than before (SETTINGS arrived, a stream ended). */
  roomChanged(connection: H2Connection): void;
  /** The connection will take no new stream again; `error` when it never became ready. */
  gone(connection: H2Connection, error?: unknown): void;
  /** The peer sent GOAWAY. */
  goaway(connection: H2Connection, info: GoawayInfo): void;
}

/** The kinds of stream, placed under different limits. */
export type StreamKind = "unary" | "stream";

/** Streams the client never lets watches take on a connection of `limit`; see the pool. */
export function reservedForUnary(limit: number): number {
  if (limit <= 1) return 0;
  return Math.min(16, Math.max(1, Math.ceil(limit / 10)));
}

function ignore(): void {}

/** Receive windows: per stream, and for the whole connection. */
const STREAM_WINDOW = 1 << 20;
const CONNECTION_WINDOW = 16 << 20;

/** The peer's limit when it states none: RFC 9113 says unlimited; we stop here. */
const UNSTATED_LIMIT = 1000;

/**
 * One HTTP/2 connection of the pool, following RFC 9113 rather than any one server:
 *
 * - It is not used before the peer's first SETTINGS frame arrives, so a burst of calls on a
 *   new connection never exceeds a SETTINGS_MAX_CONCURRENT_STREAMS it has not seen yet
 *   (the cause of REFUSED_STREAM storms), and it follows later SETTINGS.
 * - It never holds more streams than the peer allows: the pool asks {@link hasRoom} before
 *   every stream, so no stream waits in nghttp2's hidden queue, where a unary call would
 *   sit behind watches that never end.
 * - It sends a PING only after {@link ConnectionOwner.pingIntervalMs} of silence with
 *   streams open, and gives up on the connection when one goes unanswered: that finds a
 *   half-open connection, which no amount of waiting for messages can tell from a quiet run.
 * - A GOAWAY stops new streams at once; the streams it cut fail with an
 *   {@link Http2TransportError} that says whether the server processed them.
 * - It keeps an `error` listener for its whole life, so a late socket error only fails its
 *   streams and never becomes an uncaught exception, and it is unref'd while it has no
 *   streams, so an idle client never keeps a process alive.
 */
export class H2Connection {
  private session: http2.ClientHttp2Session | undefined;
  private state: "connecting" | "ready" | "draining" | "closed" = "connecting";
  private readonly streams = new Set<http2.ClientHttp2Stream>();
  private streaming = 0;
  private lastActivity = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pingDeadline: ReturnType<typeof setTimeout> | undefined;
  /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS, once known. */
  private limit = 0;

  constructor(
    readonly authority: string,
    private readonly owner: ConnectionOwner,
    /** The caller's own cap on watches per connection. */
    private readonly streamCap: number,
    /** How long a connection with no stream stays open. */
    private readonly idleCloseMs: number,
  ) {}

  /** Starts connecting. */
  open(): void {
    const session = http2.connect(this.authority, {
      ...this.owner.connectOptions,
      // HTTP/2's default windows (64 KiB) make a server wait for our WINDOW_UPDATE in the
      // middle of one large WatchRuns batch; larger ones let it write on.
      settings: { enablePush: false, initialWindowSize: STREAM_WINDOW },
    });
    session.once("connect", () => {
      if (!session.destroyed) session.setLocalWindowSize(CONNECTION_WINDOW);
    });
    this.session = session;
    session.on("error", (error) => this.fail(error));
    session.once("close", () =>
      this.fail(
        new Http2TransportError("the connection closed", {
          code: "ERR_HTTP2_SESSION_CLOSED",
        }),
      ),
    );
    session.on("remoteSettings", (settings) => {
      const stated = settings.maxConcurrentStreams;
      this.limit =
        stated === undefined || stated > UNSTATED_LIMIT ? UNSTATED_LIMIT : Math.max(0, stated);
      if (this.state === "connecting") {
        this.state = "ready";
        this.clearTimers();
        if (this.streams.size === 0) this.idle();
      }
      this.owner.roomChanged(this);
    });
    session.on("goaway", (errorCode: number, lastStreamId: number, data?: Buffer) =>
      this.onGoaway({
        errorCode,
        errorName: h2CodeName(errorCode),
        lastStreamId,
        debugData: data === undefined ? "" : data.toString("utf8", 0, 256),
      }),
    );
    // Nothing heard at all, not even SETTINGS: a black hole or a server that is not HTTP/2.
    this.timer = setTimeout(() => {
      this.fail(
        new Http2TransportError(
          `no HTTP/2 SETTINGS from ${this.authority} within ${this.owner.pingTimeoutMs} ms`,
          { code: "ERR_HTTP2_SETTINGS_TIMEOUT" },
        ),
      );
    }, this.owner.pingTimeoutMs);
  }

  /** Open streams now. */
  get activeStreams(): number {
    return this.streams.size;
  }

  /** Whether the connection takes another stream of `kind` now, within every limit. */
  hasRoom(kind: StreamKind): boolean {
    if (this.state !== "ready") return false;
    if (this.streams.size >= this.limit) return false;
    if (kind === "unary") return true;
    const cap = Math.min(this.streamCap, this.limit - reservedForUnary(this.limit));
    return this.streaming < cap;
  }

  /** Watch streams this connection takes at most, once its limit is known. */
  get watchCapacity(): number | undefined {
    if (this.state === "connecting") return undefined;
    return Math.max(1, Math.min(this.streamCap, this.limit - reservedForUnary(this.limit)));
  }

  /** True while the connection may still become ready. */
  get connecting(): boolean {
    return this.state === "connecting";
  }

  /** True once the connection takes no new stream. */
  get finished(): boolean {
    return this.state === "draining" || this.state === "closed";
  }

  /** Opens a stream; the pool calls it only after {@link hasRoom}. */
  request(headers: http2.OutgoingHttpHeaders, kind: StreamKind): http2.ClientHttp2Stream {
    const session = this.session;
    if (session === undefined || this.state !== "ready") {
      throw new Http2TransportError("the connection is not ready", {
        code: "ERR_HTTP2_INVALID_SESSION",
        unprocessed: true,
      });
    }
    const stream = session.request(headers, { endStream: false });
    // The caller listens once it has the stream, a tick later; a connection that dies in
    // between must not turn the stream's error into an uncaught exception. Outcomes are read
    // on "close" anyway.
    stream.on("error", ignore);
    stream.on("data", this.touch);
    this.streams.add(stream);
    if (kind === "stream") this.streaming++;
    if (this.streams.size === 1) {
      session.ref();
      this.touch();
      this.schedulePing();
    }
    stream.once("close", () => {
      this.streams.delete(stream);
      if (kind === "stream") this.streaming--;
      if (this.streams.size === 0) this.idle();
      if (this.state === "draining" && this.streams.size === 0) this.close();
      this.owner.roomChanged(this);
    });
    return stream;
  }

  /** Data arrived: the connection is alive, so the next PING can wait. */
  private readonly touch = (): void => {
    this.lastActivity = performance.now();
  };

  /** Closes the connection; streams still open fail with `reason`. */
  close(reason?: Error): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.clearTimers();
    const session = this.session;
    this.session = undefined;
    for (const stream of this.streams) stream.destroy(reason);
    if (session !== undefined && !session.destroyed) {
      if (reason === undefined && this.streams.size === 0) session.close();
      else session.destroy(undefined, http2.constants.NGHTTP2_CANCEL);
    }
    this.owner.gone(this, undefined);
  }

  private onGoaway(info: GoawayInfo): void {
    if (this.state === "closed") return;
    this.state = "draining";
    this.owner.goaway(this, info);
    if (info.errorCode !== http2.constants.NGHTTP2_NO_ERROR) {
      // Node destroys the session right after this event; fail each stream first with an
      // error that keeps what the server said and whether it processed the stream.
      for (const stream of [...this.streams]) stream.destroy(goawayReset(info, stream.id));
      this.close();
      return;
    }
    // A graceful GOAWAY: streams at or below the last id finish normally; the connection
    // closes once they have.
    if (this.streams.size === 0) this.close();
    else this.owner.gone(this);
  }

  private fail(error: unknown): void {
    if (this.state === "closed") return;
    const neverReady = this.state === "connecting";
    this.state = "closed";
    this.clearTimers();
    const session = this.session;
    this.session = undefined;
    const reason = error instanceof Error ? error : new Error(String(error));
    for (const stream of this.streams) stream.destroy(reason);
    session?.destroy(undefined, http2.constants.NGHTTP2_CANCEL);
    this.owner.gone(this, neverReady ? reason : undefined);
  }

  /** No stream open: let the process exit, and close after a while of idleness. */
  private idle(): void {
    this.clearTimers();
    const session = this.session;
    if (session === undefined || session.destroyed) return;
    session.unref();
    this.timer = setTimeout(() => {
      if (this.streams.size === 0) this.close();
    }, this.idleCloseMs);
    this.timer.unref();
  }

  private schedulePing(): void {
    this.clearTimers();
    const interval = this.owner.pingIntervalMs;
    const wait = Math.max(1, this.lastActivity + interval - performance.now());
    this.timer = setTimeout(() => this.maybePing(), Math.min(wait, 2 ** 31 - 1));
  }

  private maybePing(): void {
    this.timer = undefined;
    const session = this.session;
    if (session === undefined || this.state === "closed" || this.streams.size === 0) return;
    if (performance.now() - this.lastActivity < this.owner.pingIntervalMs) {
      this.schedulePing();
      return;
    }
    const timeoutMs = this.owner.pingTimeoutMs;
    this.pingDeadline = setTimeout(() => {
      this.fail(
        new Http2TransportError(
          `the connection answered no PING within ${timeoutMs} ms: it is dead`,
          { code: "ERR_HTTP2_PING_TIMEOUT" },
        ),
      );
    }, timeoutMs);
    const sent = session.ping((error) => {
      clearTimeout(this.pingDeadline);
      this.pingDeadline = undefined;
      if (error !== null || this.session !== session) return;
      this.touch();
      if (this.streams.size > 0) this.schedulePing();
    });
    if (!sent) {
      clearTimeout(this.pingDeadline);
      this.pingDeadline = undefined;
    }
  }

  private clearTimers(): void {
    clearTimeout(this.timer);
    clearTimeout(this.pingDeadline);
    this.timer = undefined;
    this.pingDeadline = undefined;
  }
}
