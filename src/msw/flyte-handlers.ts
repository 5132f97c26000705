/**
 * flyteHandlers: the test service's RunService as msw request handlers, so
 * browser and fetch-based tests can mock Flyte with the same runs, scenarios
 * and faults as the in-process server.
 *
 * @module
 */

import { Code, ConnectError, createConnectRouter } from "@connectrpc/connect";
import { type HttpHandler, http } from "msw";
import { bearerGate } from "../testing/bearer-gate.js";
import { type ScenarioInfo, scenarioCatalogue } from "../testing/catalogue.js";
import { dataServiceRoutes } from "../testing/data-plane.js";
import { RunStoreImpl } from "../testing/memory-run-store.js";
import { runServiceRoutes } from "../testing/run-service.js";
import type { RunStore } from "../testing/run-store.js";
import { serveFetchCall } from "./fetch-call.js";
import {
  faultReply,
  type HttpFaultName,
  type HttpFaultRule,
  HttpFaultSchedule,
  type HttpFaults,
  type RunServiceMethodName,
} from "./http-fault.js";

/** The default of {@link FlyteHandlersOptions.baseUrl}; `.test` never resolves, so nothing leaks out. */
export const defaultBaseUrl = "http://flyte.test";

/** Options of {@link flyteHandlers}. */
export interface FlyteHandlersOptions {
  /**
   * Where the mock answers: give the same base URL to the transport. A path prefix is kept
   * (`https://host/api`); a relative one (`/api`) matches the page's origin in a browser.
   * Default {@link defaultBaseUrl}.
   */
  baseUrl?: string | undefined;
  /**
   * Serve an existing store (from `createRunStore()` of `flyte-remote/testing`), for
   * example one a test server serves too. `close()` then leaves it running.
   */
  store?: RunStore | undefined;
  /** Timeline multiplier, as for `startTestServer`: 1 is human pace, tests use 1000. Ignored with `store`. */
  speed?: number | undefined;
  /** When set, every call without `authorization: Bearer <token>` fails UNAUTHENTICATED. */
  token?: string | undefined;
  /** Default org for runs that name none; default "". Ignored with `store`. */
  org?: string | undefined;
  /** Default project; default "flytesnacks". Ignored with `store`. */
  project?: string | undefined;
  /** Default domain; default "development". Ignored with `store`. */
  domain?: string | undefined;
  /** Idle time (real ms) after which the `idle-cut` scenario fault cuts a watch; default `max(20, 2000 / speed)`. */
  idleCutMs?: number | undefined;
  /** How long (real ms) a run with watch faults waits for a watch to meet them; default 10 000. Ignored with `store`. */
  faultGraceMs?: number | undefined;
  /** HTTP-level faults by RPC name, which no Flyte server produces; see {@link HttpFaultName}. */
  faults?: HttpFaults | undefined;
}

/**
 * The mock: msw handlers plus the runs behind them. It is iterable, so
 * `setupServer(...flyteHandlers())` works as it does for a plain handler array.
 */
export interface FlyteHandlers extends Iterable<HttpHandler> {
  /** One handler per RPC of RunService, DataProxyService, RunLogsService and TaskService; unimplemented RPCs answer UNIMPLEMENTED. */
  readonly handlers: readonly HttpHandler[];
  /** The base URL the handlers answer on, without a trailing slash. */
  readonly baseUrl: string;
  /** The runs it serves; create, hold, push and abort them from tests. */
  readonly runs: RunStore;
  /** The scenario catalogue: every outcome and fault with what it promises. */
  readonly scenarios: readonly ScenarioInfo[];
  /**
   * Sets the HTTP fault of an RPC (or of `"*"`) from now on, replacing any earlier one
   * and its remaining budget; `undefined` clears it.
   */
  setFault(
    method: RunServiceMethodName | "*",
    rule: HttpFaultName | HttpFaultRule | undefined,
  ): void;
  /**
   * Ends every call in flight as a dropped connection ends it, and stops the store's
   * timers when it owns the store. Later calls answer UNAVAILABLE. Call it in `afterAll`,
   * next to msw's `server.close()`.
   */
  close(): void;
}

function storeFrom(options: FlyteHandlersOptions): RunStoreImpl {
  if (options.store === undefined) {
    return new RunStoreImpl({
      ...(options.speed === undefined ? {} : { speed: options.speed }),
      ...(options.org === undefined ? {} : { org: options.org }),
      ...(options.project === undefined ? {} : { project: options.project }),
      ...(options.domain === undefined ? {} : { domain: options.domain }),
      ...(options.faultGraceMs === undefined ? {} : { faultGraceMs: options.faultGraceMs }),
    });
  }
  if (options.store instanceof RunStoreImpl) return options.store;
  throw new TypeError("options.store must come from createRunStore()");
}

/**
 * msw handlers that serve Flyte's RunService over fetch, from the same service code and
 * scenario catalogue as `startTestServer`: the task name of a CreateRun picks the scenario
 * (`oom`, `stream-drop+oom`, ...). They speak the Connect protocol (binary and JSON, unary
 * and server streaming with its end-of-stream frame) and gRPC-Web, so connect-web's
 * transports work against them, in a browser or in Node.
 *
 * ```ts
 * const flyte = flyteHandlers({ speed: 1000 });
 * const server = setupServer(...flyte);
 * server.listen();
 * const transport = createConnectTransport({ baseUrl: flyte.baseUrl });
 * // ... afterwards: server.close(); flyte.close();
 * ```
 */
export function flyteHandlers(options: FlyteHandlersOptions = {}): FlyteHandlers {
  const store = storeFrom(options);
  const ownsStore = options.store === undefined;
  const baseUrl = (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, "");
  const shutdown = new AbortController();
  const checkBearer = options.token === undefined ? undefined : bearerGate(options.token);
  const router = createConnectRouter({
    acceptCompression: [],
    shutdownSignal: shutdown.signal,
    requestGate(ctx) {
      // msw keeps answering after close(); the service refuses, in each protocol's own way.
      if (shutdown.signal.aborted) {
        throw new ConnectError("mock Flyte service closed", Code.Unavailable);
      }
      checkBearer?.(ctx);
    },
  });
  runServiceRoutes({
    store,
    idleCutMs: options.idleCutMs ?? Math.max(20, 2000 / store.speed),
  })(router);
  dataServiceRoutes({ store, dataProxy: true })(router);

  const schedule = new HttpFaultSchedule(options.faults);
  const calls = new Set<() => void>();
  const track = (cut: () => void) => {
    calls.add(cut);
    return () => {
      calls.delete(cut);
    };
  };

  const handlers = router.handlers.map((handler) =>
    http.all(`${baseUrl}${handler.requestPath}`, async ({ request }) => {
      const fault = schedule.take(handler.method.name);
      const reply = fault === undefined ? undefined : faultReply(fault);
      if (reply !== undefined) return reply;
      return serveFetchCall(handler, request, { truncate: fault === "truncated", track });
    }),
  );

  return {
    handlers,
    baseUrl,
    runs: store,
    scenarios: scenarioCatalogue,
    [Symbol.iterator]: () => handlers[Symbol.iterator](),
    setFault: (method, rule) => schedule.set(method, rule),
    close() {
      if (shutdown.signal.aborted) return;
      shutdown.abort(new ConnectError("mock Flyte service closed", Code.Unavailable));
      for (const cut of [...calls]) cut();
      if (ownsStore) store.dispose();
    },
  };
}
