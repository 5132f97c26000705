/**
 * The demo's live view: one line per run, redrawn in place on a terminal. Rendering is
 * a pure function of the rows, the spinner frame and the clock, so tests check exactly
 * what a person would see without a pseudo-terminal.
 *
 * @module
 */

import { formatElapsed } from "./duration.js";
import type { Style } from "./style.js";
import { truncate, visibleWidth } from "./style.js";

/** Spinner frames, one per tick. */
export const spinnerFrames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const;

/** Where a run stands, as the view shows it. */
export type RowStatus = "pending" | "active" | "succeeded" | "failed";

/** One run in the live view. */
export interface LiveRow {
  readonly run: string;
  readonly task: string;
  readonly status: RowStatus;
  /** The last phase seen, `"…"` before the first. */
  readonly phaseName: string;
  readonly attempt: number;
  /** When the view started following the run, in ms since the epoch. */
  readonly startedAt: number;
  /** When the run settled; freezes its elapsed time. */
  readonly endedAt?: number | undefined;
  /** A few words after the phase, e.g. the error class. */
  readonly note?: string | undefined;
  /** False when the outcome broke the scenario's promise. */
  readonly asExpected?: boolean | undefined;
}

/** What else a frame depends on. */
export interface LiveViewOptions {
  /** Increases once per tick; picks the spinner frame. */
  readonly frame: number;
  readonly now: number;
  readonly style: Style;
  /** Terminal width; lines are cut to it so they never wrap. */
  readonly width?: number | undefined;
}

function marker(row: LiveRow, options: LiveViewOptions): string {
  const { style } = options;
  if (row.status === "pending") return style.dim("·");
  if (row.status === "active")
    return style.cyan(spinnerFrames[options.frame % spinnerFrames.length] ?? "");
  if (row.asExpected === false) return style.red("✗");
  return row.status === "succeeded" ? style.green("✓") : style.yellow("✓");
}

function phase(row: LiveRow, style: Style): string {
  if (row.status === "succeeded") return style.green(row.phaseName);
  if (row.status === "failed") return style.red(row.phaseName);
  return row.phaseName;
}

/**
 * The lines of one frame: a marker (spinner while active, a tick once settled as
 * promised, a cross when not), run, task, phase, attempt, elapsed, note.
 */
export function renderLiveView(rows: readonly LiveRow[], options: LiveViewOptions): string[] {
  const runWidth = Math.max(3, ...rows.map((r) => visibleWidth(r.run)));
  const taskWidth = Math.max(4, ...rows.map((r) => visibleWidth(r.task)));
  const phaseWidth = Math.max(5, ...rows.map((r) => visibleWidth(r.phaseName)));
  const { style } = options;
  return rows.map((row) => {
    const elapsed = formatElapsed((row.endedAt ?? options.now) - row.startedAt);
    const attempt = row.attempt > 0 ? `attempt ${row.attempt}` : "";
    const phaseCell = phase(row, style) + " ".repeat(phaseWidth - visibleWidth(row.phaseName));
    const note = row.note === undefined ? "" : `  ${row.note}`;
    const line = `${marker(row, options)} ${row.run.padEnd(runWidth)}  ${style.dim(row.task.padEnd(taskWidth))}  ${phaseCell}  ${attempt.padEnd(9)}  ${elapsed.padStart(6)}${note}`;
    return options.width === undefined ? line.trimEnd() : truncate(line.trimEnd(), options.width);
  });
}

/**
 * The escape sequence that replaces the previous frame (`previousLines` tall) with
 * `lines`: cursor up to its first line, each line cleared and rewritten, and anything
 * left below cleared. Lines must not wrap (see `truncate`).
 */
export function repaint(previousLines: number, lines: readonly string[]): string {
  const up = previousLines > 0 ? `\x1b[${previousLines}A\r` : "";
  return `${up}${lines.map((line) => `\x1b[2K${line}\n`).join("")}\x1b[J`;
}

/** One plain log line for a phase change, for logs and pipes: no escapes, no redraws. */
export function renderLogLine(row: LiveRow, now: number): string {
  const elapsed = formatElapsed((row.endedAt ?? now) - row.startedAt).padStart(6);
  const attempt = row.attempt > 0 ? ` (attempt ${row.attempt})` : "";
  const note = row.note === undefined ? "" : ` ${row.note}`;
  return `[${elapsed}] ${row.run} ${row.task}: ${row.phaseName}${attempt}${note}`;
}
