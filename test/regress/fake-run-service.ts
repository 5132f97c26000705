/**
 * The RunService behind the raw server: runs in memory, unary answers, WatchActionDetails
 * and WatchRuns streams that stay open until the run ends. A test sets phases itself, and
 * makes the server misbehave through {@link FakeRunService.intercept}, which sees every
 * call first.
 */

import type * as http2 from "node:http2";
import { create, type DescMessage, fromBinary, type MessageShape } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { isTerminalPhase } from "../../src/decode/index.js";
import { ActionPhase } from "../../src/gen/flyteidl2/common/phase_pb.js";
import {
  type ActionDetails,
  ActionDetailsSchema,
  ErrorInfo_Kind,
  type Run,
  RunSchema,
} from "../../src/gen/flyteidl2/workflow/run_definition_pb.js";
import {
  AbortActionRequestSchema,
  AbortActionResponseSchema,
  AbortRunRequestSchema,
  AbortRunResponseSchema,
  CreateRunRequestSchema,
  CreateRunResponseSchema,
  GetActionDetailsRequestSchema,
  GetActionDetailsResponseSchema,
  GetRunDetailsRequestSchema,
  GetRunDetailsResponseSchema,
  ListRunsRequestSchema,
  ListRunsResponseSchema,
  WatchActionDetailsRequestSchema,
  WatchActionDetailsResponseSchema,
  WatchRunsRequestSchema,
  WatchRunsResponseSchema,
} from "../../src/gen/flyteidl2/workflow/run_service_pb.js";
import {
  endStream,
  openStream,
  type RawCall,
  replyUnary,
  sendMessage,
  trailersOnly,
} from "./raw-grpc-server.js";

const requestSchemas: Record<string, DescMessage> = {
  CreateRun: CreateRunRequestSchema,
  GetRunDetails: GetRunDetailsRequestSchema,
  GetActionDetails: GetActionDetailsRequestSchema,
  WatchActionDetails: WatchActionDetailsRequestSchema,
  WatchRuns: WatchRunsRequestSchema,
  AbortRun: AbortRunRequestSchema,
  AbortAction: AbortActionRequestSchema,
  ListRuns: ListRunsRequestSchema,
};

/** A call with its request decoded, as {@link FakeRunService.intercept} sees it. */
export interface FakeCall extends RawCall {
  /** The run the call is about; for CreateRun, the name the client chose, if any. */
  readonly run: string | undefined;
  readonly action: string | undefined;
  readonly request: MessageShape<DescMessage> | undefined;
  /** How many calls of this method about this run came before, counting from 0. */
  readonly previous: number;
  /** `performance.now()` when the request had arrived whole. */
  readonly at: number;
}

interface ActionState {
  details: ActionDetails;
  readonly watchers: Set<http2.ServerHttp2Stream>;
}

/** A RunService that answers correctly unless a test says otherwise. */
export class FakeRunService {
  private readonly actions = new Map<string, ActionState>();
  private readonly runWatchers = new Set<http2.ServerHttp2Stream>();
  private readonly counts = new Map<string, number>();
  private serverNames = 0;

  /** Every call, in order. */
  readonly calls: FakeCall[] = [];
  /** The names of the runs CreateRun created, in order. */
  readonly created: string[] = [];
  /**
   * Sees every call first; return true when it answered the call itself. The default
   * answer follows otherwise.
   */
  intercept: ((call: FakeCall, service: FakeRunService) => boolean | Promise<boolean>) | undefined;
  /** How long unary answers take, so that their streams stay open a while. */
  unaryDelayMs = 0;

  /** Adds a run (and child actions) in `phase`. */
  seed(run: string, phase: ActionPhase = ActionPhase.RUNNING, actions = ["a0"]): void {
    for (const action of actions) {
      this.actions.set(key(run, action), {
        details: detailsOf(run, action, phase),
        watchers: new Set(),
      });
    }
  }

  /** Moves an action to `phase`, tells its watchers, and ends their streams if terminal. */
  setPhase(run: string, phase: ActionPhase, action = "a0", error?: string): void {
    const state = this.actions.get(key(run, action));
    if (state === undefined) throw new Error(`no action ${action} of run ${run}`);
    state.details = detailsOf(run, action, phase, error);
    const terminal = isTerminalPhase(phase);
    for (const stream of [...state.watchers]) {
      sendMessage(
        stream,
        WatchActionDetailsResponseSchema,
        create(WatchActionDetailsResponseSchema, { details: state.details }),
      );
      if (terminal) endStream(stream);
    }
    if (action === "a0") {
      for (const stream of this.runWatchers) {
        sendMessage(
          stream,
          WatchRunsResponseSchema,
          create(WatchRunsResponseSchema, { runs: [runOf(state.details)] }),
        );
      }
    }
  }

  /** Calls of `method` so far. */
  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  /** WatchRuns streams open now. */
  openRunWatches(): number {
    return this.runWatchers.size;
  }

  /** Watch streams open now, WatchRuns included. */
  openWatches(): number {
    let n = this.runWatchers.size;
    for (const state of this.actions.values()) n += state.watchers.size;
    return n;
  }

  /** The raw server's handler. */
  readonly handle = async (raw: RawCall): Promise<void> => {
    const schema = requestSchemas[raw.method];
    const request = schema === undefined ? undefined : fromBinary(schema, raw.body);
    const { run, action } = targetOf(raw.method, request);
    const countKey = `${raw.method}/${run ?? ""}`;
    const previous = this.counts.get(countKey) ?? 0;
    this.counts.set(countKey, previous + 1);
    const call: FakeCall = { ...raw, run, action, request, previous, at: performance.now() };
    this.calls.push(call);
    if (this.intercept !== undefined && (await this.intercept(call, this))) return;
    if (this.unaryDelayMs > 0 && !raw.method.startsWith("Watch")) {
      await new Promise((resolve) => setTimeout(resolve, this.unaryDelayMs));
    }
    this.answer(call);
  };

  private answer(call: FakeCall): void {
    const { stream } = call;
    const state =
      call.run === undefined ? undefined : this.actions.get(key(call.run, call.action ?? "a0"));
    switch (call.method) {
      case "CreateRun": {
        const name = call.run ?? `srv${String(++this.serverNames).padStart(5, "0")}`;
        if (this.actions.has(key(name, "a0"))) {
          trailersOnly(stream, { code: 6, message: `run ${name} already exists` });
          return;
        }
        this.seed(name, ActionPhase.QUEUED);
        this.created.push(name);
        const details = this.actions.get(key(name, "a0"))?.details;
        replyUnary(
          stream,
          CreateRunResponseSchema,
          create(CreateRunResponseSchema, {
            run: details === undefined ? undefined : runOf(details),
          }),
        );
        return;
      }
      case "ListRuns": {
        const runs = [...this.actions.entries()]
          .filter(([k]) => k.endsWith("/a0"))
          .map(([, s]) => runOf(s.details));
        replyUnary(stream, ListRunsResponseSchema, create(ListRunsResponseSchema, { runs }));
        return;
      }
      case "WatchRuns": {
        openStream(stream);
        const runs = [...this.actions.entries()]
          .filter(([k]) => k.endsWith("/a0"))
          .map(([, s]) => runOf(s.details));
        sendMessage(stream, WatchRunsResponseSchema, create(WatchRunsResponseSchema, { runs }));
        this.runWatchers.add(stream);
        stream.once("close", () => this.runWatchers.delete(stream));
        return;
      }
    }
    if (state === undefined) {
      trailersOnly(stream, { code: 5, message: `${call.run}/${call.action} not found` });
      return;
    }
    switch (call.method) {
      case "GetRunDetails":
        replyUnary(
          stream,
          GetRunDetailsResponseSchema,
          create(GetRunDetailsResponseSchema, {
            details: { action: state.details },
          }),
        );
        return;
      case "GetActionDetails":
        replyUnary(
          stream,
          GetActionDetailsResponseSchema,
          create(GetActionDetailsResponseSchema, {
            details: state.details,
          }),
        );
        return;
      case "AbortRun":
      case "AbortAction":
        if (!isTerminalPhase(state.details.status?.phase ?? 0)) {
          this.setPhase(call.run ?? "", ActionPhase.ABORTED, call.action ?? "a0");
        }
        if (call.method === "AbortRun") {
          replyUnary(stream, AbortRunResponseSchema, create(AbortRunResponseSchema));
        } else {
          replyUnary(stream, AbortActionResponseSchema, create(AbortActionResponseSchema));
        }
        return;
      case "WatchActionDetails": {
        openStream(stream);
        sendMessage(
          stream,
          WatchActionDetailsResponseSchema,
          create(WatchActionDetailsResponseSchema, { details: state.details }),
        );
        if (isTerminalPhase(state.details.status?.phase ?? 0)) {
          endStream(stream);
          return;
        }
        state.watchers.add(stream);
        stream.once("close", () => state.watchers.delete(stream));
        return;
      }
      default:
        trailersOnly(stream, { code: 12, message: `${call.method} is not implemented here` });
    }
  }
}

function key(run: string, action: string): string {
  return `${run}/${action}`;
}

/** The run and action a request is about. */
function targetOf(
  method: string,
  request: MessageShape<DescMessage> | undefined,
): { run: string | undefined; action: string | undefined } {
  const r = request as
    | {
        id?: { case?: string; value?: { name?: string } };
        runId?: { name?: string };
        actionId?: { run?: { name?: string }; name?: string };
      }
    | undefined;
  if (method === "CreateRun") {
    const named = r?.id?.case === "runId" ? r.id.value?.name : undefined;
    return { run: named === "" ? undefined : named, action: "a0" };
  }
  if (r?.runId !== undefined) return { run: r.runId.name, action: "a0" };
  if (r?.actionId !== undefined) return { run: r.actionId.run?.name, action: r.actionId.name };
  return { run: undefined, action: undefined };
}

function detailsOf(run: string, action: string, phase: ActionPhase, error?: string): ActionDetails {
  const now = timestampNow();
  const terminal = isTerminalPhase(phase);
  return create(ActionDetailsSchema, {
    id: {
      run: { org: "", project: "flytesnacks", domain: "development", name: run },
      name: action,
    },
    status: { phase, attempts: 1, startTime: now, ...(terminal ? { endTime: now } : {}) },
    ...(error === undefined
      ? {}
      : { result: { case: "errorInfo", value: { message: error, kind: ErrorInfo_Kind.USER } } }),
  });
}

function runOf(details: ActionDetails): Run {
  return create(RunSchema, {
    action: { id: details.id, status: details.status },
  });
}
