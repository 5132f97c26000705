import type { Interceptor, Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { Http2Connection } from "./http2-connection.js";

/** The wire protocols RunService speaks. */
export type Protocol = "connect" | "grpc" | "grpc-web";

/** How the pool builds its connections. */
export interface PoolSettings {
  readonly baseUrl: string;
  readonly protocol: Protocol;
  readonly httpVersion: "1.1" | "2";
  readonly interceptors: readonly Interceptor[];
  /** A connection that answers no PING within this time is torn down. */
  readonly idleTimeoutMs: number;
  /** Streams per HTTP/2 connection before the pool opens another one. */
  readonly maxStreamsPerConnection: number;
}

/** A stream's claim on a connection; release it when the stream ends. */
export interface Lease {
  readonly transport: Transport;
  release(): void;
}

interface Slot {
  readonly transport: Transport;
  readonly manager: Http2Connection | undefined;
  active: number;
}

/**
 * HTTP/2 connections shared by every call of one client.
 *
 * Go's HTTP/2 server, which the Flyte backend runs, accepts 250 concurrent streams per
 * connection; past that, streams queue inside the connection and a queued watch looks
 * exactly like a dead one. So watches lease a slot on a connection with room, and the pool
 * opens another connection when all are full. Each connection sends keepalive PINGs once
 * it has been silent for half the idle timeout and gives up when a PING is not answered in
 * the other half: that is what detects a half-open connection, which no amount of waiting
 * for messages can tell from a quiet run.
 *
 * HTTP/1.1 and caller-supplied transports have no PINGs; {@link ConnectionPool.pings}
 * tells the watch loop to fall back to restarting quiet streams.
 */
export class ConnectionPool {
  private readonly slots: Slot[] = [];
  private closed = false;

  /** True when dead connections are detected by HTTP/2 PINGs. */
  readonly pings: boolean;

  constructor(
    private readonly settings: PoolSettings | undefined,
    private readonly fixed?: Transport,
  ) {
    this.pings = fixed === undefined && settings?.httpVersion === "2";
  }

  /** The connection unary calls use; they are short, so one is enough. */
  unary(): Transport {
    return this.fixed ?? this.slot(0).transport;
  }

  /** Claims room for one stream, opening a connection when every one is full. */
  lease(): Lease {
    if (this.fixed !== undefined) return { transport: this.fixed, release: () => {} };
    const limit =
      this.settings?.httpVersion === "2" ? this.settings.maxStreamsPerConnection : Infinity;
    let chosen = this.slots.find((s) => s.active < limit);
    if (chosen === undefined) chosen = this.slot(this.slots.length);
    chosen.active++;
    const slot = chosen;
    let released = false;
    return {
      transport: slot.transport,
      release: () => {
        if (released) return;
        released = true;
        slot.active--;
      },
    };
  }

  /** Connections opened and streams leased, for diagnostics and benchmarks. */
  stats(): { connections: number; activeStreams: number } {
    return {
      connections: this.slots.length,
      activeStreams: this.slots.reduce((n, s) => n + s.active, 0),
    };
  }

  /** Tears every connection down; in-flight calls fail, and nothing is left open. */
  close(): void {
    this.closed = true;
    for (const slot of this.slots) slot.manager?.close();
    this.slots.length = 0;
  }

  private slot(index: number): Slot {
    const existing = this.slots[index];
    if (existing !== undefined) return existing;
    if (this.closed) throw new Error("the client is closed");
    const settings = this.settings;
    if (settings === undefined) throw new Error("no transport settings");
    const manager =
      settings.httpVersion === "2"
        ? new Http2Connection(settings.baseUrl, {
            pingIntervalMs: Math.max(50, Math.floor(settings.idleTimeoutMs / 2)),
            pingTimeoutMs: Math.max(50, Math.ceil(settings.idleTimeoutMs / 2)),
          })
        : undefined;
    const common = {
      baseUrl: settings.baseUrl,
      interceptors: [...settings.interceptors],
      useBinaryFormat: true,
      // RunService payloads are a few KB; gzip costs a thread-pool round trip per message
      // on both sides, which dominates when thousands of watches share a process. The
      // Python SDK's gRPC channel does not compress either.
      acceptCompression: [],
    };
    let transport: Transport;
    if (manager !== undefined) {
      const h2 = { ...common, httpVersion: "2" as const, sessionManager: manager };
      transport =
        settings.protocol === "grpc"
          ? createGrpcTransport(h2)
          : settings.protocol === "grpc-web"
            ? createGrpcWebTransport(h2)
            : createConnectTransport(h2);
    } else {
      const h1 = { ...common, httpVersion: "1.1" as const };
      transport =
        settings.protocol === "grpc-web" ? createGrpcWebTransport(h1) : createConnectTransport(h1);
    }
    const slot: Slot = { transport, manager, active: 0 };
    this.slots[index] = slot;
    return slot;
  }
}
