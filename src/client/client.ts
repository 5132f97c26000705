import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  createClient as createRpcClient,
  type Interceptor,
  type Transport,
} from "@connectrpc/connect";
import { type InterfaceOption, prepareRunInputs } from "../data/run-inputs.js";
import type { InputValue } from "../data/values.js";
import { phaseName } from "../decode/index.js";
import { InitializationError } from "../errors/index.js";
import { type RunIdentifier, RunIdentifierSchema } from "../gen/flyteidl2/common/identifier_pb.js";
import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import { DataProxyService } from "../gen/flyteidl2/dataproxy/dataproxy_service_pb.js";
import { TaskService } from "../gen/flyteidl2/task/task_service_pb.js";
import type { Run as RunMessage } from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { RunLogsService } from "../gen/flyteidl2/workflow/run_logs_service_pb.js";
import { CreateRunResponseSchema, RunService } from "../gen/flyteidl2/workflow/run_service_pb.js";
import type {
  ConnectionFactory,
  ConnectionStats,
  Connections,
  KeepaliveOptions,
  Protocol,
  TlsOptions,
} from "../transport/connections.js";
import { ClientCore } from "./client-core.js";
import { parseEndpoint } from "./endpoint.js";
import { givenTransport } from "./given-transport.js";
import {
  type PollingErrorContext,
  type PollingErrorHook,
  silenceGrpcPollingError,
} from "./polling-error.js";
import { Run, type RunId } from "./run.js";
import { generateRunName } from "./run-name.js";
import type { RetryOptions, WatchOptions } from "./settings.js";
import { type Authenticator, type TokenOption, TokenSource } from "./token.js";
import { callUnary } from "./unary-call.js";

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * The Flyte endpoint: `https://host`, `http://host:port` (insecure, for local use),
   * `host:port` or `dns:///host`. Required unless `transport` is given or `auth` carries
   * one (an API key does).
   */
  endpoint?: string | undefined;
  /**
   * In Node, default `"grpc"` over HTTP/2. In browsers and other fetch runtimes, default
   * `"connect"`; gRPC is not possible there (fetch cannot read trailers).
   */
  protocol?: Protocol | undefined;
  /**
   * Node only. Default `"2"`: HTTP/2 connections carry every call. `"1.1"` is for proxies
   * that cannot do HTTP/2; it needs the Connect or gRPC-Web protocol.
   */
  httpVersion?: "1.1" | "2" | undefined;
  /** Defaults for every call. */
  org?: string | undefined;
  project?: string | undefined;
  domain?: string | undefined;
  /**
   * A bearer token, or an async provider. On UNAUTHENTICATED the provider is asked once
   * more and the call retried once. The token never appears in errors or logs.
   */
  token?: TokenOption | undefined;
  /**
   * Signs in and keeps the token fresh: `apiKey(key)`, `clientCredentials({...})`,
   * `deviceFlow()`, `pkce({...})` or `customAuth({...})`, or `createClientFromConfig()` from
   * `flyte-remote/config` to take it from the Flyte config file. Renewed before it expires;
   * on UNAUTHENTICATED renewed once and the call retried once. Every credential it holds is
   * kept out of errors. When given, `token` is ignored.
   */
  auth?: Authenticator | undefined;
  /** Passed through to connect, after the client's own auth interceptor. */
  interceptors?: Interceptor[] | undefined;
  /** The unary retry policy, or `false` for none. */
  retry?: RetryOptions | false | undefined;
  watch?: WatchOptions | undefined;
  /** HTTP/2 keepalive PINGs (Node): how dead connections are found. */
  keepalive?: KeepaliveOptions | undefined;
  /** TLS trust (Node): a private CA, or skipping verification for a test cluster. */
  tls?: TlsOptions | undefined;
  /** Decides which watch and polling errors are noise; see {@link silenceGrpcPollingError}. */
  silenceGrpcPollingError?: PollingErrorHook | undefined;
  /** Told about every error the hook silenced. */
  onPollingError?: ((error: unknown, context: PollingErrorContext) => void) | undefined;
  /** Bring your own connect Transport; the client then sends no PINGs of its own. */
  transport?: Transport | undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** Options of {@link FlyteClient.createRun}. */
export interface CreateRunOptions {
  /** The registered task to run. The version defaults to the latest the server knows. */
  task: {
    name: string;
    version?: string | undefined;
    project?: string | undefined;
    domain?: string | undefined;
    org?: string | undefined;
  };
  /** Task inputs as plain JS values; see `duration()` and `float()` for the ambiguous ones. */
  inputs?: Readonly<Record<string, InputValue>> | undefined;
  /**
   * Checks the inputs against the task's interface before the RPC: one you give (see
   * `taskInterface()`), or `"fetch"` to read the registered task's with GetTaskDetails,
   * which also fills in its defaults. A value of the wrong type, an unknown name or a
   * missing required input then fails with RuntimeDataValidationError.
   */
  interface?: InterfaceOption | undefined;
  /** The inline limit of the encoded inputs; default 10 MiB, as in the Python SDK. */
  maxInlineInputBytes?: number | undefined;
  /**
   * The run's name, at most 30 characters. Without it the client picks one as the server
   * would (`r` and 19 lowercase letters or digits), so that CreateRun is always safe to
   * retry: the server refuses a second run of the same name, and an ALREADY_EXISTS that
   * answers a retry means the first try went through.
   */
  name?: string | undefined;
  labels?: Readonly<Record<string, string>> | undefined;
  envVars?: Readonly<Record<string, string>> | undefined;
  signal?: AbortSignal | undefined;
}

/** One run from {@link FlyteClient.listRuns}. */
export interface RunInfo {
  readonly id: RunId;
  readonly phase: ActionPhase;
  readonly phaseName: string;
  readonly startedAt?: Date | undefined;
  readonly endedAt?: Date | undefined;
  readonly run: RunMessage;
}

/** A client of one Flyte endpoint. Close it when done, to release its connections. */
export interface FlyteClient {
  createRun(options: CreateRunOptions): Promise<Run>;
  /** A handle on an existing run; no RPC until it is used. */
  getRun(
    run:
      | string
      | {
          org?: string | undefined;
          project?: string | undefined;
          domain?: string | undefined;
          name: string;
        },
  ): Run;
  listRuns(options?: {
    project?: string | undefined;
    domain?: string | undefined;
    limit?: number | undefined;
    token?: string | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<{ runs: RunInfo[]; nextToken?: string | undefined }>;
  /** Connections open, calls in flight and waiting, and the keepalive interval. */
  stats(): ConnectionStats;
  /** Closes every connection; calls still in flight fail. */
  close(): Promise<void>;
}

/** How a runtime makes its clients: its connections and its default protocol. */
export interface ClientRuntime {
  readonly connections: ConnectionFactory;
  readonly protocol: Protocol;
  /** The default `watch.strategy`. */
  readonly strategy: "stream" | "multiplex";
}

/** URL paths of the server-streaming methods: RunService's watches and the log streams. */
const STREAMING_PATHS: ReadonlySet<string> = new Set(
  [RunService, DataProxyService, RunLogsService].flatMap((service) =>
    service.methods
      .filter((m) => m.methodKind === "server_streaming")
      .map((m) => `/${service.typeName}/${m.name}`),
  ),
);

/**
 * Creates a client on `runtime`'s connections. `createClient` of the package's entry
 * points (Node's, and the fetch one for browsers and other runtimes) call this. Throws
 * InitializationError, saying what to set, when neither an endpoint nor a transport is
 * given or the options cannot work together.
 */
export function createClientWith(options: ClientOptions, runtime: ClientRuntime): FlyteClient {
  const protocol = options.protocol ?? runtime.protocol;
  const httpVersion = options.httpVersion ?? "2";
  const endpoint = nonEmpty(options.endpoint) ?? nonEmpty(options.auth?.endpoint);
  if (options.transport === undefined && endpoint === undefined) {
    throw new InitializationError({
      code: "MissingEndpoint",
      message:
        "no endpoint: pass createClient({ endpoint: 'https://your-flyte-host' }), set FLYTE_ENDPOINT for the CLI, or pass a transport",
    });
  }
  if (protocol === "grpc" && httpVersion === "1.1") {
    throw new InitializationError({
      code: "InvalidOptions",
      message: "gRPC needs HTTP/2; use protocol 'connect' or 'grpc-web' with httpVersion '1.1'",
    });
  }
  if (endpoint !== undefined) options.auth?.bindEndpoint?.(endpoint);
  const token = new TokenSource(options.auth ?? options.token);
  const watch = options.watch ?? {};
  if (options.transport !== undefined && (options.interceptors?.length ?? 0) > 0) {
    throw new InitializationError({
      code: "InvalidOptions",
      message:
        "interceptors apply to the client's own connections; with your own transport, give them to the transport",
    });
  }
  const interceptors = [token.interceptor(), ...(options.interceptors ?? [])];
  const connections: Connections =
    options.transport !== undefined
      ? givenTransport(options.transport, token)
      : runtime.connections({
          baseUrl: parseEndpoint(endpoint ?? "").baseUrl,
          protocol,
          httpVersion,
          interceptors,
          keepalive: {
            intervalMs: options.keepalive?.intervalMs ?? 300_000,
            timeoutMs: options.keepalive?.timeoutMs ?? 20_000,
          },
          maxStreamsPerConnection: watch.maxStreamsPerConnection ?? Number.POSITIVE_INFINITY,
          tls: options.tls ?? {},
          streamingPaths: STREAMING_PATHS,
        });
  const scope = {
    org: options.org ?? options.auth?.org ?? "",
    project: options.project ?? "",
    domain: options.domain ?? "",
  };
  const core = new ClientCore(
    connections,
    token,
    scope,
    options.retry ?? {},
    {
      backoff: watch.backoff ?? {},
      maxConsecutiveFailures: watch.maxConsecutiveFailures ?? 5,
      failureWindow: watch.failureWindow ?? { maxFailures: 30, windowMs: 60_000 },
      idleTimeoutMs: watch.idleTimeoutMs ?? 30_000,
      pollIntervalMs: watch.pollIntervalMs ?? 2_000,
      cleanEndDelayMs: 500,
      stableStreamMs: 1_000,
      strategy: watch.strategy ?? runtime.strategy,
    },
    options.silenceGrpcPollingError ?? silenceGrpcPollingError,
    options.onPollingError,
    (options.interceptors?.length ?? 0) > 0,
  );

  const runId = (
    name: string,
    over: {
      org?: string | undefined;
      project?: string | undefined;
      domain?: string | undefined;
    } = {},
  ): RunId => ({
    org: over.org ?? scope.org,
    project: over.project ?? scope.project,
    domain: over.domain ?? scope.domain,
    name,
  });

  return {
    async createRun(request) {
      const task = request.task;
      const project = task.project ?? scope.project;
      const domain = task.domain ?? scope.domain;
      const org = task.org ?? scope.org;
      const inputs = await prepareRunInputs(request.inputs ?? {}, {
        taskName: task.name,
        interface: request.interface,
        maxBytes: request.maxInlineInputBytes,
        fetchTask: async () =>
          (
            await callUnary(core, {
              method: "TaskService.GetTaskDetails",
              operation: "read",
              idempotent: true,
              signal: request.signal,
              invoke: (_run, callOptions) =>
                createRpcClient(TaskService, core.connections.transport).getTaskDetails(
                  {
                    taskId: { org, project, domain, name: task.name, version: task.version ?? "" },
                  },
                  callOptions,
                ),
            })
          ).details,
      });
      const runSpec = {
        ...(request.labels ? { labels: { values: { ...request.labels } } } : {}),
        ...(request.envVars
          ? {
              envs: {
                values: Object.entries(request.envVars).map(([key, value]) => ({ key, value })),
              },
            }
          : {}),
      };
      const name =
        request.name !== undefined && request.name !== "" ? request.name : generateRunName();
      const id = {
        case: "runId" as const,
        value: create(RunIdentifierSchema, runId(name, { org, project, domain })),
      };
      const response = await callUnary(core, {
        method: "CreateRun",
        operation: "createRun",
        idempotent: true,
        signal: request.signal,
        runName: name,
        invoke: (client, callOptions) =>
          client.createRun(
            {
              id,
              task: {
                case: "taskId",
                value: { org, project, domain, name: task.name, version: task.version ?? "" },
              },
              inputWrapper: { case: "inputs", value: inputs },
              runSpec,
            },
            callOptions,
          ),
        alreadyExistsOnRetry: async () => create(CreateRunResponseSchema),
      });
      const created: RunIdentifier | undefined = response.run?.action?.id?.run;
      if (created === undefined) return new Run(core, runId(name, { org, project, domain }));
      return new Run(core, {
        org: created.org,
        project: created.project,
        domain: created.domain,
        name: created.name,
      });
    },

    getRun(run) {
      return typeof run === "string"
        ? new Run(core, runId(run))
        : new Run(core, runId(run.name, run));
    },

    async listRuns(listOptions = {}) {
      const response = await callUnary(core, {
        method: "ListRuns",
        operation: "read",
        idempotent: true,
        signal: listOptions.signal,
        invoke: (client, callOptions) =>
          client.listRuns(
            {
              request: { limit: listOptions.limit ?? 100, token: listOptions.token ?? "" },
              scopeBy: {
                case: "projectId",
                value: {
                  organization: scope.org,
                  name: listOptions.project ?? scope.project,
                  domain: listOptions.domain ?? scope.domain,
                },
              },
            },
            callOptions,
          ),
      });
      const runs = response.runs.map((run): RunInfo => {
        const action = run.action;
        const id = action?.id?.run;
        const phase = action?.status?.phase ?? ActionPhase.UNSPECIFIED;
        const status = action?.status;
        return {
          id: {
            org: id?.org ?? scope.org,
            project: id?.project ?? scope.project,
            domain: id?.domain ?? scope.domain,
            name: id?.name ?? "",
          },
          phase,
          phaseName: phaseName(phase),
          ...(status?.startTime ? { startedAt: timestampDate(status.startTime) } : {}),
          ...(status?.endTime ? { endedAt: timestampDate(status.endTime) } : {}),
          run,
        };
      });
      return response.token === "" ? { runs } : { runs, nextToken: response.token };
    },

    stats() {
      return connections.stats();
    },

    async close() {
      core.close();
    },
  };
}
