/**
 * The scenario catalogue: what each scenario does and what a correct client
 * concludes from it. The CLI demo checks its outcomes against this table, and
 * the test suite checks the server against it, so the promise lives in one
 * place.
 *
 * @module
 */

import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import type { DataVariantName, FaultName, OutcomeName } from "./scenario.js";
import { unknownPhaseNumber } from "./timeline.js";

/** Who is to blame for a failure, as flyte-remote's error model says it. */
export type ErrorKindName = "user" | "system" | "unknown";

/** A catalogue entry for an outcome. */
export interface OutcomeInfo {
  readonly kind: "outcome";
  readonly name: OutcomeName;
  readonly description: string;
  /**
   * The action phases a watcher sees from creation on, with consecutive
   * repeats collapsed (several messages can share a phase, e.g. a retry's
   * failed attempt is reported while the action is still RUNNING).
   */
  readonly phases: readonly number[];
  /** The phase the run ends in without intervention: terminal, or PAUSED for `paused`. */
  readonly finalPhase: number;
  /** Whether `finalPhase` is terminal; `paused` only ends when aborted. */
  readonly terminal: boolean;
  /** Whether the final phase counts as success (SUCCEEDED or RECOVERED). */
  readonly success: boolean;
  /** The flyte-remote error class a correct decoder raises, when the run fails. */
  readonly errorClass?: string | undefined;
  /** The error's kind: ErrorInfo.kind, or the class family when there is no ErrorInfo. */
  readonly errorKind?: ErrorKindName | undefined;
  /** The machine-readable code the decoder assigns, where the decoding rules fix one. */
  readonly code?: string | undefined;
  /** `status.attempts` of the final state. */
  readonly attempts: number;
}

/** A catalogue entry for a fault. */
export interface FaultInfo {
  readonly kind: "fault";
  readonly name: FaultName;
  readonly description: string;
  /** Which calls it hits: every watch of the run, or every RPC about it. */
  readonly affects: "watch" | "call";
}

/** A catalogue entry for a data variant. */
export interface DataVariantInfo {
  readonly kind: "data";
  readonly name: DataVariantName;
  readonly description: string;
}

/** One catalogue entry. */
export type ScenarioInfo = OutcomeInfo | FaultInfo | DataVariantInfo;

const { QUEUED: Q, INITIALIZING: I, RUNNING: R, FAILED, PAUSED } = ActionPhase;
const standard = [Q, I, R] as const;
const retried3 = [Q, I, R, I, R, I, R] as const;

function outcome(info: Omit<OutcomeInfo, "kind" | "terminal" | "success">): OutcomeInfo {
  const success =
    info.finalPhase === ActionPhase.SUCCEEDED || info.finalPhase === ActionPhase.RECOVERED;
  return { kind: "outcome", terminal: info.finalPhase !== PAUSED, success, ...info };
}

/** Every outcome, in the order of {@link OUTCOMES}. */
export const outcomeCatalogue: readonly OutcomeInfo[] = [
  outcome({
    name: "succeed",
    description: "Queued, initialised, ran and succeeded.",
    phases: [...standard, ActionPhase.SUCCEEDED],
    finalPhase: ActionPhase.SUCCEEDED,
    attempts: 1,
  }),
  outcome({
    name: "recovered",
    description: "Ends in RECOVERED (10): the result was reused from an earlier run; a success.",
    phases: [...standard, ActionPhase.RECOVERED],
    finalPhase: ActionPhase.RECOVERED,
    attempts: 1,
  }),
  outcome({
    name: "user-error",
    description: "The task raised an uncaught ValueError; KIND_USER with a Python traceback.",
    phases: [...standard, FAILED],
    finalPhase: FAILED,
    errorClass: "RuntimeUserError",
    errorKind: "user",
    attempts: 1,
  }),
  outcome({
    name: "oom",
    description: "Three attempts, each OOMKilled (exit code 137); the last one's error stands.",
    phases: [...retried3, FAILED],
    finalPhase: FAILED,
    errorClass: "OOMError",
    errorKind: "user",
    code: "OOMKilled",
    attempts: 3,
  }),
  outcome({
    name: "image-pull-backoff",
    description:
      "Stays INITIALIZING while the kubelet backs off pulling the image, then fails when the 3m0s grace period is exceeded.",
    phases: [Q, I, FAILED],
    finalPhase: FAILED,
    errorClass: "ImagePullBackOffError",
    errorKind: "user",
    code: "ImagePullBackOff",
    attempts: 1,
  }),
  outcome({
    name: "invalid-image",
    description: "The image reference does not parse; fails at once with the kubelet's message.",
    phases: [Q, I, FAILED],
    finalPhase: FAILED,
    errorClass: "InvalidImageNameError",
    errorKind: "user",
    code: "InvalidImageName",
    attempts: 1,
  }),
  outcome({
    name: "primary-container-not-found",
    description: "The pod ran without its primary container.",
    phases: [...standard, FAILED],
    finalPhase: FAILED,
    errorClass: "PrimaryContainerNotFoundError",
    errorKind: "user",
    code: "PrimaryContainerNotFound",
    attempts: 1,
  }),
  outcome({
    name: "interrupted",
    description:
      "The primary container was SIGKILLed (exit code 137) by a node drain; KIND_SYSTEM.",
    phases: [...standard, FAILED],
    finalPhase: FAILED,
    errorClass: "TaskInterruptedError",
    errorKind: "system",
    code: "Interrupted",
    attempts: 1,
  }),
  outcome({
    name: "retries-exhausted",
    description: "Three failed attempts, then `task failed after 3 attempt(s)`.",
    phases: [...retried3, FAILED],
    finalPhase: FAILED,
    errorClass: "RetriesExhaustedError",
    errorKind: "user",
    code: "MaxRetriesExceeded",
    attempts: 3,
  }),
  outcome({
    name: "timeout",
    description: "Ran past its timeout: TIMED_OUT.",
    phases: [...standard, ActionPhase.TIMED_OUT],
    finalPhase: ActionPhase.TIMED_OUT,
    errorClass: "TaskTimeoutError",
    errorKind: "user",
    attempts: 1,
  }),
  outcome({
    name: "aborted",
    description: "Aborts itself while RUNNING, with a reason and the aborting user in AbortInfo.",
    phases: [...standard, ActionPhase.ABORTED],
    finalPhase: ActionPhase.ABORTED,
    errorClass: "RunAbortedError",
    errorKind: "user",
    attempts: 1,
  }),
  outcome({
    name: "system-error",
    description: "A platform failure (the error file could not be read); KIND_SYSTEM.",
    phases: [...standard, FAILED],
    finalPhase: FAILED,
    errorClass: "RuntimeSystemError",
    errorKind: "system",
    attempts: 1,
  }),
  outcome({
    name: "unknown-error",
    description: "A failure of unknown origin; KIND_UNSPECIFIED.",
    phases: [...standard, FAILED],
    finalPhase: FAILED,
    errorClass: "RuntimeUnknownError",
    errorKind: "unknown",
    attempts: 1,
  }),
  outcome({
    name: "unknown-phase",
    description: `Ends in phase ${unknownPhaseNumber}, which no schema knows, with status.end_time set.`,
    phases: [...standard, unknownPhaseNumber],
    finalPhase: unknownPhaseNumber,
    errorClass: "RuntimeUnknownError",
    errorKind: "unknown",
    code: "UnknownPhase",
    attempts: 1,
  }),
  outcome({
    name: "paused",
    description: "Reaches PAUSED and stays there until aborted.",
    phases: [...standard, PAUSED],
    finalPhase: PAUSED,
    attempts: 1,
  }),
];

/** Every fault, in the order of {@link FAULTS}. */
export const faultCatalogue: readonly FaultInfo[] = [
  {
    kind: "fault",
    name: "stream-drop",
    affects: "watch",
    description:
      "The first three watches of the run are reset after their first message (HTTP/2 RST_STREAM CANCEL; socket destroyed on HTTP/1.1).",
  },
  {
    kind: "fault",
    name: "clean-eos",
    affects: "watch",
    description:
      "The first watch ends cleanly (OK status) after its first message, before the terminal phase.",
  },
  {
    kind: "fault",
    name: "half-open",
    affects: "watch",
    description:
      "After its first message the first watch's connection goes silent: no bytes either way, no PING acks, never closed by the server.",
  },
  {
    kind: "fault",
    name: "unavailable",
    affects: "call",
    description: "The first two calls of each RPC about the run answer UNAVAILABLE.",
  },
  {
    kind: "fault",
    name: "slow-down",
    affects: "call",
    description:
      "The first call of each RPC about the run answers RESOURCE_EXHAUSTED with a 200 ms google.rpc.RetryInfo.",
  },
  {
    kind: "fault",
    name: "idle-cut",
    affects: "watch",
    description:
      "Like a load balancer's idle timeout: every watch that sends nothing for idleCutMs is reset (RST_STREAM CANCEL / socket destroy).",
  },
  {
    kind: "fault",
    name: "malformed",
    affects: "watch",
    description:
      "The first watch's first message is bytes that do not parse as the response message.",
  },
];

/** Every data variant, in the order of {@link DATA_VARIANTS}. */
export const dataVariantCatalogue: readonly DataVariantInfo[] = [
  {
    kind: "data",
    name: "offloaded-outputs",
    description:
      "Output o5 is offloaded: GetActionData gives its LiteralOffloadedMetadata (a URI under GetActionDataURIs' outputs location, 12 MiB), not its value.",
  },
  {
    kind: "data",
    name: "unconvertible-output",
    description:
      "Output o7 is a pickled Python object (a Binary literal without a tag), which no client outside Python can read.",
  },
  {
    kind: "data",
    name: "late-logs",
    description:
      "The first two log reads of the run answer NOT_FOUND, as while a pod is being scheduled; the log appears on the third.",
  },
];

/** The whole catalogue: outcomes, then faults, then data variants. */
export const scenarioCatalogue: readonly ScenarioInfo[] = [
  ...outcomeCatalogue,
  ...faultCatalogue,
  ...dataVariantCatalogue,
];

/** The catalogue entry of an outcome. */
export function outcomeInfo(name: OutcomeName): OutcomeInfo {
  const info = outcomeCatalogue.find((o) => o.name === name);
  if (info === undefined) throw new Error(`no catalogue entry for outcome ${name}`);
  return info;
}
