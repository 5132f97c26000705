import { readFileSync } from "node:fs";
import type { SecureClientSessionOptions } from "node:http2";
import { rootCertificates } from "node:tls";
import { InitializationError } from "../../errors/index.js";
import type { ConnectionSettings, Connections, TlsOptions } from "../connections.js";
import { createProtocolTransport } from "../protocol-transport.js";
import { createH1Client } from "./h1-client.js";
import { createH2Client } from "./h2-client.js";
import { H2Pool } from "./h2-pool.js";
import { createLeanGrpc } from "./lean-grpc.js";

/**
 * The client's connections in Node: HTTP/2 by default, through the pool that follows each
 * server's stream limit, GOAWAY and keepalive rules, or HTTP/1.1 with kept-alive sockets
 * for proxies that cannot do HTTP/2.
 */
export function createNodeConnections(settings: ConnectionSettings): Connections {
  const tls = tlsOptions(settings.tls);
  if (settings.httpVersion === "1.1") {
    const h1 = createH1Client(tls);
    const transport = createProtocolTransport(settings.protocol, {
      httpClient: h1.fetch,
      baseUrl: settings.baseUrl,
      interceptors: settings.interceptors,
    });
    return {
      transport,
      pings: false,
      stats: () => ({ connections: 0, activeStreams: 0, queued: 0 }),
      close: () => h1.close(),
    };
  }
  const pool = new H2Pool({
    authority: new URL(settings.baseUrl).origin,
    connectOptions: tls,
    keepalive: settings.keepalive,
    maxStreamsPerConnection: settings.maxStreamsPerConnection,
  });
  const streaming = settings.streamingPaths;
  // The service and method, the last two segments, whatever prefix the base URL adds.
  const isStreaming = (path: string) =>
    streaming.has(path.slice(path.lastIndexOf("/", path.lastIndexOf("/") - 1)));
  const transport = createProtocolTransport(settings.protocol, {
    httpClient: createH2Client(pool, isStreaming),
    baseUrl: settings.baseUrl,
    interceptors: settings.interceptors,
  });
  return {
    transport,
    pings: true,
    // The lean path speaks gRPC only; Connect and gRPC-Web keep connect-es's machinery.
    lean:
      settings.protocol === "grpc" ? createLeanGrpc(pool, new URL(settings.baseUrl)) : undefined,
    stats: () => {
      const s = pool.stats();
      return {
        connections: s.connections,
        activeStreams: s.activeStreams,
        queued: s.queued,
        pingIntervalMs: s.pingIntervalMs,
      };
    },
    close: () => pool.close(),
  };
}

/** Node's TLS options from ours; a CA file that cannot be read fails here, naming it. */
function tlsOptions(options: TlsOptions): SecureClientSessionOptions {
  const out: SecureClientSessionOptions = {};
  let ca: string | Uint8Array | undefined = options.caCert;
  if (ca === undefined && options.caCertFile !== undefined) {
    try {
      ca = readFileSync(options.caCertFile, "utf8");
    } catch (cause) {
      throw new InitializationError({
        code: "InvalidCaCertFile",
        message: `cannot read the CA certificate file ${options.caCertFile}: ${String((cause as Error).message)}`,
        cause,
      });
    }
  }
  // The private CA is trusted next to the system's, not instead of them, as the identity
  // provider's requests do: a proxy in front may well carry a public certificate.
  if (ca !== undefined) {
    out.ca = [...rootCertificates, typeof ca === "string" ? ca : Buffer.from(ca).toString("utf8")];
  }
  if (options.insecureSkipVerify === true) out.rejectUnauthorized = false;
  return out;
}
