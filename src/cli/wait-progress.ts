/**
 * What `wait` shows while it waits: the phase, the attempt and the elapsed time, as one
 * line redrawn in place on a terminal, or one log line per change elsewhere. The line
 * is a pure function of the state, tested without a terminal.
 *
 * @module
 */

import { formatElapsed } from "./duration.js";
import { spinnerFrames } from "./live-view.js";
import type { Style } from "./style.js";
import { truncate } from "./style.js";

/** What the progress line knows. */
export interface WaitState {
  readonly run: string;
  /** `"…"` until the first update arrives. */
  readonly phaseName: string;
  readonly attempt: number;
  /** Since when to count: the run's start time once known, else when the wait began. */
  readonly since: number;
  /** The run's end time, once it has one; freezes the clock. */
  readonly until?: number | undefined;
  /** Once the run has settled: replaces the spinner with a tick or a cross. */
  readonly outcome?: "succeeded" | "failed" | undefined;
}

/** The in-place line: spinner (or the outcome's mark), run, phase, attempt, elapsed. */
export function renderWaitLine(
  state: WaitState,
  frame: number,
  now: number,
  style: Style,
  width?: number,
): string {
  const spinner =
    state.outcome === "succeeded"
      ? style.green("✓")
      : state.outcome === "failed"
        ? style.red("✗")
        : style.cyan(spinnerFrames[frame % spinnerFrames.length] ?? "");
  const attempt = state.attempt > 0 ? `  attempt ${state.attempt}` : "";
  const elapsed = formatElapsed((state.until ?? now) - state.since);
  const line = `${spinner} run ${style.bold(state.run)}  ${state.phaseName}${attempt}  ${style.dim(elapsed)}`;
  return width === undefined ? line : truncate(line, width);
}

/** The log line for one change, for pipes and CI logs. */
export function renderWaitLogLine(state: WaitState, now: number): string {
  const attempt = state.attempt > 0 ? ` (attempt ${state.attempt})` : "";
  const elapsed = formatElapsed((state.until ?? now) - state.since).padStart(6);
  return `[${elapsed}] run ${state.run}: ${state.phaseName}${attempt}`;
}
