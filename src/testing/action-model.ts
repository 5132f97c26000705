/**
 * A plain, mutable model of one action that the timelines edit step by step.
 * Every published state is a fresh ActionDetails built from it, so a message
 * already handed to a watcher is never changed afterwards.
 *
 * @module
 */

import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { RunIdentifier } from "../gen/flyteidl2/common/identifier_pb.js";
import type { EnrichedIdentity } from "../gen/flyteidl2/common/identity_pb.js";
import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import {
  AbortInfoSchema,
  type ActionDetails,
  ActionDetailsSchema,
  ActionType,
  ErrorInfo_Kind,
  ErrorInfoSchema,
  RunSource,
} from "../gen/flyteidl2/workflow/run_definition_pb.js";

/** An ErrorInfo as the model keeps it. */
export interface ErrorModel {
  message: string;
  kind: ErrorInfo_Kind;
}

/** One phase an attempt went through. */
export interface TransitionModel {
  phase: number;
  start: number;
  end?: number | undefined;
}

/** One line of an attempt's log. */
export interface LogModel {
  at: number;
  message: string;
  /** Written by the task's code, or by Flyte around it. */
  by: "user" | "system";
}

/** One attempt (one pod) of the action. */
export interface AttemptModel {
  /** 1-based, as the backend numbers attempts. */
  attempt: number;
  phase: number;
  start: number;
  end?: number | undefined;
  error?: ErrorModel | undefined;
  transitions: TransitionModel[];
  clusterEvents: { at: number; message: string }[];
  logsAvailable: boolean;
  /** The pod's log so far; it exists once the pod runs (`logsAvailable`). */
  logs: LogModel[];
}

/** The whole action; `a0` is the root action of its run. */
export interface ActionModel {
  run: RunIdentifier;
  action: string;
  task: string;
  source: RunSource;
  phase: number;
  start: number;
  end?: number | undefined;
  cluster: string;
  attempts: AttemptModel[];
  result?:
    | { case: "error"; error: ErrorModel }
    | { case: "abort"; reason: string; abortedBy: EnrichedIdentity | undefined }
    | undefined;
}

/** Creates the model of a freshly queued action. */
export function newActionModel(
  run: RunIdentifier,
  task: string,
  now: number,
  source: RunSource = RunSource.UNSPECIFIED,
): ActionModel {
  return {
    run,
    action: "a0",
    task,
    source,
    phase: ActionPhase.QUEUED,
    start: now,
    cluster: "demo-cluster-1",
    attempts: [],
  };
}

/** The pod (and primary container) name of an attempt, e.g. `r1-a0-0`. */
export function podName(model: ActionModel, attempt: number): string {
  return `${model.run.name}-${model.action}-${attempt - 1}`;
}

/** The attempt currently running, if any. */
export function currentAttempt(model: ActionModel): AttemptModel | undefined {
  return model.attempts[model.attempts.length - 1];
}

function enterAttemptPhase(attempt: AttemptModel, phase: number, now: number): void {
  const last = attempt.transitions[attempt.transitions.length - 1];
  if (last !== undefined && last.end === undefined) last.end = now;
  attempt.transitions.push({ phase, start: now });
  attempt.phase = phase;
}

/** Starts a new attempt (a new pod), which puts the action in INITIALIZING. */
export function startAttempt(model: ActionModel, now: number): AttemptModel {
  const attempt: AttemptModel = {
    attempt: model.attempts.length + 1,
    phase: ActionPhase.QUEUED,
    start: now,
    transitions: [],
    clusterEvents: [],
    logsAvailable: false,
    logs: [],
  };
  model.attempts.push(attempt);
  enterAttemptPhase(attempt, ActionPhase.INITIALIZING, now);
  model.phase = ActionPhase.INITIALIZING;
  return attempt;
}

/** Moves the action and its current attempt to a non-terminal phase. */
export function enterPhase(model: ActionModel, phase: number, now: number): void {
  model.phase = phase;
  const attempt = currentAttempt(model);
  if (attempt === undefined) return;
  enterAttemptPhase(attempt, phase, now);
  if (phase === ActionPhase.RUNNING && !attempt.logsAvailable) {
    attempt.logsAvailable = true;
    log(attempt, now, "system", `[flyte] Running task ${model.task}, attempt ${attempt.attempt}`);
    log(attempt, now, "user", "Loading inputs");
    log(attempt, now, "user", "Working…");
  }
}

function log(attempt: AttemptModel, at: number, by: LogModel["by"], text: string): void {
  for (const message of text.split("\n")) attempt.logs.push({ at, message, by });
}

/** The last lines of an attempt's log, by how it ended. */
function logEnd(attempt: AttemptModel, phase: number, now: number, error?: ErrorModel): void {
  if (!attempt.logsAvailable) return;
  if (error !== undefined) {
    log(attempt, now, "user", error.message.replace(/^\r?\n/, "").replace(/\r/g, ""));
    log(attempt, now, "system", `[flyte] Attempt ${attempt.attempt} failed`);
  } else if (phase === ActionPhase.SUCCEEDED || phase === ActionPhase.RECOVERED) {
    log(attempt, now, "user", "Done");
    log(attempt, now, "system", "[flyte] Task succeeded, outputs written");
  } else if (phase === ActionPhase.ABORTED) {
    log(attempt, now, "system", "[flyte] Aborted");
  } else {
    log(attempt, now, "system", "[flyte] Task ended");
  }
}

/** Ends the current attempt with a failure while the action goes on to retry. */
export function failAttempt(model: ActionModel, error: ErrorModel, now: number): void {
  const attempt = currentAttempt(model);
  if (attempt === undefined) return;
  enterAttemptPhase(attempt, ActionPhase.FAILED, now);
  attempt.end = now;
  attempt.error = error;
  logEnd(attempt, ActionPhase.FAILED, now, error);
}

/** Records a cluster event (a kubelet or scheduler message) on the current attempt. */
export function addClusterEvent(model: ActionModel, message: string, now: number): void {
  currentAttempt(model)?.clusterEvents.push({ at: now, message });
}

/**
 * Puts the action in its final phase. The current attempt ends with it and
 * carries the error too, since the backend reports the last attempt's error as
 * the action's.
 */
export function finish(
  model: ActionModel,
  phase: number,
  now: number,
  result?: ActionModel["result"],
): void {
  model.phase = phase;
  model.end = now;
  const attempt = currentAttempt(model);
  if (attempt !== undefined) {
    const ended = attempt.end !== undefined;
    enterAttemptPhase(attempt, phase, now);
    attempt.end = now;
    if (result?.case === "error") attempt.error = result.error;
    if (!ended) logEnd(attempt, phase, now, result?.case === "error" ? result.error : undefined);
  }
  if (result === undefined) delete model.result;
  else model.result = result;
}

/** Builds a fresh ActionDetails message from the model. */
export function toActionDetails(model: ActionModel): ActionDetails {
  const details = create(ActionDetailsSchema, {
    id: { run: { ...model.run }, name: model.action },
    metadata: {
      spec: {
        case: "task",
        value: {
          id: {
            org: model.run.org,
            project: model.run.project,
            domain: model.run.domain,
            name: model.task,
            version: "v1",
          },
          taskType: "python",
          shortName: model.task,
        },
      },
      actionType: ActionType.TASK,
      environmentName: "demo-env",
      source: model.source,
    },
    status: {
      phase: model.phase,
      startTime: timestampFromMs(model.start),
      attempts: model.attempts.length,
    },
    attempts: model.attempts.map((a) => {
      const pod = podName(model, a.attempt);
      return {
        phase: a.phase,
        startTime: timestampFromMs(a.start),
        ...(a.end === undefined ? {} : { endTime: timestampFromMs(a.end) }),
        ...(a.error === undefined ? {} : { errorInfo: { ...a.error } }),
        attempt: a.attempt,
        logsAvailable: a.logsAvailable,
        clusterEvents: a.clusterEvents.map((e) => ({
          occurredAt: timestampFromMs(e.at),
          message: e.message,
        })),
        phaseTransitions: a.transitions.map((t) => ({
          phase: t.phase,
          startTime: timestampFromMs(t.start),
          ...(t.end === undefined ? {} : { endTime: timestampFromMs(t.end) }),
        })),
        cluster: model.cluster,
        logContext: {
          primaryPodName: pod,
          pods: [
            {
              namespace: `${model.run.project}-${model.run.domain}`,
              podName: pod,
              primaryContainerName: pod,
              containers: [{ containerName: pod }],
            },
          ],
        },
      };
    }),
  });
  if (details.status !== undefined && model.end !== undefined) {
    details.status.endTime = timestampFromMs(model.end);
    details.status.durationMs = BigInt(Math.max(0, model.end - model.start));
  }
  const result = model.result;
  if (result?.case === "error") {
    details.result = { case: "errorInfo", value: create(ErrorInfoSchema, { ...result.error }) };
  } else if (result?.case === "abort") {
    details.result = {
      case: "abortInfo",
      value: create(AbortInfoSchema, {
        reason: result.reason,
        ...(result.abortedBy === undefined ? {} : { abortedBy: result.abortedBy }),
      }),
    };
  }
  return details;
}

/** Shorthand for the three ErrorInfo kinds. */
export const Kind = {
  user: ErrorInfo_Kind.USER,
  system: ErrorInfo_Kind.SYSTEM,
  unspecified: ErrorInfo_Kind.UNSPECIFIED,
} as const;
