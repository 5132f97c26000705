/**
 * The scripted life of each outcome: a list of steps, each a delay (at speed 1,
 * human pace) and an edit of the action model. Nothing here knows about
 * transports or timers, so the node server and the msw handlers play the same
 * scripts.
 *
 * @module
 */

import { create } from "@bufbuild/protobuf";
import {
  type EnrichedIdentity,
  EnrichedIdentitySchema,
} from "../gen/flyteidl2/common/identity_pb.js";
import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import {
  type ActionModel,
  addClusterEvent,
  currentAttempt,
  enterPhase,
  failAttempt,
  finish,
  Kind,
  podName,
  startAttempt,
} from "./action-model.js";
import {
  backOffPullingImage,
  containerExitedZero,
  containerTerminated,
  failedToPullImage,
  gracePeriodExceeded,
  imagePullBackOffInGrace,
  invalidImageName,
  podFailedNoMessage,
  primaryContainerNotFound,
  retriesExhausted,
} from "./failure-text.js";
import type { OutcomeName } from "./scenario.js";

/** One step of a timeline. */
export interface TimelineStep {
  /** Delay after the previous step, in milliseconds at speed 1. */
  readonly delayMs: number;
  /** Edits the model; `now` is the wall-clock time of the step. */
  readonly apply: (model: ActionModel, now: number) => void;
  /** Whether the step puts the action in its final phase. */
  readonly terminal?: boolean | undefined;
}

/** The image that `image-pull-backoff` fails to pull. */
export const missingImage = "ghcr.io/acme/trainer:1.4.2";
/** The image reference that `invalid-image` cannot parse. */
export const invalidImage = "ghcr.io/acme/trainer::1.4.2";
/** The phase number `unknown-phase` ends in: no schema knows it. */
export const unknownPhaseNumber = 42;
/** The reason `aborted` gives. */
export const selfAbortReason = "Superseded by a newer run of the same pipeline";

/** The user who aborts the `aborted` scenario. */
export function abortingUser(): EnrichedIdentity {
  return create(EnrichedIdentitySchema, {
    principal: {
      case: "user",
      value: {
        id: { subject: "00u8f2k1xq7lm3pa4x7" },
        spec: { firstName: "Ana", lastName: "Lopez", email: "ana.lopez@example.com" },
      },
    },
  });
}

const queuedToInitializing = 1500;
const initializingToRunning = 1500;
const runningToEnd = 3000;

function initialize(delayMs = queuedToInitializing): TimelineStep {
  return { delayMs, apply: (m, now) => void startAttempt(m, now) };
}

function run(delayMs = initializingToRunning): TimelineStep {
  return { delayMs, apply: (m, now) => enterPhase(m, ActionPhase.RUNNING, now) };
}

function end(
  delayMs: number,
  phase: number,
  result?: (m: ActionModel) => ActionModel["result"],
): TimelineStep {
  return {
    delayMs,
    terminal: true,
    apply: (m, now) => finish(m, phase, now, result?.(m)),
  };
}

function pod(m: ActionModel): string {
  return podName(m, currentAttempt(m)?.attempt ?? 1);
}

function oomMessage(m: ActionModel): string {
  return podFailedNoMessage + containerTerminated(pod(m), 137, "OOMKilled", "");
}

function retriedAttemptMessage(m: ActionModel): string {
  return (
    podFailedNoMessage +
    containerTerminated(
      pod(m),
      1,
      "Error",
      "ConnectionResetError: [Errno 104] Connection reset by peer",
    )
  );
}

/** A failed attempt followed by a fresh one, as a retry looks on the wire. */
function retry(message: (m: ActionModel) => string): TimelineStep[] {
  return [
    {
      delayMs: 2000,
      apply: (m, now) => failAttempt(m, { message: message(m), kind: Kind.user }, now),
    },
    initialize(500),
    run(1000),
  ];
}

const userErrorMessage = [
  "Traceback (most recent call last):",
  '  File "/root/pipeline.py", line 41, in clean_rows',
  '    raise ValueError(f"row {i}: expected 3 columns, got {len(row)}")',
  "ValueError: row 17: expected 3 columns, got 2",
].join("\n");

const timelines: Record<OutcomeName, () => TimelineStep[]> = {
  succeed: () => [initialize(), run(), end(runningToEnd, ActionPhase.SUCCEEDED)],
  recovered: () => [initialize(), run(), end(runningToEnd, ActionPhase.RECOVERED)],
  "user-error": () => [
    initialize(),
    run(),
    end(runningToEnd, ActionPhase.FAILED, () => ({
      case: "error",
      error: { message: userErrorMessage, kind: Kind.user },
    })),
  ],
  oom: () => [
    initialize(),
    run(),
    ...retry(oomMessage),
    ...retry(oomMessage),
    end(2000, ActionPhase.FAILED, (m) => ({
      case: "error",
      error: { message: oomMessage(m), kind: Kind.user },
    })),
  ],
  "image-pull-backoff": () => [
    initialize(),
    {
      delayMs: 1000,
      apply: (m, now) =>
        addClusterEvent(
          m,
          failedToPullImage(
            missingImage,
            "rpc error: code = NotFound desc = failed to resolve reference",
          ),
          now,
        ),
    },
    {
      delayMs: 1000,
      apply: (m, now) =>
        addClusterEvent(m, imagePullBackOffInGrace(backOffPullingImage(missingImage)), now),
    },
    end(3000, ActionPhase.FAILED, () => ({
      case: "error",
      error: {
        message: gracePeriodExceeded("3m0s", backOffPullingImage(missingImage)),
        kind: Kind.user,
      },
    })),
  ],
  "invalid-image": () => [
    initialize(),
    end(500, ActionPhase.FAILED, () => ({
      case: "error",
      error: { message: invalidImageName(invalidImage), kind: Kind.user },
    })),
  ],
  "primary-container-not-found": () => [
    initialize(),
    run(),
    end(runningToEnd, ActionPhase.FAILED, (m) => ({
      case: "error",
      error: { message: primaryContainerNotFound(pod(m)), kind: Kind.user },
    })),
  ],
  interrupted: () => [
    initialize(),
    run(),
    end(runningToEnd, ActionPhase.FAILED, (m) => ({
      case: "error",
      error: {
        message:
          podFailedNoMessage +
          containerTerminated(pod(m), 137, "Error", "SIGKILL: node drained for spot preemption") +
          containerExitedZero("flyte-copilot-sidecar"),
        kind: Kind.system,
      },
    })),
  ],
  "retries-exhausted": () => [
    initialize(),
    run(),
    ...retry(retriedAttemptMessage),
    ...retry(retriedAttemptMessage),
    {
      delayMs: 2000,
      terminal: true,
      apply: (m, now) => {
        failAttempt(m, { message: retriedAttemptMessage(m), kind: Kind.user }, now);
        m.phase = ActionPhase.FAILED;
        m.end = now;
        m.result = { case: "error", error: { message: retriesExhausted(3), kind: Kind.user } };
      },
    },
  ],
  timeout: () => [
    initialize(),
    run(),
    end(runningToEnd, ActionPhase.TIMED_OUT, () => ({
      case: "error",
      error: { message: "task execution timeout [5m0s] expired", kind: Kind.user },
    })),
  ],
  aborted: () => [
    initialize(),
    run(),
    end(runningToEnd, ActionPhase.ABORTED, () => ({
      case: "abort",
      reason: selfAbortReason,
      abortedBy: abortingUser(),
    })),
  ],
  "system-error": () => [
    initialize(),
    run(),
    end(runningToEnd, ActionPhase.FAILED, (m) => ({
      case: "error",
      error: {
        message: `failed to read error file at [s3://flyte-data/metadata/${m.run.project}/${m.run.domain}/${m.run.name}/${m.action}/${(currentAttempt(m)?.attempt ?? 1) - 1}/error.pb]: object store unavailable`,
        kind: Kind.system,
      },
    })),
  ],
  "unknown-error": () => [
    initialize(),
    run(),
    end(runningToEnd, ActionPhase.FAILED, () => ({
      case: "error",
      error: {
        message: "task exited without reporting a result or an error",
        kind: Kind.unspecified,
      },
    })),
  ],
  "unknown-phase": () => [initialize(), run(), end(runningToEnd, unknownPhaseNumber)],
  paused: () => [
    initialize(),
    run(),
    { delayMs: runningToEnd, apply: (m, now) => enterPhase(m, ActionPhase.PAUSED, now) },
  ],
};

/** The steps of an outcome, after its creation in QUEUED. */
export function timelineOf(outcome: OutcomeName): TimelineStep[] {
  return timelines[outcome]();
}
