import { isTerminalPhase } from "../decode/index.js";
import { ActionPhase } from "../gen/flyteidl2/common/phase_pb.js";
import type { ActionDetails } from "../gen/flyteidl2/workflow/run_definition_pb.js";

/**
 * Where a phase sits in an attempt's life. Within one attempt an action only moves
 * forward, and a retry starts a new attempt, so `(attempt, rank)` never goes back on the
 * server; PAUSED ranks with RUNNING because a run can go either way between them.
 */
function rank(phase: number): number {
  switch (phase) {
    case ActionPhase.UNSPECIFIED:
      return 0;
    case ActionPhase.QUEUED:
      return 1;
    case ActionPhase.WAITING_FOR_RESOURCES:
      return 2;
    case ActionPhase.INITIALIZING:
      return 3;
    case ActionPhase.RUNNING:
    case ActionPhase.PAUSED:
      return 4;
    default:
      // Terminal phases, and phases this schema does not know, come last.
      return isTerminalPhase(phase) ? 6 : 5;
  }
}

/**
 * Lets each state of an action through once, and never one older than the last let
 * through. A reconnecting stream resends the current state, and a multiplexed wait can
 * hear about a change both from the shared stream and from a read; without this filter,
 * `onPhase` would see a phase twice, or go backwards.
 */
export class UpdateFilter {
  private lastAttempt = -1;
  private lastRank = -1;
  /**
   * The phases let through at the last (attempt, rank). Ranks only grow within an attempt,
   * so a phase seen before and not in here is older than the last one and fails the order
   * test anyway; only phases sharing a rank (RUNNING and PAUSED) need remembering. A small
   * array, not a set of every key: thousands of filters are alive at once.
   */
  private sameRank: number[] = [];

  accept(details: ActionDetails): boolean {
    const phase = details.status?.phase ?? ActionPhase.UNSPECIFIED;
    const attempt = details.status?.attempts ?? 0;
    const r = rank(phase);
    if (attempt < this.lastAttempt || (attempt === this.lastAttempt && r < this.lastRank)) {
      return false;
    }
    if (attempt === this.lastAttempt && r === this.lastRank) {
      if (this.sameRank.includes(phase)) return false;
      this.sameRank.push(phase);
    } else {
      this.sameRank = [phase];
    }
    this.lastAttempt = attempt;
    this.lastRank = r;
    return true;
  }
}
