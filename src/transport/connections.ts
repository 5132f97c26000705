import type {
  DescMessage,
  DescMethodServerStreaming,
  DescMethodUnary,
  MessageInitShape,
  MessageShape,
} from "@bufbuild/protobuf";
import type { Interceptor, Transport } from "@connectrpc/connect";

/** The wire protocols RunService speaks. */
export type Protocol = "connect" | "grpc" | "grpc-web";

/** Trust settings for TLS endpoints (Node only: browsers use the system's trust store). */
export interface TlsOptions {
  /** PEM of the CA that signed the server's certificate, for clusters with a private CA. */
  caCert?: string | Uint8Array | undefined;
  /** A file holding that PEM, as the Flyte config's `admin.caCertFilePath`. */
  caCertFile?: string | undefined;
  /**
   * Accept any certificate, as the Flyte config's `admin.insecureSkipVerify`. Only for
   * testing: it lets anyone in the middle read the token.
   */
  insecureSkipVerify?: boolean | undefined;
}

/** HTTP/2 keepalive: how dead connections are found where PINGs exist. */
export interface KeepaliveOptions {
  /**
   * Send a PING after this much silence while streams are open. Default 300,000 (5 min):
   * gRPC servers with default enforcement (grpc-go, grpc-core) close a connection with
   * `GOAWAY ENHANCE_YOUR_CALM "too_many_pings"` when pinged more often without data. A
   * server that says so anyway doubles the interval, as gRPC's clients do.
   */
  intervalMs?: number | undefined;
  /**
   * A PING unanswered for this long means the connection is dead, and so does a new
   * connection whose SETTINGS do not arrive in this time. Default 20,000.
   */
  timeoutMs?: number | undefined;
}

/** What a runtime needs to build the client's connections. */
export interface ConnectionSettings {
  readonly baseUrl: string;
  readonly protocol: Protocol;
  readonly httpVersion: "1.1" | "2";
  readonly interceptors: readonly Interceptor[];
  readonly keepalive: Required<{ [K in keyof KeepaliveOptions]: number }>;
  /** The caller's own cap on watch streams per HTTP/2 connection. */
  readonly maxStreamsPerConnection: number;
  readonly tls: TlsOptions;
  /** URL paths of the server-streaming methods: they are kept off each connection's reserve. */
  readonly streamingPaths: ReadonlySet<string>;
}

/** Counters of a client's connections. */
export interface ConnectionStats {
  /** Connections open or opening (0 where the runtime pools them itself, as fetch does). */
  readonly connections: number;
  /** Calls in flight. */
  readonly activeStreams: number;
  /** Calls waiting for room on a connection. */
  readonly queued: number;
  /** The HTTP/2 keepalive interval now, when the client sends PINGs. */
  readonly pingIntervalMs?: number | undefined;
}

/**
 * gRPC calls without connect-es's per-call machinery, for the client's hot paths. They
 * fail with the same ConnectErrors a Transport would; they run no interceptors.
 */
export interface LeanRpc {
  /** `parse`, when given, reads the reply's bytes in place of `fromBinary`. */
  unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    input: MessageInitShape<I>,
    headers: Readonly<Record<string, string>>,
    signal: AbortSignal | undefined,
    parse?: ((bytes: Uint8Array) => MessageShape<O>) | undefined,
  ): Promise<MessageShape<O>>;
  stream<I extends DescMessage, O extends DescMessage>(
    method: DescMethodServerStreaming<I, O>,
    input: MessageInitShape<I>,
    headers: Readonly<Record<string, string>>,
    signal: AbortSignal | undefined,
  ): AsyncIterable<MessageShape<O>>;
}

/** The connections of one client: one Transport for every call, and its housekeeping. */
export interface Connections {
  readonly transport: Transport;
  /**
   * True when dead connections are found by HTTP/2 PINGs. Otherwise (HTTP/1.1, fetch, a
   * caller's transport) the watch restarts a stream that stays silent for its idle timeout.
   */
  readonly pings: boolean;
  /** Lean gRPC calls on the same connections, where the runtime has them (Node, gRPC). */
  readonly lean?: LeanRpc | undefined;
  stats(): ConnectionStats;
  /** Closes every connection; calls in flight fail. */
  close(): void;
}

/** Builds the connections for a runtime: Node's HTTP/2, or fetch. */
export type ConnectionFactory = (settings: ConnectionSettings) => Connections;
