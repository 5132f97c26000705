import type { Interceptor, Transport } from "@connectrpc/connect";
import { type UniversalClientFn, validateReadWriteMaxBytes } from "@connectrpc/connect/protocol";
import { createTransport as createConnectProtocol } from "@connectrpc/connect/protocol-connect";
import { createTransport as createGrpcProtocol } from "@connectrpc/connect/protocol-grpc";
import { createTransport as createGrpcWebProtocol } from "@connectrpc/connect/protocol-grpc-web";
import type { Protocol } from "./connections.js";

/**
 * A connect Transport of `protocol` over any universal HTTP client: the protocols' framing,
 * headers and error parsing are connect-es's own, and only the HTTP underneath is ours.
 *
 * Messages are binary and uncompressed. RunService payloads are a few KB; gzip would cost a
 * thread-pool round trip per message on both sides, which dominates when thousands of
 * watches share a process, and the Python SDK's channel does not compress either.
 */
export function createProtocolTransport(
  protocol: Protocol,
  options: {
    readonly httpClient: UniversalClientFn;
    readonly baseUrl: string;
    readonly interceptors: readonly Interceptor[];
    /** Default true; JSON is for tests of servers, never what the client sends. */
    readonly useBinaryFormat?: boolean | undefined;
  },
): Transport {
  const common = {
    httpClient: options.httpClient,
    baseUrl: options.baseUrl,
    interceptors: [...options.interceptors],
    useBinaryFormat: options.useBinaryFormat ?? true,
    acceptCompression: [],
    sendCompression: null,
    ...validateReadWriteMaxBytes(undefined, undefined, undefined),
  };
  switch (protocol) {
    case "grpc":
      return createGrpcProtocol(common);
    case "grpc-web":
      return createGrpcWebProtocol(common);
    case "connect":
      return createConnectProtocol(common);
  }
}
