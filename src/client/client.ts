import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Interceptor, Transport } from "@connectrpc/connect";
import { phaseName } from "../decode/index.js";
import { InitializationError } from "../errors/index.js";
import { type RunIdentifier, RunIdentifierSchema } from "../gen/flyteidl2/common/identifier_pb.js";
import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import type { Run as RunMessage } from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { CreateRunResponseSchema } from "../gen/flyteidl2/workflow/run_service_pb.js";
import { ClientCore, type WatchOptions } from "./client-core.js";
import { ConnectionPool, type Protocol } from "./connection-pool.js";
import { parseEndpoint } from "./endpoint.js";
import { type InputValue, toInputs } from "./inputs.js";
import {
  type PollingErrorContext,
  type PollingErrorHook,
  silenceGrpcPollingError,
} from "./polling-error.js";
import { Run, type RunId } from "./run.js";
import { type TokenOption, TokenSource } from "./token.js";
import { callUnary, type RetryOptions } from "./unary-call.js";

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * The Flyte endpoint: `https://host`, `http://host:port` (insecure, for local use),
   * `host:port` or `dns:///host`. Required unless `transport` is given.
   */
  endpoint?: string;
  /** Default `"grpc"`, over HTTP/2. */
  protocol?: Protocol;
  /**
   * Default `"2"`: one HTTP/2 session carries every call. `"1.1"` is for proxies that
   * cannot do HTTP/2; it needs the Connect or gRPC-Web protocol.
   */
  httpVersion?: "1.1" | "2";
  /** Defaults for every call. */
  org?: string;
  project?: string;
  domain?: string;
  /**
   * A bearer token, or an async provider. On UNAUTHENTICATED the provider is asked once
   * more and the call retried once. The token never appears in errors or logs.
   */
  token?: TokenOption;
  /** Passed through to connect, after the client's own auth interceptor. */
  interceptors?: Interceptor[];
  /** The unary retry policy, or `false` for none. Idempotent reads only. */
  retry?: RetryOptions | false;
  watch?: WatchOptions;
  /** Decides which watch and polling errors are noise; see {@link silenceGrpcPollingError}. */
  silenceGrpcPollingError?: PollingErrorHook;
  /** Told about every error the hook silenced. */
  onPollingError?: (error: unknown, context: PollingErrorContext) => void;
  /** Bring your own connect Transport, for example connect-web's in a browser. */
  transport?: Transport;
}

/** Options of {@link FlyteClient.createRun}. */
export interface CreateRunOptions {
  /** The registered task to run. The version defaults to the latest the server knows. */
  task: { name: string; version?: string; project?: string; domain?: string; org?: string };
  /** Task inputs as plain JS values; see `duration()` and `float()` for the ambiguous ones. */
  inputs?: Readonly<Record<string, InputValue>>;
  /**
   * The run's name, at most 30 characters. When given, CreateRun is safe to retry;
   * without it the server picks a name and the call is not retried.
   */
  name?: string;
  labels?: Readonly<Record<string, string>>;
  envVars?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

/** One run from {@link FlyteClient.listRuns}. */
export interface RunInfo {
  readonly id: RunId;
  readonly phase: ActionPhase;
  readonly phaseName: string;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
  readonly run: RunMessage;
}

/** A client of one Flyte endpoint. Close it when done, to release its connections. */
export interface FlyteClient {
  createRun(options: CreateRunOptions): Promise<Run>;
  /** A handle on an existing run; no RPC until it is used. */
  getRun(run: string | { org?: string; project?: string; domain?: string; name: string }): Run;
  listRuns(options?: {
    project?: string;
    domain?: string;
    limit?: number;
    token?: string;
    signal?: AbortSignal;
  }): Promise<{ runs: RunInfo[]; nextToken?: string }>;
  /** Connections opened and streams in use, for diagnostics. */
  stats(): { connections: number; activeStreams: number };
  /** Closes every connection; calls still in flight fail. */
  close(): Promise<void>;
}

/**
 * Creates a client. Throws InitializationError, saying what to set, when neither an
 * endpoint nor a transport is given or the options cannot work together.
 */
export function createClient(options: ClientOptions): FlyteClient {
  const protocol = options.protocol ?? "grpc";
  const httpVersion = options.httpVersion ?? "2";
  if (options.transport === undefined && (options.endpoint ?? "") === "") {
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
  const token = new TokenSource(options.token);
  const watch = options.watch ?? {};
  const idleTimeoutMs = watch.idleTimeoutMs ?? 30_000;
  const interceptors = [token.interceptor(), ...(options.interceptors ?? [])];
  const pool =
    options.transport !== undefined
      ? new ConnectionPool(undefined, options.transport)
      : new ConnectionPool({
          baseUrl: parseEndpoint(options.endpoint ?? "").baseUrl,
          protocol,
          httpVersion,
          interceptors,
          idleTimeoutMs,
          maxStreamsPerConnection: watch.maxStreamsPerConnection ?? 100,
        });
  const scope = {
    org: options.org ?? "",
    project: options.project ?? "",
    domain: options.domain ?? "",
  };
  const core = new ClientCore(
    pool,
    token,
    scope,
    options.retry ?? {},
    {
      backoff: watch.backoff ?? {},
      maxConsecutiveFailures: watch.maxConsecutiveFailures ?? 5,
      idleTimeoutMs,
      pollIntervalMs: watch.pollIntervalMs ?? 2_000,
      cleanEndDelayMs: 500,
      strategy: watch.strategy ?? "stream",
    },
    options.silenceGrpcPollingError ?? silenceGrpcPollingError,
    options.onPollingError,
  );

  const runId = (
    name: string,
    over: { org?: string; project?: string; domain?: string } = {},
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
      const inputs = toInputs(request.inputs ?? {}, task.name);
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
      const named = request.name !== undefined && request.name !== "";
      const id = named
        ? {
            case: "runId" as const,
            value: create(RunIdentifierSchema, runId(request.name ?? "", { org, project, domain })),
          }
        : { case: "projectId" as const, value: { organization: org, name: project, domain } };
      const response = await callUnary(core, {
        method: "CreateRun",
        operation: "createRun",
        idempotent: named,
        signal: request.signal,
        runName: request.name,
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
      if (created === undefined)
        return new Run(core, runId(request.name ?? "", { org, project, domain }));
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
      return pool.stats();
    },

    async close() {
      pool.close();
    },
  };
}
