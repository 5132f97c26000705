import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { createClient as createRpcClient } from "@connectrpc/connect";
import type { ActionDataCalls, ActionDataUris } from "../data/action-data.js";
import {
  type DataHost,
  type InputsOptions,
  type OutputsOptions,
  readInputs,
  readOutputs,
} from "../data/run-data.js";
import type { DataValue } from "../data/values.js";

import { decodeActionDetails, isSuccessPhase, phaseName } from "../decode/index.js";
import { captureStackAtThrow } from "../errors/failure.js";
import { ActionNotFoundError, RuntimeUnknownError, userEntryPoint } from "../errors/index.js";
import {
  ActionIdentifierSchema,
  type RunIdentifier,
  RunIdentifierSchema,
} from "../gen/flyteidl2/common/identifier_pb.js";
import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import { DataProxyService } from "../gen/flyteidl2/dataproxy/dataproxy_service_pb.js";
import type {
  Action,
  ActionDetails,
  RunDetails,
} from "../gen/flyteidl2/workflow/run_definition_pb.js";
import {
  followLogs,
  type LogLine,
  type LogsHost,
  type LogsOptions,
  tailLogs,
} from "../logs/index.js";
import type { ClientCore } from "./client-core.js";
import { linkSignal } from "./linked-signal.js";
import { setLongTimeout } from "./long-timer.js";
import { pull } from "./pull.js";
import { callUnary } from "./unary-call.js";
import { type Deliver, type WatchTarget, watchAction } from "./watch-loop.js";
import { followRunMultiplexed } from "./watch-multiplexed.js";

/** One new state of a run or action, delivered once. */
export interface RunUpdate {
  /** The ActionPhase number; may be one this schema does not know. */
  readonly phase: ActionPhase;
  /** `"RUNNING"`, `"SUCCEEDED"`, … or `"UNKNOWN(42)"`. */
  readonly phaseName: string;
  /** The attempt the phase belongs to, counting from 1 (0 before the first attempt). */
  readonly attempt: number;
  readonly details: ActionDetails;
}

/** What a successful `wait()` resolves with. */
export interface RunResult {
  /** SUCCEEDED or RECOVERED. */
  readonly phase: ActionPhase;
  readonly phaseName: string;
  readonly details: ActionDetails;
  readonly startedAt?: Date | undefined;
  readonly endedAt?: Date | undefined;
  readonly attempts: number;
}

/** Options of `watch()`. */
export interface WatchCallOptions {
  /** Ends the watch; the iterator rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Options of `wait()`. */
export interface WaitOptions extends WatchCallOptions {
  /**
   * Gives up after this long, rejecting with a DOMException named `TimeoutError`. This
   * bounds the wait only: the run goes on, on the platform.
   */
  timeoutMs?: number | undefined;
  /**
   * Called once per new phase (per attempt), in order. It runs in the user scope: if it
   * throws, `wait()` rejects with a user-scoped error whose cause is what it threw.
   */
  onPhase?: ((update: RunUpdate) => void | Promise<void>) | undefined;
}

/** A readable identifier of a run. */
export interface RunId {
  readonly org: string;
  readonly project: string;
  readonly domain: string;
  readonly name: string;
}

/** A summary of an action of a run, from ListActions. */
export interface ActionSummary {
  readonly name: string;
  readonly phase: ActionPhase;
  readonly phaseName: string;
  readonly parent: string;
  readonly action: Action;
}

function toUpdate(details: ActionDetails): RunUpdate {
  const phase = details.status?.phase ?? ActionPhase.UNSPECIFIED;
  return { phase, phaseName: phaseName(phase), attempt: details.status?.attempts ?? 0, details };
}

/**
 * A handle on one action of a run. It makes no RPC until used. Every method may be called
 * many times and concurrently; each `wait()` and `watch()` has its own stream.
 */
export class ActionHandle {
  /** The action's name; the root action of a run is `a0`. */
  readonly actionName: string;
  readonly id: RunId;

  /** @internal */
  constructor(
    protected readonly core: ClientCore,
    id: RunId,
    actionName: string,
  ) {
    this.id = id;
    this.actionName = actionName;
  }

  /** The run's name. */
  get name(): string {
    return this.id.name;
  }

  /** The action's current details. */
  async details(options: WatchCallOptions = {}): Promise<ActionDetails> {
    const response = await callUnary(this.core, {
      method: "GetActionDetails",
      operation: "read",
      idempotent: true,
      signal: options.signal,
      runName: this.id.name,
      actionName: this.actionName,
      invoke: (client, callOptions) =>
        client.getActionDetails({ actionId: this.actionId() }, callOptions),
    });
    return this.present(response.details);
  }

  /** The action's current phase. */
  async phase(options: WatchCallOptions = {}): Promise<ActionPhase> {
    const details = await this.details(options);
    return details.status?.phase ?? ActionPhase.UNSPECIFIED;
  }

  /**
   * Every new state until the action settles, each once. The last update is the terminal
   * one, whatever its outcome; only a failure to watch (not a failure of the run) rejects.
   */
  async *watch(options: WatchCallOptions = {}): AsyncGenerator<RunUpdate, void, undefined> {
    if (options.signal?.aborted) throw options.signal.reason;
    const link = linkSignal(options.signal);
    try {
      for await (const details of this.follow(link.signal)) {
        yield toUpdate(details);
      }
    } finally {
      link.dispose();
      link.controller.abort();
    }
  }

  /**
   * Waits until the action settles. Resolves on SUCCEEDED or RECOVERED; otherwise rejects
   * with the decoded typed error (OOMError, ImagePullBackOffError, RunAbortedError, …).
   * An abort through `signal` or `timeoutMs` rejects with the signal's reason, which is
   * not a remote failure.
   */
  async wait(options: WaitOptions = {}): Promise<RunResult> {
    const { signal, dispose } = waitSignal(options.signal, options.timeoutMs);
    const onPhase = options.onPhase ? userEntryPoint(options.onPhase) : undefined;
    let result: RunResult | undefined;
    try {
      await this.followEach(signal, async (details) => {
        const update = toUpdate(details);
        if (onPhase !== undefined) await onPhase(update);
        const failure = decodeActionDetails(details, this.decodeContext());
        if (failure !== undefined) throw failure;
        if (isSuccessPhase(update.phase)) result = toResult(details);
      });
      if (result !== undefined) return result;
      if (signal?.aborted) throw signal.reason;
      throw new RuntimeUnknownError({
        code: "WatchEnded",
        message: `the watch of ${this.describe()} ended without a terminal phase`,
      });
    } catch (error) {
      throw captureStackAtThrow(error);
    } finally {
      dispose();
    }
  }

  /**
   * The outputs as plain values, by name (`o0`, `o1`…); files, directories and datasets
   * as references. Waits for the action to succeed; a failure rejects with the same typed
   * error as `wait()`. With `{ wait: false }` an action still going rejects at once with
   * RuntimeUserError code `OutputsNotYetAvailable`. An output that does not convert
   * rejects with RuntimeDataValidationError naming it.
   */
  outputs(options: OutputsOptions = {}): Promise<Record<string, DataValue>> {
    return readOutputs(this.dataHost(), options);
  }

  /** The inputs as plain values, by name, as the action received them. */
  inputs(options: InputsOptions = {}): Promise<Record<string, DataValue>> {
    return readInputs(this.dataHost(), options);
  }

  /** Where the inputs and outputs are stored (GetActionDataURIs); nothing is downloaded. */
  dataUris(options: WatchCallOptions = {}): Promise<ActionDataUris> {
    return callUnary(this.core, {
      ...this.readCall("GetActionDataURIs", options.signal),
      invoke: (client, callOptions) =>
        client.getActionDataURIs({ actionId: this.actionId() }, callOptions),
    });
  }

  /**
   * The lines of the log, read once, or with `{ follow: true }` followed through retries
   * until the run is terminal. A log that does not exist yet is asked for again; after the
   * retries it throws LogsNotYetAvailableError.
   */
  logs(options: LogsOptions = {}): AsyncGenerator<LogLine, void, undefined> {
    return followLogs(this.logsHost(), options);
  }

  /** Aborts the action. An action that no longer exists is not an error. */
  async abort(reason?: string): Promise<void> {
    await ignoreNotFound(
      callUnary(this.core, {
        method: "AbortAction",
        operation: "abort",
        idempotent: true,
        runName: this.id.name,
        actionName: this.actionName,
        invoke: (client, callOptions) =>
          client.abortAction({ actionId: this.actionId(), reason: reason ?? "" }, callOptions),
      }),
    );
  }

  /** Whether this action's waits share the project's WatchRuns stream. */
  private multiplexed(): boolean {
    return this.core.watch.strategy === "multiplex" && this.actionName === "a0";
  }

  /** The watch loop for this action, per the client's strategy, as an iterator. */
  private follow(signal: AbortSignal): AsyncGenerator<ActionDetails, void, undefined> {
    const target = this.target();
    return this.multiplexed()
      ? pull((deliver) => followRunMultiplexed(this.core, target, signal, deliver))
      : watchAction(this.core, target, signal);
  }

  /**
   * The watch loop for this action, per the client's strategy, handing each state to
   * `deliver`. `wait()` uses this form: it holds less per wait than an iterator.
   */
  private async followEach(signal: AbortSignal | undefined, deliver: Deliver): Promise<void> {
    const target = this.target();
    if (this.multiplexed()) return followRunMultiplexed(this.core, target, signal, deliver);
    const own = signal ?? new AbortController().signal;
    for await (const details of watchAction(this.core, target, own)) await deliver(details);
  }

  /** The RPC context shared by this handle's reads. */
  private readCall(method: string, signal: AbortSignal | undefined) {
    return {
      method,
      operation: "read" as const,
      idempotent: true,
      signal,
      runName: this.id.name,
      actionName: this.actionName,
    };
  }

  private dataHost(): DataHost {
    const actionId = this.actionId();
    const calls: ActionDataCalls = {
      dataProxy: () =>
        callUnary(this.core, {
          ...this.readCall("DataProxyService.GetActionData", undefined),
          invoke: (_run, callOptions) =>
            createRpcClient(DataProxyService, this.core.connections.transport).getActionData(
              { actionId },
              callOptions,
            ),
        }),
      runService: () =>
        callUnary(this.core, {
          ...this.readCall("GetActionData", undefined),
          invoke: (client, callOptions) => client.getActionData({ actionId }, callOptions),
        }),
      uris: () => this.dataUris(),
    };
    return {
      subject: this.describe(),
      context: this.decodeContext(),
      details: (signal) => this.details(signal === undefined ? {} : { signal }),
      waitForSuccess: async (options) => (await this.wait(options)).details,
      calls,
    };
  }

  private logsHost(): LogsHost {
    const actionId = this.actionId();
    const core = this.core;
    return {
      subject: this.describe(),
      runName: this.id.name,
      actionName: this.actionName,
      details: (signal) => this.details(signal === undefined ? {} : { signal }),
      logContext: (attempt, signal) =>
        callUnary(core, {
          ...this.readCall("GetActionLogContext", signal),
          invoke: (client, callOptions) =>
            client.getActionLogContext({ actionId, attempt }, callOptions),
        }),
      tail: (service, attempt, podName, signal) =>
        tailLogs(core.connections.transport, actionId, service, attempt, podName, signal),
    };
  }

  private decodeContext() {
    const { org, project, domain, name } = this.id;
    return { org, project, domain, runName: name, actionName: this.actionName };
  }

  protected target(): WatchTarget {
    // Written out rather than spread: a spread of `id` gave every target a shape of its own.
    const { org, project, domain, name } = this.id;
    return { org, project, domain, runName: name, actionName: this.actionName };
  }

  protected runId(): RunIdentifier {
    return create(RunIdentifierSchema, this.id);
  }

  protected describe(): string {
    return `action ${this.actionName} of run ${this.id.name}`;
  }

  private actionId() {
    return create(ActionIdentifierSchema, { run: this.id, name: this.actionName });
  }

  protected present<T>(value: T | undefined): T {
    if (value !== undefined) return value;
    throw new ActionNotFoundError({
      message: `the server returned no details for ${this.describe()}`,
    });
  }
}

/**
 * A handle on a run: its root action `a0` plus the run-wide calls. Get one from
 * `client.createRun()` or, with no RPC, from `client.getRun(name)`.
 */
export class Run extends ActionHandle {
  /** @internal */
  constructor(core: ClientCore, id: RunId) {
    super(core, id, "a0");
  }

  /** The root action's details, from GetRunDetails. */
  override async details(options: WatchCallOptions = {}): Promise<ActionDetails> {
    const details = await this.runDetails(options);
    return this.present(details.action);
  }

  /** The run's details: its spec and its root action. */
  async runDetails(options: WatchCallOptions = {}): Promise<RunDetails> {
    const response = await callUnary(this.core, {
      method: "GetRunDetails",
      operation: "read",
      idempotent: true,
      signal: options.signal,
      runName: this.id.name,
      invoke: (client, callOptions) => client.getRunDetails({ runId: this.runId() }, callOptions),
    });
    return this.present(response.details);
  }

  /** Aborts the whole run. A run that no longer exists is not an error. */
  override async abort(reason?: string): Promise<void> {
    await ignoreNotFound(
      callUnary(this.core, {
        method: "AbortRun",
        operation: "abort",
        idempotent: true,
        runName: this.id.name,
        invoke: (client, callOptions) =>
          client.abortRun(
            { runId: this.runId(), ...(reason === undefined ? {} : { reason }) },
            callOptions,
          ),
      }),
    );
  }

  /** The run's actions, the root action first. */
  async actions(options: WatchCallOptions = {}): Promise<ActionSummary[]> {
    const out: ActionSummary[] = [];
    let token = "";
    do {
      const response = await callUnary(this.core, {
        method: "ListActions",
        operation: "read",
        idempotent: true,
        signal: options.signal,
        runName: this.id.name,
        invoke: (client, callOptions) =>
          client.listActions({ runId: this.runId(), request: { token, limit: 100 } }, callOptions),
      });
      for (const action of response.actions) {
        const phase = action.status?.phase ?? ActionPhase.UNSPECIFIED;
        out.push({
          name: action.id?.name ?? "",
          phase,
          phaseName: phaseName(phase),
          parent: action.metadata?.parent ?? "",
          action,
        });
      }
      token = response.token;
    } while (token !== "");
    return out;
  }

  /** A handle on one action of this run, with the same wait, watch and abort. */
  action(name: string): ActionHandle {
    return new ActionHandle(this.core, this.id, name);
  }

  protected override describe(): string {
    return `run ${this.id.name}`;
  }
}

function toResult(details: ActionDetails): RunResult {
  const status = details.status;
  const phase = status?.phase ?? ActionPhase.UNSPECIFIED;
  return {
    phase,
    phaseName: phaseName(phase),
    details,
    ...(status?.startTime ? { startedAt: timestampDate(status.startTime) } : {}),
    ...(status?.endTime ? { endedAt: timestampDate(status.endTime) } : {}),
    attempts: status?.attempts ?? 0,
  };
}

async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ActionNotFoundError) return;
    throw error;
  }
}

function nothingToDispose(): void {}

/**
 * Joins the caller's signal and the wait's own timeout into one signal, and removes the
 * timer and the link once the wait settles. Any number of waits may share the caller's
 * signal, and any timeout works, days included.
 */
function waitSignal(
  user: AbortSignal | undefined,
  timeoutMs: number | undefined,
): { signal: AbortSignal | undefined; dispose(): void } {
  // Nothing to join, so nothing that can abort: no signal at all. An AbortSignal, its
  // listeners and closures are most of what a wait would otherwise hold, by the thousand.
  if (user === undefined && timeoutMs === undefined) {
    return { signal: undefined, dispose: nothingToDispose };
  }
  const link = linkSignal(user);
  const cancelTimer =
    timeoutMs === undefined
      ? nothingToDispose
      : setLongTimeout(() => {
          link.controller.abort(
            new DOMException(`wait() timed out after ${timeoutMs} ms`, "TimeoutError"),
          );
        }, timeoutMs);
  return {
    signal: link.signal,
    dispose: () => {
      cancelTimer();
      link.dispose();
    },
  };
}
