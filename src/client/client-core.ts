import { type Client, createClient as createRpcClient, type Transport } from "@connectrpc/connect";
import { RunService } from "../gen/flyteidl2/workflow/run_service_pb.js";
import type { BackoffOptions } from "./backoff.js";
import type { ConnectionPool } from "./connection-pool.js";
import type { PollingErrorContext, PollingErrorHook } from "./polling-error.js";
import { RunMultiplexer } from "./run-multiplexer.js";
import type { TokenSource } from "./token.js";
import type { RetryOptions } from "./unary-call.js";

/** The generated RunService client. */
export type RunServiceClient = Client<typeof RunService>;

/** How the watch loop behaves; every field has a default, see `createClient`. */
export interface WatchOptions {
  /** Reconnect backoff: base 0.5 s, cap 10 s, with jitter. */
  backoff?: BackoffOptions;
  /**
   * Failures in a row, with no message delivered in between, before `wait()` gives up
   * with the last error. Default 5, as in the Python SDK.
   */
  maxConsecutiveFailures?: number;
  /**
   * A connection silent for this long with no answer to a PING is dead. Default 30 s.
   * Where there are no PINGs (HTTP/1.1, a caller's transport) a stream silent this long
   * is restarted instead.
   */
  idleTimeoutMs?: number;
  /** Interval of the GetActionDetails fallback when streaming is unavailable. Default 2 s. */
  pollIntervalMs?: number;
  /** Streams per HTTP/2 connection before another is opened. Default 100. */
  maxStreamsPerConnection?: number;
  /**
   * How waits on runs share the server: `"stream"` opens one WatchActionDetails stream per
   * wait; `"multiplex"` shares one WatchRuns stream per project and domain and reads a
   * run's details only when it fails or when the wait joins after the stream's snapshot,
   * so a success settles on the status alone. Child actions always use their own stream.
   * Default `"stream"`; `"multiplex"` holds far less memory per wait, which matters for
   * thousands of waits (BENCHMARKS.md has the measurements).
   */
  strategy?: "stream" | "multiplex";
}

/** Watch settings with every default filled in. */
export interface WatchSettings {
  readonly backoff: BackoffOptions;
  readonly maxConsecutiveFailures: number;
  readonly idleTimeoutMs: number;
  readonly pollIntervalMs: number;
  /** Pause before re-subscribing after a clean end of stream; the Python SDK's 0.5 s. */
  readonly cleanEndDelayMs: number;
  readonly strategy: "stream" | "multiplex";
}

/** The scope a run lives in. */
export interface Scope {
  readonly org: string;
  readonly project: string;
  readonly domain: string;
}

/** What every part of one client shares. */
export class ClientCore {
  private readonly unaryRpc: RunServiceClient;
  private readonly streamClients = new WeakMap<Transport, RunServiceClient>();
  private readonly multiplexers = new Map<string, RunMultiplexer>();

  constructor(
    readonly pool: ConnectionPool,
    readonly token: TokenSource,
    readonly scope: Scope,
    readonly retry: RetryOptions | false,
    readonly watch: WatchSettings,
    readonly silence: PollingErrorHook,
    readonly onPollingError: ((error: unknown, context: PollingErrorContext) => void) | undefined,
  ) {
    this.unaryRpc = createRpcClient(RunService, pool.unary());
  }

  unaryClient(): RunServiceClient {
    return this.unaryRpc;
  }

  /** The shared WatchRuns stream of a project and domain. */
  multiplexer(scope: Scope): RunMultiplexer {
    const key = JSON.stringify([scope.org, scope.project, scope.domain]);
    let mux = this.multiplexers.get(key);
    if (mux === undefined) {
      mux = new RunMultiplexer(this, {
        org: scope.org,
        project: scope.project,
        domain: scope.domain,
      });
      this.multiplexers.set(key, mux);
    }
    return mux;
  }

  /** The RunService client bound to one leased connection. */
  clientFor(transport: Transport): RunServiceClient {
    let client = this.streamClients.get(transport);
    if (client === undefined) {
      client = createRpcClient(RunService, transport);
      this.streamClients.set(transport, client);
    }
    return client;
  }
}
