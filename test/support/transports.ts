/**
 * Bare connect Transports on flyte-remote's own Node HTTP stack (the pool, HTTP/2 and
 * HTTP/1.1 clients the client uses), for tests that talk RPC to a server without the
 * client's watch loop and retries on top.
 */

import type { Interceptor, Transport } from "@connectrpc/connect";
import type { LeanRpc, Protocol } from "../../src/transport/connections.js";
import { createH1Client } from "../../src/transport/node/h1-client.js";
import { createH2Client } from "../../src/transport/node/h2-client.js";
import { H2Pool } from "../../src/transport/node/h2-pool.js";
import { createLeanGrpc } from "../../src/transport/node/lean-grpc.js";
import { createProtocolTransport } from "../../src/transport/protocol-transport.js";

/** A transport and the connections under it, to close after the test. */
export interface NodeTransport {
  readonly transport: Transport;
  /** The lean gRPC calls on the same connections (gRPC over HTTP/2 only). */
  readonly lean?: LeanRpc;
  /** Closes every connection; calls in flight fail. */
  close(): void;
}

/** Options of {@link nodeTransport}. */
export interface NodeTransportOptions {
  readonly protocol: Protocol;
  readonly httpVersion?: "1.1" | "2";
  readonly useBinaryFormat?: boolean;
  readonly interceptors?: readonly Interceptor[];
  /** Keepalive of the HTTP/2 pool; default a PING after 5 s of silence, 5 s to answer. */
  readonly keepalive?: { intervalMs: number; timeoutMs: number };
}

/** A bare transport to `baseUrl`. Watches are told apart by their `Watch` method names. */
export function nodeTransport(baseUrl: string, options: NodeTransportOptions): NodeTransport {
  const common = {
    baseUrl,
    interceptors: options.interceptors ?? [],
    ...(options.useBinaryFormat === undefined ? {} : { useBinaryFormat: options.useBinaryFormat }),
  };
  if (options.httpVersion === "1.1") {
    const h1 = createH1Client({});
    return {
      transport: createProtocolTransport(options.protocol, { ...common, httpClient: h1.fetch }),
      close: () => h1.close(),
    };
  }
  const pool = new H2Pool({
    authority: new URL(baseUrl).origin,
    connectOptions: {},
    keepalive: options.keepalive ?? { intervalMs: 5_000, timeoutMs: 5_000 },
    maxStreamsPerConnection: Number.POSITIVE_INFINITY,
  });
  const isWatch = (path: string) => /\/Watch[A-Za-z]*$/.test(path);
  return {
    transport: createProtocolTransport(options.protocol, {
      ...common,
      httpClient: createH2Client(pool, isWatch),
    }),
    ...(options.protocol === "grpc" ? { lean: createLeanGrpc(pool, new URL(baseUrl)) } : {}),
    close: () => pool.close(),
  };
}
