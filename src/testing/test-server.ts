/**
 * startTestServer: the in-process Flyte RunService that our client tests, the
 * CLI demo and users' tests run against.
 *
 * @module
 */

import { setMaxListeners } from "node:events";
import { createServer as createHttp1Server } from "node:http";
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type ServerHttp2Session,
} from "node:http2";
import type { AddressInfo } from "node:net";
import { Code, ConnectError, createConnectRouter } from "@connectrpc/connect";
import {
  authMode,
  fetchProviderMetadata,
  type TestServerAuth,
  type TestServerAuthOptions,
} from "./auth-mode.js";
import { bearerGate } from "./bearer-gate.js";
import { type ScenarioInfo, scenarioCatalogue } from "./catalogue.js";
import { compressionBrotli, compressionGzip } from "./compression.js";
import { ConnectionFront } from "./connection-front.js";
import { type CorsOptions, createCorsPolicy } from "./cors.js";
import { dataServiceRoutes } from "./data-plane.js";
import type { GatedRelay } from "./gated-relay.js";
import { RunStoreImpl } from "./memory-run-store.js";
import { NodeHandler } from "./node-handler.js";
import { runServiceRoutes } from "./run-service.js";
import type { RunStore } from "./run-store.js";

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number | undefined;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string | undefined;
  /**
   * When set, every call without `authorization: Bearer <token>` fails
   * UNAUTHENTICATED. The token never appears in any response.
   */
  token?: string | undefined;
  /**
   * Requires real access tokens: verified against the JWKS of this OpenID provider, and
   * refused with UNAUTHENTICATED otherwise; AuthMetadataService then points clients at the
   * provider. Takes the place of `token`.
   */
  auth?: TestServerAuthOptions | undefined;
  /** SETTINGS_MAX_CONCURRENT_STREAMS per HTTP/2 connection; default 250, like Go's server. */
  maxConcurrentStreams?: number | undefined;
  /**
   * Multiplier on every scenario timeline: 1 is human pace (a scenario takes
   * 5 to 15 s), 50 is brisk, tests use 1000 or more. Default 1. Ignored when
   * `store` is given (the store has its own).
   */
  speed?: number | undefined;
  /** Default org for runs that name none; default "" (single-tenant). Ignored with `store`. */
  org?: string | undefined;
  /** Default project; default "flytesnacks". Ignored with `store`. */
  project?: string | undefined;
  /** Default domain; default "development". Ignored with `store`. */
  domain?: string | undefined;
  /**
   * Idle time after which the `idle-cut` fault resets a watch, in real
   * milliseconds (not scaled). Default `max(20, 2000 / speed)`, shorter than
   * the 3 s (at speed 1) a run spends RUNNING.
   */
  idleCutMs?: number | undefined;
  /**
   * How long (real ms) a run with watch faults waits for a watch to meet them
   * before it finishes anyway; default 10 000. Ignored with `store`.
   */
  faultGraceMs?: number | undefined;
  /**
   * Serve an existing store, e.g. to restart a server with its runs kept.
   * `close()` then leaves the store running; dispose it yourself.
   */
  store?: RunStore | undefined;
  /**
   * Let web pages on these origins call the server (connect-web, Connect or gRPC-Web):
   * preflights are answered and the headers those protocols read are exposed. Without
   * it, cross-origin calls are refused, as by a Flyte deployment without a CORS policy.
   */
  cors?: CorsOptions | undefined;
  /**
   * Smallest response message the server gzips (or brotlis) for clients that
   * accept it. Default `Infinity`: responses go uncompressed, which is valid
   * for every client and keeps thousands of watches cheap (node builds a zlib
   * stream per message). Compressed requests are accepted either way. Set 1024
   * (connect's default) to exercise compressed responses.
   */
  compressMinBytes?: number | undefined;
  /**
   * Fuzz hook: sees the encoded bytes of every message of every server stream
   * (after any fault), and may return replacement bytes. Streams are then
   * sent uncompressed so the hook always sees plain message bytes.
   */
  mutateWatchMessage?:
    | ((encoded: Uint8Array, info: { method: string; index: number }) => Uint8Array | undefined)
    | undefined;
  /**
   * The largest request message the server reads, in bytes; a larger one is refused with
   * RESOURCE_EXHAUSTED ("message size … is larger than configured readMaxBytes …"), as a
   * gRPC server refuses it. Default 4 MiB, grpc-go's default.
   */
  readMaxBytes?: number | undefined;
  /**
   * Serve DataProxyService (GetActionData, TailLogs), as the current backend does. Default
   * true; `false` plays an older backend, where clients read data and logs through
   * RunService.GetActionData and RunLogsService.TailLogs.
   */
  dataProxy?: boolean | undefined;
}

/** The default of {@link TestServerOptions.readMaxBytes}: 4 MiB. */
export const defaultReadMaxBytes = 4 * 1024 * 1024;

/** Counters of a running {@link TestServer}. */
export interface TestServerStats {
  /** TCP connections open now (HTTP/1.1 and HTTP/2 alike). */
  connections: number;
  /** Most connections open at once since start. */
  peakConnections: number;
  /** Requests in flight now: one per HTTP/2 stream or HTTP/1.1 request, unary or streaming. */
  activeStreams: number;
  /** Most requests in flight at once since start. */
  peakActiveStreams: number;
  /** Requests started since start, including refused ones that reached the handler. */
  totalStreams: number;
}

/** A running test server. */
export interface TestServer {
  /** Base URL for transports, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The runs it serves; create, hold, push and abort them from tests. */
  readonly runs: RunStore;
  /** The scenario catalogue: every outcome and fault with what it promises. */
  readonly scenarios: readonly ScenarioInfo[];
  /** The auth mode's controls, when started with `auth`. */
  readonly auth?: TestServerAuth | undefined;
  /** Connection and stream counters. */
  stats(): TestServerStats;
  /** Ends every stream and socket and clears every timer; leaves no handle behind. */
  close(): Promise<void>;
}

/** The default of {@link TestServerOptions.maxConcurrentStreams}. */
export const defaultMaxConcurrentStreams = 250;

/**
 * Starts a Flyte RunService on a real socket: Connect, gRPC and gRPC-Web over
 * h2c and HTTP/1.1 on one port, playing scripted scenarios picked by the task
 * name of each CreateRun. Next to it: DataProxyService (a run's data and logs),
 * RunLogsService and TaskService.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  // Before anything starts: a bad origin throws without leaving a store's timers behind.
  const cors = options.cors === undefined ? undefined : createCorsPolicy(options.cors);
  // Read before anything is started, so that an unreachable provider leaves nothing behind.
  const auth =
    options.auth === undefined
      ? undefined
      : authMode(options.auth, await fetchProviderMetadata(options.auth));
  let store: RunStoreImpl;
  if (options.store === undefined) {
    store = new RunStoreImpl({
      ...(options.speed === undefined ? {} : { speed: options.speed }),
      ...(options.org === undefined ? {} : { org: options.org }),
      ...(options.project === undefined ? {} : { project: options.project }),
      ...(options.domain === undefined ? {} : { domain: options.domain }),
      ...(options.faultGraceMs === undefined ? {} : { faultGraceMs: options.faultGraceMs }),
    });
  } else if (options.store instanceof RunStoreImpl) {
    store = options.store;
  } else {
    throw new TypeError("options.store must come from createRunStore()");
  }
  const ownsStore = options.store === undefined;
  const token = options.token;
  const gate = auth?.gate ?? (token === undefined ? undefined : bearerGate(token));
  const shutdown = new AbortController();
  // connect's router links every request's signal to this one: thousands of open watches
  // are expected here, not a listener leak.
  setMaxListeners(0, shutdown.signal);
  const router = createConnectRouter({
    acceptCompression: [compressionGzip, compressionBrotli],
    compressMinBytes: options.compressMinBytes ?? Number.POSITIVE_INFINITY,
    readMaxBytes: options.readMaxBytes ?? defaultReadMaxBytes,
    shutdownSignal: shutdown.signal,
    ...(gate === undefined ? {} : { requestGate: gate }),
  });
  const runService = runServiceRoutes({
    store,
    idleCutMs: options.idleCutMs ?? Math.max(20, 2000 / store.speed),
  });
  runService(router);
  dataServiceRoutes({ store, dataProxy: options.dataProxy ?? true })(router);
  auth?.routes(router);

  const relays = new WeakMap<ServerHttp2Session, GatedRelay>();
  const sessions = new Set<ServerHttp2Session>();
  const handler = new NodeHandler({
    router,
    relayOf: (req: Http2ServerRequest) => relays.get(req.stream.session as ServerHttp2Session),
    mutateWatchMessage: options.mutateWatchMessage,
    // A gate reads headers through connect's handler context; with one, every call goes
    // through connect.
    fast: gate === undefined ? runService.fast : undefined,
    cors,
  });
  const http2Server = createHttp2Server(
    {
      settings: {
        maxConcurrentStreams: options.maxConcurrentStreams ?? defaultMaxConcurrentStreams,
      },
    },
    handler.handle,
  );
  const http1Server = createHttp1Server(handler.handle);
  const front = new ConnectionFront(http2Server, http1Server);
  http2Server.on("session", (session: ServerHttp2Session) => {
    const relay = front.pendingRelay;
    if (relay !== undefined) relays.set(session, relay);
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    session.on("error", () => {});
  });

  await new Promise<void>((resolve, reject) => {
    front.server.once("error", reject);
    front.server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      front.server.off("error", reject);
      resolve();
    });
  });
  const address = front.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    runs: store,
    scenarios: scenarioCatalogue,
    ...(auth === undefined ? {} : { auth: auth.control }),
    stats: () => ({ ...front.counts(), ...handler.counts() }),
    close() {
      closing ??= (async () => {
        shutdown.abort(new ConnectError("test server shutting down", Code.Unavailable));
        const closed = new Promise<void>((resolve) => front.server.close(() => resolve()));
        for (const session of sessions) session.destroy();
        front.destroyAll();
        http1Server.closeAllConnections();
        if (ownsStore) store.dispose();
        await closed;
      })();
      return closing;
    },
  };
}
