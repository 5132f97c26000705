/**
 * The RunService implementation over a {@link RunStoreImpl}. It is a plain
 * connect router setup, so any connect transport adapter (node, fetch, msw)
 * can serve it; transport tricks go through {@link CallControl}.
 *
 * @module
 */

import { create } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  type HandlerContext,
  type ServiceImpl,
} from "@connectrpc/connect";
import type { ActionIdentifier, RunIdentifier } from "../gen/flyteidl2/common/identifier_pb.js";
import {
  type Action,
  type ActionDetails,
  ActionSchema,
  type Run,
  RunSchema,
  RunSource,
} from "../gen/flyteidl2/workflow/run_definition_pb.js";
import {
  type GetActionDetailsRequest,
  RunService,
} from "../gen/flyteidl2/workflow/run_service_pb.js";
import { callControlKey } from "./call-control.js";
import { DataPlane } from "./data-plane.js";
import { type FastUnary, fastUnary } from "./fast-route.js";
import { FaultState } from "./fault-plan.js";
import type { RunRecord, RunStoreImpl } from "./memory-run-store.js";
import { RunLookup } from "./run-lookup.js";
import { RunStoreError } from "./run-store.js";
import { parseScenario } from "./scenario.js";
import { isTerminalDetails } from "./terminal.js";
import { untilAborted, WatchQueue } from "./watch-queue.js";

/** Options of {@link runServiceRoutes}. */
export interface RunServiceOptions {
  readonly store: RunStoreImpl;
  /** Idle time after which the `idle-cut` fault resets a watch, in real milliseconds. */
  readonly idleCutMs: number;
}

export { slowDownRetryDelayMs } from "./run-lookup.js";

/** The most runs one WatchRuns message carries. */
const WATCH_RUNS_BATCH = 500;

/** Who AbortRun and AbortAction record as the aborting principal. */
export const rpcAbortPrincipal = "local-user";

/** The reason recorded when AbortRun or AbortAction gives none. */
export const defaultAbortReason = "User requested abort";

function storeError(e: unknown): never {
  if (e instanceof RunStoreError) {
    const code =
      e.reason === "already-exists"
        ? Code.AlreadyExists
        : e.reason === "not-found"
          ? Code.NotFound
          : Code.InvalidArgument;
    throw new ConnectError(e.message, code);
  }
  throw e;
}

function actionOf(details: ActionDetails): Action {
  return create(ActionSchema, {
    ...(details.id === undefined ? {} : { id: details.id }),
    ...(details.metadata === undefined ? {} : { metadata: details.metadata }),
    ...(details.status === undefined ? {} : { status: details.status }),
  });
}

function runOf(record: RunRecord): Run {
  return create(RunSchema, { action: actionOf(record.current) });
}

function sourceOf(value: RunSource): RunSource {
  return Object.values(RunSource).includes(value) ? value : RunSource.UNSPECIFIED;
}

/** Registers the RunService implementation on a connect router. */
export function runServiceRoutes(options: RunServiceOptions): RunServiceRoutes {
  const { store } = options;
  // Fault counters of CreateRun calls that have not created their run yet,
  // keyed by the requested name (or the scenario, when the server names the run).
  const pendingCreates = new Map<string, FaultState>();

  const lookup = new RunLookup(store);
  const data = new DataPlane(store);
  const failCall = (faults: FaultState, method: string) => lookup.failCall(faults, method);
  const findRun = (id: RunIdentifier | undefined, method: string) => lookup.findRun(id, method);
  const findAction = (id: ActionIdentifier | undefined, method: string) =>
    lookup.findAction(id, method);

  /**
   * Streams a run's states: the current one, then one per change, ending after
   * the terminal one, with the run's watch faults applied.
   */
  async function* watchDetails(
    record: RunRecord,
    ctx: HandlerContext,
  ): AsyncGenerator<ActionDetails> {
    const control = ctx.values.get(callControlKey);
    const plan = record.faults.nextWatch();
    let fired = false;
    let settled = false;
    const settle = (didFire: boolean) => {
      if (settled) return;
      settled = true;
      record.faults.settleWatch(plan, didFire);
    };
    const queue = new WatchQueue<ActionDetails>();
    const unsubscribe = store.watch(record, (d) => queue.push(d));
    queue.push(record.current);
    try {
      for (let index = 0; ; index++) {
        const next = await queue.next(ctx.signal, plan.idleCut ? options.idleCutMs : undefined);
        if (next.kind === "aborted") return;
        if (next.kind === "idle") {
          record.faults.idleCutFired();
          control.reset();
          await untilAborted(ctx.signal);
          return;
        }
        const terminal = isTerminalDetails(next.value);
        if (index === 0 && plan.corruptFirst && !terminal) {
          control.corruptFrame(0);
          fired = true;
        }
        yield next.value;
        // The transport pulled the corrupt frame: the fault happened, whenever the client
        // gets round to closing the stream. msw's browser worker never tells a handler
        // that the page aborted its fetch, so waiting for the close could take until the
        // run's grace period ran out.
        if (fired) settle(true);
        if (terminal) return;
        if (index === 0 && plan.afterFirst !== undefined) {
          // Count the fault before acting: a reset aborts this generator.
          fired = true;
          settle(true);
          if (plan.afterFirst === "end") return;
          if (plan.afterFirst === "reset") control.reset();
          else control.stall();
          await untilAborted(ctx.signal);
          return;
        }
      }
    } finally {
      unsubscribe();
      settle(fired);
    }
  }

  const actionDetails = (req: GetActionDetailsRequest) => ({
    details: data.detailsWithSpec(findAction(req.actionId, "GetActionDetails")),
  });

  const impl: Partial<ServiceImpl<typeof RunService>> = {
    async createRun(req) {
      let org = "";
      let project = "";
      let domain = "";
      let name: string | undefined;
      switch (req.id.case) {
        case "runId":
          ({ org, project, domain, name } = req.id.value);
          if (name === "") {
            throw new ConnectError("run_id.name is required", Code.InvalidArgument);
          }
          break;
        case "projectId":
          org = req.id.value.organization;
          project = req.id.value.name;
          domain = req.id.value.domain;
          break;
        default:
          throw new ConnectError("run_id or project_id is required", Code.InvalidArgument);
      }
      if (req.task.case !== "taskId" || req.task.value.name === "") {
        throw new ConnectError(
          "task_id with a task name is required (the task name picks the scenario)",
          Code.InvalidArgument,
        );
      }
      const scenario = parseScenario(req.task.value.name);
      if ("error" in scenario) throw new ConnectError(scenario.error, Code.InvalidArgument);
      const key = name ?? `scenario:${scenario.name}`;
      const faults = pendingCreates.get(key) ?? new FaultState(scenario.faults);
      pendingCreates.set(key, faults);
      failCall(faults, "CreateRun");
      let record: RunRecord;
      try {
        record = store.createRecord(
          {
            ...(name === undefined ? {} : { name }),
            scenario: scenario.name,
            org,
            project,
            domain,
            ...(req.runSpec === undefined ? {} : { runSpec: req.runSpec }),
            ...(req.inputWrapper.case === "inputs" ? { inputs: req.inputWrapper.value } : {}),
            source: sourceOf(req.source),
          },
          faults,
        );
      } catch (e) {
        storeError(e);
      }
      pendingCreates.delete(key);
      return { run: runOf(record) };
    },

    async abortRun(req) {
      const record = findRun(req.runId, "AbortRun");
      store.abort(record.id.name, req.reason || defaultAbortReason, rpcAbortPrincipal);
      return {};
    },

    async abortAction(req) {
      const record = findAction(req.actionId, "AbortAction");
      store.abort(record.id.name, req.reason || defaultAbortReason, rpcAbortPrincipal);
      return {};
    },

    async getRunDetails(req) {
      const record = findRun(req.runId, "GetRunDetails");
      return {
        details: {
          ...(record.runSpec === undefined ? {} : { runSpec: record.runSpec }),
          action: data.detailsWithSpec(record),
        },
      };
    },

    async getActionDetails(req) {
      return actionDetails(req);
    },

    async getActionData(req) {
      return data.actionData(findAction(req.actionId, "GetActionData"));
    },

    async getActionDataURIs(req) {
      return data.uris(findAction(req.actionId, "GetActionDataURIs"));
    },

    async getActionLogContext(req) {
      return data.logContext(findAction(req.actionId, "GetActionLogContext"), req.attempt);
    },

    async listRuns(req) {
      const d = store.defaults;
      const scope = req.scopeBy;
      const matches = (r: RunRecord): boolean => {
        switch (scope.case) {
          case "org":
            return r.id.org === scope.value;
          case "projectId":
            return (
              r.id.org === scope.value.organization &&
              r.id.project === (scope.value.name || d.project) &&
              r.id.domain === (scope.value.domain || d.domain)
            );
          case "taskId":
          case "taskName":
            return r.scenario.name === scope.value.name;
          case "triggerName":
            return false;
          default:
            return true;
        }
      };
      const all = store.records().filter(matches).reverse();
      const offset = Number.parseInt(req.request?.token || "0", 10) || 0;
      const limit = req.request?.limit || all.length;
      const page = all.slice(offset, offset + limit);
      const nextOffset = offset + page.length;
      return {
        runs: page.map(runOf),
        token: nextOffset < all.length ? String(nextOffset) : "",
      };
    },

    async listActions(req) {
      const record = findRun(req.runId, "ListActions");
      return { actions: [actionOf(record.current)], token: "" };
    },

    async *watchRunDetails(req, ctx) {
      const record = findRun(req.runId, "WatchRunDetails");
      for await (const action of watchDetails(record, ctx)) {
        yield {
          details: { ...(record.runSpec === undefined ? {} : { runSpec: record.runSpec }), action },
        };
      }
    },

    async *watchActionDetails(req, ctx) {
      const record = findAction(req.actionId, "WatchActionDetails");
      for await (const details of watchDetails(record, ctx)) yield { details };
    },

    async *watchActions(req, ctx) {
      const record = findRun(req.runId, "WatchActions");
      for await (const details of watchDetails(record, ctx)) {
        yield {
          enrichedActions: [{ action: actionOf(details), meetsFilter: true }],
        };
      }
    },

    async *watchRuns(req, ctx) {
      const target = req.target;
      const matches = (r: RunRecord): boolean => {
        switch (target.case) {
          case "org":
            return r.id.org === target.value;
          case "projectId":
            return (
              r.id.org === target.value.organization &&
              r.id.project === target.value.name &&
              r.id.domain === target.value.domain
            );
          case "taskId":
            return r.scenario.name === target.value.name;
          case "clusterId":
            return r.model.cluster === target.value.name;
          default:
            return true;
        }
      };
      // Snapshot at change time: a slow reader still sees every phase.
      const queue = new WatchQueue<Run>();
      const unsubscribe = store.onChange((r) => {
        if (matches(r)) queue.push(runOf(r));
      });
      try {
        yield { runs: store.records().filter(matches).map(runOf) };
        for (;;) {
          const next = await queue.next(ctx.signal);
          if (next.kind !== "value") return;
          // Changes that piled up while the last message was written go out together, as
          // WatchRunsResponse's repeated field allows: a burst of endings is a few
          // messages, not one per run.
          yield { runs: [next.value, ...queue.takeQueued(WATCH_RUNS_BATCH - 1)] };
        }
      } finally {
        unsubscribe();
      }
    },
  };

  const method = RunService.method.getActionDetails;
  const fast = new Map<string, FastUnary>([
    [
      `/${RunService.typeName}/${method.name}`,
      fastUnary(method.input, method.output, async (req) => actionDetails(req)),
    ],
  ]);
  return Object.assign(
    (router: ConnectRouter) => {
      router.service(RunService, impl);
    },
    { fast },
  );
}

/** Registers the service on a router; `fast` holds the methods of the lean path. */
export type RunServiceRoutes = ((router: ConnectRouter) => void) & {
  readonly fast: ReadonlyMap<string, FastUnary>;
};
