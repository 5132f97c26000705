/**
 * ActionDetails, as GetActionDetails and WatchActionDetails return them, become the typed
 * error of the action, or `undefined` when it has not failed.
 *
 * ErrorInfo is all RunService says about a failure (a message and a kind), so the class
 * is recovered from the message text with the rules of {@link classifyFailureMessage}.
 */

import type { JsonValue } from "@bufbuild/protobuf";
import {
  ActionAbortedError,
  type AnyFlyteError,
  describingRemoteFailure,
  type FlyteErrorDetails,
  RunAbortedError,
  RuntimeUnknownError,
  TaskTimeoutError,
} from "../errors/failure.js";
import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import {
  type ActionDetails,
  ActionDetailsSchema,
  type ErrorInfo,
  ErrorInfo_Kind,
} from "../gen/flyteidl2/workflow/run_definition_pb.js";
import { classifyFailureMessage, classifyInto, type FailureFacts } from "./classify-failure.js";
import { construct } from "./construct.js";
import { jsonOf, malformedPayload, readPayload, why } from "./payload.js";
import { isKnownPhase, phaseName } from "./phase.js";
import { principalName } from "./principal.js";

/**
 * What {@link decodeActionDetails} accepts: the generated message, its binary encoding, or
 * its proto3 JSON form as an object or as JSON text.
 */
export type ActionDetailsInput = ActionDetails | Uint8Array | string | JsonValue;

/**
 * Names for messages, when the caller knows them better than the payload does. Values
 * here win over `ActionDetails.id`.
 */
export interface DecodeContext {
  runName?: string | undefined;
  actionName?: string | undefined;
  org?: string | undefined;
  project?: string | undefined;
  domain?: string | undefined;
}

/** The root action of every run; its abort is the run's abort. */
const ROOT_ACTION = "a0";

/**
 * The typed error of an action, from its details.
 *
 * | phase | result |
 * | --- | --- |
 * | SUCCEEDED, RECOVERED, any non-terminal phase | `undefined` |
 * | FAILED | classified from the result's ErrorInfo, else the latest attempt's, with {@link classifyFailureMessage}; RuntimeUnknownError (code `Unknown`) when there is none |
 * | ABORTED | RunAbortedError for the root action `a0` (also when the action name is unknown), ActionAbortedError for a child; `reason` and `abortedBy` from AbortInfo |
 * | TIMED_OUT | TaskTimeoutError, whose `cause` is the classified ErrorInfo when there is one |
 * | a number the schema does not know | RuntimeUnknownError code `UnknownPhase` when `status.endTime` is set, else `undefined` |
 *
 * Every error carries `attempts` from `status.attempts`, `worker` from the last attempt's
 * `logContext.primaryPodName` (else its `cluster`), and in `details`: `actionDetails` (the
 * proto3 JSON form of the whole message), `phase` (the number), `containers` (parsed
 * container lines), and `raw` (the input itself, unless it was a message). Input that does
 * not parse gives a RuntimeUnknownError with code `MalformedPayload` and the input in
 * `details.raw`. Never throws.
 */
export function decodeActionDetails(
  input: ActionDetailsInput,
  context: DecodeContext = {},
): AnyFlyteError | undefined {
  return describingRemoteFailure(() => decodeInput(input, context));
}

function decodeInput(input: ActionDetailsInput, context: DecodeContext): AnyFlyteError | undefined {
  const read = readPayload(ActionDetailsSchema, input);
  if (!read.ok) return malformedPayload(ActionDetailsSchema, input, read);
  try {
    const error = fromDetails(read.message, read.format === "message" ? undefined : input, context);
    if (error !== undefined) defineActionDetailsJson(error.details, read.message);
    return error;
  } catch (e) {
    // Only a hand-built message with wrong field types can get here.
    return malformedPayload(ActionDetailsSchema, input, { format: read.format, reason: why(e) });
  }
}

function fromDetails(
  details: ActionDetails,
  raw: unknown,
  context: DecodeContext,
): AnyFlyteError | undefined {
  const phase = details.status?.phase ?? ActionPhase.UNSPECIFIED;
  if (phase === ActionPhase.SUCCEEDED || phase === ActionPhase.RECOVERED) return undefined;
  const known = isKnownPhase(phase);
  const terminalByTime = !known && details.status?.endTime !== undefined;
  if (
    phase !== ActionPhase.FAILED &&
    phase !== ActionPhase.ABORTED &&
    phase !== ActionPhase.TIMED_OUT &&
    !terminalByTime
  ) {
    return undefined;
  }

  const runName = context.runName ?? nonEmpty(details.id?.run?.name);
  const actionName = context.actionName ?? nonEmpty(details.id?.name);
  const subject = subjectOf(runName, actionName);
  const lastAttempt = details.attempts.at(-1);
  const worker =
    nonEmpty(lastAttempt?.logContext?.primaryPodName) ?? nonEmpty(lastAttempt?.cluster);
  const attempts = details.status?.attempts ? details.status.attempts : undefined;
  const base = errorDetails(raw, phase, context);
  const facts: FailureFacts = { subject, attempts, worker };
  const evidence = errorEvidence(details);

  if (phase === ActionPhase.FAILED) {
    if (evidence !== undefined) {
      return classifyInto(evidence.message, evidence.kind, facts, base);
    }
    base.containers = [];
    return construct(RuntimeUnknownError, {
      ...presentFacts(facts),
      message: `${subject} failed without saying why`,
      hint: "The platform reported the failure without an error: read the task's logs, and err.details.actionDetails for its attempts.",
      details: base,
    });
  }

  if (phase === ActionPhase.ABORTED) {
    const abort = details.result.case === "abortInfo" ? details.result.value : undefined;
    const reason = nonEmpty(abort?.reason);
    const abortedBy = principalName(abort?.abortedBy);
    const root = (actionName ?? ROOT_ACTION) === ROOT_ACTION;
    const who = root && runName !== undefined ? `run ${runName}` : subject;
    const options = {
      ...presentFacts(facts),
      message: `${who} was aborted${abortedBy === undefined ? "" : ` by ${abortedBy}`}${reason === undefined ? "" : `: ${reason}`}`,
      hint: abortHint(root ? "run" : "action", abortedBy, reason),
      details: base,
      ...(reason === undefined ? {} : { reason }),
      ...(abortedBy === undefined ? {} : { abortedBy }),
    };
    return root ? construct(RunAbortedError, options) : construct(ActionAbortedError, options);
  }

  if (phase === ActionPhase.TIMED_OUT) {
    const cause =
      evidence === undefined
        ? undefined
        : classifyFailureMessage(evidence.message, evidence.kind, facts);
    const kind = statedKind(evidence?.kind);
    return construct(TaskTimeoutError, {
      ...presentFacts(facts),
      ...(kind === undefined ? {} : { kind }),
      ...(cause === undefined ? {} : { cause }),
      message: evidence?.message
        ? `${subject} ran past its timeout: ${evidence.message}`
        : `${subject} ran past its timeout`,
      details: base,
    });
  }

  return construct(RuntimeUnknownError, {
    ...presentFacts(facts),
    code: "UnknownPhase",
    message: `${subject} ended in phase ${phaseName(phase)}, which this client does not know`,
    hint: "The server sent a phase newer than this client: treat the action as finished, and upgrade flyte-remote to learn what the phase means.",
    details: base,
  });
}

/** Who stopped it and why, when AbortInfo said; the stop was on purpose, so nothing to fix. */
function abortHint(
  what: "run" | "action",
  by: string | undefined,
  reason: string | undefined,
): string {
  const who = by === undefined ? `The ${what} was stopped on purpose` : `${by} stopped the ${what}`;
  return reason === undefined
    ? `${who} without giving a reason; launch a new run if it is still needed.`
    : `${who} (reason: ${reason}); launch a new run if it is still needed.`;
}

/** The result's ErrorInfo, else the latest attempt that has one. */
function errorEvidence(details: ActionDetails): ErrorInfo | undefined {
  if (details.result.case === "errorInfo") return details.result.value;
  for (let i = details.attempts.length - 1; i >= 0; i--) {
    const info = details.attempts[i]?.errorInfo;
    if (info !== undefined) return info;
  }
  return undefined;
}

function statedKind(kind: ErrorInfo_Kind | undefined): "user" | "system" | undefined {
  if (kind === ErrorInfo_Kind.USER) return "user";
  if (kind === ErrorInfo_Kind.SYSTEM) return "system";
  return undefined;
}

/** `task a0 of run r1`, `task a0`, `run r1`, or `the task`. */
function subjectOf(runName: string | undefined, actionName: string | undefined): string {
  if (actionName !== undefined && runName !== undefined)
    return `task ${actionName} of run ${runName}`;
  if (actionName !== undefined) return `task ${actionName}`;
  if (runName !== undefined) return `run ${runName}`;
  return "the task";
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function hasAny(context: DecodeContext): boolean {
  for (const key in context) {
    if (context[key as keyof DecodeContext] !== undefined) return true;
  }
  return false;
}

/** Where the parsed message waits for `details.actionDetails` to be read. */
const SOURCE: unique symbol = Symbol("flyte-remote.action-details");

type Pending = Record<string, unknown> & { [SOURCE]?: ActionDetails | undefined };

/**
 * `details.actionDetails`, shared by every decoded error: the proto3 JSON of the message,
 * computed on first read and then kept as a plain value. Rendering the whole message costs
 * more than decoding and classifying it, and most callers only read the class, kind and
 * code; JSON, problem details and `structuredClone` read it as usual. The accessor is one
 * shared function reading the message from the object, not a closure per error: V8 keeps
 * accessors in its old generation, so a closure there would keep every decoded message
 * alive past the next minor collection.
 */
const ACTION_DETAILS_JSON: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Pending): unknown {
    const message = this[SOURCE];
    const value = message === undefined ? undefined : jsonOf(ActionDetailsSchema, message);
    Object.defineProperty(this, "actionDetails", {
      value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
    this[SOURCE] = undefined;
    return value;
  },
};

/**
 * The error's `details` before the classification adds `containers` and the decode adds
 * `actionDetails`: `phase`, then `raw` and `context` when there are any. Built in one
 * order, not spread, so every decoded error's `details` has one of a few shapes and the
 * accessor below is a map transition V8 has already made. (An object spread here gave
 * every `details` a map of its own, and defining the accessor then cost more than the
 * whole classification.)
 */
function errorDetails(raw: unknown, phase: ActionPhase, context: DecodeContext): Pending {
  const details: Pending = { phase };
  if (raw !== undefined) details.raw = raw;
  if (hasAny(context)) details.context = { ...context };
  return details;
}

function defineActionDetailsJson(details: FlyteErrorDetails, message: ActionDetails): void {
  if (!Object.isExtensible(details)) return;
  // A symbol key: no listing, JSON or clone of `details` shows it.
  (details as Pending)[SOURCE] = message;
  Object.defineProperty(details, "actionDetails", ACTION_DETAILS_JSON);
}

/** The facts that are known, as option fields: absent rather than `undefined`. */
function presentFacts(facts: FailureFacts): {
  attempts?: number | undefined;
  worker?: string | undefined;
} {
  return {
    ...(facts.attempts === undefined ? {} : { attempts: facts.attempts }),
    ...(facts.worker === undefined ? {} : { worker: facts.worker }),
  };
}
