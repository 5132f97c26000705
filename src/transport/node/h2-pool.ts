import {
  type ClientHttp2Stream,
  constants,
  type OutgoingHttpHeaders,
  type SecureClientSessionOptions,
} from "node:http2";
import { type ConnectionOwner, H2Connection, type StreamKind } from "./h2-connection.js";
import type { GoawayInfo } from "./h2-errors.js";

/** Keepalive settings of the pool's connections. */
export interface KeepaliveSettings {
  /** PING after this much silence while streams are open. */
  readonly intervalMs: number;
  /** Give up on a connection whose PING (or first SETTINGS) is not answered in this time. */
  readonly timeoutMs: number;
}

/** How the pool connects. */
export interface H2PoolSettings {
  /** `https://host:port` or `http://host:port`. */
  readonly authority: string;
  readonly connectOptions: SecureClientSessionOptions;
  readonly keepalive: KeepaliveSettings;
  /** The caller's own cap on watch streams per connection, below the peer's limit. */
  readonly maxStreamsPerConnection: number;
  /** A connection with no stream for this long is closed. Default 60 s. */
  readonly idleCloseMs?: number | undefined;
}

/** Counters of the pool, for diagnostics and benchmarks. */
export interface H2PoolStats {
  /** Connections open or opening. */
  readonly connections: number;
  /** Streams open now. */
  readonly activeStreams: number;
  /** Calls waiting for room on a connection. */
  readonly queued: number;
  /** The keepalive interval now; it doubles each time a server says `too_many_pings`. */
  readonly pingIntervalMs: number;
  /** GOAWAY frames received since the pool started. */
  readonly goaways: number;
}

interface Waiter {
  readonly kind: StreamKind;
  readonly headers: OutgoingHttpHeaders;
  /** Called with the stream the moment it exists; see {@link H2Pool.request}. */
  readonly attach: (stream: ClientHttp2Stream) => unknown;
  readonly resolve: (attached: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** The longest a timer can wait in Node. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Every HTTP/2 connection of one client, and the one place that decides which connection a
 * new stream goes on.
 *
 * Servers limit concurrent streams per connection (Go's 250, nginx's 128 or less, some
 * 100), and a stream over that limit waits invisibly inside the connection: a watch that
 * waits looks exactly like a quiet one, and a unary call that waits behind watches that
 * never end never answers. So:
 *
 * - a stream goes only on a connection with room under the peer's current limit;
 * - watches (server streams, which can last for hours) may take a connection's streams
 *   only up to its limit minus a reserve, so that unary calls (createRun, reads, aborts,
 *   the multiplexer's detail reads) always find room next to them;
 * - when no connection has room, another one is opened, one at a time, and the calls
 *   wait for it in order; a call is never sent before the peer's SETTINGS have arrived.
 *
 * A GOAWAY that says `too_many_pings` doubles the keepalive interval, as gRPC's own clients
 * do, and later calls go to a new connection.
 */
export class H2Pool implements ConnectionOwner {
  private readonly connections: H2Connection[] = [];
  private readonly waiting: Waiter[] = [];
  private closed = false;
  private goaways = 0;
  /** The watch capacity of a connection when one last reported its limit. */
  private knownCapacity: number | undefined;
  pingIntervalMs: number;
  readonly pingTimeoutMs: number;
  readonly connectOptions: SecureClientSessionOptions;

  constructor(private readonly settings: H2PoolSettings) {
    this.pingIntervalMs = Math.min(MAX_TIMER_MS, settings.keepalive.intervalMs);
    this.pingTimeoutMs = Math.min(MAX_TIMER_MS, settings.keepalive.timeoutMs);
    this.connectOptions = settings.connectOptions;
  }

  /**
   * Opens a stream of `kind` on a connection with room, waiting for one if none has it, and
   * resolves with what `attach` made of it. `attach` runs the moment the stream exists, in
   * the same tick: a connection that dies right after may emit the stream's error and close
   * before any later listener could see them (Node 24 does), so whoever reads the stream
   * must listen from there. Rejects with the signal's reason on abort, and with the
   * connection error when the connection it waited for could not be made.
   */
  request<T>(
    headers: OutgoingHttpHeaders,
    kind: StreamKind,
    signal: AbortSignal | undefined,
    attach: (stream: ClientHttp2Stream) => T,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed) return Promise.reject(closedError());
    const connection = this.find(kind);
    if (connection !== undefined) {
      try {
        return Promise.resolve(attach(connection.request(headers, kind)));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        kind,
        headers,
        attach,
        resolve: resolve as (attached: unknown) => void,
        reject,
        signal,
        onAbort: () => {
          const at = this.waiting.indexOf(waiter);
          if (at !== -1) this.waiting.splice(at, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiting.push(waiter);
      this.grow();
    });
  }

  stats(): H2PoolStats {
    let activeStreams = 0;
    for (const c of this.connections) activeStreams += c.activeStreams;
    return {
      connections: this.connections.length,
      activeStreams,
      queued: this.waiting.length,
      pingIntervalMs: this.pingIntervalMs,
      goaways: this.goaways,
    };
  }

  /** Closes every connection; calls in flight and waiting fail. Nothing is left open. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) this.settle(waiter, undefined, closedError());
    for (const connection of [...this.connections]) connection.close(closedError());
    this.connections.length = 0;
  }

  // ConnectionOwner -----------------------------------------------------------------------

  roomChanged(connection: H2Connection): void {
    const capacity = connection.watchCapacity;
    if (capacity !== undefined) this.knownCapacity = capacity;
    this.pump();
  }

  gone(connection: H2Connection, error?: unknown): void {
    const at = this.connections.indexOf(connection);
    if (at !== -1) this.connections.splice(at, 1);
    if (error !== undefined && !this.connections.some((c) => c.connecting)) {
      // The connection the waiting calls needed could not be made; they fail with why, and
      // their own retry policy decides what next.
      for (const waiter of this.waiting.splice(0)) this.settle(waiter, undefined, error);
      return;
    }
    this.pump();
  }

  goaway(_connection: H2Connection, info: GoawayInfo): void {
    this.goaways++;
    if (
      info.errorCode === constants.NGHTTP2_ENHANCE_YOUR_CALM &&
      info.debugData === "too_many_pings"
    ) {
      this.pingIntervalMs = Math.min(MAX_TIMER_MS, this.pingIntervalMs * 2);
    }
  }

  // ---------------------------------------------------------------------------------------

  private find(kind: StreamKind): H2Connection | undefined {
    for (const connection of this.connections) if (connection.hasRoom(kind)) return connection;
    return undefined;
  }

  /** Places waiting calls, in order, where they fit; opens a connection for the rest. */
  private pump(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const waiter = this.waiting[i]!;
      const connection = this.find(waiter.kind);
      if (connection === undefined) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      try {
        this.settle(waiter, connection.request(waiter.headers, waiter.kind));
      } catch (error) {
        this.settle(waiter, undefined, error);
      }
    }
    this.grow();
  }

  /**
   * Opens connections for the calls that wait. Before any connection has reported its
   * limit, one at a time; after, as many at once as the waiting calls need at the last
   * limit seen, so a burst of thousands of watches does not queue behind one handshake
   * after another.
   */
  private grow(): void {
    if (this.closed || this.waiting.length === 0) return;
    let connecting = 0;
    for (const c of this.connections) if (c.connecting) connecting++;
    const perConnection = this.lastCapacity;
    const wanted =
      perConnection === undefined ? 1 : Math.ceil(this.waiting.length / Math.max(1, perConnection));
    for (let i = connecting; i < wanted; i++) {
      const connection = new H2Connection(
        this.settings.authority,
        this,
        this.settings.maxStreamsPerConnection,
        this.settings.idleCloseMs ?? 60_000,
      );
      this.connections.push(connection);
      connection.open();
    }
  }

  /** Streams a new connection took last time, as the latest SETTINGS said. */
  private get lastCapacity(): number | undefined {
    for (let i = this.connections.length - 1; i >= 0; i--) {
      const capacity = this.connections[i]!.watchCapacity;
      if (capacity !== undefined) return capacity;
    }
    return this.knownCapacity;
  }

  private settle(waiter: Waiter, stream: ClientHttp2Stream | undefined, error?: unknown): void {
    waiter.signal?.removeEventListener("abort", waiter.onAbort);
    if (stream === undefined) {
      waiter.reject(error);
      return;
    }
    try {
      waiter.resolve(waiter.attach(stream));
    } catch (failure) {
      waiter.reject(failure);
    }
  }
}

function closedError(): Error {
  return Object.assign(new Error("the client is closed"), { code: "ERR_CLIENT_CLOSED" });
}
