/**
 * The data side of the test server: a run's inputs and outputs (GetActionData, on
 * RunService and on the data proxy), where they are stored (GetActionDataURIs), which pod
 * holds an attempt's log (GetActionLogContext), the log itself (TailLogs, on the data proxy
 * and on the older RunLogsService), and the registered task's interface (GetTaskDetails).
 * The rules are the backend's: outputs and their URI only once the action succeeded, a log
 * only once its pod runs, followed while it runs and ended when it ends.
 *
 * @module
 */

import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  type HandlerContext,
  type ServiceImpl,
} from "@connectrpc/connect";
import type { ActionIdentifier } from "../gen/flyteidl2/common/identifier_pb.js";
import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import { DataProxyService } from "../gen/flyteidl2/dataproxy/dataproxy_service_pb.js";
import {
  type LogLine,
  LogLineOriginator,
  LogLineSchema,
} from "../gen/flyteidl2/logs/dataplane/payload_pb.js";
import { type Outputs, OutputsSchema } from "../gen/flyteidl2/task/common_pb.js";
import type { TaskSpec } from "../gen/flyteidl2/task/task_definition_pb.js";
import { TaskService } from "../gen/flyteidl2/task/task_service_pb.js";
import type { ActionDetails } from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { RunLogsService } from "../gen/flyteidl2/workflow/run_logs_service_pb.js";
import type { AttemptModel } from "./action-model.js";
import { podName } from "./action-model.js";
import type { RunRecord, RunStoreImpl } from "./memory-run-store.js";
import { RunLookup } from "./run-lookup.js";
import { inputsUri, outputsUri, sampleOutputsOf, sampleTaskSpec } from "./sample-data.js";
import { parseScenario } from "./scenario.js";
import { WatchQueue } from "./watch-queue.js";

/** Log reads the `late-logs` variant answers NOT_FOUND. */
export const lateLogMisses = 2;

function succeeded(record: RunRecord): boolean {
  const phase = record.model.phase;
  return phase === ActionPhase.SUCCEEDED || phase === ActionPhase.RECOVERED;
}

/** The data of the runs of one store. */
export class DataPlane {
  /** The sample spec of each task, built once. */
  private readonly specs = new Map<string, TaskSpec>();

  constructor(private readonly store: RunStoreImpl) {}

  /** The run's current details with the task's spec, as the unary reads return them. */
  detailsWithSpec(record: RunRecord): ActionDetails {
    // A shallow copy: the reply is serialised at once, and the store replaces (never
    // mutates) a run's state, so nothing is shared for long. Thousands of detail reads of
    // settling runs made a deep clone and a new spec per read the server's largest cost.
    let spec = this.specs.get(record.scenario.name);
    if (spec === undefined) {
      spec = sampleTaskSpec(record.scenario.name);
      this.specs.set(record.scenario.name, spec);
    }
    return { ...record.current, spec: { case: "task", value: spec } };
  }

  /** Inputs always; outputs once the action succeeded, else empty, as the data proxy answers. */
  actionData(record: RunRecord): { inputs: RunRecord["inputs"]; outputs: Outputs } {
    return {
      inputs: record.inputs,
      outputs: succeeded(record)
        ? sampleOutputsOf(record.id, this.lastAttempt(record), record.scenario.data)
        : create(OutputsSchema),
    };
  }

  /** The inputs' location; the outputs' only once the action succeeded. */
  uris(record: RunRecord): { inputsUri: string; outputsUri: string } {
    return {
      inputsUri: inputsUri(record.id),
      outputsUri: succeeded(record) ? outputsUri(record.id, this.lastAttempt(record)) : "",
    };
  }

  /** The pods of an attempt (0: the latest), or NOT_FOUND. */
  logContext(
    record: RunRecord,
    attempt: number,
  ): { logContext: ActionDetails["attempts"][number]["logContext"]; cluster: string } {
    const n = this.attemptNumber(record, attempt);
    const found = record.current.attempts.find((a) => a.attempt === n);
    if (found === undefined) throw this.noAttempt(record, n);
    return { logContext: found.logContext, cluster: found.cluster };
  }

  /**
   * The log of an attempt: what it has so far, then, while the pod runs, each new line,
   * ending when the pod ends. NOT_FOUND before the pod runs, and for the first reads of a
   * `late-logs` run.
   */
  async *tailLogs(
    record: RunRecord,
    attempt: number,
    pod: string,
    ctx: HandlerContext,
  ): AsyncGenerator<{ logs: { lines: LogLine[] }[] }> {
    const n = this.attemptNumber(record, attempt);
    const model = record.model.attempts[n - 1];
    if (model === undefined) throw this.noAttempt(record, n);
    const expected = podName(record.model, n);
    const namespace = `${record.id.project}-${record.id.domain}`;
    const missing = () =>
      new ConnectError(`pod ${pod || expected} not found in namespace ${namespace}`, Code.NotFound);
    if (pod !== "" && pod !== expected) throw missing();
    if (record.scenario.data.includes("late-logs") && record.logMisses < lateLogMisses) {
      record.logMisses++;
      throw missing();
    }
    if (!model.logsAvailable) throw missing();
    const changes = new WatchQueue<true>();
    const unsubscribe = this.store.watch(record, () => changes.push(true));
    let sent = 0;
    try {
      for (;;) {
        const lines = model.logs.slice(sent).map(toLogLine);
        sent += lines.length;
        if (lines.length > 0) yield { logs: [{ lines }] };
        if (model.end !== undefined || record.terminal) return;
        const next = await changes.next(ctx.signal);
        if (next.kind !== "value") return;
      }
    } finally {
      unsubscribe();
    }
  }

  private lastAttempt(record: RunRecord): number {
    return Math.max(1, record.model.attempts.length);
  }

  private attemptNumber(record: RunRecord, attempt: number): number {
    return attempt === 0 ? this.lastAttempt(record) : attempt;
  }

  private noAttempt(record: RunRecord, n: number): ConnectError {
    return new ConnectError(
      `attempt ${n} of action ${record.model.action} of run ${record.id.name} not found`,
      Code.NotFound,
    );
  }
}

function toLogLine(line: AttemptModel["logs"][number]): LogLine {
  return create(LogLineSchema, {
    timestamp: timestampFromMs(line.at),
    message: `${line.message}\n`,
    originator: line.by === "user" ? LogLineOriginator.USER : LogLineOriginator.SYSTEM,
  });
}

/** Options of {@link dataServiceRoutes}. */
export interface DataServiceOptions {
  readonly store: RunStoreImpl;
  /**
   * Serve DataProxyService (GetActionData, TailLogs). Without it the server is like an
   * older backend: clients must use RunService.GetActionData and RunLogsService.TailLogs.
   */
  readonly dataProxy: boolean;
}

/** Registers DataProxyService, RunLogsService and TaskService on a connect router. */
export function dataServiceRoutes(options: DataServiceOptions): (router: ConnectRouter) => void {
  const lookup = new RunLookup(options.store);
  const data = new DataPlane(options.store);
  const find = (id: ActionIdentifier | undefined, method: string) => lookup.findAction(id, method);
  const dataProxy: Partial<ServiceImpl<typeof DataProxyService>> = {
    async getActionData(req) {
      return data.actionData(find(req.actionId, "GetActionData"));
    },
    async *tailLogs(req, ctx) {
      yield* data.tailLogs(find(req.actionId, "TailLogs"), req.attempt, req.podName, ctx);
    },
  };
  const runLogs: Partial<ServiceImpl<typeof RunLogsService>> = {
    async *tailLogs(req, ctx) {
      yield* data.tailLogs(find(req.actionId, "TailLogs"), req.attempt, "", ctx);
    },
  };
  const tasks: Partial<ServiceImpl<typeof TaskService>> = {
    async getTaskDetails(req) {
      const id = req.taskId;
      const name = id?.name ?? "";
      if ("error" in parseScenario(name)) {
        throw new ConnectError(`task ${name || "(no name)"} not found`, Code.NotFound);
      }
      return {
        details: {
          taskId: {
            org: id?.org ?? "",
            project: id?.project ?? "",
            domain: id?.domain ?? "",
            name,
            version: id?.version || "v1",
          },
          spec: sampleTaskSpec(name),
        },
      };
    },
  };
  return (router) => {
    if (options.dataProxy) router.service(DataProxyService, dataProxy);
    router.service(RunLogsService, runLogs);
    router.service(TaskService, tasks);
  };
}
