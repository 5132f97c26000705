import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { InitializationError } from "../../errors/index.js";
import type { ConnectionSettings, Connections } from "../connections.js";

/**
 * The client's connections outside Node: connect-web over the runtime's `fetch`, which
 * pools connections itself. Browsers cannot read HTTP trailers, so gRPC is not available:
 * the Connect protocol is the default, gRPC-Web the alternative. Fetch has no PINGs, so the
 * watch restarts a stream that stays silent for its idle timeout.
 */
export function createFetchConnections(settings: ConnectionSettings): Connections {
  if (settings.protocol === "grpc") {
    throw new InitializationError({
      code: "InvalidOptions",
      message:
        "gRPC needs HTTP trailers, which fetch cannot read; use protocol 'connect' (the default here) or 'grpc-web'",
    });
  }
  const options = {
    baseUrl: settings.baseUrl,
    interceptors: [...settings.interceptors],
    useBinaryFormat: true,
  };
  const transport =
    settings.protocol === "grpc-web"
      ? createGrpcWebTransport(options)
      : createConnectTransport(options);
  return {
    transport,
    pings: false,
    stats: () => ({ connections: 0, activeStreams: 0, queued: 0 }),
    close: () => {},
  };
}
