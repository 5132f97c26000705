/**
 * Phase arithmetic shared by every caller that watches an action.
 *
 * The functions take plain numbers, not the enum, on purpose: a server newer than this
 * schema may send a phase we have never heard of, and the caller must still be able to ask
 * whether it is terminal and print something readable.
 */

import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";

const TERMINAL: ReadonlySet<number> = new Set([
  ActionPhase.SUCCEEDED,
  ActionPhase.FAILED,
  ActionPhase.ABORTED,
  ActionPhase.TIMED_OUT,
  ActionPhase.RECOVERED,
]);

/**
 * True when an action in this phase will not change again: SUCCEEDED, FAILED, ABORTED,
 * TIMED_OUT or RECOVERED. An unknown number is not terminal, because only the server knows
 * what it means; {@link decodeActionDetails} looks at `status.endTime` for those instead.
 */
export function isTerminalPhase(phase: number): boolean {
  return TERMINAL.has(phase);
}

/**
 * True for SUCCEEDED and RECOVERED. RECOVERED means the result was reused from an earlier
 * run, which is as good as running it.
 */
export function isSuccessPhase(phase: number): boolean {
  return phase === ActionPhase.SUCCEEDED || phase === ActionPhase.RECOVERED;
}

/**
 * The phase's schema name without the `ACTION_PHASE_` prefix, for example `"SUCCEEDED"`;
 * `"UNKNOWN(42)"` for a number this schema does not know, so logs never say `undefined`.
 */
export function phaseName(phase: number): string {
  const name = Number.isInteger(phase) ? (ActionPhase as Record<number, string>)[phase] : undefined;
  return name ?? `UNKNOWN(${String(phase)})`;
}

/** True when the number is a phase that this schema declares. */
export function isKnownPhase(phase: number): boolean {
  return Number.isInteger(phase) && (ActionPhase as Record<number, string>)[phase] !== undefined;
}
