/**
 * What the demo runs and what it promises: one run per outcome of the scenario
 * catalogue plus two with transport faults, each with the outcome a correct client
 * must report. Pure data and a pure check, so the promise is testable on its own.
 *
 * @module
 */

import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import { type ErrorKindName, type OutcomeInfo, outcomeCatalogue } from "../testing/index.js";
import type { ErrorFacts } from "./describe-error.js";

/**
 * The fault scenarios the demo adds. Both end quickly: a stream reset is retried at once
 * because the watch delivered a message first, and UNAVAILABLE is retried by the unary
 * backoff. `half-open` is left out because detecting a silent connection takes the idle
 * timeout, which would make the demo wait.
 */
export const demoFaultScenarios = ["stream-drop+oom", "unavailable+succeed"] as const;

/** What one run of the demo must end with. */
export interface Expectation {
  /** Whether `wait()` must resolve rather than reject. */
  readonly success: boolean;
  /** The phase the run must end in. */
  readonly finalPhase: number;
  readonly errorClass?: string | undefined;
  readonly kind?: ErrorKindName | undefined;
  readonly code?: string | undefined;
  readonly attempts: number;
  /** The demo itself aborts the run once it reaches this phase. */
  readonly abortAt?: number | undefined;
}

/** One run of the demo. */
export interface DemoCase {
  /** The run name, unique within the demo and at most 30 characters. */
  readonly run: string;
  /** The scenario, sent as the task name. */
  readonly task: string;
  readonly expect: Expectation;
  /** Said in the closing notes when the demo changes the scenario's course. */
  readonly note?: string | undefined;
}

function expectationOf(info: OutcomeInfo): Expectation {
  if (info.name === "paused") {
    // PAUSED waits for a signal that never comes; the demo aborts it, which is what a
    // person would do, and shows the abort arriving as a typed error.
    return {
      success: false,
      finalPhase: ActionPhase.ABORTED,
      errorClass: "RunAbortedError",
      kind: "user",
      attempts: info.attempts,
      abortAt: ActionPhase.PAUSED,
    };
  }
  return {
    success: info.success,
    finalPhase: info.finalPhase,
    ...(info.errorClass === undefined ? {} : { errorClass: info.errorClass }),
    ...(info.errorKind === undefined ? {} : { kind: info.errorKind }),
    ...(info.code === undefined ? {} : { code: info.code }),
    attempts: info.attempts,
  };
}

/** Every run of the demo, outcomes in catalogue order, then the fault scenarios. */
export function demoPlan(): DemoCase[] {
  const scenarios = [...outcomeCatalogue.map((o) => o.name), ...demoFaultScenarios];
  return scenarios.map((task, index) => {
    const outcome = task.split("+").at(-1) ?? task;
    const info = outcomeCatalogue.find((o) => o.name === outcome);
    if (info === undefined) throw new Error(`demo scenario ${task} has no catalogue entry`);
    return {
      run: `demo-${String(index + 1).padStart(2, "0")}`,
      task,
      expect: expectationOf(info),
      ...(info.name === "paused"
        ? { note: "stays PAUSED until someone acts; the demo aborts it once it gets there" }
        : {}),
    };
  });
}

/** How a run of the demo actually ended. */
export interface DemoOutcome {
  readonly phase: number;
  readonly phaseName: string;
  readonly attempts: number;
  /** The typed error, when `wait()` rejected with one. */
  readonly error?: ErrorFacts | undefined;
  /** Anything else `wait()` rejected with: a bug, or the demo's own time limit. */
  readonly unexpected?: string | undefined;
}

/** The differences between what a run promised and what it did; empty when it kept it. */
export function compareOutcome(expect: Expectation, outcome: DemoOutcome): string[] {
  const problems: string[] = [];
  if (outcome.unexpected !== undefined) return [outcome.unexpected];
  if (outcome.phase !== expect.finalPhase) {
    problems.push(`ended in phase ${outcome.phase}, expected ${expect.finalPhase}`);
  }
  if (expect.success) {
    if (outcome.error !== undefined)
      problems.push(`raised ${outcome.error.errorClass}, expected success`);
  } else if (outcome.error === undefined) {
    problems.push(`succeeded, expected ${expect.errorClass ?? "a failure"}`);
  } else {
    const error = outcome.error;
    if (expect.errorClass !== undefined && error.errorClass !== expect.errorClass) {
      problems.push(`raised ${error.errorClass}, expected ${expect.errorClass}`);
    }
    if (expect.kind !== undefined && error.kind !== expect.kind) {
      problems.push(`kind ${error.kind}, expected ${expect.kind}`);
    }
    if (expect.code !== undefined && error.code !== expect.code) {
      problems.push(`code ${error.code}, expected ${expect.code}`);
    }
  }
  if (outcome.attempts !== expect.attempts) {
    problems.push(`${outcome.attempts} attempt(s), expected ${expect.attempts}`);
  }
  return problems;
}
